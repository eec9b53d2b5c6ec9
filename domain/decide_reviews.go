package domain

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/wsledger/wsledger/events"
)

func (c *DrawFileReviewSample) decide(d *decision) (any, error) {
	cl := d.s.caseloads[c.Month]
	if cl == nil {
		return nil, notFound("month", "No caseload has been reported for %s; report it before drawing the month's sample.", c.Month)
	}
	if drawnFrom, drawn := d.s.samples[c.Month]; drawn && drawnFrom == cl.seq {
		return nil, conflict("month", "The file review sample of %s has already been drawn from its caseload; a new draw needs a re-reported caseload.", c.Month)
	}
	seed, derived := c.Seed, false
	if seed == "" {
		if c.IdempotencyKey == "" {
			return nil, refuse("seed", "Without a seed, DrawFileReviewSample needs an idempotency_key to derive one from, so that a retry draws the same files.")
		}
		seed, derived = derivedSeed(c.Provider, c.Month, c.IdempotencyKey), true
	}
	n := InternalReviewSampleSize(len(cl.order))
	return events.FileReviewSampleDrawn{
		Month: c.Month, Seed: seed, SeedDerived: derived,
		CaseloadSize: len(cl.order), SampleSize: n,
		CaseIDs: DrawSample(seed, cl.order, n),
	}, nil
}

// derivedSeed makes a sample seed from the command's idempotency key: the draw stays a pure
// function of the command, a retried command draws the same files, and the seed is recorded so
// that an auditor can redraw the sample.
func derivedSeed(provider, month, idempotencyKey string) string {
	sum := sha256.Sum256([]byte("wsledger file review sample\x00" + provider + "\x00" + month + "\x00" + idempotencyKey))
	return hex.EncodeToString(sum[:16])
}

func (c *RecordFileReview) decide(d *decision) (any, error) {
	s := d.s
	if _, dup := s.reviews[c.ReviewID]; dup {
		return nil, conflict("review_id", "File review %s has already been recorded.", c.ReviewID)
	}
	if month, _ := ParseMonth(c.Month); DateOf(d.at).Before(month.First()) {
		return nil, refuse("month", "A review of %s cannot have happened before that month began.", c.Month)
	}
	cl := s.caseloads[c.Month]
	if cl == nil {
		return nil, notFound("month", "No caseload has been reported for %s; a file review must be of a case in the month's caseload.", c.Month)
	}
	k, inCaseload := cl.cases[c.CaseID]
	if !inCaseload {
		return nil, notFound("case_id", "Case %s is not in the caseload reported for %s.", c.CaseID, c.Month)
	}
	reviewerRole, err := checkReviewer(s.rosters[c.Month], c.Month, c.ReviewerID, k.CaseManagerID)
	if err != nil {
		return nil, err
	}
	if err := checkRecorder(s.rosters[c.Month], d.h.Actor.StaffID, k.CaseManagerID); err != nil {
		return nil, err
	}
	if err := checkNewFindings(s, "findings", c.Findings); err != nil {
		return nil, err
	}
	return events.FileReviewRecorded{
		ReviewID: c.ReviewID, Month: c.Month, CaseID: c.CaseID, CaseManagerID: k.CaseManagerID,
		ReviewerID: c.ReviewerID, ReviewerRole: reviewerRole, Findings: nonNil(c.Findings),
	}, nil
}

// checkReviewer applies due diligence B.1 with the month's latest roster: the review is not
// carried out by the person providing the family services (the case manager) nor by a lateral
// colleague (same role level as the case manager), and is completed by a member of management.
func checkReviewer(r *roster, month, reviewerID, caseManagerID string) (string, error) {
	if r == nil {
		return "", notFound("month", "No staff roster has been submitted for %s; the reviewer's role is read from the month's roster, so submit it first.", month)
	}
	reviewer, onRoster := r.staff[reviewerID]
	if !onRoster {
		return "", refuse("reviewer_id", "Reviewer %s is not on the staff roster of %s.", reviewerID, month)
	}
	if reviewerID == caseManagerID {
		return "", refuse("reviewer_id", "Reviewer %s is the file's own case manager; a file must be reviewed by someone other than the person providing the family services (due diligence B.1).", reviewerID)
	}
	manager, cmOnRoster := r.staff[caseManagerID]
	if !cmOnRoster {
		return "", refuse("reviewer_id", "The file's case manager %s is not on the staff roster of %s, so the reviewer's independence cannot be checked.", caseManagerID, month)
	}
	if reviewer.Role == manager.Role {
		return "", refuse("reviewer_id", "Reviewer %s is a lateral colleague of the file's case manager %s (both %s); a lateral colleague may not review the file (due diligence B.1).", reviewerID, caseManagerID, reviewer.Role)
	}
	if !IsManagement(reviewer.Role) {
		return "", refuse("reviewer_id", "Reviewer %s is a %s, not a member of management (supervisor or program_manager); file reviews must be completed by management (due diligence B.1).", reviewerID, reviewer.Role)
	}
	return reviewer.Role, nil
}

// checkRecorder holds whoever records a review to due diligence B.1's independence, not only the
// reviewer it names: the recorder is neither the file's case manager nor a lateral colleague of
// theirs (same role on the month's roster, which checkReviewer has found to hold both the
// reviewer and the case manager). A recorder not on the roster, such as an administrator entering
// the review, is nobody's colleague.
func checkRecorder(r *roster, recorderID, caseManagerID string) error {
	if recorderID == caseManagerID {
		return refuse("actor.staff_id", "%s is the file's own case manager and may not record its review, whoever is named as reviewer (due diligence B.1).", recorderID)
	}
	recorder, onRoster := r.staff[recorderID]
	if manager := r.staff[caseManagerID]; onRoster && recorder.Role == manager.Role {
		return refuse("actor.staff_id", "%s is a lateral colleague of the file's case manager %s (both %s) and may not record its review, whoever is named as reviewer (due diligence B.1).", recorderID, caseManagerID, recorder.Role)
	}
	return nil
}

// checkNewFindings refuses a finding id the provider has used before: finding ids name one
// finding across file reviews, WSQRs and DPA reports, so that a correction names it alone.
func checkNewFindings(s *State, list string, findings []events.Finding) error {
	for i, f := range findings {
		if old := s.findings[f.FindingID]; old != nil {
			return conflict(at(list, i, "finding_id"), "Finding id %s is already used by %s %s; finding ids must be unique.", f.FindingID, sourceName(old.source), old.sourceID)
		}
	}
	return nil
}

func sourceName(source string) string {
	switch source {
	case events.SourceFileReview:
		return "file review"
	case events.SourceWSQR:
		return "WSQR"
	}
	return "DPA report"
}

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func (c *CompleteCorrection) decide(d *decision) (any, error) {
	f := d.s.findings[c.FindingID]
	switch {
	case f == nil:
		return nil, notFound("finding_id", "Finding %s is not known: no file review, WSQR or DPA report recorded it.", c.FindingID)
	case !f.negative:
		return nil, conflict("finding_id", "Finding %s is not negative, so there is nothing to correct.", c.FindingID)
	case !f.corrected.IsZero():
		return nil, conflict("finding_id", "Finding %s has already been corrected.", c.FindingID)
	}
	if err := notBefore(d, f.openedAt, "finding "+c.FindingID+" was identified"); err != nil {
		return nil, err
	}
	return events.CorrectionCompleted{FindingID: c.FindingID, Source: f.source, SourceID: f.sourceID, Note: c.Note}, nil
}
