package backup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// snapshotRequest is JetStream's $JS.API.STREAM.SNAPSHOT request.
type snapshotRequest struct {
	DeliverSubject string `json:"deliver_subject"`
	NoConsumers    bool   `json:"no_consumers,omitempty"`
	ChunkSize      int    `json:"chunk_size,omitempty"`
	CheckMsgs      bool   `json:"jsck,omitempty"`
}

// snapshotResponse is its direct answer: the stream's configuration and state at the snapshot.
type snapshotResponse struct {
	Error  *jetstream.APIError `json:"error,omitempty"`
	Config json.RawMessage     `json:"config"`
	State  json.RawMessage     `json:"state"`
}

// chunkWait bounds the wait for the next chunk of a snapshot; the server gives up on a receiver
// that does not acknowledge within 5 s, so a longer silence means the snapshot has failed.
const chunkWait = 30 * time.Second

// snapshot asks the server for a snapshot of stream (its checksums checked first, without its
// consumers) and writes the chunks to w as they arrive, acknowledging each so that the server
// sends more (flow control). The last message is empty, with a status header that says whether
// the snapshot completed.
func snapshot(ctx context.Context, nc *nats.Conn, stream string, w io.Writer) (snapshotResponse, error) {
	inbox := nc.NewInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		return snapshotResponse{}, err
	}
	defer sub.Unsubscribe()
	if err := sub.SetPendingLimits(-1, -1); err != nil {
		return snapshotResponse{}, err
	}
	var resp snapshotResponse
	req := snapshotRequest{DeliverSubject: inbox, NoConsumers: true, CheckMsgs: true}
	if err := request(ctx, nc, "$JS.API.STREAM.SNAPSHOT."+stream, req, apiTimeout, &resp, func() *jetstream.APIError { return resp.Error }); err != nil {
		return resp, err
	}
	for {
		cctx, cancel := context.WithTimeout(ctx, chunkWait)
		m, err := sub.NextMsgWithContext(cctx)
		cancel()
		if err != nil {
			return resp, fmt.Errorf("snapshot of %s: waiting for the next chunk: %w", stream, err)
		}
		if len(m.Data) == 0 {
			if status := m.Header.Get("Status"); status != "" && status != "204" {
				return resp, fmt.Errorf("snapshot of %s failed: %s %s", stream, status, m.Header.Get("Description"))
			}
			return resp, nil
		}
		if _, err := w.Write(m.Data); err != nil {
			return resp, err
		}
		if m.Reply != "" {
			if err := nc.Publish(m.Reply, nil); err != nil {
				return resp, fmt.Errorf("snapshot of %s: acknowledge a chunk: %w", stream, err)
			}
		}
	}
}

// notFound reports whether err is JetStream's "stream not found".
func notFound(err error) bool {
	var e *jetstream.APIError
	return errors.As(err, &e) && e.ErrorCode == jetstream.JSErrCodeStreamNotFound
}
