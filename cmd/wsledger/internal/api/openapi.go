package api

import (
	_ "embed"
	"net/http"
)

// openAPI is the API's OpenAPI 3.1 document. docs/openapi.json is a copy, kept identical by
// TestOpenAPIDocsCopy.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI document the server serves.
func OpenAPI() []byte { return openAPI }

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPI)
}
