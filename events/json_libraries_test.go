package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// jsonInput is one stored file review in the forms the passes read and write.
type jsonInput struct {
	payload        FileReviewRecorded
	raw, canonical []byte // the payload as encoding/json writes it, and in canonical form
	envelope       Envelope
	stored         []byte // the envelope as the log stores it
}

// jsonInputs returns n stored file reviews whose ids, texts and hashes all differ, as a log's
// do, so that no library's cache of recent strings serves them.
func jsonInputs(tb testing.TB, n int) []jsonInput {
	ins := make([]jsonInput, n)
	for i := range ins {
		in := &ins[i]
		in.payload = FileReviewRecorded{ReviewID: fmt.Sprintf("R-%06d", i), Month: "2026-03", CaseID: fmt.Sprintf("C-%06d", i),
			CaseManagerID: "cm1", ReviewerID: "pm1", ReviewerRole: RoleProgramManager, Findings: []Finding{{
				FindingID: fmt.Sprintf("F-%06d", i), Category: "work_verification", Negative: true,
				Description: fmt.Sprintf("Hours for week %d were entered without verification on file.", i)}}}
		var err error
		if in.raw, err = json.Marshal(in.payload); err == nil {
			in.canonical, err = CanonicalJSON(in.raw)
		}
		in.envelope = sampleEnvelope()
		in.envelope.ID = fmt.Sprintf("01930000-0000-7000-8000-%012d", i)
		in.envelope.Type, in.envelope.Version, in.envelope.Payload = TypeFileReviewRecorded, CurrentVersion(TypeFileReviewRecorded), in.canonical
		in.envelope.PrevHash, in.envelope.Hash = strings.Repeat(fmt.Sprintf("%02x", i%256), 32), strings.Repeat(fmt.Sprintf("%02x", (i+1)%256), 32)
		if err == nil {
			in.stored, err = MarshalEnvelope(&in.envelope)
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	return ins
}

// BenchmarkJSONLibraries measures each hand-written JSON pass of this package against what
// encoding/json and github.com/go-json-experiment/json (the implementation behind Go's coming
// encoding/json/v2) would do in its place, on stored file reviews (about 700 bytes each), each
// decoded into a new value as the ledger does. The figures in the doc comments of validJSON,
// CanonicalJSON, MarshalEnvelope, UnmarshalEnvelope, EncodePayload and Registry.Decode come
// from it.
func BenchmarkJSONLibraries(b *testing.B) {
	ins := jsonInputs(b, 1024)
	strict := func(data []byte, decode func([]byte, any) error) error {
		v := new(FileReviewRecorded)
		err := decode(data, v)
		payloadSink = *v // returned by value, as Registry.Decode does
		return err
	}
	groups := []struct {
		name   string
		passes [3]func(*jsonInput) error // hand-written, encoding/json, go-json-experiment
	}{
		{"valid", [3]func(*jsonInput) error{
			func(in *jsonInput) error { return failIf(!validJSON(in.stored)) },
			func(in *jsonInput) error { return failIf(!json.Valid(in.stored)) },
			func(in *jsonInput) error { return failIf(!jsontext.Value(in.stored).IsValid()) },
		}},
		{"canonical", [3]func(*jsonInput) error{
			func(in *jsonInput) error { _, err := CanonicalJSON(in.raw); return err },
			func(in *jsonInput) error { _, err := referenceCanonical(in.raw); return err },
			func(in *jsonInput) error { v := jsontext.Value(bytes.Clone(in.raw)); return v.Canonicalize() },
		}},
		{"envelope-marshal", [3]func(*jsonInput) error{
			func(in *jsonInput) error { _, err := MarshalEnvelope(&in.envelope); return err },
			func(in *jsonInput) error { _, err := json.Marshal(&in.envelope); return err },
			func(in *jsonInput) error { _, err := jsonv2.Marshal(&in.envelope); return err },
		}},
		{"envelope-unmarshal", [3]func(*jsonInput) error{
			func(in *jsonInput) error { return UnmarshalEnvelope(in.stored, new(Envelope)) },
			func(in *jsonInput) error { return json.Unmarshal(in.stored, new(Envelope)) },
			func(in *jsonInput) error { return jsonv2.Unmarshal(in.stored, new(Envelope)) },
		}},
		{"payload-encode", [3]func(*jsonInput) error{
			func(in *jsonInput) error { _, err := EncodePayload(in.payload); return err },
			func(in *jsonInput) error { _, err := encodeReference(in.payload); return err },
			func(in *jsonInput) error {
				out, err := jsonv2.Marshal(in.payload)
				if err == nil {
					_, err = CanonicalJSON(out)
				}
				return err
			},
		}},
		{"payload-decode", [3]func(*jsonInput) error{
			func(in *jsonInput) error { _, err := Catalogue.Decode(in.envelope); return err },
			func(in *jsonInput) error {
				return strict(in.canonical, func(d []byte, v any) error { return decodeStrict(d, v) })
			},
			func(in *jsonInput) error {
				return strict(in.canonical, func(data []byte, v any) error {
					return jsonv2.Unmarshal(data, v, jsonv2.RejectUnknownMembers(true))
				})
			},
		}},
	}
	for _, g := range groups {
		for i, name := range []string{"hand-written", "encoding-json", "json-experiment"} {
			b.Run(g.name+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for n := 0; b.Loop(); n++ {
					if err := g.passes[i](&ins[n%len(ins)]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

var payloadSink any

func failIf(bad bool) error {
	if bad {
		return errors.New("refused a valid input")
	}
	return nil
}
