package domain_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/wsledger/wsledger/domain"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// renderObligations writes obligations as a table in Anchorage time, for golden files.
func renderObligations(obs []domain.Obligation, now time.Time, p domain.Policy) []byte {
	var b bytes.Buffer
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	local := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.In(domain.Anchorage).Format("2006-01-02 15:04")
	}
	fmt.Fprintf(w, "as of %s\n", local(now))
	fmt.Fprintln(w, "id\tstatus\tlate\towner\topened\tdue\tmet\tdone\tsource\tnote")
	for _, o := range obs {
		late, done := "-", "-"
		if l := o.Late(now); l > 0 {
			late = l.Round(time.Minute).String()
		}
		if o.Kind == domain.ObligationFileReview {
			done = fmt.Sprintf("%d/%d", o.Done, o.Required)
		}
		owner := o.Owner
		if owner == "" {
			owner = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, o.Status(now, p), late, owner,
			local(o.OpenedAt), local(o.Due), local(o.MetAt), done, o.Source, o.Note)
	}
	w.Flush()
	return b.Bytes()
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", path, got)
	}
}

// marchScenario is three months of a provider's life, as of Friday 20 March 2026 at noon.
func marchScenario(t *testing.T) *testLedger {
	l := fixture(t)
	for _, js := range []string{
		pm("SubmitStaffRoster", `"month":"2026-02","staff":[{"staff_id":"pm1","name":"Pat","role":"program_manager"}],`+occurred("2026-02-27T16:00:00")),
		pm("SubmitReport", `"kind":"performance_invoice","period":"2026-01","documents":[{"name":"inv-jan.pdf"}],`+occurred("2026-03-02T10:00:00")),
		pm("ReceiveDPAReport", `"report_id":"D1","kind":"inconsistent_data","period":"2026-02","distributed_on":"2026-03-02","selected_cases":["C1"],`+occurred("2026-03-03T08:30:00")),
		pm("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","response_due":"2026-03-27","findings":[{"finding_id":"W1-1","category":"cms","negative":true},{"finding_id":"W1-2","category":"engagement","negative":false}],"work_verification":{"correct":78,"reviewed":100},`+occurred("2026-03-05T14:00:00")),
		withOccurred(review("R1", "C1", "pm1", negativeF1), "2026-03-10T11:00:00"),
		cm("LearnCircumstanceChange", `"change_id":"X1","client_number":"12345678","description":"started work",`+occurred("2026-03-12T15:00:00")),
		pm("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"verified"}],`+occurred("2026-03-13T09:00:00")),
		cm("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"s",`+occurred("2026-03-16T10:00:00")),
		cm("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"families_first",`+occurred("2026-03-17T09:00:00")),
		pm("PostPerformanceMeasures", `"period":"2026-02","measures":[{"measure":"m1","numerator":3,"denominator":4}],`+occurred("2026-03-17T09:00:00")),
		cm("ReturnClientCall", `"concern_id":"K1",`+occurred("2026-03-18T09:00:00")),
		cm("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-18","summary":"s","level":"case_manager",`+occurred("2026-03-18T10:00:00")),
		cm("DiscloseEmergency", `"emergency_id":"E2","client_number":"12345678","track":"work_first",`+occurred("2026-03-18T11:00:00")),
		cm("SeeEmergencyClient", `"emergency_id":"E1",`+occurred("2026-03-18T14:00:00")),
		cm("ReceiveClientCall", `"concern_id":"K2","client_number":"12345678","summary":"s",`+occurred("2026-03-19T10:00:00")),
		cm("ReceiveWSTARecommendation", `"concern_id":"K2","recommendation_id":"REC1","recommendations":["r"],`+occurred("2026-03-19T13:00:00")),
	} {
		l.do(js)
	}
	return l
}

func TestObligationsGolden(t *testing.T) {
	l := marchScenario(t)
	b := bookOf(t, l)
	checkGolden(t, "obligations_2026-03-20.golden", renderObligations(b.Obligations(l.now), l.now, l.policy))
	// The same book as of the end of April: a later instant, nothing else changed.
	later := mustTime("2026-04-30T17:00:00")
	checkGolden(t, "obligations_2026-04-30.golden", renderObligations(b.Obligations(later), later, l.policy))
}
