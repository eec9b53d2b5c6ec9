package domain

import "time"

// What the tests of package domain_test, which drive the rules with commands read by package
// wire, need to see of the package's insides.

var (
	DerivedSeed   = derivedSeed
	AdminCommands = adminCommands
	SameSettings  = sameSettings
)

// PolicyOver returns the policy the state's history sets over the one configured.
func (s *State) PolicyOver(configured Policy) Policy { return s.policy(configured) }

// VersionCount returns how many aggregates' versions the state keeps.
func (s *State) VersionCount() int { return len(s.versions) }

// BookOver returns a book of the state, judged by p.
func BookOver(s *State, p Policy) *Book { return &Book{state: s, policy: p} }

// StateOf returns a book's state.
func StateOf(b *Book) *State { return b.state }

// Forget forgets a concern, a review and its finding, and the month's reviews, so that a
// benchmark may record the same ones again.
func (s *State) Forget(concern, review, finding, month string) {
	delete(s.concerns, concern)
	delete(s.reviews, review)
	delete(s.findings, finding)
	s.monthReviews[month], s.findingOrder = nil, nil
}

// What the agenda's property test (agenda_test.go) compares.
var (
	QuarterOf = quarterOf
	ByDue     = byDue
)

// Equal reports whether two obligations are the same in every field.
func (o *Obligation) Equal(p *Obligation) bool { return o.equal(p) }

// FindingOrder returns the state's findings in the order they were made.
func (s *State) FindingOrder() []string { return s.findingOrder }

// WSQRNegative returns the negative findings of a WSQR, none when it is not known.
func (s *State) WSQRNegative(id string) []string {
	if r := s.wsqrs[id]; r != nil {
		return r.negative
	}
	return nil
}

// ConcernsReceivedBy counts the concerns received at or before at.
func (s *State) ConcernsReceivedBy(at time.Time) int {
	n := 0
	for _, k := range s.concerns {
		if !k.receivedAt.After(at) {
			n++
		}
	}
	return n
}
