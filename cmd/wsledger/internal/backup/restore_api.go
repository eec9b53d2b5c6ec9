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

// restoreRequest is JetStream's $JS.API.STREAM.RESTORE request: the stream to create.
type restoreRequest struct {
	Config json.RawMessage `json:"config"`
	State  json.RawMessage `json:"state"`
}

// restoreResponse names the subject to send the snapshot's chunks to.
type restoreResponse struct {
	Error          *jetstream.APIError `json:"error,omitempty"`
	DeliverSubject string              `json:"deliver_subject"`
}

// createResponse is the answer to the last (empty) chunk: the restored stream, or why not.
type createResponse struct {
	Error *jetstream.APIError `json:"error,omitempty"`
	State struct {
		Msgs    uint64 `json:"messages"`
		Bytes   uint64 `json:"bytes"`
		LastSeq uint64 `json:"last_seq"`
	} `json:"state"`
}

// restoreChunk is how much of a snapshot one message carries.
const restoreChunk = 128 << 10

// restoreStream creates a stream from a snapshot: the server answers the request with a subject,
// every chunk sent there as a request is acknowledged once written (flow control), and an empty
// chunk ends the transfer and is answered when the stream has been rebuilt.
func restoreStream(ctx context.Context, nc *nats.Conn, name string, config, state json.RawMessage, r io.Reader) (createResponse, error) {
	var rr restoreResponse
	req := restoreRequest{Config: config, State: state}
	if err := request(ctx, nc, "$JS.API.STREAM.RESTORE."+name, req, apiTimeout, &rr, func() *jetstream.APIError { return rr.Error }); err != nil {
		return createResponse{}, err
	}
	buf := make([]byte, restoreChunk)
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			var ack struct {
				Error *jetstream.APIError `json:"error,omitempty"`
			}
			m, rerr := sendChunk(ctx, nc, rr.DeliverSubject, buf[:n])
			if rerr != nil {
				return createResponse{}, fmt.Errorf("restore of %s: send a chunk: %w", name, rerr)
			}
			if len(m.Data) > 0 && json.Unmarshal(m.Data, &ack) == nil && ack.Error != nil {
				return createResponse{}, fmt.Errorf("restore of %s: %w", name, ack.Error)
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return createResponse{}, err
		}
	}
	var done createResponse
	err := request(ctx, nc, rr.DeliverSubject, nil, restoreDoneTimeout, &done, func() *jetstream.APIError { return done.Error })
	return done, err
}

// sendChunk sends one chunk and waits for its acknowledgement. On a cluster the server that
// receives the chunks may answer the restore request before its subscription to them has
// reached the server this client is connected to; until it has, a chunk finds no responders.
// No responder means nobody took the chunk, so it is sent again until one answers.
func sendChunk(ctx context.Context, nc *nats.Conn, subject string, chunk []byte) (*nats.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	for {
		m, err := nc.RequestWithContext(ctx, subject, chunk)
		if !errors.Is(err, nats.ErrNoResponders) {
			return m, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(20 * time.Millisecond):
		}
	}
}
