package evidence_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
)

var update = flag.Bool("update", false, "rewrite testdata/worked-example.txt")

// exampleKey is a signing key made from a fixed seed, so that the example's signature (Ed25519
// is deterministic) is the same every run.
func exampleKey() (skey, vkey string) {
	seed := sha256.Sum256([]byte("wsledger worked example"))
	pub := append([]byte{1}, ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)...)
	h := sha256.Sum256(append([]byte("wsledger\n"), pub...))
	hash := binary.BigEndian.Uint32(h[:4])
	skey = fmt.Sprintf("PRIVATE+KEY+wsledger+%08x+%s", hash, base64.StdEncoding.EncodeToString(append([]byte{1}, seed[:]...)))
	vkey = fmt.Sprintf("wsledger+%08x+%s", hash, base64.StdEncoding.EncodeToString(pub))
	return skey, vkey
}

// exampleEvents are the stored bytes of two events of provider north, sealed as the log seals
// them.
func exampleEvents(t *testing.T) [][]byte {
	t.Helper()
	at := time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)
	envs := []events.Envelope{
		{ID: "0195587a-3c00-7000-8000-000000000001", Type: events.TypeProviderRegistered, Version: 1, Provider: "north",
			AggregateKind: "provider", Aggregate: "5c2a3a1e-9d6b-5b1f-8d0e-1f6a2c9e4b10", OccurredAt: at, RecordedAt: at,
			Actor: events.Actor{StaffID: "ad1", Role: events.RoleAdmin}, IdempotencyKey: "reg-north",
			Payload: json.RawMessage(`{"name":"North Work Services","region":"southcentral"}`), Position: 1},
		{ID: "0195587a-3c00-7000-8000-000000000002", Type: events.TypeClientCallReceived, Version: 1, Provider: "north",
			AggregateKind: "concern", Aggregate: "9b1d7c4e-2f3a-5e8b-a6c1-3d4e5f607182", OccurredAt: at.Add(time.Hour), RecordedAt: at.Add(time.Hour),
			Actor: events.Actor{StaffID: "cm1", Role: events.RoleCaseManager}, IdempotencyKey: "call-1",
			Payload: json.RawMessage(`{"client_number":"12345678","concern_id":"Q-1","summary":"Benefit late."}`), Position: 2},
	}
	var out [][]byte
	prev := ""
	for i := range envs {
		envs[i].PrevHash = prev
		data, err := events.Seal(&envs[i])
		if err != nil {
			t.Fatal(err)
		}
		prev = envs[i].Hash
		out = append(out, data)
	}
	return out
}

// TestWorkedExample computes the example docs/architecture.md works through by hand (two
// events' stored bytes, their leaf hashes, the root, the checkpoint and its signature) and
// checks that the document shows exactly that, and that the signature checks with nothing but
// crypto/ed25519 and the verifier key, as a reader with a stock library would check it.
func TestWorkedExample(t *testing.T) {
	skey, vkey := exampleKey()
	raw := exampleEvents(t)
	var tree evidence.Tree
	var b strings.Builder
	fmt.Fprintf(&b, "event 1, stored bytes (%d):\n%s\n\nevent 2, stored bytes (%d):\n%s\n\n", len(raw[0]), raw[0], len(raw[1]), raw[1])
	for i, r := range raw {
		l := evidence.LeafHash(r)
		tree.Append(l)
		fmt.Fprintf(&b, "leaf hash %d = SHA-256(00 || event %d) = %s\n", i, i+1, evidence.Hex(l))
	}
	root, err := tree.Root(2)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "root = SHA-256(01 || leaf hash 0 || leaf hash 1) = %s\n\n", evidence.Hex(root))
	msg, err := evidence.Sign(evidence.Checkpoint{Origin: evidence.Origin("wsledger", "north"), Size: 2, Root: root}, skey)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "verifier key: %s\n\nsigned checkpoint:\n%s", vkey, msg)
	got := b.String()

	// The signature, checked as an outsider would: the key is the verifier key's base64 part
	// without its first byte (the algorithm, 01); the signature is the signature line's base64
	// part without its first four bytes (the key hash); the message is the body.
	pub, _ := base64.StdEncoding.DecodeString(vkey[strings.LastIndex(vkey, "+")+1:])
	body, sigLine, _ := strings.Cut(string(msg), "\n\n")
	sig, _ := base64.StdEncoding.DecodeString(strings.Fields(sigLine)[2])
	if !ed25519.Verify(pub[1:], []byte(body+"\n"), sig[4:]) {
		t.Fatal("the example's signature does not verify with crypto/ed25519")
	}
	if _, err := evidence.Open(msg, vkey); err != nil {
		t.Fatal(err)
	}

	golden := "testdata/worked-example.txt"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("the worked example changed (rewrite with -update once reviewed):\n%s", got)
	}
	doc, err := os.ReadFile("../../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), got) {
		t.Fatalf("docs/architecture.md does not show the worked example as the code computes it:\n%s", got)
	}
}
