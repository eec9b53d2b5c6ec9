package domain

import (
	"crypto/sha1"

	"github.com/google/uuid"
)

// Aggregate kinds: the third token of an event's subject. Each names what a command writes to.
const (
	KindProvider                = "provider"
	KindRoster                  = "roster"
	KindCaseload                = "caseload"
	KindSample                  = "sample"
	KindFileReview              = "file_review"
	KindFinding                 = "finding"
	KindWSQR                    = "wsqr"
	KindPerformanceConfirmation = "performance_confirmation"
	KindConcern                 = "concern"
	KindRecommendation          = "recommendation"
	KindEmergency               = "emergency"
	KindChange                  = "change"
	KindDPAReport               = "dpa_report"
	KindMeasures                = "measures"
	KindReport                  = "report"
	KindAccess                  = "access"
	KindPolicy                  = "policy"
	KindHistory                 = "history" // a provider's history as a whole (HistoryRecovered)
)

// aggregateNamespace is wsledger's UUIDv5 namespace for aggregate ids. It must never change:
// every stored subject depends on it.
var aggregateNamespace = uuid.MustParse("8d5b2c1e-3f0a-4e6b-9c47-2a1d6e0f5b93")

// AggregateID returns the UUIDv5 that stands for a natural id (a concern id, a month, ...) of an
// aggregate kind of a provider. Subjects carry this UUID so that they never contain natural ids.
// It is uuid.NewSHA1(aggregateNamespace, provider NUL kind NUL naturalID), with the name written
// into a buffer on the stack and hashed with sha1.Sum, since Decide computes one per command.
func AggregateID(provider, kind, naturalID string) string {
	var buf [128]byte
	name := append(buf[:0], aggregateNamespace[:]...)
	name = append(append(append(append(append(name, provider...), 0), kind...), 0), naturalID...)
	sum := sha1.Sum(name)
	var id uuid.UUID
	copy(id[:], sum[:])
	id[6] = id[6]&0x0f | 5<<4 // version 5: name-based, SHA-1
	id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
	return id.String()
}

// IsProviderID reports whether s is a provider id as commands must give it: 1 to 40 lowercase
// letters, digits or '-', starting with a letter or digit. Such an id is safe as a NATS subject
// token and as a file name.
func IsProviderID(s string) bool { return providerPattern.MatchString(s) }

// Patterns of the ids and codes commands carry, as byte classes: each accepts exactly what the
// regular expression in its comment accepts (TestBytePatternsMatchTheirRegexps).
var (
	idPattern           = bytePattern{first: alnum, rest: idByte, min: 1, max: 64}            // ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$
	providerPattern     = bytePattern{first: lowerAlnum, rest: providerByte, min: 1, max: 40} // ^[a-z0-9][a-z0-9-]{0,39}$
	clientNumberPattern = bytePattern{first: digit, rest: digit, min: 4, max: 12}             // ^[0-9]{4,12}$
	sha256Pattern       = bytePattern{first: lowerHex, rest: lowerHex, min: 64, max: 64}      // ^[0-9a-f]{64}$
	yearPattern         = bytePattern{first: digit, rest: digit, min: 4, max: 4}              // ^[0-9]{4}$
)

var (
	digit        = byteClassOf("0-9")
	alnum        = byteClassOf("A-Z", "a-z", "0-9")
	idByte       = byteClassOf("A-Z", "a-z", "0-9", "_", "-")
	lowerAlnum   = byteClassOf("a-z", "0-9")
	providerByte = byteClassOf("a-z", "0-9", "-")
	lowerHex     = byteClassOf("0-9", "a-f")
)

// byteClass is a set of ASCII bytes, like a regular expression's [a-z0-9].
type byteClass [256]bool

// byteClassOf returns the class of the given ranges, each written "a-z" or as a single byte.
func byteClassOf(ranges ...string) *byteClass {
	var c byteClass
	for _, r := range ranges {
		for b := int(r[0]); b <= int(r[len(r)-1]); b++ {
			c[b] = true
		}
	}
	return &c
}

// bytePattern matches a string of min to max bytes whose first byte is in first and whose other
// bytes are in rest. The classes are ASCII, so bytes and characters count alike.
type bytePattern struct {
	first, rest *byteClass
	min, max    int
}

// MatchString reports whether s is matched by the pattern as a whole.
func (p bytePattern) MatchString(s string) bool {
	if len(s) < p.min || len(s) > p.max || !p.first[s[0]] {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !p.rest[s[i]] {
			return false
		}
	}
	return true
}
