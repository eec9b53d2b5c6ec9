package natslog

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/wsledger/wsledger/events"
)

func noteFor(provider string) events.AppendRequest {
	return events.AppendRequest{Provider: provider, Actor: events.Actor{StaffID: "s1", Role: events.RoleSupervisor},
		Events: []events.Draft{{Type: "ItemNoted", Version: 1, AggregateKind: "item", AggregateID: uuid.NewString(),
			OccurredAt: time.Now(), Payload: json.RawMessage(`{"n":1}`)}}}
}

// TestChainLoadRacesCatchUp loads a provider's chain in one writer while another writer stores
// the provider's first event and the first writer's sequencer catches up past it (its own
// append for another provider failed the compare-and-set): the chain must still come to hold
// that event, so that the first writer's next append for the provider takes position 2, not a
// second position 1.
func TestChainLoadRacesCatchUp(t *testing.T) {
	ctx := t.Context()
	a, err := Open(ctx, Options{DataDir: t.TempDir(), Listen: "127.0.0.1:-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, Options{URL: a.Server().ClientURL(), Replicas: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := a.Append(ctx, noteFor("north")); err != nil {
		t.Fatal(err)
	}

	read, release := make(chan struct{}), make(chan struct{})
	first := true
	testHookChainRead = func(provider string) {
		if provider == "south" && first {
			first = false
			close(read)
			<-release
		}
	}
	defer func() { testHookChainRead = nil }()
	loaded := make(chan error, 1)
	go func() {
		_, err := a.Head(ctx, "south") // loads south's chain: empty when read
		loaded <- err
	}()
	<-read
	if _, err := b.Append(ctx, noteFor("south")); err != nil {
		t.Fatal(err)
	}
	// a's append for north fails the compare-and-set; a catches up past south's first event,
	// whose chain it is still loading.
	if _, err := a.Append(ctx, noteFor("north")); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-loaded; err != nil {
		t.Fatal(err)
	}
	res, err := a.Append(ctx, noteFor("south"))
	if err != nil {
		t.Fatal(err)
	}
	if pos := res[0].Events[0].Position; pos != 2 {
		t.Fatalf("south's second event took position %d, want 2", pos)
	}
	r, err := events.Verify(ctx, a, "south", nil)
	if err != nil || !r.Intact {
		t.Fatalf("south after the race: %+v, %v", r, err)
	}
}
