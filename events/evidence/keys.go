package evidence

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// algEd25519 is the signed-note algorithm byte of an Ed25519 key.
const algEd25519 = 1

// verifierKeyOf derives a note verifier key (name+hash+base64(alg||public key)) from a note
// signer key (PRIVATE+KEY+name+hash+base64(alg||seed)), as note.GenerateKey pairs them.
func verifierKeyOf(skey, name string) (string, error) {
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return "", errors.New("evidence: not a note signer key")
	}
	key, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(key) != 1+ed25519.SeedSize || key[0] != algEd25519 {
		return "", errors.New("evidence: not an Ed25519 note signer key")
	}
	pub := append([]byte{algEd25519}, ed25519.NewKeyFromSeed(key[1:]).Public().(ed25519.PublicKey)...)
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(pub)
	vkey := fmt.Sprintf("%s+%08x+%s", name, binary.BigEndian.Uint32(h.Sum(nil)), base64.StdEncoding.EncodeToString(pub))
	if _, err := note.NewVerifier(vkey); err != nil {
		return "", fmt.Errorf("evidence: derived verifier key: %w", err)
	}
	return vkey, nil
}

// CheckName refuses a key name that signed notes cannot carry: empty, or holding a space, a
// plus sign or a control character.
func CheckName(name string) error {
	if name == "" || strings.ContainsAny(name, " +\t\n\r") || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Errorf("evidence: %q cannot name a signing key: use letters, digits, dots, dashes or slashes", name)
	}
	return nil
}
