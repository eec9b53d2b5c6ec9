package domain

import (
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/wsledger/wsledger/events"
)

// A State's saved form lets a read model keep a provider's state without the events it was built
// from. It holds every record State keeps; maps are written with their keys sorted, the many
// records of concerns and client duties as lists sorted by id, and the rest in log order, so the
// same events always give the same bytes, and a restored State decides and derives obligations
// exactly as the one saved.

// stamp is an instant as the saved form writes it: RFC 3339 text, as time.Time writes it, through
// encoding.TextMarshaler so that encoding/json does not scan the text again.
type stamp time.Time

func (t stamp) IsZero() bool                  { return time.Time(t).IsZero() }
func (t stamp) MarshalText() ([]byte, error)  { return time.Time(t).MarshalText() }
func (t *stamp) UnmarshalText(b []byte) error { return (*time.Time)(t).UnmarshalText(b) }

// savedMark is a mark as the saved form writes it: left out while zero.
type savedMark struct {
	At       stamp `json:"at"`
	Recorded stamp `json:"recorded"`
}

func (m savedMark) IsZero() bool { return m.At.IsZero() }

func saveMark(m mark) savedMark   { return savedMark{stamp(m.at), stamp(m.recorded)} }
func (m savedMark) restore() mark { return mark{time.Time(m.At), time.Time(m.Recorded)} }

// savedState is State's saved form.
type savedState struct {
	Provider        string                       `json:"provider"`
	Seq             uint64                       `json:"seq"`
	Versions        map[string]map[string]uint64 `json:"versions"` // aggregate kind -> aggregate id -> sequence
	RegisteredAt    stamp                        `json:"registered_at,omitzero"`
	Rosters         map[string]savedRoster       `json:"rosters"`
	Caseloads       map[string]savedCaseload     `json:"caseloads"`
	Samples         map[string]uint64            `json:"samples"`
	Reviews         map[string][]savedReview     `json:"reviews"`  // by month, in log order
	Findings        []savedFinding               `json:"findings"` // in the order first recorded
	WSQRs           map[string]savedWSQR         `json:"wsqrs"`
	Confirmation    bool                         `json:"confirmation"`
	Confirmations   []savedConfirmation          `json:"confirmations,omitempty"` // WSTA's, in log order
	Settings        []savedSettings              `json:"settings,omitempty"`      // in log order
	Concerns        []savedConcern               `json:"concerns"`                // by id
	Recommendations []savedRecommendation        `json:"recommendations"`         // by id
	Emergencies     []savedDuty                  `json:"emergencies"`             // by id
	Changes         []savedDuty                  `json:"changes"`                 // by id
	DPAReports      map[string]savedDPAReport    `json:"dpa_reports"`
	Measures        map[string]stamp             `json:"measures"`
	Reports         map[string]savedMark         `json:"reports"`
}

type savedRoster struct {
	Staff []events.StaffMember `json:"staff"` // by staff id
	First savedMark            `json:"first"`
}

type savedCaseload struct {
	Cases    []events.Case `json:"cases"` // as reported
	Seq      uint64        `json:"seq"`
	Reported savedMark     `json:"reported"`
}

// savedReview is one file review of a month. Replaced marks a review whose id a later review of
// the ledger took over: it still counts for its month, and is no longer found by its id.
type savedReview struct {
	ID       string `json:"id"`
	CaseID   string `json:"case_id"`
	At       stamp  `json:"at"`
	Recorded stamp  `json:"recorded"`
	Replaced bool   `json:"replaced,omitempty"`
}

type savedFinding struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"`
	SourceID  string    `json:"source_id"`
	Negative  bool      `json:"negative"`
	Owner     string    `json:"owner"`
	OpenedAt  stamp     `json:"opened_at"`
	Corrected savedMark `json:"corrected,omitzero"`
}

type savedSettings struct {
	At       stamp                         `json:"at"`
	Settings events.PolicySettingsRecorded `json:"settings"`
}

type savedConfirmation struct {
	At      stamp `json:"at"`
	Started bool  `json:"started"`
}

type savedWSQR struct {
	Period      string    `json:"period"`
	Accuracy    string    `json:"accuracy"`
	Seq         uint64    `json:"seq"`
	Findings    []string  `json:"findings"`
	Negative    []string  `json:"negative"`
	ResponseDue string    `json:"response_due"`
	Owner       string    `json:"owner"`
	OpenedAt    stamp     `json:"opened_at"`
	Responded   savedMark `json:"responded,omitzero"`
}

type savedConcern struct {
	ID           string    `json:"id"`
	ClientNumber string    `json:"client_number"`
	Channel      string    `json:"channel"`
	Referred     bool      `json:"referred,omitempty"`
	Owner        string    `json:"owner"`
	ReceivedAt   stamp     `json:"received_at"`
	Returned     savedMark `json:"returned,omitzero"`
	Resolved     savedMark `json:"resolved,omitzero"`
	NoticeMode   string    `json:"notice_mode,omitempty"`
	Notice       savedMark `json:"notice,omitzero"`
	MessageID    string    `json:"message_id,omitempty"`
	UnresolvedAt stamp     `json:"unresolved_at,omitzero"`
	Forwarded    savedMark `json:"forwarded,omitzero"`
}

type savedRecommendation struct {
	ID          string    `json:"id"`
	ConcernID   string    `json:"concern_id"`
	Owner       string    `json:"owner"`
	ReceivedAt  stamp     `json:"received_at"`
	Implemented savedMark `json:"implemented,omitzero"`
}

type savedDuty struct {
	ID       string    `json:"id"`
	Owner    string    `json:"owner"`
	OpenedAt stamp     `json:"opened_at"`
	Met      savedMark `json:"met,omitzero"`
}

type savedDPAReport struct {
	Remarks       []string  `json:"remarks,omitempty"`
	Kind          string    `json:"kind"`
	Period        string    `json:"period"`
	DistributedOn string    `json:"distributed_on,omitempty"`
	Selected      []string  `json:"selected,omitempty"`
	Owner         string    `json:"owner"`
	ReceivedAt    stamp     `json:"received_at"`
	Responded     savedMark `json:"responded,omitzero"`
}

// MarshalJSON returns the state's saved form. The same events always give the same bytes.
func (s *State) MarshalJSON() ([]byte, error) {
	v := savedState{
		Provider: s.provider, Seq: s.seq, Versions: map[string]map[string]uint64{}, RegisteredAt: stamp(s.registeredAt),
		Rosters: make(map[string]savedRoster, len(s.rosters)), Caseloads: make(map[string]savedCaseload, len(s.caseloads)),
		Samples: s.samples, Reviews: s.savedReviews(), Findings: make([]savedFinding, 0, len(s.findingOrder)),
		WSQRs: make(map[string]savedWSQR, len(s.wsqrs)), Confirmation: s.confirmation,
		Concerns:        byID(s.concerns, (*concernRecord).saved),
		Recommendations: byID(s.recommendations, (*recommendationRecord).saved),
		Emergencies:     byID(s.emergencies, (*clientDuty).saved),
		Changes:         byID(s.changes, (*clientDuty).saved),
		DPAReports:      make(map[string]savedDPAReport, len(s.dpaReports)),
		Measures:        stamps(s.measures), Reports: make(map[string]savedMark, len(s.reports)),
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
		v.Rosters[month] = savedRoster{Staff: staff, First: saveMark(r.first)}
	}
	for month, c := range s.caseloads {
		cases := make([]events.Case, len(c.order))
		for i, id := range c.order {
			cases[i] = c.cases[id]
		}
		v.Caseloads[month] = savedCaseload{Cases: cases, Seq: c.seq, Reported: saveMark(c.reported)}
	}
	for _, id := range s.findingOrder {
		f := s.findings[id]
		v.Findings = append(v.Findings, savedFinding{ID: f.id, Source: f.source, SourceID: f.sourceID, Negative: f.negative,
			Owner: f.owner, OpenedAt: stamp(f.openedAt), Corrected: saveMark(f.corrected)})
	}
	for id, w := range s.wsqrs {
		v.WSQRs[id] = savedWSQR{Period: w.period, Accuracy: w.accuracy, Seq: w.seq, Findings: w.findings, Negative: w.negative, ResponseDue: w.responseDue, Owner: w.owner,
			OpenedAt: stamp(w.openedAt), Responded: saveMark(w.responded)}
	}
	for id, r := range s.dpaReports {
		v.DPAReports[id] = savedDPAReport{Remarks: r.remarks, Kind: r.kind, Period: r.period, DistributedOn: r.distributedOn, Selected: r.selected,
			Owner: r.owner, ReceivedAt: stamp(r.receivedAt), Responded: saveMark(r.responded)}
	}
	for k, m := range s.reports {
		v.Reports[k] = saveMark(m)
	}
	for _, r := range s.settings {
		v.Settings = append(v.Settings, savedSettings{At: stamp(r.at), Settings: r.policy.Settings()})
	}
	for _, c := range s.confirmations {
		v.Confirmations = append(v.Confirmations, savedConfirmation{At: stamp(c.at), Started: c.started})
	}
	return json.Marshal(&v)
}

// savedReviews returns each month's reviews in log order, marking those no longer found by id.
func (s *State) savedReviews() map[string][]savedReview {
	ids := make(map[*reviewRecord]string, len(s.reviews))
	for id, r := range s.reviews {
		ids[r] = id
	}
	out := make(map[string][]savedReview, len(s.monthReviews))
	for month, rs := range s.monthReviews {
		saved := make([]savedReview, len(rs))
		for i, r := range rs {
			id, current := ids[r]
			saved[i] = savedReview{ID: id, CaseID: r.caseID, At: stamp(r.at), Recorded: stamp(r.recorded), Replaced: !current}
		}
		out[month] = saved
	}
	return out
}

// UnmarshalJSON restores a state from the form MarshalJSON returned.
func (s *State) UnmarshalJSON(data []byte) error {
	var v savedState
	if err := json.Unmarshal(data, &v); err != nil {
		return events.Errorf(events.Invalid, "", "The saved state does not decode: %v.", err)
	}
	*s = *NewState(v.Provider)
	s.seq, s.registeredAt, s.confirmation = v.Seq, time.Time(v.RegisteredAt), v.Confirmation
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
			r := &reviewRecord{month: month, caseID: t.of(saved.CaseID), at: time.Time(saved.At), recorded: time.Time(saved.Recorded)}
			s.monthReviews[month] = append(s.monthReviews[month], r)
			if !saved.Replaced {
				s.reviews[saved.ID] = r
			}
		}
	}
	for _, f := range v.Findings {
		s.findings[f.ID] = &findingRecord{id: f.ID, source: t.of(f.Source), sourceID: f.SourceID, negative: f.Negative,
			owner: t.of(f.Owner), openedAt: time.Time(f.OpenedAt), corrected: f.Corrected.restore()}
		s.findingOrder = append(s.findingOrder, f.ID)
	}
	for id, w := range v.WSQRs {
		s.wsqrs[id] = &wsqrRecord{period: w.Period, accuracy: w.Accuracy, seq: w.Seq, findings: w.Findings, negative: w.Negative, responseDue: w.ResponseDue, owner: w.Owner,
			openedAt: time.Time(w.OpenedAt), responded: w.Responded.restore()}
	}
	for id, r := range v.DPAReports {
		s.dpaReports[id] = &dpaReportRecord{remarks: r.Remarks, kind: r.Kind, period: r.Period, distributedOn: r.DistributedOn, selected: r.Selected,
			owner: r.Owner, receivedAt: time.Time(r.ReceivedAt), responded: r.Responded.restore()}
	}
	for _, r := range v.Settings {
		s.settings = append(s.settings, settingsRecord{at: time.Time(r.At), policy: PolicyOf(r.Settings)})
	}
	for _, c := range v.Confirmations {
		s.confirmations = append(s.confirmations, wstaConfirmation{at: time.Time(c.At), started: c.Started})
	}
	maps.Copy(s.samples, v.Samples)
	index(s.concerns, v.Concerns, t, savedConcern.record)
	index(s.recommendations, v.Recommendations, t, savedRecommendation.record)
	index(s.emergencies, v.Emergencies, t, savedDuty.record)
	index(s.changes, v.Changes, t, savedDuty.record)
	for k, t := range v.Measures {
		s.measures[k] = time.Time(t)
	}
	for k, m := range v.Reports {
		s.reports[k] = m.restore()
	}
	return nil
}

// MarshalJSON returns the saved form of the book's state. The policy is not saved: a book is
// restored into one NewBook made under the policy it is to be judged by.
func (b *Book) MarshalJSON() ([]byte, error) { return b.state.MarshalJSON() }

// UnmarshalJSON restores the book's state from the form MarshalJSON returned. The state must be
// the book's own provider's.
func (b *Book) UnmarshalJSON(data []byte) error {
	s := new(State)
	if err := s.UnmarshalJSON(data); err != nil {
		return err
	}
	if s.provider != b.state.provider {
		return events.Errorf(events.Invalid, "provider", "The saved state is provider %s's, not %s's.", s.provider, b.state.provider)
	}
	b.state = s
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

func (r *concernRecord) saved(id string) savedConcern {
	return savedConcern{ID: id, ClientNumber: r.clientNumber, Channel: r.channel, Referred: r.referred, Owner: r.owner, ReceivedAt: stamp(r.receivedAt), Returned: saveMark(r.returned),
		Resolved: saveMark(r.resolved), NoticeMode: r.noticeMode, Notice: saveMark(r.notice), MessageID: r.messageID, UnresolvedAt: stamp(r.unresolvedAt), Forwarded: saveMark(r.forwarded)}
}

func (v savedConcern) record(t texts) (string, *concernRecord) {
	return v.ID, &concernRecord{clientNumber: v.ClientNumber, channel: t.of(v.Channel), referred: v.Referred, owner: t.of(v.Owner), receivedAt: time.Time(v.ReceivedAt), returned: v.Returned.restore(),
		resolved: v.Resolved.restore(), noticeMode: v.NoticeMode, notice: v.Notice.restore(), messageID: v.MessageID, unresolvedAt: time.Time(v.UnresolvedAt), forwarded: v.Forwarded.restore()}
}

func (r *recommendationRecord) saved(id string) savedRecommendation {
	return savedRecommendation{ID: id, ConcernID: r.concernID, Owner: r.owner, ReceivedAt: stamp(r.receivedAt), Implemented: saveMark(r.implemented)}
}

func (v savedRecommendation) record(t texts) (string, *recommendationRecord) {
	return v.ID, &recommendationRecord{concernID: v.ConcernID, owner: t.of(v.Owner), receivedAt: time.Time(v.ReceivedAt), implemented: v.Implemented.restore()}
}

func (d *clientDuty) saved(id string) savedDuty {
	return savedDuty{ID: id, Owner: d.owner, OpenedAt: stamp(d.openedAt), Met: saveMark(d.met)}
}

func (v savedDuty) record(t texts) (string, *clientDuty) {
	return v.ID, &clientDuty{owner: t.of(v.Owner), openedAt: time.Time(v.OpenedAt), met: v.Met.restore()}
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

// stamps returns instants by key as the saved form writes them.
func stamps(m map[string]time.Time) map[string]stamp {
	out := make(map[string]stamp, len(m))
	for k, t := range m {
		out[k] = stamp(t)
	}
	return out
}
