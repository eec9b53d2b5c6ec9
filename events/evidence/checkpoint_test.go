package evidence_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wsledger/wsledger/events/evidence"
)

func signedCheckpoint(t *testing.T, skey string, size int) []byte {
	t.Helper()
	root, err := evidence.RootOf(leaves(size))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := evidence.Sign(evidence.Checkpoint{Origin: evidence.Origin("wsledger", "north"), Size: int64(size), Root: root}, skey)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// TestCheckpointSignatures signs a checkpoint, cosigns it as two witnesses, and opens it with
// the ledger's verifier key and the witnesses': the ledger's signature is required, a witness's
// counts only when its key is given, and a changed body, another ledger key or a forged line is
// refused.
func TestCheckpointSignatures(t *testing.T) {
	skey, vkey, err := evidence.GenerateKey("wsledger")
	if err != nil {
		t.Fatal(err)
	}
	if derived, err := evidence.VerifierKey(skey); err != nil || derived != vkey {
		t.Fatalf("verifier key derived from the signer key: %q, %v; want %q", derived, err, vkey)
	}
	w1s, w1v, _ := evidence.GenerateKey("wsta-anchorage")
	w2s, w2v, _ := evidence.GenerateKey("wsta-juneau")
	msg := signedCheckpoint(t, skey, 10)
	if !bytes.HasPrefix(msg, []byte("wsledger/north\n10\n")) {
		t.Fatalf("checkpoint note:\n%s", msg)
	}
	c1, err := evidence.Cosign(msg, w1s)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := evidence.Cosign(c1, w2s)
	if err != nil {
		t.Fatal(err)
	}
	s, err := evidence.Open(c2, vkey, w1v, w2v)
	if err != nil {
		t.Fatal(err)
	}
	if s.Size != 10 || s.Origin != "wsledger/north" || len(s.Cosignatures) != 2 {
		t.Fatalf("opened %+v", s)
	}
	if p, err := s.Provider("wsledger"); err != nil || p != "north" {
		t.Fatalf("provider %q, %v", p, err)
	}
	if s, err := evidence.Open(c2, vkey, w1v); err != nil || len(s.Cosignatures) != 1 {
		t.Fatalf("with one witness key known: %+v, %v", s, err)
	}
	// Lines received apart are merged, one per signer.
	lines := evidence.CosignatureLines(c1, "wsta-anchorage")
	merged, err := evidence.WithSignatureLines(msg, lines)
	if err != nil || !bytes.Equal(merged, c1) {
		t.Fatalf("merged cosignature:\n%s\nwant\n%s (%v)", merged, c1, err)
	}

	_, otherV, _ := evidence.GenerateKey("wsledger")
	forgedBody := bytes.Replace(msg, []byte("\n10\n"), []byte("\n11\n"), 1)
	for name, tt := range map[string]struct {
		msg  []byte
		vkey string
	}{
		"a changed size":         {forgedBody, vkey},
		"another key, same name": {msg, otherV},
		"a witness's note only":  {mustCosignOnly(t, w1s), vkey},
	} {
		if _, err := evidence.Open(tt.msg, tt.vkey, w1v); err == nil {
			t.Errorf("%s: opened", name)
		} else if !strings.Contains(err.Error(), "signature") {
			t.Errorf("%s: %v, want a signature error", name, err)
		}
	}
}

// mustCosignOnly is a checkpoint that only a witness signed.
func mustCosignOnly(t *testing.T, wskey string) []byte {
	t.Helper()
	root, _ := evidence.RootOf(leaves(3))
	body := evidence.Checkpoint{Origin: "wsledger/north", Size: 3, Root: root}.Body()
	out, err := evidence.Cosign(append(body, []byte("\n— nobody AAAA\n")...), wskey)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Replace(out, []byte("— nobody AAAA\n"), nil, 1)
}
