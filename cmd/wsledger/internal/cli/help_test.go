package cli_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestHelpGolden keeps the command list and each command's usage as reviewed.
func TestHelpGolden(t *testing.T) {
	for _, name := range []string{"", "serve", "submit", "deadlines", "audit", "verify", "digest", "demo", "token", "witness", "prove"} {
		t.Run(name, func(t *testing.T) {
			args := []string{"help"}
			if name != "" {
				args = append(args, name)
			}
			code, out, errOut := run(t.Context(), "", nil, args...)
			if code != 0 {
				t.Fatalf("exit %d", code)
			}
			golden := filepath.Join("testdata", "help-"+name+".golden")
			if name == "" {
				golden = filepath.Join("testdata", "help.golden")
			}
			got := out + errOut
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Fatalf("help changed:\n%s\nwant:\n%s\n(rewrite with -update once reviewed)", got, want)
			}
		})
	}
}
