package natslog

import (
	"context"
	"errors"
	"net/http"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

var (
	// errClosed is an append to a log that is closing or closed.
	errClosed = errors.New("natslog: log is closed")
	// errStalled is a read on a cluster that stalled twice, most likely during an election.
	errStalled = errors.New("natslog: read stalled")
)

// Append implements events.Log. A log whose stream has lost events at its end refuses appends
// (see markDamaged). An append that failed because the store did not answer, or
// because other writers kept moving the stream on, returns an events.Unavailable error: the
// caller retries with the same idempotency key, which stores the command at most once.
func (l *Log) Append(ctx context.Context, reqs ...events.AppendRequest) ([]events.AppendResult, error) {
	if err := l.refusal(); err != nil {
		return nil, err
	}
	res, err := l.appendOnce(ctx, reqs...)
	if err != nil && retryable(ctx, err) {
		l.log.Warn("append unavailable; the client may retry", "error", err)
		return nil, events.Errorf(events.Unavailable, "",
			"The ledger's store did not answer in time or is electing a leader; retry the same request with the same idempotency key.")
	}
	return res, err
}

// readAnswer returns a read's error as its caller should see it: an events.Unavailable error
// when the store did not answer (see retryable), so that a client retries instead of taking it
// for the ledger's fault; err itself otherwise.
func (l *Log) readAnswer(ctx context.Context, op string, err error) error {
	if err == nil || !retryable(ctx, err) {
		return err
	}
	l.log.Warn(op+" unavailable; the client may retry", "error", err)
	return events.Errorf(events.Unavailable, "",
		"The ledger's store did not answer in time or is electing a leader; retry the request.")
}

// retryable reports whether err says the store was unreachable or busy rather than that the
// request or the ledger is at fault.
func retryable(ctx context.Context, err error) bool {
	var e *events.Error
	var pe *pubError
	var api *jetstream.APIError
	switch {
	case errors.As(err, &e):
		return false // the ledger's own answer (conflict, invalid, damage)
	case ctx.Err() != nil:
		// The caller gave up; when its deadline passed, the store did not answer in time.
		return errors.Is(ctx.Err(), context.DeadlineExceeded)
	case errors.Is(err, errUnacknowledged), errors.Is(err, errClosed), errors.Is(err, errStalled),
		errors.Is(err, nats.ErrNoResponders), errors.Is(err, nats.ErrTimeout),
		errors.Is(err, nats.ErrConnectionClosed), errors.Is(err, nats.ErrConnectionReconnecting),
		errors.Is(err, jetstream.ErrNoStreamResponse), errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &pe):
		return pe.casFailed() || pe.Code == http.StatusServiceUnavailable
	case errors.As(err, &api):
		return api.Code == http.StatusServiceUnavailable
	}
	return false
}
