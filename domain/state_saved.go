package domain

import (
	"maps"
	"slices"
	"time"

	"github.com/wsledger/wsledger/events"
)

// A State's saved form lets a read model keep a provider's state without the events it was built
// from. It holds every record State keeps, as plain values: the many records of concerns and
// client duties as lists sorted by id, the rest in maps or in log order, so that the same events
// always give the same saved form (package wire writes it as JSON, map keys sorted), and a
// restored State decides and derives obligations exactly as the one saved.

// SavedMark is a mark (when something happened, when it was recorded); a saved form leaves it
// out while zero.
type SavedMark struct {
	At       time.Time `json:"at"`
	Recorded time.Time `json:"recorded"`
}

// IsZero reports a mark not yet made.
func (m SavedMark) IsZero() bool { return m.At.IsZero() }

func saveMark(m mark) SavedMark   { return SavedMark{m.at, m.recorded} }
func (m SavedMark) restore() mark { return mark{m.At, m.Recorded} }

// SavedState is State's saved form.
type SavedState struct {
	Provider        string                       `json:"provider"`
	Seq             uint64                       `json:"seq"`
	Versions        map[string]map[string]uint64 `json:"versions"` // aggregate kind -> aggregate id -> sequence
	RegisteredAt    time.Time                    `json:"registered_at,omitzero"`
	Rosters         map[string]SavedRoster       `json:"rosters"`
	Caseloads       map[string]SavedCaseload     `json:"caseloads"`
	Samples         map[string]uint64            `json:"samples"`
	Reviews         map[string][]SavedReview     `json:"reviews"`  // by month, in log order
	Findings        []SavedFinding               `json:"findings"` // in the order first recorded
	WSQRs           map[string]SavedWSQR         `json:"wsqrs"`
	Confirmation    bool                         `json:"confirmation"`
	Confirmations   []SavedConfirmation          `json:"confirmations,omitempty"` // WSTA's, in log order
	Settings        []SavedSettings              `json:"settings,omitempty"`      // in log order
	Concerns        []SavedConcern               `json:"concerns"`                // by id
	Recommendations []SavedRecommendation        `json:"recommendations"`         // by id
	Emergencies     []SavedDuty                  `json:"emergencies"`             // by id
	Changes         []SavedDuty                  `json:"changes"`                 // by id
	DPAReports      map[string]SavedDPAReport    `json:"dpa_reports"`
	Measures        map[string]time.Time         `json:"measures"`
	Reports         map[string]SavedMark         `json:"reports"`
}

// SavedRoster is a month's roster: its staff by id, and when it was first submitted.
type SavedRoster struct {
	Staff []events.StaffMember `json:"staff"` // by staff id
	First SavedMark            `json:"first"`
}

// SavedCaseload is a month's latest caseload: its cases as reported, the sequence of the
// report, and when the month was first reported.
type SavedCaseload struct {
	Cases    []events.Case `json:"cases"` // as reported
	Seq      uint64        `json:"seq"`
	Reported SavedMark     `json:"reported"`
}

// SavedReview is one file review of a month. Replaced marks a review whose id a later review of
// the ledger took over: it still counts for its month, and is no longer found by its id.
type SavedReview struct {
	ID       string    `json:"id"`
	CaseID   string    `json:"case_id"`
	At       time.Time `json:"at"`
	Recorded time.Time `json:"recorded"`
	Replaced bool      `json:"replaced,omitzero"`
}

// SavedFinding is a finding of a file review, a WSQR or a DPA report, with its correction.
type SavedFinding struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"`
	SourceID  string    `json:"source_id"`
	Negative  bool      `json:"negative"`
	Owner     string    `json:"owner"`
	OpenedAt  time.Time `json:"opened_at"`
	Corrected SavedMark `json:"corrected,omitzero"`
}

// SavedSettings are policy settings recorded in the history, in force from At.
type SavedSettings struct {
	At       time.Time                     `json:"at"`
	Settings events.PolicySettingsRecorded `json:"settings"`
}

// SavedConfirmation is WSTA's confirmation that performance confirmation started or ceased.
type SavedConfirmation struct {
	At      time.Time `json:"at"`
	Started bool      `json:"started"`
}

// SavedWSQR is a WSQR: its findings, accuracy and the response it awaits.
type SavedWSQR struct {
	Period      string    `json:"period"`
	Accuracy    string    `json:"accuracy"`
	Seq         uint64    `json:"seq"`
	Findings    []string  `json:"findings"`
	Negative    []string  `json:"negative"`
	ResponseDue string    `json:"response_due"`
	Owner       string    `json:"owner"`
	OpenedAt    time.Time `json:"opened_at"`
	Responded   SavedMark `json:"responded,omitzero"`
}

// SavedConcern is a client concern and every duty it opened.
type SavedConcern struct {
	ID           string    `json:"id"`
	ClientNumber string    `json:"client_number"`
	Channel      string    `json:"channel"`
	Referred     bool      `json:"referred,omitzero"`
	Owner        string    `json:"owner"`
	ReceivedAt   time.Time `json:"received_at"`
	Returned     SavedMark `json:"returned,omitzero"`
	Resolved     SavedMark `json:"resolved,omitzero"`
	NoticeMode   string    `json:"notice_mode,omitempty"`
	Notice       SavedMark `json:"notice,omitzero"`
	MessageID    string    `json:"message_id,omitempty"`
	UnresolvedAt time.Time `json:"unresolved_at,omitzero"`
	Forwarded    SavedMark `json:"forwarded,omitzero"`
}

// SavedRecommendation is WSTA's recommendation on a concern and its implementation.
type SavedRecommendation struct {
	ID          string    `json:"id"`
	ConcernID   string    `json:"concern_id"`
	Owner       string    `json:"owner"`
	ReceivedAt  time.Time `json:"received_at"`
	Implemented SavedMark `json:"implemented,omitzero"`
}

// SavedDuty is an emergency or a change of circumstances and the duty it opened.
type SavedDuty struct {
	ID       string    `json:"id"`
	Owner    string    `json:"owner"`
	OpenedAt time.Time `json:"opened_at"`
	Met      SavedMark `json:"met,omitzero"`
}

// SavedDPAReport is a report DPA sent and the response it awaits.
type SavedDPAReport struct {
	Remarks       []string  `json:"remarks,omitempty"`
	Kind          string    `json:"kind"`
	Period        string    `json:"period"`
	DistributedOn string    `json:"distributed_on,omitempty"`
	Selected      []string  `json:"selected,omitempty"`
	Owner         string    `json:"owner"`
	ReceivedAt    time.Time `json:"received_at"`
	Responded     SavedMark `json:"responded,omitzero"`
}

// Saved returns the state's saved form, which shares lists with the state: it is for writing
// out, not for changing.
func (s *State) Saved() *SavedState {
	v := &SavedState{
		Provider: s.provider, Seq: s.seq, Versions: map[string]map[string]uint64{}, RegisteredAt: s.registeredAt,
		Rosters: make(map[string]SavedRoster, len(s.rosters)), Caseloads: make(map[string]SavedCaseload, len(s.caseloads)),
		Samples: maps.Clone(s.samples), Reviews: s.savedReviews(), Findings: make([]SavedFinding, 0, len(s.findingOrder)),
		WSQRs: make(map[string]SavedWSQR, len(s.wsqrs)), Confirmation: s.confirmation,
		Concerns:        byID(s.concerns, (*concernRecord).saved),
		Recommendations: byID(s.recommendations, (*recommendationRecord).saved),
		Emergencies:     byID(s.emergencies, (*clientDuty).saved),
		Changes:         byID(s.changes, (*clientDuty).saved),
		DPAReports:      make(map[string]SavedDPAReport, len(s.dpaReports)),
		Measures:        maps.Clone(s.measures), Reports: make(map[string]SavedMark, len(s.reports)),
	}
	for k, seq := range s.versions {
		if v.Versions[k.kind] == nil {
			v.Versions[k.kind] = map[string]uint64{}
		}
		v.Versions[k.kind][k.id] = seq
	}
	for month, r := range s.rosters {
		staff := make([]events.StaffMember, 0, len(r.staff))
		for _, id := range slices.Sorted(maps.Keys(r.staff)) {
			staff = append(staff, r.staff[id])
		}
		v.Rosters[month] = SavedRoster{Staff: staff, First: saveMark(r.first)}
	}
	for month, c := range s.caseloads {
		cases := make([]events.Case, len(c.order))
		for i, id := range c.order {
			cases[i] = c.cases[id]
		}
		v.Caseloads[month] = SavedCaseload{Cases: cases, Seq: c.seq, Reported: saveMark(c.reported)}
	}
	for _, id := range s.findingOrder {
		f := s.findings[id]
		v.Findings = append(v.Findings, SavedFinding{ID: f.id, Source: f.source, SourceID: f.sourceID, Negative: f.negative,
			Owner: f.owner, OpenedAt: f.openedAt, Corrected: saveMark(f.corrected)})
	}
	for id, w := range s.wsqrs {
		v.WSQRs[id] = SavedWSQR{Period: w.period, Accuracy: w.accuracy, Seq: w.seq, Findings: w.findings, Negative: w.negative, ResponseDue: w.responseDue, Owner: w.owner,
			OpenedAt: w.openedAt, Responded: saveMark(w.responded)}
	}
	for id, r := range s.dpaReports {
		v.DPAReports[id] = SavedDPAReport{Remarks: r.remarks, Kind: r.kind, Period: r.period, DistributedOn: r.distributedOn, Selected: r.selected,
			Owner: r.owner, ReceivedAt: r.receivedAt, Responded: saveMark(r.responded)}
	}
	for k, m := range s.reports {
		v.Reports[k] = saveMark(m)
	}
	for _, r := range s.settings {
		v.Settings = append(v.Settings, SavedSettings{At: r.at, Settings: r.policy.Settings()})
	}
	for _, c := range s.confirmations {
		v.Confirmations = append(v.Confirmations, SavedConfirmation{At: c.at, Started: c.started})
	}
	return v
}

// savedReviews returns each month's reviews in log order, marking those no longer found by id.
func (s *State) savedReviews() map[string][]SavedReview {
	ids := make(map[*reviewRecord]string, len(s.reviews))
	for id, r := range s.reviews {
		ids[r] = id
	}
	out := make(map[string][]SavedReview, len(s.monthReviews))
	for month, rs := range s.monthReviews {
		saved := make([]SavedReview, len(rs))
		for i, r := range rs {
			id, current := ids[r]
			saved[i] = SavedReview{ID: id, CaseID: r.caseID, At: r.at, Recorded: r.recorded, Replaced: !current}
		}
		out[month] = saved
	}
	return out
}

// RestoreState returns the state a saved form holds.
func RestoreState(v *SavedState) *State {
	s := NewState(v.Provider)
	s.seq, s.registeredAt, s.confirmation = v.Seq, v.RegisteredAt, v.Confirmation
	t := texts{}
	for kind, ids := range v.Versions {
		for id, seq := range ids {
			s.versions[aggregateKey{kind, id}] = seq
		}
	}
	for month, r := range v.Rosters {
		s.applyRoster(events.StaffRosterSubmitted{Month: month, Staff: r.Staff}, r.First.restore())
	}
	for month, c := range v.Caseloads {
		for i := range c.Cases {
			k := &c.Cases[i]
			k.CaseID, k.FamilyType, k.CaseManagerID = t.of(k.CaseID), t.of(k.FamilyType), t.of(k.CaseManagerID)
		}
		s.applyCaseload(events.CaseloadReported{Month: month, Cases: c.Cases}, c.Seq, c.Reported.restore())
	}
	for month, rs := range v.Reviews {
		for _, saved := range rs {
			r := &reviewRecord{month: month, caseID: t.of(saved.CaseID), at: saved.At, recorded: saved.Recorded}
			s.monthReviews[month] = append(s.monthReviews[month], r)
			if !saved.Replaced {
				s.reviews[saved.ID] = r
			}
		}
	}
	for _, f := range v.Findings {
		s.findings[f.ID] = &findingRecord{id: f.ID, source: t.of(f.Source), sourceID: f.SourceID, negative: f.Negative,
			owner: t.of(f.Owner), openedAt: f.OpenedAt, corrected: f.Corrected.restore()}
		s.findingOrder = append(s.findingOrder, f.ID)
	}
	for id, w := range v.WSQRs {
		s.wsqrs[id] = &wsqrRecord{period: w.Period, accuracy: w.Accuracy, seq: w.Seq, findings: w.Findings, negative: w.Negative, responseDue: w.ResponseDue, owner: w.Owner,
			openedAt: w.OpenedAt, responded: w.Responded.restore()}
	}
	for id, r := range v.DPAReports {
		s.dpaReports[id] = &dpaReportRecord{remarks: r.Remarks, kind: r.Kind, period: r.Period, distributedOn: r.DistributedOn, selected: r.Selected,
			owner: r.Owner, receivedAt: r.ReceivedAt, responded: r.Responded.restore()}
	}
	for _, r := range v.Settings {
		s.settings = append(s.settings, settingsRecord{at: r.At, policy: PolicyOf(r.Settings)})
	}
	for _, c := range v.Confirmations {
		s.confirmations = append(s.confirmations, wstaConfirmation{at: c.At, started: c.Started})
	}
	maps.Copy(s.samples, v.Samples)
	index(s.concerns, v.Concerns, t, SavedConcern.record)
	index(s.recommendations, v.Recommendations, t, SavedRecommendation.record)
	index(s.emergencies, v.Emergencies, t, SavedDuty.record)
	index(s.changes, v.Changes, t, SavedDuty.record)
	for k, t := range v.Measures {
		s.measures[k] = t
	}
	for k, m := range v.Reports {
		s.reports[k] = m.restore()
	}
	return s
}

// Saved returns the saved form of the book's state. The policy is not saved: a book is restored
// into one NewBook made under the policy it is to be judged by.
func (b *Book) Saved() *SavedState { return b.state.Saved() }

// Restore replaces the book's state with the one a saved form holds, which must be the book's
// own provider's.
func (b *Book) Restore(v *SavedState) error {
	if v.Provider != b.state.provider {
		return events.Errorf(events.Invalid, "provider", "The saved state is provider %s's, not %s's.", v.Provider, b.state.provider)
	}
	b.state = RestoreState(v)
	return nil
}

// EvolveDecoded is Evolve for an event whose payload the caller has already decoded with
// events.Decode, so that it is not decoded twice; payload must be what events.Decode returned
// for e, or the Value of the Decide draft e was appended from (which is the same).
func (s *State) EvolveDecoded(e events.Envelope, payload any) error {
	return s.evolveDecoded(e, payload, true)
}

// ApplyDecoded is Apply for an event whose payload the caller has already decoded with
// events.Decode (see State.EvolveDecoded). Obligations do not depend on aggregate versions, which
// only deciding needs, so a book applying events this way does not keep them: a read model
// holding a book per provider spares a map entry per aggregate.
func (b *Book) ApplyDecoded(e events.Envelope, payload any) error {
	return b.state.evolveDecoded(e, payload, false)
}

// evolveDecoded applies an event with its decoded payload, and notes it as its aggregate's
// version when versions is set.
func (s *State) evolveDecoded(e events.Envelope, payload any, versions bool) error {
	if e.Provider != s.provider {
		return events.Errorf(events.Internal, "", "Event %s belongs to provider %s, not to %s.", e.ID, e.Provider, s.provider)
	}
	if e.Sequence != 0 && e.Sequence <= s.seq {
		return events.Errorf(events.Internal, "", "Event %s has sequence %d, which is not after the last applied sequence %d.", e.ID, e.Sequence, s.seq)
	}
	s.apply(e, payload)
	if e.Sequence != 0 {
		s.seq = e.Sequence
		if versions {
			s.versions[aggregateKey{e.AggregateKind, e.Aggregate}] = e.Sequence
		}
	}
	return nil
}

func (r *concernRecord) saved(id string) SavedConcern {
	return SavedConcern{ID: id, ClientNumber: r.clientNumber, Channel: r.channel, Referred: r.referred, Owner: r.owner, ReceivedAt: r.receivedAt, Returned: saveMark(r.returned),
		Resolved: saveMark(r.resolved), NoticeMode: r.noticeMode, Notice: saveMark(r.notice), MessageID: r.messageID, UnresolvedAt: r.unresolvedAt, Forwarded: saveMark(r.forwarded)}
}

func (v SavedConcern) record(t texts) (string, *concernRecord) {
	return v.ID, &concernRecord{clientNumber: v.ClientNumber, channel: t.of(v.Channel), referred: v.Referred, owner: t.of(v.Owner), receivedAt: v.ReceivedAt, returned: v.Returned.restore(),
		resolved: v.Resolved.restore(), noticeMode: v.NoticeMode, notice: v.Notice.restore(), messageID: v.MessageID, unresolvedAt: v.UnresolvedAt, forwarded: v.Forwarded.restore()}
}

func (r *recommendationRecord) saved(id string) SavedRecommendation {
	return SavedRecommendation{ID: id, ConcernID: r.concernID, Owner: r.owner, ReceivedAt: r.receivedAt, Implemented: saveMark(r.implemented)}
}

func (v SavedRecommendation) record(t texts) (string, *recommendationRecord) {
	return v.ID, &recommendationRecord{concernID: v.ConcernID, owner: t.of(v.Owner), receivedAt: v.ReceivedAt, implemented: v.Implemented.restore()}
}

func (d *clientDuty) saved(id string) SavedDuty {
	return SavedDuty{ID: id, Owner: d.owner, OpenedAt: d.openedAt, Met: saveMark(d.met)}
}

func (v SavedDuty) record(t texts) (string, *clientDuty) {
	return v.ID, &clientDuty{owner: t.of(v.Owner), openedAt: v.OpenedAt, met: v.Met.restore()}
}

// byID returns the saved form of every record of m, sorted by id.
func byID[R, S any](m map[string]R, save func(R, string) S) []S {
	out := make([]S, 0, len(m))
	for _, id := range slices.Sorted(maps.Keys(m)) {
		out = append(out, save(m[id], id))
	}
	return out
}

// index fills m with the records saved, by id.
func index[S, R any](m map[string]R, saved []S, t texts, record func(S, texts) (string, R)) {
	for _, v := range saved {
		id, r := record(v, t)
		m[id] = r
	}
}

// texts holds one copy of each text that recurs in a saved state (owners, sources, case ids and
// the case managers and family types of caseloads), so that the records restored keep each once,
// where decoding gives every record its own.
type texts map[string]string

func (t texts) of(s string) string {
	if c, ok := t[s]; ok {
		return c
	}
	t[s] = s
	return s
}
