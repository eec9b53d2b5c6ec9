package backup

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// apiTimeout bounds one JetStream API request; a restore's last answer waits for the whole
// stream to be written, so it gets restoreDoneTimeout.
const (
	apiTimeout         = 30 * time.Second
	restoreDoneTimeout = 10 * time.Minute
)

// request sends a JetStream API request and decodes the answer into resp, whose Error member
// must be a *jetstream.APIError field reachable through errOf.
func request(ctx context.Context, nc *nats.Conn, subject string, req any, timeout time.Duration, resp any, errOf func() *jetstream.APIError) error {
	var data []byte
	if req != nil {
		var err error
		if data, err = json.Marshal(req); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m, err := nc.RequestWithContext(ctx, subject, data)
	if err != nil {
		return fmt.Errorf("%s: %w", subject, err)
	}
	if err := json.Unmarshal(m.Data, resp); err != nil {
		return fmt.Errorf("%s: answer %q: %w", subject, m.Data, err)
	}
	if e := errOf(); e != nil {
		return e
	}
	return nil
}
