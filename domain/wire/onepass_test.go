package wire

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/domain/internal/commandtest"
)

// onePassSamples are commands decodeOnePass must decode itself: every command, and the JSON
// forms clients write (spacing, key order, escapes, empty lists, expected versions, zones).
func onePassSamples() []string {
	out := []string{
		` { "concern_id" : "K1" , "actor" : { "role" : "case_manager" , "staff_id" : "cm1" } ,` +
			"\n\t\"provider\":\"north-star\",\r\n\"type\":\"ReturnClientCall\"} \n",
		`{"type":"Return\u0043lientCall","provider":"north-star","actor":{"staff_id":"cm1","role":"case_manager"},"concern_id":"K1"}`,
		commandtest.CM("ReturnClientCall", `"concern_id":"K1","expected_version":0,"occurred_at":"2026-03-16T10:00:00.5Z"`),
		commandtest.CM("ReturnClientCall", `"concern_id":"K1","expected_version":18446744073709551615,"occurred_at":"2026-03-16T10:00:00-08:00"`),
		commandtest.CM("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"caf\u00e9 \"quoted\" \\ \/ \b\f\n\r\t \ud83d\ude00 \ud800 <&>"`),
		commandtest.CM("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"café ✓ `+"\u2028"+`"`),
		commandtest.PM("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","findings":[{"finding_id":"F1","category":"c","negative":false,"description":""},`+
			`{"negative":true,"category":"d","finding_id":"F2"}],"work_verification":{"reviewed":10,"correct":-0}`),
		commandtest.PM("PostPerformanceMeasures", `"period":"2026-02","measures":[{"measure":"m1","numerator":0,"denominator":9223372036854775807}]`),
		commandtest.PM("ReceiveDPAReport", `"report_id":"D1","kind":"other","period":"2026","selected_cases":[],"findings":[]`),
	}
	for _, c := range commandtest.Typical {
		out = append(out, c.JSON)
	}
	for _, js := range commandtest.Valid() {
		out = append(out, js)
	}
	return out
}

func TestEveryCommandHasAOnePassPlan(t *testing.T) {
	for _, name := range domain.CommandTypes() {
		if commandPlans[name] == nil {
			t.Errorf("%s has no one-pass plan", name)
		}
	}
}

func TestOnePassDecodesWhatTheTreeDecodes(t *testing.T) {
	for _, js := range onePassSamples() {
		fast, ok := decodeOnePass(js)
		if !ok {
			t.Errorf("decodeOnePass gave up on %s", js)
			continue
		}
		slow, err := decodeByTree([]byte(js))
		if err != nil {
			t.Errorf("decodeByTree refused %s: %v", js, err)
			continue
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("decodings of %s differ:\none pass %#v\ntree     %#v", js, fast, slow)
		}
	}
}

func TestOnePassLeavesRefusalsToTheTree(t *testing.T) {
	for _, js := range []string{
		``, ` `, `null`, `[]`, `"ReturnClientCall"`, `{}`, `{"type":7}`, `{"type":"DeleteEverything"}`,
		`{"type":"ReturnClientCall"`, `{"type":"ReturnClientCall",}`, `{"type":"ReturnClientCall"} {}`,
		`{"type":"ReturnClientCall"} x`, `{"type":"ReturnClientCall","concern_id":"K1","concern_id":"K2"}`,
		`{"type":"ReturnClientCall","type":"ReturnClientCall"}`, `{"\u0074ype":"ReturnClientCall"}`,
		`{"type":"ReturnClientCall","Concern_ID":"K1"}`,
		`{"type":"ReturnClientCall","concern_id":null}`, `{"type":"ReturnClientCall","expected_version":null}`,
		`{"type":"ReturnClientCall","expected_version":-1}`, `{"type":"ReturnClientCall","expected_version":1.0}`,
		`{"type":"ReturnClientCall","expected_version":1e2}`, `{"type":"ReturnClientCall","expected_version":01}`,
		`{"type":"ReturnClientCall","expected_version":18446744073709551616}`, `{"type":"ReturnClientCall","expected_version":"1"}`,
		`{"type":"ReturnClientCall","occurred_at":"2026-03-30"}`, `{"type":"ReturnClientCall","occurred_at":1}`,
		`{"type":"ReturnClientCall","actor":null}`, `{"type":"ReturnClientCall","actor":[]}`,
		`{"type":"ReturnClientCall","actor":{"staff_id":"a","role":"b","x":1}}`,
		`{"type":"ReturnClientCall","concern_id":"K\x01"}`, `{"type":"ReturnClientCall","concern_id":"K\q"}`,
		`{"type":"ReturnClientCall","concern_id":"K\u12"}`, `{"type":"ReturnClientCall","concern_id":"K1`,
		`{"type":"RecordFileReview","findings":null}`, `{"type":"RecordFileReview","findings":[1]}`,
		`{"type":"RecordFileReview","findings":[{"negative":"yes"}]}`, `{"type":"RecordFileReview","findings":[{},]}`,
		`{"type":"ReceiveWSQRFindings","work_verification":{"correct":9.5}}`, `{"type":"ReceiveWSQRFindings","work_verification":{"correct":-}}`,
		`{"type":"ReceiveWSQRFindings","work_verification":{"correct":1.}}`, `{"type":"ReceiveWSQRFindings","work_verification":{"correct":1e}}`,
		`{"type":"RecordFileReview","findings":[{"negative":tru}]}`, `{"type":"RecordFileReview","findings":[{"negative":truex}]}`,
		`{"x":[[[[{"y":1}]]]],"type":"ReturnClientCall","z":1}`,
	} {
		if cmd, ok := decodeOnePass(js); ok {
			t.Errorf("decodeOnePass accepted %s as %#v", js, cmd)
		}
	}
}

// FuzzOnePassMatchesTree checks that whatever decodeOnePass accepts, decodeByTree accepts too
// and decodes to the same command.
func FuzzOnePassMatchesTree(f *testing.F) {
	for _, js := range onePassSamples() {
		f.Add([]byte(js))
	}
	f.Add([]byte(`{"type":"ReportCaseload","cases":[{"case_id":1e400}]}`))
	f.Add([]byte(`{"type":"ReturnClientCall","expected_version":18446744073709551616}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) { // DecodeCommand refuses such text before either decoder
			return
		}
		fast, ok := decodeOnePass(string(data))
		if !ok {
			return
		}
		slow, err := decodeByTree(data)
		if err != nil {
			t.Fatalf("decodeOnePass accepted what decodeByTree refuses (%v): %q", err, data)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("decodings of %q differ:\none pass %#v\ntree     %#v", data, fast, slow)
		}
	})
}
