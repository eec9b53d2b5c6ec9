package events

import (
	"encoding/json"
	"strings"
	"testing"
)

// validJSONCases are inputs at the edges of the grammar, each checked against json.Valid.
var validJSONCases = []string{
	``, ` `, `null`, ` true `, `false`, `nul`, `truex`, `0`, `-0`, `01`, `-`, `1.`, `1.5`, `1.5.3`, `1e`, `1e+`, `1E-7`, `-1.5e10`,
	`""`, `"a\"b"`, `"\u00e9"`, `"\u00g9"`, `"\x"`, "\"a\tb\"", "\"\xff\xfe\"", `"unterminated`, `"\`,
	`{}`, `[]`, `{ }`, `[ ]`, `{"a":1}`, `{"a" : [1, 2, {"b": null}]}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{"a"}`, `{"a":}`, `{1:2}`,
	`{"a":1}}`, `[[]`, `]`, `[}`, `{]`, `{"a":1} x`, "\t[\r\n1\n]\r\n", `[1]/`, `{"a":"b","c":{"d":[true,false,null,-0.5e-3]}}`,
}

func TestValidJSONMatchesEncodingJSON(t *testing.T) {
	cases := validJSONCases
	for _, depth := range []int{maxNesting - 1, maxNesting, maxNesting + 1} {
		cases = append(cases, strings.Repeat("[", depth)+strings.Repeat("]", depth), strings.Repeat(`{"a":`, depth-1)+"{}"+strings.Repeat("}", depth-1))
	}
	for _, in := range cases {
		if got, want := validJSON([]byte(in)), json.Valid([]byte(in)); got != want {
			t.Errorf("validJSON(%.40q) = %v, json.Valid says %v", in, got, want)
		}
	}
}

// FuzzValidJSONMatchesEncodingJSON checks that validJSON agrees with json.Valid on any input.
func FuzzValidJSONMatchesEncodingJSON(f *testing.F) {
	for _, in := range validJSONCases {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := validJSON(data), json.Valid(data); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid says %v", data, got, want)
		}
	})
}

// BenchmarkValidJSON checks a stored file review, the largest common event, with validJSON and
// with json.Valid.
func BenchmarkValidJSON(b *testing.B) {
	payload, err := json.Marshal(samplePayloads[TypeFileReviewRecorded])
	if err != nil {
		b.Fatal(err)
	}
	e := Envelope{ID: "01JD5X2Y3Z4A5B6C7D8E9F0G1H", Type: TypeFileReviewRecorded, Version: 1, Provider: "provider-01", AggregateKind: "review",
		Aggregate: "r-1", Actor: Actor{StaffID: "s-1", Role: "qa"}, Payload: payload, Position: 12, PrevHash: strings.Repeat("ab", 32), Hash: strings.Repeat("cd", 32)}
	data, err := MarshalEnvelope(&e)
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []struct {
		name  string
		valid func([]byte) bool
	}{{"validJSON", validJSON}, {"json.Valid", json.Valid}} {
		b.Run(v.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if !v.valid(data) {
					b.Fatal("invalid")
				}
			}
		})
	}
}
