package events

import (
	"regexp"
	"testing"
)

// The byte checks accept exactly what these patterns accept.
var (
	providerPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	kindPattern     = regexp.MustCompile(`^[a-z][a-z_]{0,31}$`)
	uuidPattern     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

func FuzzSubjectTokenChecks(f *testing.F) {
	for _, s := range []string{"north", "a-b-1", "-x", "ledger.x", "a*", "concern", "file_review", "_x", "Kind",
		"5b1f0d5e-9d8c-5c49-9b8f-6a1b2c3d4e5f", "5B1F0D5E-9D8C-5C49-9B8F-6A1B2C3D4E5F", "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validProvider(s) != providerPattern.MatchString(s) {
			t.Errorf("validProvider(%q) = %v", s, validProvider(s))
		}
		if validKind(s) != kindPattern.MatchString(s) {
			t.Errorf("validKind(%q) = %v", s, validKind(s))
		}
		if validUUID(s) != uuidPattern.MatchString(s) {
			t.Errorf("validUUID(%q) = %v", s, validUUID(s))
		}
	})
}
