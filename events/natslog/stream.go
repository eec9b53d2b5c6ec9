package natslog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// streamConfig is the ledger stream: file storage, nothing ever removed (DenyDelete, DenyPurge,
// no rollup, no limits), and a full stream refuses writes (Discard new) rather than dropping
// old events.
func streamConfig(name string, replicas int) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:               name,
		Description:        "wsledger: immutable compliance events",
		Subjects:           []string{events.SubjectPrefix + ".>"},
		Storage:            jetstream.FileStorage,
		Retention:          jetstream.LimitsPolicy,
		Discard:            jetstream.DiscardNew,
		MaxAge:             0,
		MaxBytes:           -1,
		MaxMsgs:            -1,
		MaxMsgsPerSubject:  -1,
		Replicas:           replicas,
		DenyDelete:         true,
		DenyPurge:          true,
		AllowRollup:        false,
		AllowDirect:        true,
		AllowAtomicPublish: true,
		Duplicates:         2 * time.Minute,
	}
}

// ensureStream creates the stream, or checks that an existing one keeps the ledger's guarantees.
func ensureStream(ctx context.Context, js jetstream.JetStream, name string, replicas int) (jetstream.Stream, error) {
	want := streamConfig(name, replicas)
	s, err := js.Stream(ctx, name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		s, err = js.CreateStream(ctx, want)
		if err != nil {
			return nil, fmt.Errorf("natslog: create stream %s: %w", name, err)
		}
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("natslog: look up stream %s: %w", name, err)
	}
	if err := checkStream(s.CachedInfo().Config, want); err != nil {
		return nil, fmt.Errorf("natslog: stream %s: %w", name, err)
	}
	return s, nil
}

// checkStream names the first setting of an existing stream that breaks a ledger guarantee.
func checkStream(got, want jetstream.StreamConfig) error {
	switch {
	case got.Storage != jetstream.FileStorage:
		return errors.New("storage must be file")
	case !slices.Contains(got.Subjects, want.Subjects[0]):
		return fmt.Errorf("subjects %v must include %s", got.Subjects, want.Subjects[0])
	case !got.DenyDelete:
		return errors.New("deny_delete must be true")
	case !got.DenyPurge:
		return errors.New("deny_purge must be true")
	case got.AllowRollup:
		return errors.New("allow_rollup_hdrs must be false")
	case got.MaxAge != 0:
		return fmt.Errorf("max_age must be 0 (no expiry), is %s", got.MaxAge)
	case got.MaxBytes > 0 || got.MaxMsgs > 0 || got.MaxMsgsPerSubject > 0:
		return errors.New("max_bytes, max_msgs and max_msgs_per_subject must be unlimited")
	case got.Discard != jetstream.DiscardNew:
		return errors.New("discard must be new (a full stream refuses writes)")
	case !got.AllowAtomicPublish:
		return errors.New("allow_atomic must be true")
	case !got.AllowDirect:
		return errors.New("allow_direct must be true")
	case got.Replicas != want.Replicas:
		return fmt.Errorf("replicas is %d, configured %d", got.Replicas, want.Replicas)
	}
	return nil
}
