package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/wsledger/wsledger/events"
)

// errorBody is every error response: {"ok":false,"error":{"code","field","message"}}.
type errorBody struct {
	OK    bool          `json:"ok"`
	Error *events.Error `json:"error"`
}

// statusOf maps an error code to its HTTP status.
func statusOf(code string) int {
	switch code {
	case events.Invalid:
		return http.StatusBadRequest
	case events.Forbidden:
		return http.StatusForbidden
	case events.NotFound:
		return http.StatusNotFound
	case events.Conflict:
		return http.StatusConflict
	case events.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if a, ok := v.(jsonAppender); ok {
		buf := jsonBuffers.Get().(*[]byte)
		defer putJSONBuffer(buf)
		if b, err := a.AppendJSON((*buf)[:0]); err == nil {
			*buf = b
			writeJSONBytes(w, status, b)
			return
		}
	}
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeJSONBytes answers with a JSON body already written, ending it with a newline as
// json.Encoder does.
func writeJSONBytes(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// jsonAppender is a body that writes itself as encoding/json would (with HTML escaping off),
// without reflection: the bodies of the busiest reads.
type jsonAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// jsonBuffers holds the buffers jsonAppender bodies are written into.
var jsonBuffers = sync.Pool{New: func() any { return new([]byte) }}

// putJSONBuffer returns buf to jsonBuffers unless a rare huge body made it too big to keep.
func putJSONBuffer(buf *[]byte) {
	if cap(*buf) <= 1<<20 {
		jsonBuffers.Put(buf)
	}
}

// writeError answers with err's *events.Error, or a generic internal error whose detail goes
// to the log only (ledger errors never carry personal data, but a store's error text is not
// the caller's business).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := tokenError(err)
	if !ok && (!errors.As(err, &e) || e.Code == events.Internal) {
		s.cfg.Logger.Error("request failed", slog.String("route", r.Pattern), slog.Any("err", err))
		e = events.Errorf(events.Internal, "", "The ledger could not complete the request; the operators have the details.")
	}
	writeStatusError(w, statusOf(e.Code), e)
}

// retryAfter is the Retry-After of an unavailable answer, in seconds: a stream leader is
// usually elected within a few seconds.
const retryAfter = "2"

func writeStatusError(w http.ResponseWriter, status int, e *events.Error) {
	if e.Code == events.Unavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	writeJSON(w, status, errorBody{Error: e})
}

// badRequest answers 400 naming the query parameter at fault.
func badRequest(w http.ResponseWriter, field, format string, args ...any) {
	writeStatusError(w, http.StatusBadRequest, events.Errorf(events.Invalid, field, format, args...))
}
