package projections

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/wsledger/wsledger/domain"
)

// BenchmarkDeadlinesJSON writes a page of 100 deadlines as the deadline view answers it, by hand
// (Deadlines.AppendJSON), with encoding/json and with
// github.com/go-json-experiment/json. The figures in AppendJSON's doc comment come from it.
func BenchmarkDeadlinesJSON(b *testing.B) {
	at := time.Date(2026, 3, 9, 17, 0, 0, 0, time.UTC)
	d := Deadlines{Provider: "north-star", At: at, Counts: StatusCounts{3, 5, 7, 11, 13, 17}, Matched: 100, Next: "ob-100"}
	for i := range 100 {
		d.Items = append(d.Items, Deadline{ID: fmt.Sprintf("correction:F-%d", i), Kind: domain.ObligationCorrection,
			Subject: fmt.Sprintf("finding F-%d", i), Owner: "cm7", Source: fmt.Sprintf("review R-%d", i),
			OpenedAt: at.Add(-time.Duration(i) * time.Hour), Due: at.Add(time.Duration(i) * time.Hour), Status: domain.StatusOverdue,
			LateSeconds: int64(i) * 3600, Late: fmt.Sprintf("%dh", i)})
	}
	for _, p := range []struct {
		name  string
		write func() ([]byte, error)
	}{
		{"hand-written", func() ([]byte, error) { return d.AppendJSON(nil) }},
		{"encoding-json", func() ([]byte, error) { return json.Marshal(d) }},
		{"json-experiment", func() ([]byte, error) { return jsonv2.Marshal(d) }},
	} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.write(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
