package domain

import (
	"testing"

	"github.com/google/uuid"
)

func TestAggregateIDIsAStableUUIDv5(t *testing.T) {
	a := AggregateID("north-star", KindConcern, "K1")
	u, err := uuid.Parse(a)
	if err != nil || u.Version() != 5 {
		t.Fatalf("AggregateID = %q (%v), want a version 5 UUID", a, err)
	}
	if again := AggregateID("north-star", KindConcern, "K1"); again != a {
		t.Errorf("AggregateID is not stable: %s then %s", a, again)
	}
	others := []string{
		AggregateID("north-star2", KindConcern, "K1"),
		AggregateID("north-star", KindEmergency, "K1"),
		AggregateID("north-star", KindConcern, "K2"),
		// The separator keeps "a"+"bc" apart from "ab"+"c".
		AggregateID("north-sta", KindConcern, "rK1"),
	}
	for _, o := range others {
		if o == a {
			t.Errorf("different inputs gave the same id %s", a)
		}
	}
}

func TestIDPatterns(t *testing.T) {
	tests := []struct {
		in             string
		isID, provider bool
	}{
		{"K1", true, false},
		{"north-star", true, true},
		{"a", true, true},
		{"-lead", false, false},
		{"has.dot", false, false},
		{"wild*", false, false},
		{"wild>", false, false},
		{"with space", false, false},
		{"Upper", true, false},
		{"under_score", true, false},
		{"", false, false},
		{"x123456789012345678901234567890123456789012345678901234567890123", true, false},   // 64
		{"x1234567890123456789012345678901234567890123456789012345678901234", false, false}, // 65
		{"p123456789012345678901234567890123456789", true, true},                            // 40
		{"p1234567890123456789012345678901234567890", true, false},                          // 41
		{"\u00e9", false, false},
	}
	for _, tt := range tests {
		if got := idPattern.MatchString(tt.in); got != tt.isID {
			t.Errorf("id %q: match = %v, want %v", tt.in, got, tt.isID)
		}
		if got := providerPattern.MatchString(tt.in); got != tt.provider {
			t.Errorf("provider %q: match = %v, want %v", tt.in, got, tt.provider)
		}
	}
}
