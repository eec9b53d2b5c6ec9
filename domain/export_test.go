package domain

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
