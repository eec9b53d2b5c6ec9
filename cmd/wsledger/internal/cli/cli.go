// Package cli is the wsledger command line: one sub-command per task, each with its own flags
// and -h, in the manner of the go command. Exit status 0 is success, 1 a failure (a refused
// command, a damaged history, an unreachable ledger) and 2 a usage error.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Env is the process's surroundings, passed in so that tests run commands in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// OSEnv is the real process environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// command is one sub-command.
type command struct {
	name, args, short string
	run               func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "[flags]", "run the HTTP API and dashboard, the read models and the WSTA feed", runServe},
		{"submit", "[--file F] [flags]", "submit JSON commands, one per line, and print one result per line", runSubmit},
		{"deadlines", "[flags]", "show a provider's obligations: due, overdue, met", viewCommand("deadlines")},
		{"coverage", "[flags]", "show file-review coverage by month", viewCommand("coverage")},
		{"rates", "[flags]", "show work-verification accuracy, performance confirmation and measures", viewCommand("rates")},
		{"concerns", "[flags]", "show client concerns and their callbacks", viewCommand("concerns")},
		{"audit", "[flags]", "list a provider's history, each event verified", viewCommand("audit")},
		{"overview", "[flags]", "show a provider's headline numbers, or every provider's", viewCommand("overview")},
		{"verify", "[--provider P] [--digest FILE] [flags]", "check that no event was altered, removed, inserted or reordered", runVerify},
		{"digest", "--provider P [flags]", "export a provider's digest (position, sequence, head hash) as JSON", runDigest},
		{"checkpoint", "--provider P [flags]", "print a provider's latest signed checkpoint, signing one first when it is behind", runCheckpoint},
		{"prove", "--event ID [--size N] | --provider P --consistency --from N --to M [flags]", "print an inclusion or consistency proof as JSON", runProve},
		{"verifier-key", "[--signing-key FILE] [flags]", "print the ledger's verifier key", runVerifierKey},
		{"migrate", "[flags]", "bring a ledger written by an earlier version up to this one, signing its first checkpoints", runMigrate},
		{"recover", "--provider P --staff ID --reason TEXT [flags]", "after restoring a backup older than a provider's last signed checkpoint, record the loss and sign from what is left", runRecover},
		{"witness", "--nats URL --dir DIR --key FILE --name NAME --verifier-key KEY [flags]", "check and cosign the ledger's checkpoints from the WSTA feed, alarming on any that rewrites history", runWitness},
		{"backup", "--out DIR [flags]", "copy the ledger's stream and token bucket into a backup directory", runBackup},
		{"restore", "--in DIR [--replace] [flags]", "recreate the ledger's stream and token bucket from a backup", runRestore},
		{"demo", "[flags]", "write the demo data set into a data directory and print its sign-in tokens", runDemo},
		{"token", "create|list|revoke [flags]", "manage API tokens", runToken},
		{"bench", "[--short] [--dir DIR]", "measure wsledger beside raw JetStream and print the ratios", runBench},
		{"version", "", "print the version", runVersion},
	}
}

// Main runs the command line and returns the process's exit status.
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	if name == "help" || name == "-h" || name == "-help" || name == "--help" {
		return help(env, rest)
	}
	for _, c := range commands() {
		if c.name == name {
			return exitStatus(env, c.name, c.run(ctx, env, rest))
		}
	}
	fmt.Fprintf(env.Stderr, "wsledger: unknown command %q\nRun 'wsledger help' for usage.\n", name)
	return 2
}

func help(env Env, args []string) int {
	if len(args) == 0 {
		usage(env.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitStatus(env, c.name, c.run(context.Background(), env, []string{"-h"}))
		}
	}
	fmt.Fprintf(env.Stderr, "wsledger help: unknown command %q\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, "wsledger is the compliance ledger for Alaska Work Services providers.\n\nUsage:\n\n\twsledger <command> [arguments]\n\nThe commands are:\n\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "\t%-10s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, "\nRun 'wsledger help <command>' or 'wsledger <command> -h' for a command's flags.\n")
}

// usageError is a mistake in how a command was called: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// errFailed is returned by a command that already reported its failure (exit status 1).
var errFailed = errors.New("failed")

func exitStatus(env Env, name string, err error) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case err == errUsageShown: // the flag package printed the problem and the usage
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "wsledger %s: %s\nRun 'wsledger %s -h' for usage.\n", name, ue.msg, name)
		return 2
	case errors.Is(err, errFailed):
		return 1
	}
	fmt.Fprintf(env.Stderr, "wsledger %s: %s\n", name, strings.TrimSpace(err.Error()))
	return 1
}
