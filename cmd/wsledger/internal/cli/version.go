package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the release version, set at build time with
// -ldflags "-X github.com/wsledger/wsledger/cmd/wsledger/internal/cli.Version=v1.2.3".
var Version = "dev"

// versionString is the version with the commit it was built from, when the build recorded it.
func versionString() string {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

func runVersion(_ context.Context, env Env, args []string) error {
	fs := newFlags(env, "version", "", "print wsledger's version")
	if err := parse(fs, args, false); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wsledger %s %s %s/%s\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
