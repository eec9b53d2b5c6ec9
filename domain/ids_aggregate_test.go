package domain

import (
	"testing"

	"github.com/google/uuid"
)

// referenceAggregateID is AggregateID as the uuid package computes it.
func referenceAggregateID(provider, kind, naturalID string) string {
	return uuid.NewSHA1(aggregateNamespace, []byte(provider+"\x00"+kind+"\x00"+naturalID)).String()
}

func FuzzAggregateIDMatchesUUIDv5(f *testing.F) {
	f.Add("north-star", KindConcern, "K1")
	f.Add("", "", "")
	f.Add("p123456789012345678901234567890123456789", KindPerformanceConfirmation, "x123456789012345678901234567890123456789012345678901234567890123")
	f.Add("a", "b\x00c", "\u00e9")
	f.Fuzz(func(t *testing.T, provider, kind, naturalID string) {
		if got, want := AggregateID(provider, kind, naturalID), referenceAggregateID(provider, kind, naturalID); got != want {
			t.Fatalf("AggregateID(%q, %q, %q) = %s, uuid.NewSHA1 gives %s", provider, kind, naturalID, got, want)
		}
	})
}
