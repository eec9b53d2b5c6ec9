package natslog

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DefaultWait is how long Open waits, by default, for NATS servers that are starting.
const DefaultWait = 2 * time.Minute

// dialWaiting connects to opts.URL, trying again while the servers are not reachable, until
// opts.Wait has passed or ctx ends, and says in the log what it waits for.
func dialWaiting(ctx context.Context, opts Options) (*nats.Conn, error) {
	var nc *nats.Conn
	err := waitFor(ctx, opts, "the NATS servers to accept connections", func() (bool, error) {
		var err error
		nc, err = connect(opts)
		return err != nil && transientConnect(err), err
	})
	return nc, err
}

// openStreamWaiting creates or checks the stream, trying again while the cluster is forming
// (no JetStream leader yet, too few servers to place the replicas, requests unanswered).
func openStreamWaiting(ctx context.Context, opts Options, js jetstream.JetStream, replicas int) (jetstream.Stream, error) {
	var s jetstream.Stream
	err := waitFor(ctx, opts, "JetStream to be ready", func() (bool, error) {
		var err error
		s, err = ensureStream(ctx, js, opts.Stream, replicas)
		return err != nil && transientJetStream(err), err
	})
	return s, err
}

// waitFor calls try until it succeeds, fails for good, or the wait runs out, logging what it
// waits for every few seconds.
func waitFor(ctx context.Context, opts Options, what string, try func() (again bool, err error)) error {
	wait := opts.Wait
	if wait == 0 {
		wait = DefaultWait
	}
	start := time.Now()
	delay, logged := 250*time.Millisecond, time.Time{}
	for {
		again, err := try()
		if !again {
			return err
		}
		if time.Since(start) > wait || wait < 0 {
			return fmt.Errorf("%w (waited %s for %s)", err, time.Since(start).Round(time.Second), what)
		}
		if time.Since(logged) >= 5*time.Second {
			opts.Logger.Info("waiting for "+what, "waited", time.Since(start).Round(time.Second).String(), "last_error", err.Error())
			logged = time.Now()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (stopped waiting for %s)", err, what)
		case <-time.After(delay):
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// transientConnect reports a connection failure that a starting server can cause.
func transientConnect(err error) bool {
	return errors.Is(err, nats.ErrNoServers) || errors.Is(err, nats.ErrTimeout)
}

// JetStream error codes of a cluster that is forming.
const (
	errClusterNotAvailable   = 10008 // no meta leader yet
	errInsufficientResources = 10023 // too few servers yet to place the replicas
)

// transientJetStream reports a JetStream failure that a forming cluster can cause.
func transientJetStream(err error) bool {
	var api *jetstream.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode {
		case errClusterNotAvailable, errInsufficientResources, jetstream.JSErrCodeJetStreamNotEnabled:
			return true
		}
		return api.Code == http.StatusServiceUnavailable
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) ||
		errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrJetStreamNotEnabled)
}
