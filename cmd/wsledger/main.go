// Command wsledger is the compliance ledger for Alaska Work Services providers: run
// "wsledger help" for its commands.
package main

import (
	"context"
	"os"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], cli.OSEnv()))
}
