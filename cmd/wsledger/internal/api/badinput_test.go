package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// badCase is one malformed request and the refusal it must get.
type badCase struct {
	name   string
	method string // default POST
	path   string // default /v1/commands
	who    string // token name; default cm
	auth   string // raw Authorization header, overriding who when set
	body   []byte
	status int
	code   string
	field  string // "" when no single field is at fault
	denial bool   // a 403 the rules record as an AccessDenied event: exactly one event appended (the API's own refusals append none)
}

// knownBugs are cases the server gets wrong today, by case name (none at present).
var knownBugs = map[string]string{}

// object is a command as a JSON object that cases change one member at a time.
type object map[string]any

func (o object) with(key string, v any) object {
	c := maps.Clone(o)
	c[key] = v
	return c
}

func (o object) without(key string) object {
	c := maps.Clone(o)
	delete(c, key)
	return c
}

func (o object) json() []byte {
	b, err := json.Marshal(o)
	if err != nil {
		panic(err)
	}
	return b
}

// commandBases are valid commands whose top-level string fields the corpus breaks one by one.
var commandBases = []struct {
	who     string
	command object
	fields  []string // required string fields of the command itself
}{
	{"cm", object{"type": "ReceiveClientCall", "provider": "north", "concern_id": "B1", "client_number": "12345678", "summary": "s"},
		[]string{"concern_id", "client_number", "summary"}},
	{"cm", object{"type": "ResolveConcern", "provider": "north", "concern_id": "B404", "clno_date": "2026-03-02", "summary": "s", "level": "case_manager"},
		[]string{"concern_id", "clno_date", "summary", "level"}},
	{"cm", object{"type": "DeclareConcernUnresolved", "provider": "north", "concern_id": "B404", "reason": "r"},
		[]string{"concern_id", "reason"}},
}

func invalidCase(name, who string, body []byte, field string) badCase {
	return badCase{name: name, who: who, body: body, status: http.StatusBadRequest, code: "invalid", field: field}
}

func badInputCorpus() []badCase {
	var cases []badCase
	wrongTypes := map[string]any{"number": 42, "bool": true, "array": []any{"x"}, "object": map[string]any{"x": 1}}
	kinds := slices.Sorted(maps.Keys(wrongTypes))
	for _, b := range commandBases {
		name := b.command["type"].(string)
		for _, f := range append([]string{"provider", "idempotency_key", "occurred_at"}, b.fields...) {
			for _, k := range kinds {
				cases = append(cases, invalidCase(fmt.Sprintf("%s %s as %s", name, f, k), b.who, b.command.with(f, wrongTypes[k]).json(), f))
			}
		}
		for _, f := range append([]string{"type", "provider"}, b.fields...) {
			field := f
			cases = append(cases, invalidCase(fmt.Sprintf("%s without %s", name, f), b.who, b.command.without(f).json(), field))
		}
		cases = append(cases,
			invalidCase(name+" with an unknown field", b.who, b.command.with("colour", "red").json(), "colour"),
			invalidCase(name+" with an unknown actor field", b.who, b.command.with("actor", map[string]any{"staff_id": "cm1", "role": "case_manager", "nickname": "x"}).json(), "actor.nickname"),
			invalidCase(name+" with a string expected_version", b.who, b.command.with("expected_version", "1").json(), "expected_version"),
			invalidCase(name+" with a negative expected_version", b.who, b.command.with("expected_version", -1).json(), "expected_version"),
			invalidCase(name+" with a fractional expected_version", b.who, b.command.with("expected_version", 1.5).json(), "expected_version"),
		)
	}
	call := commandBases[0].command
	for _, k := range kinds {
		cases = append(cases, invalidCase("type as "+k, "cm", call.with("type", wrongTypes[k]).json(), "type"))
	}
	for _, id := range []string{"a.b", "*", ">", "a b", "a\tb", "ledger.>", "", strings.Repeat("x", 300)} {
		cases = append(cases, invalidCase(fmt.Sprintf("concern_id %.20q", id), "cm", call.with("concern_id", id).json(), "concern_id"))
	}
	for _, p := range []string{"a.b", "*", ">", "north.*", "North", "a b", "-north", strings.Repeat("p", 41)} {
		cases = append(cases, invalidCase(fmt.Sprintf("provider %.20q", p), "cm", call.with("provider", p).json(), "provider"))
	}
	for _, n := range []string{"12ab", "123", "1234567890123", " 12345678", "1234.5678", "*"} {
		cases = append(cases, invalidCase(fmt.Sprintf("client_number %q", n), "cm", call.with("client_number", n).json(), "client_number"))
	}
	for _, at := range []string{"2026-13-45", "2026-13-45T00:00:00Z", "yesterday", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-03-02T25:00:00Z"} {
		cases = append(cases, invalidCase("occurred_at "+at, "cm", call.with("occurred_at", at).json(), "occurred_at"))
	}
	resolve := commandBases[1].command
	for _, d := range []string{"2026-13-45", "2026-02-30", "0000-01-01", "2026-3-2", "02/03/2026"} {
		cases = append(cases, invalidCase("clno_date "+d, "cm", resolve.with("clno_date", d).json(), "clno_date"))
	}
	cases = append(cases, invalidCase("level not a level", "cm", resolve.with("level", "boss").json(), "level"))
	roster := object{"type": "SubmitStaffRoster", "provider": "north", "month": "2026-04",
		"staff": []any{map[string]any{"staff_id": "pm1", "name": "Pat", "role": "program_manager"}}}
	for _, m := range []string{"2026-00", "2026-13", "0000-01", "26-04", "2026-4", "April"} {
		cases = append(cases, invalidCase("roster month "+m, "pm", roster.with("month", m).json(), "month"))
	}
	cases = append(cases,
		invalidCase("roster staff id with a dot", "pm", roster.with("staff", []any{map[string]any{"staff_id": "p.m", "name": "Pat", "role": "program_manager"}}).json(), "staff[0].staff_id"),
		invalidCase("roster staff role unknown", "pm", roster.with("staff", []any{map[string]any{"staff_id": "pm1", "name": "Pat", "role": "king"}}).json(), "staff[0].role"),
	)
	measures := func(num, den any) []byte {
		return object{"type": "PostPerformanceMeasures", "provider": "north", "period": "2026-02",
			"measures": []any{map[string]any{"measure": "m1", "numerator": num, "denominator": den}}}.json()
	}
	cases = append(cases,
		invalidCase("negative numerator", "admin", measures(-1, 2), "measures[0].numerator"),
		invalidCase("negative denominator", "admin", measures(1, -2), "measures[0].denominator"),
		invalidCase("numerator above denominator", "admin", measures(3, 2), "measures[0].numerator"),
		invalidCase("numerator as a string", "admin", measures("1", 2), "measures[0].numerator"),
		invalidCase("fractional denominator", "admin", measures(1, 2.5), "measures[0].denominator"),
		invalidCase("numerator beyond int64", "admin", measures(json.Number("99999999999999999999"), 2), "measures[0].numerator"),
	)
	wsqr := func(correct, reviewed any) []byte {
		return object{"type": "ReceiveWSQRFindings", "provider": "north", "wsqr_id": "W1", "period": "2026-Q1",
			"work_verification": map[string]any{"correct": correct, "reviewed": reviewed}}.json()
	}
	cases = append(cases,
		invalidCase("WSQR correct above reviewed", "pm", wsqr(11, 10), "work_verification.correct"),
		invalidCase("WSQR negative reviewed", "pm", wsqr(0, -1), "work_verification.reviewed"),
		invalidCase("client_number on ReturnClientCall", "cm", []byte(`{"type":"ReturnClientCall","provider":"north","concern_id":"B1","client_number":"12345678"}`), "client_number"),
		invalidCase("client_number on DeclareConcernUnresolved", "cm", commandBases[2].command.with("client_number", "12345678").json(), "client_number"),
		invalidCase("client_number in the actor", "cm", call.with("actor", map[string]any{"staff_id": "cm1", "role": "case_manager", "client_number": "12345678"}).json(), "actor.client_number"),
	)
	for _, typ := range []string{"Nope", "receiveclientcall", "", "Drop Table", "ReceiveClientCall.x", "*"} {
		cases = append(cases, invalidCase(fmt.Sprintf("unknown command type %q", typ), "cm", call.with("type", typ).json(), "type"))
	}
	good := string(call.json())
	for name, body := range map[string]string{
		"empty body":            "",
		"white space only":      " \n\t",
		"null":                  "null",
		"a JSON array":          "[" + good + "]",
		"an empty array":        "[]",
		"a number":              "42",
		"a string":              `"ReceiveClientCall"`,
		"not JSON":              "type=ReceiveClientCall&provider=north",
		"an unfinished object":  `{"type":`,
		"trailing garbage":      good + " x",
		"two objects":           good + good,
		"a single-quoted key":   `{'type':'ReceiveClientCall'}`,
		"a trailing comma":      strings.TrimSuffix(good, "}") + ",}",
		"a byte order mark":     "\ufeff" + good,
		"invalid UTF-8":         strings.Replace(good, `"s"`, "\"\xff\xfe\"", 1),
		"a lone surrogate byte": strings.Replace(good, `"s"`, "\"\xed\xa0\x80\"", 1),
		"deep nesting":          `{"type":"ReceiveClientCall","provider":"north","summary":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "}",
		"deep object nesting":   strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000),
	} {
		cases = append(cases, invalidCase(name, "cm", []byte(body), ""))
	}
	cases = append(cases,
		invalidCase("duplicate type key", "cm", []byte(`{"type":"ReceiveClientCall","type":"ReturnClientCall","provider":"north","concern_id":"B1","client_number":"12345678","summary":"s"}`), "type"),
		invalidCase("duplicate concern_id key", "cm", []byte(`{"type":"ReceiveClientCall","provider":"north","concern_id":"B1","concern_id":"B2","client_number":"12345678","summary":"s"}`), "concern_id"),
		badCase{name: "a body over 1 MiB", who: "cm", body: call.with("summary", strings.Repeat("x", 1<<20+1)).json(), status: http.StatusRequestEntityTooLarge, code: "invalid"},
		badCase{name: "a huge body of spaces", who: "cm", body: []byte(strings.Repeat(" ", 3<<20)), status: http.StatusRequestEntityTooLarge, code: "invalid"},
		badCase{name: "auditors do not write", who: "auditor", body: call.json(), status: http.StatusForbidden, code: "forbidden", field: "actor"},
		badCase{name: "another provider's command", who: "cm", body: call.with("provider", "south").json(), status: http.StatusForbidden, code: "forbidden", field: "actor"},
		badCase{name: "another actor", who: "cm", body: call.with("actor", map[string]any{"staff_id": "pm1", "role": "program_manager"}).json(), status: http.StatusForbidden, code: "forbidden", field: "actor"},
	)
	for _, m := range []string{"GET", "PUT", "PATCH", "DELETE"} {
		cases = append(cases, badCase{name: m + " /v1/commands", method: m, who: "cm", body: call.json(), status: http.StatusMethodNotAllowed, code: "invalid"})
	}
	cases = append(cases,
		badCase{name: "an unknown endpoint", path: "/v1/command", who: "cm", body: call.json(), status: http.StatusNotFound, code: "not_found"},
		badCase{name: "a path with a subject wildcard", path: "/v1/commands/>", who: "cm", body: call.json(), status: http.StatusNotFound, code: "not_found"},
	)
	for name, header := range map[string]string{
		"no Authorization":     "-",
		"an empty bearer":      "Bearer ",
		"bearer without token": "Bearer",
		"basic credentials":    "Basic YWRtaW46YWRtaW4=",
		"an unknown token":     "Bearer wsl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"a token with a dot":   "Bearer wsl_a.b",
		"a token wildcard":     "Bearer *",
		"a very long token":    "Bearer " + strings.Repeat("A", 4000),
	} {
		cases = append(cases, badCase{name: name, auth: header, body: call.json(), status: http.StatusUnauthorized, code: "unauthenticated"})
	}
	return cases
}

func TestBadInputCorpus(t *testing.T) {
	ls := startServer(t)
	cases := badInputCorpus()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if bug := knownBugs[tc.name]; bug != "" {
				t.Skip("BUG: " + bug)
			}
			before := ls.lastSequence(t)
			r := ls.sendBad(t, tc)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, tc.status, r.body)
			}
			e := r.errorOf(t)
			if e["code"] != tc.code || e["message"] == "" || (tc.field != "" && e["field"] != tc.field) {
				t.Errorf("error %v, want code %q field %q", e, tc.code, tc.field)
			}
			want := before
			if tc.denial {
				want++
			}
			if after := ls.lastSequence(t); after != want {
				t.Errorf("stream at sequence %d after the refusal, want %d", after, want)
			}
			ls.mustSubmit(t, "cm", fmt.Sprintf(`{"type":"ReceiveClientCall","provider":"north","concern_id":"OK%d","client_number":"12345678","summary":"s"}`, i))
		})
	}
	t.Logf("%d malformed requests tried", len(cases))
}

// sendBad sends a case's request as it is, Authorization and all.
func (ls *ledgerServer) sendBad(t *testing.T, tc badCase) response {
	t.Helper()
	method, path := orDefault(tc.method, "POST"), orDefault(tc.path, "/v1/commands")
	if tc.auth == "" {
		return ls.do(t, method, path, ls.tokens[orDefault(tc.who, "cm")], tc.body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, ls.URL+path, strings.NewReader(string(tc.body)))
	if err != nil {
		t.Fatal(err)
	}
	if tc.auth != "-" {
		req.Header.Set("Authorization", tc.auth)
	}
	res, err := ls.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func orDefault(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// lastSequence is the ledger stream's last sequence.
func (ls *ledgerServer) lastSequence(t *testing.T) uint64 {
	t.Helper()
	s, err := ls.store.JetStream().Stream(t.Context(), ls.store.StreamName())
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.LastSeq
}
