package bench

import (
	"bytes"
	"testing"
)

// TestShortRun runs every workload for seconds, so the harness cannot rot: each pair must
// produce figures on both sides. Speed targets are judged by the full run, not here.
func TestShortRun(t *testing.T) {
	pairs, err := Run(t.Context(), Config{Short: true, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) == 0 {
		t.Fatal("no workloads ran")
	}
	for _, p := range pairs {
		if p.Ledger.Value <= 0 || p.Raw.Value <= 0 || p.Ratio() <= 0 {
			t.Errorf("%s: no figures: %+v", p.Workload, p)
		}
	}
	var out bytes.Buffer
	Print(&out, pairs)
	t.Log("\n" + out.String())
}
