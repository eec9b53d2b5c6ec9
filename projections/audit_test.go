package projections

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/runner"
)

// masked replaces event ids and hashes, which differ from run to run, by names built from each
// event's position, so that the trail can be compared with a golden file.
func masked(a AuditTrail) AuditTrail {
	name := func(kind string, pos uint64) string {
		if pos == 0 {
			return ""
		}
		return fmt.Sprintf("%s-%03d", kind, pos)
	}
	for i := range a.Entries {
		e := &a.Entries[i].Envelope
		e.ID, e.Hash, e.PrevHash = name("event", e.Position), name("hash", e.Position), name("hash", e.Position-1)
	}
	return a
}

// exports renders a trail as text, CSV and JSONL.
func exports(t *testing.T, a AuditTrail) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, write := range []func(*bytes.Buffer) error{
		func(w *bytes.Buffer) error { return a.WriteText(w) },
		func(w *bytes.Buffer) error { w.WriteString("---- CSV ----\n"); return a.WriteCSV(w) },
		func(w *bytes.Buffer) error { w.WriteString("---- JSONL ----\n"); return a.WriteJSONL(w) },
	} {
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// TestAuditTrailFiltersAndExports filters the trail by period on each clock and by type, and
// checks that every exported line can be verified from the export alone.
func TestAuditTrailFiltersAndExports(t *testing.T) {
	log, _ := playFixtures(t)
	v := New(log, domain.DefaultPolicy())
	tests := []struct {
		name   string
		filter AuditFilter
	}{
		{"recorded-2025-07-08", AuditFilter{From: alaska(t, "2025-07-08T00:00:00"), To: alaska(t, "2025-07-08T23:59:59")}},
		{"occurred-2025-06-concerns", AuditFilter{
			From: alaska(t, "2025-06-01T00:00:00"), To: alaska(t, "2025-06-30T23:59:59"), Clock: events.Occurred,
			Types: []string{events.TypeClientCallReceived, events.TypeClientCallReturned, events.TypeConcernResolved},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := v.Audit(t.Context(), northStar, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Intact || len(a.Entries) == 0 {
				t.Fatalf("intact %v with %d entries", a.Intact, len(a.Entries))
			}
			var jsonl bytes.Buffer
			if err := a.WriteJSONL(&jsonl); err != nil {
				t.Fatal(err)
			}
			rehash(t, jsonl.Bytes(), len(a.Entries))
			golden(t, northStar+".audit-"+tt.name, exports(t, masked(a)))
		})
	}
}

// rehash recomputes the hash of every exported event.
func rehash(t *testing.T, jsonl []byte, want int) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(jsonl))
	n := 0
	for ; sc.Scan(); n++ {
		var e events.Envelope
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if h, err := events.ComputeHash(&e); err != nil || h != e.Hash {
			t.Errorf("exported event at sequence %d does not hash to its hash (%v)", e.Sequence, err)
		}
	}
	if n != want {
		t.Errorf("%d JSONL lines, want %d", n, want)
	}
}

// TestAuditTrailAndViewsShowTampering publishes two forged events straight to the stream: the
// trail marks everything before the first ok, the first with the kind of damage and the next
// unverified, and the live overview shows the broken chain.
func TestAuditTrailAndViewsShowTampering(t *testing.T) {
	log, _ := playFixtures(t)
	v, r := running(t, log, runner.Options{})
	last, err := log.Head(t.Context(), northStar)
	if err != nil {
		t.Fatal(err)
	}
	var forged events.Envelope
	for e, err := range log.Read(t.Context(), events.ReadOptions{Provider: northStar, From: last.Sequence}) {
		if err != nil {
			t.Fatal(err)
		}
		forged = e
	}
	forged.Payload = json.RawMessage(`{"emergency_id":"E-03","client_number":"20000202","track":"families_first"}`)
	data, err := events.MarshalEnvelope(&forged)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := log.JetStream().PublishMsg(t.Context(), &nats.Msg{Subject: forged.Subject(), Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	catchUp(t, log, r)

	a, err := v.Audit(t.Context(), northStar, AuditFilter{From: time.Time{}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Intact || a.Tamper == nil {
		t.Fatal("the trail does not see the forged events")
	}
	n := len(a.Entries)
	got := []string{a.Entries[n-3].Verification, a.Entries[n-2].Verification, a.Entries[n-1].Verification}
	if want := []string{Verified, events.Modified, Unverified}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the last three entries are %v, want %v", got, want)
	}
	o, err := v.Overview(northStar, goldenNow)
	if err != nil {
		t.Fatal(err)
	}
	if o.Intact || o.Break == nil || o.Break.Sequence != a.Entries[n-2].Sequence {
		t.Errorf("overview: intact %v, break %+v; want the break at sequence %d", o.Intact, o.Break, a.Entries[n-2].Sequence)
	}
}
