package trees_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/projections/internal/fixture"
	"github.com/wsledger/wsledger/projections/runner"
	"github.com/wsledger/wsledger/projections/trees"
)

// TestTreesFromTheLog plays two providers' year into a log, keeps their trees with a runner,
// and checks each tree's root against the leaves computed from the events read back; that every
// event is found by id at its position; and that a tree saved by the runner and loaded by
// another is the same tree.
func TestTreesFromTheLog(t *testing.T) {
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	l.Play(t, "../testdata/north-star-2025.jsonl")
	l.Play(t, "../testdata/aurora-2025.jsonl")
	last, err := log.LastSequence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ts := trees.New()
	r := ts.Runner(log, log.JetStream(), runner.Options{})
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	wctx, wcancel := context.WithTimeout(t.Context(), time.Minute)
	defer wcancel()
	if err := r.WaitFor(wctx, last); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	for _, p := range ts.Providers() {
		var leaves []evidence.Hash
		var ids []string
		for e, err := range log.Read(t.Context(), events.ReadOptions{Provider: p}) {
			if err != nil {
				t.Fatal(err)
			}
			leaves = append(leaves, evidence.LeafHash(e.Raw))
			ids = append(ids, e.ID)
		}
		want, err := evidence.RootOf(leaves)
		if err != nil {
			t.Fatal(err)
		}
		var got evidence.Hash
		ok, err := ts.With(p, func(tree *evidence.Tree, _ []uuid.UUID) error {
			got, err = tree.Root(tree.Size())
			return err
		})
		if !ok || err != nil || got != want {
			t.Fatalf("provider %s: root %x (%v, %v), want %x from %d events read back", p, got[:], ok, err, want[:], len(leaves))
		}
		for _, i := range []int{0, len(ids) / 2, len(ids) - 1} {
			if prov, index, ok := ts.Find(ids[i]); !ok || prov != p || index != int64(i) {
				t.Fatalf("event %s: found at %s/%d (%v), want %s/%d", ids[i], prov, index, ok, p, i)
			}
		}
	}

	loaded := trees.New()
	again := loaded.Runner(log, log.JetStream(), runner.Options{})
	ctx, cancel = context.WithCancel(context.WithoutCancel(t.Context()))
	go func() { done <- again.Run(ctx) }()
	if err := again.WaitFor(wctx, last); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	for _, p := range ts.Providers() {
		if a, b := ts.Size(p), loaded.Size(p); a != b || a == 0 {
			t.Fatalf("provider %s: %d leaves kept, %d loaded", p, a, b)
		}
		var r1, r2 evidence.Hash
		ts.With(p, func(tree *evidence.Tree, _ []uuid.UUID) error { r1, _ = tree.Root(tree.Size()); return nil })
		loaded.With(p, func(tree *evidence.Tree, _ []uuid.UUID) error { r2, _ = tree.Root(tree.Size()); return nil })
		if r1 != r2 {
			t.Fatalf("provider %s: the loaded tree's root differs", p)
		}
	}
}

// TestTreesKeepRecoveries applies a HistoryRecovered event: the tree then says the checkpoint
// it names is superseded, and no other; a tree saved and loaded again says the same.
func TestTreesKeepRecoveries(t *testing.T) {
	root := evidence.LeafHash([]byte("the lost checkpoint's root"))
	payload, err := events.EncodePayload(events.HistoryRecovered{CheckpointSize: 9, CheckpointRoot: evidence.Hex(root), HistorySize: 0, Reason: "restored"})
	if err != nil {
		t.Fatal(err)
	}
	e := events.Envelope{ID: uuid.NewString(), Type: events.TypeHistoryRecovered, Version: 1, Provider: "north", Position: 1, Sequence: 1, Payload: payload}
	e.Raw = payload
	ts := trees.New()
	if err := ts.Apply(e); err != nil {
		t.Fatal(err)
	}
	saved, err := ts.Save("north")
	if err != nil {
		t.Fatal(err)
	}
	loaded := trees.New()
	if err := loaded.Load("north", saved); err != nil {
		t.Fatal(err)
	}
	for name, tr := range map[string]*trees.Trees{"applied": ts, "loaded": loaded} {
		if !tr.Superseded("north", 9, root) {
			t.Fatalf("%s: the checkpoint the recovery names is not superseded", name)
		}
		if tr.Superseded("north", 8, root) || tr.Superseded("north", 9, evidence.Hash{}) || tr.Superseded("south", 9, root) {
			t.Fatalf("%s: a checkpoint the recovery does not name is superseded", name)
		}
	}
}
