package projections

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/projections/internal/fixture"
	"github.com/wsledger/wsledger/projections/runner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The fixtures: a year of one provider with every event kind, and a few months of a second one.
const (
	northStar     = "north-star"
	aurora        = "aurora-ws"
	northStarFile = "testdata/north-star-2025.jsonl"
	auroraFile    = "testdata/aurora-2025.jsonl"
)

// goldenNow is the instant the golden views are computed at: Tuesday 20 January 2026, noon in
// Anchorage, after the fixture's last event.
var goldenNow = time.Date(2026, 1, 20, 21, 0, 0, 0, time.UTC)

// playFixtures opens a log on an embedded server and plays both fixtures into it.
func playFixtures(t *testing.T) (*natslog.Log, *fixture.Ledger) {
	t.Helper()
	log, clock := fixture.Open(t)
	l := fixture.NewLedger(log, clock)
	l.Play(t, northStarFile)
	l.Play(t, auroraFile)
	return log, l
}

// running starts a runner for fresh views of log and returns them once it has applied every
// event stored so far. The runner stops, with a final snapshot, when the test ends.
func running(t *testing.T, log *natslog.Log, opts runner.Options) (*Views, *runner.Runner) {
	t.Helper()
	v := New(log, domain.DefaultPolicy())
	r := v.Runner(log.JetStream(), opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("runner: %v", err)
		}
	})
	catchUp(t, log, r)
	return v, r
}

// catchUp waits until the runner has applied every event the log holds.
func catchUp(t *testing.T, log events.Log, r *runner.Runner) {
	t.Helper()
	last, err := log.LastSequence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // a guard, not a measure
	defer cancel()
	if err := r.WaitFor(ctx, last); err != nil {
		t.Fatalf("runner did not reach sequence %d: %v", last, err)
	}
}

// view is a result that renders for people.
type view interface{ WriteText(io.Writer) error }

// jsonOnly is a view that has no text rendering (Attention, which only the dashboard shows).
type jsonOnly struct{ v any }

func (jsonOnly) WriteText(io.Writer) error      { return nil }
func (j jsonOnly) MarshalJSON() ([]byte, error) { return json.Marshal(j.v) }

// render returns a view's text rendering followed by its indented JSON.
func render(t *testing.T, v view) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := v.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	b.WriteString("---- JSON ----\n")
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// providerViews is every view of one provider at one instant, by name.
type providerViews map[string]view

// liveViews returns the live views of a provider at now.
func liveViews(t *testing.T, v *Views, provider string, now time.Time) providerViews {
	t.Helper()
	out := providerViews{}
	add := func(name string, x view, err error) {
		if err != nil {
			t.Fatalf("%s of %s: %v", name, provider, err)
		}
		out[name] = x
	}
	d, err := v.Deadlines(provider, now)
	add("deadlines", d, err)
	c, err := v.Coverage(provider)
	add("coverage", c, err)
	k, err := v.Corrections(provider, now)
	add("corrections", k, err)
	a, err := v.Accuracy(provider)
	add("accuracy", a, err)
	m, err := v.Measures(provider)
	add("measures", m, err)
	n, err := v.Concerns(provider, now)
	add("concerns", n, err)
	o, err := v.Overview(provider, now)
	add("overview", o, err)
	at, err := v.Attention(provider, now, 3) // few rows, so that the lists are cut short
	add("attention", jsonOnly{at}, err)
	return out
}

// replayViews returns every view of a replay.
func replayViews(r *Replay) providerViews {
	return providerViews{
		"deadlines": r.Deadlines(), "coverage": r.Coverage(), "corrections": r.Corrections(), "accuracy": r.Accuracy(),
		"measures": r.Measures(), "concerns": r.Concerns(), "overview": r.Overview(),
	}
}

// rendered renders every view.
func (pv providerViews) rendered(t *testing.T) map[string][]byte {
	out := map[string][]byte{}
	for name, v := range pv {
		out[name] = render(t, v)
	}
	return out
}

// golden compares got with testdata/name.golden, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s; run with -update and review the diff:\n%s", name, path, firstDifference(got, want))
	}
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range max(len(g), len(w)) {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + string(gl) + "\nwant: " + string(wl)
		}
	}
	return ""
}
