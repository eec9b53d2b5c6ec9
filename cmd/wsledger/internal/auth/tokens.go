package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
)

// ErrUnauthenticated is returned for a token that is missing, malformed, unknown or revoked.
// It never says which, so that a guess learns nothing.
var ErrUnauthenticated = errors.New("the bearer token is missing, unknown or revoked")

// tokenPrefix marks wsledger tokens, so that a leaked one is recognisable (secret scanners).
const tokenPrefix = "wsl_"

// Record is what the ledger keeps of a token: never the token itself, only its SHA-256.
type Record struct {
	ID        string    `json:"id"`
	Hash      string    `json:"sha256"`
	StaffID   string    `json:"staff_id"`
	Role      string    `json:"role"`
	Provider  string    `json:"provider"`
	Label     string    `json:"label,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Principal returns who the token stands for.
func (r Record) Principal() Principal {
	return Principal{TokenID: r.ID, StaffID: r.StaffID, Role: r.Role, Provider: r.Provider}
}

// Tokens is the token store: a JetStream key-value bucket on the ledger's connection, keyed by
// token id. Keeping it beside the ledger (not in a file) means every wsledger process on a
// cluster sees the same tokens and a revocation reaches every one of them. A serving process
// runs Watch, which keeps a copy of the bucket in memory, so that checking the token of a
// request asks the server nothing.
type Tokens struct {
	kv   jetstream.KeyValue
	conn *nats.Conn
	now  func() time.Time
	seen tokenCopy
}

// OpenTokens opens (creating when needed) the token bucket with the ledger's replica count.
func OpenTokens(ctx context.Context, js jetstream.JetStream, replicas int, now func() time.Time) (*Tokens, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      natsauth.TokenBucket,
		Description: "wsledger API tokens (SHA-256 hashes only)",
		History:     8,
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("open the token bucket: %w", err)
	}
	return &Tokens{kv: kv, conn: js.Conn(), now: now}, nil
}

// Create issues a token for a grant and returns it with its record. The token is shown once:
// only its hash is stored.
func (t *Tokens) Create(ctx context.Context, g Grant) (string, Record, error) {
	if err := g.Check(); err != nil {
		return "", Record{}, err
	}
	for range 3 {
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return "", Record{}, err
		}
		token := tokenPrefix + base64.RawURLEncoding.EncodeToString(secret)
		hash := hashOf(token)
		r := Record{ID: hash[:16], Hash: hash, StaffID: g.StaffID, Role: g.Role, Provider: g.Provider,
			Label: g.Label, CreatedAt: t.now().UTC()}
		data, _ := json.Marshal(r)
		_, err := t.kv.Create(ctx, r.ID, data)
		if errors.Is(err, jetstream.ErrKeyExists) {
			continue // an id collision: draw again
		}
		if err != nil {
			return "", Record{}, fmt.Errorf("store the token: %w", err)
		}
		return token, r, nil
	}
	return "", Record{}, errors.New("could not draw an unused token id")
}

// Authenticate returns the principal of a valid token, or ErrUnauthenticated.
func (t *Tokens) Authenticate(ctx context.Context, token string) (Principal, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 128 {
		return Principal{}, ErrUnauthenticated
	}
	hash := hashOf(token)
	r, ok := t.seen.lookup(hash[:16], t.conn)
	var err error
	if !ok {
		r, err = t.get(ctx, hash[:16])
	}
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, err
	}
	if subtle.ConstantTimeCompare([]byte(r.Hash), []byte(hash)) != 1 || !r.RevokedAt.IsZero() {
		return Principal{}, ErrUnauthenticated
	}
	return r.Principal(), nil
}

// List returns every token record, revoked ones included, oldest first.
func (t *Tokens) List(ctx context.Context) ([]Record, error) {
	keys, err := t.kv.ListKeys(ctx)
	if err != nil {
		return nil, err
	}
	var out []Record
	for id := range keys.Keys() {
		r, err := t.get(ctx, id)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Record) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// ErrNoSuchToken is returned by Revoke for an id no token has.
var ErrNoSuchToken = errors.New("no token has this id")

// Revoke marks a token revoked; it stays listed. Revoking twice is not an error.
func (t *Tokens) Revoke(ctx context.Context, id string) (Record, error) {
	entry, err := t.kv.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrInvalidKey) {
		return Record{}, ErrNoSuchToken
	}
	if err != nil {
		return Record{}, err
	}
	var r Record
	if err := json.Unmarshal(entry.Value(), &r); err != nil {
		return Record{}, fmt.Errorf("token %s: %w", id, err)
	}
	if !r.RevokedAt.IsZero() {
		return r, nil
	}
	r.RevokedAt = t.now().UTC()
	data, _ := json.Marshal(r)
	rev, err := t.kv.Update(ctx, id, data, entry.Revision())
	if err != nil {
		return Record{}, fmt.Errorf("revoke token %s: %w", id, err)
	}
	t.seen.put(id, r, rev) // refused from now on in this process, before its watch hears of it
	return r, nil
}

func (t *Tokens) get(ctx context.Context, id string) (Record, error) {
	entry, err := t.kv.Get(ctx, id)
	if err != nil {
		return Record{}, err
	}
	var r Record
	if err := json.Unmarshal(entry.Value(), &r); err != nil {
		return Record{}, fmt.Errorf("token %s: %w", id, err)
	}
	return r, nil
}

func hashOf(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Rotate issues a new token with the grant of token id and revokes the old one, in that order,
// so that a failure between the two leaves the holder a working token.
func (t *Tokens) Rotate(ctx context.Context, id string) (string, Record, error) {
	old, err := t.get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrInvalidKey) {
		return "", Record{}, ErrNoSuchToken
	}
	if err != nil {
		return "", Record{}, err
	}
	if !old.RevokedAt.IsZero() {
		return "", Record{}, ErrRevoked
	}
	token, rec, err := t.Create(ctx, Grant{StaffID: old.StaffID, Role: old.Role, Provider: old.Provider, Label: old.Label})
	if err != nil {
		return "", Record{}, err
	}
	if _, err := t.Revoke(ctx, id); err != nil {
		return "", Record{}, err
	}
	return token, rec, nil
}

// ErrRevoked is returned by Rotate for a token already revoked.
var ErrRevoked = errors.New("the token is revoked; create a new one")
