package wsta

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// PublishDigest verifies a provider's history, exports its digest (events.ExportDigest) and
// publishes it to wsta.<provider>.digest. The message id names the provider, position and hash,
// so asking twice for the same head within the duplicate window publishes it once. A damaged
// history has no digest and publishes nothing.
func (f *Feed) PublishDigest(ctx context.Context, provider string) (events.Digest, error) {
	d, err := events.ExportDigest(ctx, f.log, provider, f.opts.Now())
	if err != nil {
		return events.Digest{}, err
	}
	body, err := json.Marshal(d)
	if err != nil {
		return events.Digest{}, err
	}
	m := nats.NewMsg(Subject(provider, KindDigest))
	m.Data = body
	m.Header.Set(jetstream.MsgIDHeader, fmt.Sprintf("digest:%s:%d:%s", provider, d.Position, d.Hash))
	m.Header.Set(HeaderKind, KindDigest)
	if err := f.publish(ctx, m, 0); err != nil {
		return events.Digest{}, err
	}
	return d, nil
}
