package demo_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/demo"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestCommandsGolden pins the data set that ends at testEnd: the number of commands of each type
// and a digest of all their bytes. A change to the generator (or to Go's random source) that
// changes the data set shows here; rewrite the golden file with -update once the new data set
// is reviewed.
func TestCommandsGolden(t *testing.T) {
	cmds := demo.Commands(testEnd)
	byType := map[string]int{}
	h := sha256.New()
	for _, c := range cmds {
		fmt.Fprintf(h, "%s %s\n", c.At.UTC().Format(time.RFC3339Nano), c.JSON)
		var typ string
		if i := strings.Index(string(c.JSON), `"type":"`); i >= 0 {
			typ, _, _ = strings.Cut(string(c.JSON[i+8:]), `"`)
		}
		byType[typ]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "commands %d\nsha256 %s\n", len(cmds), hex.EncodeToString(h.Sum(nil)))
	types := make([]string, 0, len(byType))
	for typ := range byType {
		types = append(types, typ)
	}
	slices.Sort(types)
	for _, typ := range types {
		fmt.Fprintf(&b, "%-32s %d\n", typ, byType[typ])
	}
	golden := filepath.Join("testdata", "commands.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Fatalf("the demo data set changed:\n%s\nwant:\n%s", b.String(), want)
	}
}
