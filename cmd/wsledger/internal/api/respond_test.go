package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/wsledger/wsledger/events"
)

// TestErrorStatuses checks each error code's HTTP status, and that only an unavailable store
// tells the client when to retry.
func TestErrorStatuses(t *testing.T) {
	tests := []struct {
		code       string
		status     int
		retryAfter string
	}{
		{events.Invalid, http.StatusBadRequest, ""},
		{events.Forbidden, http.StatusForbidden, ""},
		{events.NotFound, http.StatusNotFound, ""},
		{events.Conflict, http.StatusConflict, ""},
		{events.Internal, http.StatusInternalServerError, ""},
		{events.Unavailable, http.StatusServiceUnavailable, retryAfter},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			w := httptest.NewRecorder()
			writeStatusError(w, statusOf(tt.code), events.Errorf(tt.code, "", "A sentence."))
			var body errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tt.status || w.Header().Get("Retry-After") != tt.retryAfter || body.Error.Code != tt.code {
				t.Fatalf("status %d, Retry-After %q, code %q; want %d, %q, %q",
					w.Code, w.Header().Get("Retry-After"), body.Error.Code, tt.status, tt.retryAfter, tt.code)
			}
		})
	}
}
