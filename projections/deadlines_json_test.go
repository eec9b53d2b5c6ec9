package projections

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// encodingJSON is what the API answered with before AppendJSON: encoding/json with HTML
// escaping off, without the encoder's closing newline.
func encodingJSON(t testing.TB, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func TestDeadlinesAppendJSONMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2026, 3, 9, 17, 0, 0, 123456789, time.UTC)
	full := Deadline{
		ID: "ob-1", Kind: domain.ObligationCorrection, Subject: "finding f-1", Owner: "cm7", Source: "review r-1",
		OpenedAt: at.Add(-time.Hour), Due: at, MetAt: at.Add(time.Minute), Status: domain.StatusMetLate,
		LateSeconds: 60, Late: "1m", Required: 12, Done: 3, Note: "tab\t \"quoted\" <b> & ünïcödé \u2028 \xff",
		Warning: "late <list>", Remarks: []string{"one", "two \"2\""},
	}
	for _, tc := range []struct {
		name string
		d    Deadlines
	}{
		{"zero", Deadlines{}},
		{"empty items", Deadlines{Provider: "p1", At: at, Items: []Deadline{}}},
		{"every field", Deadlines{
			Provider: "p1", At: at, Counts: StatusCounts{1, 2, 3, 4, 5, 6}, Matched: 7,
			Items: []Deadline{full, {ID: "ob-2", Status: domain.StatusOpen, LateSeconds: -5}}, Next: "ob-2",
		}},
		{"an offset zone", Deadlines{At: at.In(time.FixedZone("AKST", -9*3600)), Items: []Deadline{{Due: at.In(time.FixedZone("", 5*3600+1800))}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.d.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := encodingJSON(t, tc.d); !bytes.Equal(got, want) {
				t.Errorf("AppendJSON:\n%s\nencoding/json:\n%s", got, want)
			}
		})
	}
}

func TestDeadlinesAppendJSONRefusesYearsJSONCannotWrite(t *testing.T) {
	d := Deadlines{Items: []Deadline{{Due: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	if _, err := d.AppendJSON(nil); err == nil {
		t.Fatal("AppendJSON wrote a year encoding/json refuses")
	}
	if _, err := json.Marshal(d); err == nil {
		t.Fatal("encoding/json wrote the year 10000")
	}
}

func FuzzDeadlinesAppendJSONMatchesEncodingJSON(f *testing.F) {
	f.Add("p1", "ob-1", "kind", "subject", "owner", "source", "late", "note", int64(0), int64(1), int64(2), int64(3), 4, 5)
	f.Add("", "\x00\"\\", "é", "\u2028", "<&>", "\xff\xfe", "", "日本", int64(-1), int64(1<<40), int64(-1<<40), int64(0), -1, 0)
	f.Fuzz(func(t *testing.T, provider, id, kind, subject, owner, source, late, note string, at, due, met, lateSeconds int64, required, done int) {
		instant := func(n int64) time.Time { return time.Unix(0, n%(1<<62)).UTC() }
		d := Deadlines{
			Provider: provider, At: instant(at), Counts: StatusCounts{required, done, 0, -done, 1, required - done}, Matched: done,
			Items: []Deadline{{
				ID: id, Kind: kind, Subject: subject, Owner: owner, Source: source, OpenedAt: instant(at),
				Due: instant(due), MetAt: instant(met), Status: domain.Status(late), LateSeconds: lateSeconds,
				Late: late, Required: required, Done: done, Note: note, Warning: owner, Remarks: []string{note, source},
			}},
			Next: note,
		}
		if met%3 == 0 {
			d.Items[0].MetAt = time.Time{}
		}
		got, err := d.AppendJSON(nil)
		if err != nil {
			if _, jerr := json.Marshal(d); jerr == nil {
				t.Fatalf("AppendJSON refused what encoding/json writes: %v", err)
			}
			return
		}
		if want := encodingJSON(t, d); !bytes.Equal(got, want) {
			t.Errorf("AppendJSON:\n%s\nencoding/json:\n%s", got, want)
		}
	})
}
