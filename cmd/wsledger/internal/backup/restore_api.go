package backup

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/nats-io/nats.go"
)

// restoreRequest is JetStream's $JS.API.STREAM.RESTORE request: the stream to create.
type restoreRequest struct {
	Config json.RawMessage `json:"config"`
	State  json.RawMessage `json:"state"`
}

// restoreResponse names the subject to send the snapshot's chunks to.
type restoreResponse struct {
	Error          *apiError `json:"error,omitempty"`
	DeliverSubject string    `json:"deliver_subject"`
}

// createResponse is the answer to the last (empty) chunk: the restored stream, or why not.
type createResponse struct {
	Error *apiError `json:"error,omitempty"`
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
	if err := request(ctx, nc, "$JS.API.STREAM.RESTORE."+name, req, apiTimeout, &rr, func() *apiError { return rr.Error }); err != nil {
		return createResponse{}, err
	}
	buf := make([]byte, restoreChunk)
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			var ack struct {
				Error *apiError `json:"error,omitempty"`
			}
			cctx, cancel := context.WithTimeout(ctx, apiTimeout)
			m, rerr := nc.RequestWithContext(cctx, rr.DeliverSubject, buf[:n])
			cancel()
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
	err := request(ctx, nc, rr.DeliverSubject, nil, restoreDoneTimeout, &done, func() *apiError { return done.Error })
	return done, err
}
