package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDigestJSONGivesBothNames(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	d := Digest{Provider: "north", Position: 7, Sequence: 19, Hash: hash, ExportedAt: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"provider": "north", "position": float64(7), "sequence": float64(19), "last_sequence": float64(19),
		"hash": hash, "head_hash": hash, "exported_at": "2025-03-04T05:06:07Z",
	}
	for name, v := range want {
		if fields[name] != v {
			t.Errorf("%s = %v, want %v (in %s)", name, fields[name], v, b)
		}
	}
	var back Digest
	if err := json.Unmarshal(b, &back); err != nil || back != d {
		t.Fatalf("round trip: %+v, %v; want %+v", back, err, d)
	}
}

func TestDigestJSONReadsEitherName(t *testing.T) {
	hash := strings.Repeat("cd", 32)
	other := strings.Repeat("ef", 32)
	tests := []struct {
		name    string
		in      string
		want    Digest
		errName string // the field a refusal names; "" when the digest is read
	}{
		{"first names", `{"provider":"north","position":3,"sequence":9,"hash":"` + hash + `"}`,
			Digest{Provider: "north", Position: 3, Sequence: 9, Hash: hash}, ""},
		{"prose names", `{"provider":"north","position":3,"last_sequence":9,"head_hash":"` + hash + `"}`,
			Digest{Provider: "north", Position: 3, Sequence: 9, Hash: hash}, ""},
		{"both, equal", `{"provider":"north","position":3,"sequence":9,"last_sequence":9,"hash":"` + hash + `","head_hash":"` + hash + `"}`,
			Digest{Provider: "north", Position: 3, Sequence: 9, Hash: hash}, ""},
		{"sequences differ", `{"provider":"north","position":3,"sequence":9,"last_sequence":10,"hash":"` + hash + `"}`,
			Digest{}, "last_sequence"},
		{"hashes differ", `{"provider":"north","position":3,"sequence":9,"hash":"` + hash + `","head_hash":"` + other + `"}`,
			Digest{}, "head_hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Digest
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.errName != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != Invalid || e.Field != tt.errName {
					t.Fatalf("error %v, want an invalid %s", err, tt.errName)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
