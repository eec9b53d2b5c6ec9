package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "copy the served OpenAPI document to docs/openapi.json")

// docsCopy is docs/openapi.json, relative to this package.
var docsCopy = filepath.Join("..", "..", "..", "..", "docs", "openapi.json")

func TestOpenAPIDocsCopy(t *testing.T) {
	if *update {
		if err := os.WriteFile(docsCopy, openAPI, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	docs, err := os.ReadFile(docsCopy)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(docs, openAPI) {
		t.Fatal("docs/openapi.json differs from the served document; run go test ./cmd/wsledger/internal/api -run OpenAPI -update")
	}
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	var documented, served []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	for _, rt := range New(Config{}).routes() {
		served = append(served, rt.method+" "+rt.path)
	}
	slices.Sort(documented)
	slices.Sort(served)
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("%s is served but not in the OpenAPI document", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(served, d) {
			t.Errorf("%s is documented but not served", d)
		}
	}
}
