package projections

import (
	"fmt"
	"io"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// Accuracy is a provider's work-verification accuracy per WSQR, in the order of the periods they
// review, and its monthly performance-confirmation status over time: the status the ledger
// computes with domain.ConfirmationRequired (enter at 79% or lower, leave at 80% or higher) over
// the WSQRs in period order, beside the one WSTA confirmed.
type Accuracy struct {
	Provider string             `json:"provider"`
	Reviews  []WSQRAccuracy     `json:"reviews"`
	Timeline []ConfirmationStep `json:"timeline"`
	Status   ConfirmationStatus `json:"status"`
}

// WSQRAccuracy is one WSQR's work verification.
type WSQRAccuracy struct {
	WSQRID   string    `json:"wsqr_id"`
	Period   string    `json:"period"`
	At       time.Time `json:"at"`
	Correct  int64     `json:"correct"`
	Reviewed int64     `json:"reviewed"`
	Accuracy string    `json:"accuracy"` // correct/reviewed, exact
	Percent  string    `json:"percent"`  // rounded half up to one decimal place
	// Before and Required are the computed status before and after the review; RecordedRequired
	// is what the event recorded when the findings were received.
	Before           bool      `json:"before"`
	Required         bool      `json:"required"`
	RecordedRequired bool      `json:"recorded_required"`
	ResponseDue      string    `json:"response_due"`
	RespondedAt      time.Time `json:"responded_at,omitzero"`
	NegativeFindings int       `json:"negative_findings"`
}

// ConfirmationStep is one change bearing on performance confirmation, in log order: a WSQR
// (Source "wsqr") or WSTA's confirmation (Source "wsta"), with both statuses after it.
type ConfirmationStep struct {
	At     time.Time `json:"at"`
	Source string    `json:"source"`
	WSQRID string    `json:"wsqr_id,omitempty"`
	ConfirmationStatus
}

// ConfirmationStatus is the computed performance-confirmation status beside WSTA's. WSTA is the
// state WSTA last confirmed, "started" or "ceased", or "" before any confirmation (read as not
// under confirmation). Agrees is false while the two differ, including while a computed change
// waits for WSTA's confirmation.
type ConfirmationStatus struct {
	Computed bool   `json:"computed"`
	WSTA     string `json:"wsta,omitempty"`
	Agrees   bool   `json:"agrees"`
}

func newConfirmationStatus(computed bool, wsta string) ConfirmationStatus {
	return ConfirmationStatus{Computed: computed, WSTA: wsta, Agrees: computed == (wsta == events.ConfirmationStarted)}
}

// percentPlaces is how many decimal places rendered percentages keep (domain.Percent rounds
// half up); exact ratios are given beside them.
const percentPlaces = 1

func percent(r *apd.Decimal) string { return domain.Percent(r, percentPlaces) }

func (m *model) accuracy() Accuracy {
	a := Accuracy{Provider: m.st.Provider, Reviews: []WSQRAccuracy{}, Timeline: []ConfirmationStep{}}
	for _, i := range m.wsqrsByPeriod() {
		w := m.st.WSQRs[i]
		r, _ := domain.Ratio(w.Correct, w.Reviewed)
		a.Reviews = append(a.Reviews, WSQRAccuracy{
			WSQRID: w.ID, Period: w.Period, At: w.At, Correct: w.Correct, Reviewed: w.Reviewed,
			Accuracy: w.Accuracy, Percent: percent(r), Before: w.Before, Required: w.Required, RecordedRequired: w.Recorded,
			ResponseDue: w.ResponseDue, RespondedAt: w.RespondedAt, NegativeFindings: w.Negative,
		})
	}
	wsta := ""
	for _, s := range m.st.Confirmation {
		if s.Source == stepWSTA {
			wsta = s.State
		}
		a.Timeline = append(a.Timeline, ConfirmationStep{At: s.At, Source: s.Source, WSQRID: s.WSQRID, ConfirmationStatus: newConfirmationStatus(s.Computed, wsta)})
	}
	a.Status = newConfirmationStatus(m.confirmationRequired(), wsta)
	return a
}

// WriteText renders the accuracy per WSQR and the confirmation timeline.
func (a Accuracy) WriteText(w io.Writer) error {
	reviews := &table{
		title: "Work-verification accuracy of " + a.Provider + " (percentages rounded half up to one place)",
		head:  []string{"WSQR", "PERIOD", "RECEIVED", "CORRECT", "REVIEWED", "ACCURACY", "CONFIRMATION BEFORE", "AFTER"},
	}
	for _, r := range a.Reviews {
		reviews.add(r.WSQRID, r.Period, localTime(r.At), fmt.Sprint(r.Correct), fmt.Sprint(r.Reviewed), r.Percent, required(r.Before), required(r.Required))
	}
	timeline := &table{
		title: fmt.Sprintf("Performance confirmation: computed %s, WSTA %s, %s", required(a.Status.Computed), orDash(a.Status.WSTA), agreement(a.Status.Agrees)),
		head:  []string{"AT", "SOURCE", "WSQR", "COMPUTED", "WSTA", "AGREE"},
	}
	for _, s := range a.Timeline {
		timeline.add(localTime(s.At), s.Source, orDash(s.WSQRID), required(s.Computed), orDash(s.WSTA), yesNo(s.Agrees))
	}
	return writeTables(w, reviews, timeline)
}

func required(b bool) string {
	if b {
		return "required"
	}
	return "not required"
}

func agreement(b bool) string {
	if b {
		return "in agreement"
	}
	return "DISAGREE"
}
