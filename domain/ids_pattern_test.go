package domain

import (
	"regexp"
	"strconv"
	"testing"
)

// patternReferences pairs each byte pattern with the regular expression it replaces.
var patternReferences = []struct {
	name    string
	pattern bytePattern
	regexp  *regexp.Regexp
}{
	{"id", idPattern, regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)},
	{"provider", providerPattern, regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)},
	{"client number", clientNumberPattern, regexp.MustCompile(`^[0-9]{4,12}$`)},
	{"sha256", sha256Pattern, regexp.MustCompile(`^[0-9a-f]{64}$`)},
	{"year", yearPattern, regexp.MustCompile(`^[0-9]{4}$`)},
}

var patternSamples = []string{
	"", "a", "A", "0", "-", "_", "K1", "north-star", "-lead", "lead-", "has.dot", "wild*", "wild>",
	"with space", "under_score", "Upper", "1234", "123", "123456789012", "1234567890123", "12a4",
	"\u00e9", "a\u00e9", "\xff", "a\x00", "x\n", "12345678\n",
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeF",
	"x123456789012345678901234567890123456789012345678901234567890123",
	"x1234567890123456789012345678901234567890123456789012345678901234",
	"p123456789012345678901234567890123456789",
	"p1234567890123456789012345678901234567890",
}

func TestBytePatternsMatchTheirRegexps(t *testing.T) {
	for _, p := range patternReferences {
		for _, s := range patternSamples {
			if got, want := p.pattern.MatchString(s), p.regexp.MatchString(s); got != want {
				t.Errorf("%s pattern on %q: %v, regexp %v", p.name, s, got, want)
			}
		}
	}
	// Every single byte, first and later, against every pattern.
	for b := range 256 {
		for _, s := range []string{string(rune(b)), string([]byte{byte(b)}), "a" + string([]byte{byte(b)}), "1234" + string([]byte{byte(b)})} {
			for _, p := range patternReferences {
				if got, want := p.pattern.MatchString(s), p.regexp.MatchString(s); got != want {
					t.Errorf("%s pattern on %q: %v, regexp %v", p.name, s, got, want)
				}
			}
		}
	}
}

func FuzzBytePatternsMatchTheirRegexps(f *testing.F) {
	for _, s := range patternSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range patternReferences {
			if got, want := p.pattern.MatchString(s), p.regexp.MatchString(s); got != want {
				t.Fatalf("%s pattern on %q: %v, regexp %v", p.name, s, got, want)
			}
		}
	})
}

// TestParseQuarterMatchesItsRegexp holds parseQuarter to ^([0-9]{4})-Q([1-4])$.
func TestParseQuarterMatchesItsRegexp(t *testing.T) {
	re := regexp.MustCompile(`^([0-9]{4})-Q([1-4])$`)
	for _, s := range append(patternSamples, "2026-Q1", "2026-Q4", "2026-Q0", "2026-Q5", "2026-q1", "226-Q1",
		"2026-Q12", "2026Q1", "20x6-Q1", "2026-Q1\n", " 2026-Q1", "2026-Q3") {
		y, q, ok := parseQuarter(s)
		m := re.FindStringSubmatch(s)
		if ok != (m != nil) || ok && (strconv.Itoa(y) != m[1] || strconv.Itoa(q) != m[2]) {
			t.Errorf("parseQuarter(%q) = %d, %d, %v; regexp %q", s, y, q, ok, m)
		}
	}
}
