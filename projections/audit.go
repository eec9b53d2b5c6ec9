package projections

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// AuditFilter selects the events of an audit trail. The zero filter selects every event.
type AuditFilter struct {
	// From and To bound the period, both inclusive; a zero bound is open.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// Clock is the instant the period applies to: events.Recorded (the default) or events.Occurred.
	Clock events.Clock `json:"clock,omitempty"`
	// Types keeps only events of these types; empty keeps every type.
	Types []string `json:"types,omitempty"`
}

// Verification states of an audit entry. The first damaged event carries instead the kind of
// damage events.Verify names (modified, removed, inserted, reordered).
const (
	// Verified: the event and every event before it are as the ledger wrote them.
	Verified = "ok"
	// Unverified: an earlier event is damaged, so nothing after it can be vouched for.
	Unverified = "unverified"
)

// AuditEntry is one event of a provider's history as the ledger stores it (payload included) with
// its verification state, and whether it was a late entry: recorded at or after the end of the
// business day after its occurred_at, EntryLagBusinessDays after it (domain.Policy.EntryLag).
type AuditEntry struct {
	events.Envelope
	Verification         string `json:"verification"`
	EnteredLate          bool   `json:"entered_late"`
	EntryLagBusinessDays int    `json:"entry_lag_business_days"`
}

// AuditTrail is a provider's history in log order with both clocks, actors, hashes and the
// verification of each event. It reads the log itself, so it is never behind it. Its payloads
// are the ledger's own and hold client numbers where the manual requires them: serve it to
// auditors and management only.
type AuditTrail struct {
	Provider string         `json:"provider"`
	Filter   AuditFilter    `json:"filter"`
	Intact   bool           `json:"intact"`
	Tamper   *events.Tamper `json:"tamper,omitempty"` // the first damage events.Verify found
	Entries  []AuditEntry   `json:"entries"`
}

// Audit verifies a provider's history with events.Verify and lists the events the filter selects:
// each is "ok" before the first damaged event, which carries the kind of damage, and
// "unverified" after it.
func (v *Views) Audit(ctx context.Context, provider string, f AuditFilter) (AuditTrail, error) {
	if err := events.CheckProvider(provider); err != nil {
		return AuditTrail{}, err
	}
	if f.Clock == "" {
		f.Clock = events.Recorded
	}
	if f.Clock != events.Recorded && f.Clock != events.Occurred {
		return AuditTrail{}, events.Errorf(events.Invalid, "clock", "The clock must be %q or %q.", events.Recorded, events.Occurred)
	}
	report, err := events.Verify(ctx, v.log, provider, nil)
	if err != nil {
		return AuditTrail{}, err
	}
	a := AuditTrail{Provider: provider, Filter: f, Intact: report.Intact, Tamper: report.Tamper, Entries: []AuditEntry{}}
	policy := v.policy // until the history records its settings
	for e, err := range v.log.Read(ctx, events.ReadOptions{Provider: provider, AsOf: f.To, Clock: f.Clock}) {
		var corrupt *events.CorruptEvent
		if err != nil && !errors.As(err, &corrupt) {
			return AuditTrail{}, err
		}
		if err == nil && e.Type == events.TypePolicySettingsRecorded {
			if p, derr := events.Decode(e); derr == nil {
				policy = domain.PolicyOf(p.(events.PolicySettingsRecorded))
			}
		}
		if err == nil && !f.selects(&e) {
			continue
		}
		entry := AuditEntry{Envelope: e, Verification: verification(report.Tamper, e.Sequence)}
		if err == nil {
			entry.EntryLagBusinessDays, entry.EnteredLate = policy.EntryLag(e.OccurredAt, e.RecordedAt)
		}
		a.Entries = append(a.Entries, entry)
	}
	return a, nil
}

func (f *AuditFilter) selects(e *events.Envelope) bool {
	at := e.RecordedAt
	if f.Clock == events.Occurred {
		at = e.OccurredAt
	}
	switch {
	case !f.From.IsZero() && at.Before(f.From):
		return false
	case !f.To.IsZero() && at.After(f.To):
		return false
	}
	return len(f.Types) == 0 || slices.Contains(f.Types, e.Type)
}

func verification(t *events.Tamper, seq uint64) string {
	switch {
	case t == nil || seq < t.Sequence:
		return Verified
	case seq == t.Sequence:
		return t.Kind
	}
	return Unverified
}

// auditColumns are the CSV columns: every envelope field but the payload.
var auditColumns = []string{"sequence", "position", "id", "type", "version", "occurred_at", "recorded_at",
	"staff_id", "role", "aggregate_kind", "aggregate", "idempotency_key", "prev_hash", "hash", "verification",
	"entered_late", "entry_lag_business_days"}

// WriteCSV writes the trail as CSV with a header row: every envelope field but the payload,
// instants in UTC RFC 3339.
func (a AuditTrail) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(auditColumns); err != nil {
		return err
	}
	for _, x := range a.Entries {
		e := &x.Envelope
		err := cw.Write([]string{
			strconv.FormatUint(e.Sequence, 10), strconv.FormatUint(e.Position, 10), e.ID, e.Type, strconv.Itoa(e.Version),
			csvTime(e.OccurredAt), csvTime(e.RecordedAt), e.Actor.StaffID, e.Actor.Role, e.AggregateKind, e.Aggregate,
			e.IdempotencyKey, e.PrevHash, e.Hash, x.Verification, strconv.FormatBool(x.EnteredLate), strconv.Itoa(x.EntryLagBusinessDays),
		})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(events.TimeFormat)
}

// WriteJSONL writes one JSON object per line: the whole event with its verification state, so
// that an auditor can recompute every hash from the export alone.
func (a AuditTrail) WriteJSONL(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, x := range a.Entries {
		if err := enc.Encode(x); err != nil {
			return err
		}
	}
	return nil
}

// WriteText renders the trail as a table, times in Alaska and hashes shortened.
func (a AuditTrail) WriteText(w io.Writer) error {
	state := "intact"
	if !a.Intact && a.Tamper != nil {
		state = fmt.Sprintf("DAMAGED: %s at sequence %d: %s", a.Tamper.Kind, a.Tamper.Sequence, a.Tamper.Message)
	}
	t := &table{
		title: fmt.Sprintf("Audit trail of %s (%d events shown; history %s)", a.Provider, len(a.Entries), state),
		head:  []string{"SEQ", "POS", "TYPE", "OCCURRED", "RECORDED", "LATE ENTRY", "ACTOR", "HASH", "VERIFIED"},
	}
	for _, x := range a.Entries {
		late := "-"
		if x.EnteredLate {
			late = fmt.Sprintf("yes, %d business days", x.EntryLagBusinessDays)
		}
		t.add(strconv.FormatUint(x.Sequence, 10), strconv.FormatUint(x.Position, 10), x.Type, localTime(x.OccurredAt), localTime(x.RecordedAt),
			late, x.Actor.StaffID+" ("+x.Actor.Role+")", short(x.Hash), x.Verification)
	}
	return t.write(w)
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}
