package web

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/wsledger/wsledger/projections"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with -update after checking the new output:\n%s", name, got)
	}
}

func TestAccuracyChartGolden(t *testing.T) {
	acc := projections.Accuracy{Reviews: []projections.WSQRAccuracy{
		{Period: "2026-01", Correct: 45, Reviewed: 50, Accuracy: "0.9"},
		{Period: "2026-04", Correct: 39, Reviewed: 50, Accuracy: "0.78"},
		{Period: "2026-07", Correct: 79, Reviewed: 100, Accuracy: "0.79"},
		{Period: "2026-10", Correct: 41, Reviewed: 50, Accuracy: "0.82"},
	}}
	var buf bytes.Buffer
	if err := mustParsePages().byName["trends"].ExecuteTemplate(&buf, "chart", accuracyChart(acc)); err != nil {
		t.Fatal(err)
	}
	golden(t, "accuracy_chart.svg.golden", buf.Bytes())
	for _, want := range []string{"≤ 79%: confirmation starts", "≥ 80%: confirmation ends", "Jul 2026: 79.0% (79 of 100 correct)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the chart does not say %q", want)
		}
	}
}

func TestChartScale(t *testing.T) {
	tests := []struct {
		name   string
		rates  []string
		floor  int64
		lowest string // the lowest grid label
	}{
		{"rates above the floor keep it", []string{"0.9", "0.78"}, 60, "60%"},
		{"a rate below the floor lowers it to its tens", []string{"0.45", "0.9"}, 60, "40%"},
		{"a scale from zero", []string{"0.05"}, 0, "0%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var points []chartPoint
			for _, r := range tt.rates {
				d, _, _ := apd.NewFromString(r)
				points = append(points, chartPoint{Label: "m", Rate: d})
			}
			c := newChart(wideChart, "c", "t", "d", tt.floor, points, nil)
			if got := c.Grid[0].Label; got != tt.lowest {
				t.Errorf("lowest grid line %s, want %s", got, tt.lowest)
			}
			if top := c.Grid[len(c.Grid)-1]; top.Label != "100%" || top.Y != "16.0" {
				t.Errorf("top grid line %+v, want 100%% at the plot's top", top)
			}
			if bottom := c.Grid[0]; bottom.Y != "220.0" {
				t.Errorf("lowest grid line at %s, want the plot's bottom 220.0", bottom.Y)
			}
		})
	}
}

func TestChartGapsAndEmpty(t *testing.T) {
	d, _, _ := apd.NewFromString("0.5")
	c := newChart(wideChart, "c", "t", "d", 0, []chartPoint{{Label: "a", Rate: d}, {Label: "b"}, {Label: "c", Rate: d}}, nil)
	if strings.Count(c.Line, "M") != 2 || len(c.Dots) != 2 || len(c.Ticks) != 3 {
		t.Errorf("a month without data must break the line: path %q, %d dots, %d ticks", c.Line, len(c.Dots), len(c.Ticks))
	}
	if !newChart(wideChart, "c", "t", "d", 0, []chartPoint{{Label: "a"}}, nil).Empty {
		t.Error("a chart without any rate must say it is empty")
	}
}
