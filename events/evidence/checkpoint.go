package evidence

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	tlogfmt "github.com/transparency-dev/formats/log"
	cosig "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
)

// Checkpoint commits to a provider's tree: its origin ("<ledger name>/<provider>"), its size and
// its root hash.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   Hash
}

// Origin returns the origin line of a provider's checkpoints.
func Origin(ledger, provider string) string { return ledger + "/" + provider }

// Body returns the checkpoint's C2SP tlog-checkpoint body: origin, size and base64 root, each
// on a line of its own.
func (c Checkpoint) Body() []byte {
	return tlogfmt.Checkpoint{Origin: c.Origin, Size: uint64(c.Size), Hash: c.Root[:]}.Marshal()
}

// ParseBody reads a checkpoint body. Extension lines after the root are refused: the ledger
// writes none.
func ParseBody(body []byte) (Checkpoint, error) {
	var c tlogfmt.Checkpoint
	rest, err := c.Unmarshal(body)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("evidence: %w", err)
	}
	if len(rest) > 0 {
		return Checkpoint{}, errors.New("evidence: the checkpoint has lines after its root hash")
	}
	var h Hash
	if len(c.Hash) != len(h) || c.Size > 1<<62 {
		return Checkpoint{}, errors.New("evidence: the checkpoint's root is not a SHA-256 hash")
	}
	copy(h[:], c.Hash)
	return Checkpoint{Origin: c.Origin, Size: int64(c.Size), Root: h}, nil
}

// Provider returns the provider of a checkpoint of the named ledger, or an error when the
// origin is another ledger's.
func (c Checkpoint) Provider(ledger string) (string, error) {
	p, ok := strings.CutPrefix(c.Origin, ledger+"/")
	if !ok || p == "" || strings.Contains(p, "/") {
		return "", fmt.Errorf("evidence: the checkpoint's origin %q is not one of ledger %q", c.Origin, ledger)
	}
	return p, nil
}

// GenerateKey returns a new Ed25519 key pair in note format: the signer key (PRIVATE+KEY+...)
// and the verifier key (name+hash+base64key), named name.
func GenerateKey(name string) (skey, vkey string, err error) {
	return note.GenerateKey(rand.Reader, name)
}

// VerifierKey returns the verifier key of a signer key.
func VerifierKey(skey string) (string, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return "", fmt.Errorf("evidence: signing key: %w", err)
	}
	// note keeps the public key inside the signer; the signer key format carries the seed, so
	// the verifier key is derived the way GenerateKey derives it.
	return verifierKeyOf(skey, s.Name())
}

// Sign signs a checkpoint with the ledger's key and returns the note's text.
func Sign(c Checkpoint, skey string) ([]byte, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("evidence: signing key: %w", err)
	}
	msg, err := note.Sign(&note.Note{Text: string(c.Body())}, s)
	if err != nil {
		return nil, fmt.Errorf("evidence: sign: %w", err)
	}
	return msg, nil
}

// Signed is a checkpoint whose ledger signature checked, with the cosignatures that checked.
type Signed struct {
	Checkpoint
	Note []byte // the note as given: body, blank line, signature lines
	// Cosignatures are the witnesses' that verified, by witness name, with the time each
	// witness put in its cosignature.
	Cosignatures map[string]time.Time
}

// Open checks a signed checkpoint against the ledger's verifier key and reads it. witnesses
// are the verifier keys of the witnesses whose cosignatures are to be checked and counted;
// signatures of unknown keys are ignored. A note whose ledger signature does not verify, or
// that the ledger did not sign, is an error.
func Open(msg []byte, ledgerKey string, witnesses ...string) (*Signed, error) {
	lv, err := note.NewVerifier(ledgerKey)
	if err != nil {
		return nil, fmt.Errorf("evidence: verifier key: %w", err)
	}
	vs := []note.Verifier{lv}
	for _, w := range witnesses {
		wv, err := cosig.NewVerifierForCosignatureV1(w)
		if err != nil {
			return nil, fmt.Errorf("evidence: witness key %q: %w", w, err)
		}
		vs = append(vs, wv)
	}
	n, err := note.Open(msg, note.VerifierList(vs...))
	if err != nil {
		var unknown *note.UnverifiedNoteError
		if errors.As(err, &unknown) {
			return nil, errors.New("evidence: the checkpoint carries no signature of the ledger's key")
		}
		return nil, fmt.Errorf("evidence: the checkpoint's signature does not verify: %w", err)
	}
	signed := false
	cosigned := map[string]time.Time{}
	for _, s := range n.Sigs {
		if s.Name == lv.Name() && s.Hash == lv.KeyHash() {
			signed = true
			continue
		}
		t, err := cosig.CoSigV1Timestamp(s)
		if err == nil {
			cosigned[s.Name] = t
		}
	}
	if !signed {
		return nil, errors.New("evidence: the checkpoint carries no signature of the ledger's key")
	}
	c, err := ParseBody([]byte(n.Text))
	if err != nil {
		return nil, err
	}
	return &Signed{Checkpoint: c, Note: msg, Cosignatures: cosigned}, nil
}

// Cosign adds a witness's cosignature (C2SP tlog-cosignature, Ed25519, timestamped now) to a
// signed checkpoint, keeping the signatures it already carries. The caller has checked the
// checkpoint: Cosign only signs.
func Cosign(msg []byte, witnessSkey string) ([]byte, error) {
	s, err := cosig.NewSignerForCosignatureV1(witnessSkey)
	if err != nil {
		return nil, fmt.Errorf("evidence: witness key: %w", err)
	}
	text, sigs, err := splitNote(msg)
	if err != nil {
		return nil, err
	}
	own, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		return nil, fmt.Errorf("evidence: cosign: %w", err)
	}
	_, ownSigs, _ := splitNote(own)
	// Drop an earlier cosignature of the same witness: one per witness.
	var kept []string
	for _, line := range sigs {
		if !strings.HasPrefix(line, "— "+s.Name()+" ") {
			kept = append(kept, line)
		}
	}
	out := text + "\n" + strings.Join(append(kept, ownSigs...), "")
	return []byte(out), nil
}

// CosignatureLines returns the signature lines of a note made by the named signer.
func CosignatureLines(msg []byte, name string) []string {
	_, sigs, err := splitNote(msg)
	if err != nil {
		return nil
	}
	var out []string
	for _, line := range sigs {
		if strings.HasPrefix(line, "— "+name+" ") {
			out = append(out, line)
		}
	}
	return out
}

// WithSignatureLines returns msg with extra signature lines added (a cosignature received
// apart from the checkpoint), replacing any earlier line of the same signer.
func WithSignatureLines(msg []byte, lines []string) ([]byte, error) {
	text, sigs, err := splitNote(msg)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) == 3 {
			names[f[1]] = true
		}
	}
	var kept []string
	for _, l := range sigs {
		if f := strings.Fields(l); len(f) == 3 && names[f[1]] {
			continue
		}
		kept = append(kept, l)
	}
	return []byte(text + "\n" + strings.Join(append(kept, lines...), "")), nil
}

// splitNote splits a note into its text (ending in a newline) and its signature lines (each
// ending in a newline).
func splitNote(msg []byte) (string, []string, error) {
	s := string(msg)
	i := strings.LastIndex(s, "\n\n")
	if i < 0 {
		return "", nil, errors.New("evidence: not a signed note")
	}
	text, block := s[:i+1], s[i+2:]
	var sigs []string
	for block != "" {
		line, rest, ok := strings.Cut(block, "\n")
		if !ok || !strings.HasPrefix(line, "— ") {
			return "", nil, errors.New("evidence: malformed signature line")
		}
		sigs = append(sigs, line+"\n")
		block = rest
	}
	return text, sigs, nil
}
