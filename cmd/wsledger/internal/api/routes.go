package api

import (
	"net/http"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/queries"
)

// route is one endpoint of the API. The route table is the single list the mux, the metrics
// and the OpenAPI test read.
type route struct {
	method, path string
	auth         bool
	handler      http.Handler
}

func (s *Server) routes() []route {
	h := func(method, path string, auth bool, f http.HandlerFunc) route {
		return route{method: method, path: path, auth: auth, handler: f}
	}
	rts := []route{
		h("GET", "/healthz", false, s.healthz),
		h("GET", "/readyz", false, s.readyz),
		{method: "GET", path: "/metrics", handler: s.metrics.handler()},
		h("GET", "/v1/openapi.json", false, serveOpenAPI),
		h("POST", "/v1/commands", true, s.submitCommand),
		h("GET", "/v1/whoami", true, s.whoami),
		h("GET", "/v1/providers", true, s.providers),
		h("GET", "/v1/events", true, s.eventStream),
		h("GET", "/v1/verify", true, s.verify),
		h("GET", "/v1/digest", true, s.digest),
		h("POST", "/v1/digest", true, s.publishDigest),
		h("GET", "/v1/feed", true, s.feed),
		h("GET", "/v1/audit", true, s.audit),
		h("GET", "/v1/statewide", true, s.statewide),
		h("POST", "/v1/backup", true, s.backup),
		h("GET", "/v1/refusals", true, s.refusalList),
		h("GET", "/v1/tokens", true, s.listTokens),
		h("POST", "/v1/tokens", true, s.createToken),
		h("POST", "/v1/tokens/{id}/rotate", true, s.rotateToken),
		h("POST", "/v1/tokens/{id}/revoke", true, s.revokeToken),
	}
	for _, q := range queries.All {
		handler := s.viewHandler(q)
		if q.Name == "deadlines" { // paged
			handler = s.deadlines
		}
		rts = append(rts, h("GET", "/v1/"+q.Name, true, handler))
	}
	return rts
}
