package domain

import (
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/wsledger/wsledger/events"
)

// A State's saved form lets a read model keep a provider's state without the events it was built
// from. It holds every record State keeps; maps are written with their keys sorted and slices in
// log order, so the same events always give the same bytes, and a restored State decides and
// derives obligations exactly as the one saved.

// savedState is State's saved form.
type savedState struct {
	Provider        string                         `json:"provider"`
	Seq             uint64                         `json:"seq"`
	Versions        map[string]map[string]uint64   `json:"versions"` // aggregate kind -> aggregate id -> sequence
	RegisteredAt    time.Time                      `json:"registered_at,omitzero"`
	Rosters         map[string]savedRoster         `json:"rosters"`
	Caseloads       map[string]savedCaseload       `json:"caseloads"`
	Samples         map[string]uint64              `json:"samples"`
	Reviews         map[string][]savedReview       `json:"reviews"`  // by month, in log order
	Findings        []savedFinding                 `json:"findings"` // in the order first recorded
	WSQRs           map[string]savedWSQR           `json:"wsqrs"`
	Confirmation    bool                           `json:"confirmation"`
	Concerns        map[string]savedConcern        `json:"concerns"`
	Recommendations map[string]savedRecommendation `json:"recommendations"`
	Emergencies     map[string]savedDuty           `json:"emergencies"`
	Changes         map[string]savedDuty           `json:"changes"`
	DPAReports      map[string]savedDPAReport      `json:"dpa_reports"`
	Measures        map[string]time.Time           `json:"measures"`
	Reports         map[string]time.Time           `json:"reports"`
}

type savedRoster struct {
	Staff   []events.StaffMember `json:"staff"` // by staff id
	FirstAt time.Time            `json:"first_at"`
}

type savedCaseload struct {
	Cases []events.Case `json:"cases"` // as reported
	Seq   uint64        `json:"seq"`
	At    time.Time     `json:"at"`
}

// savedReview is one file review of a month. Replaced marks a review whose id a later review of
// the ledger took over: it still counts for its month, and is no longer found by its id.
type savedReview struct {
	ID       string    `json:"id"`
	CaseID   string    `json:"case_id"`
	At       time.Time `json:"at"`
	Replaced bool      `json:"replaced,omitempty"`
}

type savedFinding struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	SourceID    string    `json:"source_id"`
	Negative    bool      `json:"negative"`
	Owner       string    `json:"owner"`
	OpenedAt    time.Time `json:"opened_at"`
	CorrectedAt time.Time `json:"corrected_at,omitzero"`
}

type savedWSQR struct {
	Findings    []string  `json:"findings"`
	Negative    []string  `json:"negative"`
	ResponseDue string    `json:"response_due"`
	Owner       string    `json:"owner"`
	OpenedAt    time.Time `json:"opened_at"`
	RespondedAt time.Time `json:"responded_at,omitzero"`
}

type savedConcern struct {
	ClientNumber string    `json:"client_number"`
	Owner        string    `json:"owner"`
	ReceivedAt   time.Time `json:"received_at"`
	ReturnedAt   time.Time `json:"returned_at,omitzero"`
	ResolvedAt   time.Time `json:"resolved_at,omitzero"`
	NoticeAt     time.Time `json:"notice_at,omitzero"`
	UnresolvedAt time.Time `json:"unresolved_at,omitzero"`
	ForwardedAt  time.Time `json:"forwarded_at,omitzero"`
}

type savedRecommendation struct {
	ConcernID     string    `json:"concern_id"`
	Owner         string    `json:"owner"`
	ReceivedAt    time.Time `json:"received_at"`
	ImplementedAt time.Time `json:"implemented_at,omitzero"`
}

type savedDuty struct {
	Owner    string    `json:"owner"`
	OpenedAt time.Time `json:"opened_at"`
	MetAt    time.Time `json:"met_at,omitzero"`
}

type savedDPAReport struct {
	Kind          string    `json:"kind"`
	Period        string    `json:"period"`
	DistributedOn string    `json:"distributed_on,omitempty"`
	Selected      []string  `json:"selected,omitempty"`
	Owner         string    `json:"owner"`
	ReceivedAt    time.Time `json:"received_at"`
	RespondedAt   time.Time `json:"responded_at,omitzero"`
}

// MarshalJSON returns the state's saved form. The same events always give the same bytes.
func (s *State) MarshalJSON() ([]byte, error) {
	v := savedState{
		Provider: s.provider, Seq: s.seq, Versions: map[string]map[string]uint64{}, RegisteredAt: s.registeredAt,
		Rosters: make(map[string]savedRoster, len(s.rosters)), Caseloads: make(map[string]savedCaseload, len(s.caseloads)),
		Samples: s.samples, Reviews: s.savedReviews(), Findings: make([]savedFinding, 0, len(s.findingOrder)),
		WSQRs: make(map[string]savedWSQR, len(s.wsqrs)), Confirmation: s.confirmation,
		Concerns:        convert(s.concerns, (*concernRecord).saved),
		Recommendations: convert(s.recommendations, (*recommendationRecord).saved),
		Emergencies:     convert(s.emergencies, (*clientDuty).saved),
		Changes:         convert(s.changes, (*clientDuty).saved),
		DPAReports:      convert(s.dpaReports, (*dpaReportRecord).saved),
		Measures:        s.measures, Reports: s.reports,
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
		v.Rosters[month] = savedRoster{Staff: staff, FirstAt: r.firstAt}
	}
	for month, c := range s.caseloads {
		cases := make([]events.Case, len(c.order))
		for i, id := range c.order {
			cases[i] = c.cases[id]
		}
		v.Caseloads[month] = savedCaseload{Cases: cases, Seq: c.seq, At: c.at}
	}
	for _, id := range s.findingOrder {
		f := s.findings[id]
		v.Findings = append(v.Findings, savedFinding{ID: f.id, Source: f.source, SourceID: f.sourceID, Negative: f.negative,
			Owner: f.owner, OpenedAt: f.openedAt, CorrectedAt: f.correctedAt})
	}
	for id, w := range s.wsqrs {
		v.WSQRs[id] = savedWSQR{Findings: w.findings, Negative: w.negative, ResponseDue: w.responseDue, Owner: w.owner,
			OpenedAt: w.openedAt, RespondedAt: w.respondedAt}
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
			saved[i] = savedReview{ID: id, CaseID: r.caseID, At: r.at, Replaced: !current}
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
	s.seq, s.registeredAt, s.confirmation = v.Seq, v.RegisteredAt, v.Confirmation
	for kind, ids := range v.Versions {
		for id, seq := range ids {
			s.versions[aggregateKey{kind, id}] = seq
		}
	}
	for month, r := range v.Rosters {
		s.applyRoster(events.StaffRosterSubmitted{Month: month, Staff: r.Staff}, r.FirstAt)
	}
	for month, c := range v.Caseloads {
		s.applyCaseload(events.CaseloadReported{Month: month, Cases: c.Cases}, c.Seq, c.At)
	}
	for month, rs := range v.Reviews {
		for _, saved := range rs {
			r := &reviewRecord{month: month, caseID: saved.CaseID, at: saved.At}
			s.monthReviews[month] = append(s.monthReviews[month], r)
			if !saved.Replaced {
				s.reviews[saved.ID] = r
			}
		}
	}
	for _, f := range v.Findings {
		s.findings[f.ID] = &findingRecord{id: f.ID, source: f.Source, sourceID: f.SourceID, negative: f.Negative,
			owner: f.Owner, openedAt: f.OpenedAt, correctedAt: f.CorrectedAt}
		s.findingOrder = append(s.findingOrder, f.ID)
	}
	for id, w := range v.WSQRs {
		s.wsqrs[id] = &wsqrRecord{findings: w.Findings, negative: w.Negative, responseDue: w.ResponseDue, owner: w.Owner,
			openedAt: w.OpenedAt, respondedAt: w.RespondedAt}
	}
	maps.Copy(s.samples, v.Samples)
	maps.Copy(s.concerns, convert(v.Concerns, savedConcern.record))
	maps.Copy(s.recommendations, convert(v.Recommendations, savedRecommendation.record))
	maps.Copy(s.emergencies, convert(v.Emergencies, savedDuty.record))
	maps.Copy(s.changes, convert(v.Changes, savedDuty.record))
	maps.Copy(s.dpaReports, convert(v.DPAReports, savedDPAReport.record))
	maps.Copy(s.measures, v.Measures)
	maps.Copy(s.reports, v.Reports)
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
// for e.
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

func (r *concernRecord) saved() savedConcern {
	return savedConcern{ClientNumber: r.clientNumber, Owner: r.owner, ReceivedAt: r.receivedAt, ReturnedAt: r.returnedAt,
		ResolvedAt: r.resolvedAt, NoticeAt: r.noticeAt, UnresolvedAt: r.unresolvedAt, ForwardedAt: r.forwardedAt}
}

func (v savedConcern) record() *concernRecord {
	return &concernRecord{clientNumber: v.ClientNumber, owner: v.Owner, receivedAt: v.ReceivedAt, returnedAt: v.ReturnedAt,
		resolvedAt: v.ResolvedAt, noticeAt: v.NoticeAt, unresolvedAt: v.UnresolvedAt, forwardedAt: v.ForwardedAt}
}

func (r *recommendationRecord) saved() savedRecommendation {
	return savedRecommendation{ConcernID: r.concernID, Owner: r.owner, ReceivedAt: r.receivedAt, ImplementedAt: r.implementedAt}
}

func (v savedRecommendation) record() *recommendationRecord {
	return &recommendationRecord{concernID: v.ConcernID, owner: v.Owner, receivedAt: v.ReceivedAt, implementedAt: v.ImplementedAt}
}

func (d *clientDuty) saved() savedDuty {
	return savedDuty{Owner: d.owner, OpenedAt: d.openedAt, MetAt: d.metAt}
}

func (v savedDuty) record() *clientDuty {
	return &clientDuty{owner: v.Owner, openedAt: v.OpenedAt, metAt: v.MetAt}
}

func (r *dpaReportRecord) saved() savedDPAReport {
	return savedDPAReport{Kind: r.kind, Period: r.period, DistributedOn: r.distributedOn, Selected: r.selected,
		Owner: r.owner, ReceivedAt: r.receivedAt, RespondedAt: r.respondedAt}
}

func (v savedDPAReport) record() *dpaReportRecord {
	return &dpaReportRecord{kind: v.Kind, period: v.Period, distributedOn: v.DistributedOn, selected: v.Selected,
		owner: v.Owner, receivedAt: v.ReceivedAt, respondedAt: v.RespondedAt}
}

// convert maps every value of m with f.
func convert[V, W any](m map[string]V, f func(V) W) map[string]W {
	out := make(map[string]W, len(m))
	for k, v := range m {
		out[k] = f(v)
	}
	return out
}
