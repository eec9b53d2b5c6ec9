package domain

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPolicyDocLinksEveryFile holds docs/policy.md's map of the rules to every file of the
// package, so that a file added is placed in the manual or the ledger's concepts.
func TestPolicyDocLinksEveryFile(t *testing.T) {
	doc, err := os.ReadFile("../docs/policy.md")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") && !strings.Contains(string(doc), "(../domain/"+f+")") {
			t.Errorf("docs/policy.md does not link %s", f)
		}
	}
}
