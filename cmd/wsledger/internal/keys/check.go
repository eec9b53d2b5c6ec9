package keys

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
)

// ErrOtherKey says that the ledger already uses another key of the same name.
var ErrOtherKey = errors.New("the ledger already uses another key")

// Match checks a key's fingerprint against the one the ledger keeps under name in its
// key-check bucket, and records it there when the ledger has none: every process of one ledger
// must use the same key. A fingerprint is derived from the key one way (it tells nothing of
// the key) and lives in the store; the key never does.
func Match(ctx context.Context, js jetstream.JetStream, replicas int, name, fingerprint string) error {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      natsauth.KeyCheckBucket,
		Description: "wsledger: fingerprints of the keys its processes must share",
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return fmt.Errorf("open the key-check bucket: %w", err)
	}
	_, err = kv.Create(ctx, name, []byte(fingerprint))
	if !errors.Is(err, jetstream.ErrKeyExists) {
		return err
	}
	kept, err := kv.Get(ctx, name)
	if err != nil {
		return err
	}
	if string(kept.Value()) != fingerprint {
		return fmt.Errorf("%w (fingerprint %s, this one's %s)", ErrOtherKey, kept.Value(), fingerprint)
	}
	return nil
}
