package natslog

import (
	"encoding/json"
	"testing"
)

var ackCases = []string{
	`{"stream":"LEDGER","seq":12}`,
	`{"stream":"LEDGER","seq":12,"duplicate":true}`,
	`{"stream":"LEDGER","domain":"hub","seq":7}`,
	`{"stream":"LEDGER","seq":9,"batch":"b","count":3}`,
	`{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 4"},"stream":"LEDGER","seq":0}`,
	`{"stream":"LE\"DGER","seq":1}`,
	`{"stream":"LEDGER","seq":18446744073709551615}`,
	`{"stream":"LEDGER","seq":18446744073709551616}`,
	`{"stream":"LEDGER","seq":}`,
	`{"stream":"LEDGER","seq":1}x`,
	"{\"stream\":\"\x0e\",\"seq\":0}",
}

// TestParseAckAgreesWithJSON checks the hand-read acknowledgements against encoding/json.
func TestParseAckAgreesWithJSON(t *testing.T) {
	for _, c := range ackCases {
		checkAck(t, []byte(c))
	}
}

func FuzzParseAck(f *testing.F) {
	for _, c := range ackCases {
		f.Add([]byte(c))
	}
	f.Fuzz(checkAck)
}

func checkAck(t *testing.T, data []byte) {
	got, err := parseAck(data)
	var want pubAck
	werr := json.Unmarshal(data, &want)
	if (err == nil) != (werr == nil) {
		t.Fatalf("parseAck(%s): error %v, encoding/json %v", data, err, werr)
	}
	if err == nil && (got.Seq != want.Seq || got.Count != want.Count || (got.Error == nil) != (want.Error == nil)) {
		t.Fatalf("parseAck(%s) = %+v, encoding/json %+v", data, got, want)
	}
}
