package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/backup"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events/natslog"
)

func runBackup(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "backup", "--out DIR [flags]",
		"copy the ledger's stream and its API token bucket into a new directory with JetStream's snapshot API; with --data, stop wsledger serve first")
	out := fs.String("out", "", "the backup `directory`: new or empty (required)")
	lf := addLedgerFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	o, err := lf.options()
	if err != nil {
		return err
	}
	if c, err := lf.owner(); err != nil || c != nil {
		if err != nil {
			return err
		}
		return backupThrough(ctx, env, c, *out)
	}
	nc, err := store.Connect(o, false)
	if err != nil {
		return lf.explain(err)
	}
	defer nc.Close()
	start := time.Now()
	m, err := backup.Create(ctx, nc.NATS(), *out, start)
	if err != nil {
		return err
	}
	report(env, "backed up", m, *out, time.Since(start))
	return nil
}

func runRestore(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "restore", "--in DIR [--replace] [flags]",
		"recreate the ledger's stream and its API token bucket from a backup; with --data, stop wsledger serve first, and run wsledger verify afterwards")
	in := fs.String("in", "", "the backup `directory` written by wsledger backup (required)")
	replace := fs.Bool("replace", false, "delete streams that already hold messages and restore them from the backup")
	lf := addLedgerFlags(fs, env)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if *in == "" {
		return usagef("--in is required")
	}
	o, err := lf.options()
	if err != nil {
		return err
	}
	nc, err := store.Connect(o, true)
	if err != nil {
		return lf.explain(err)
	}
	defer nc.Close()
	replicas := o.Replicas
	if replicas == 0 {
		// One on the embedded server or a single server, three on a cluster.
		replicas = 1
		if nc.ConnectedClusterName() != "" {
			replicas = 3
		}
	}
	start := time.Now()
	m, err := backup.Restore(ctx, nc.NATS(), *in, backup.RestoreOptions{Replicas: replicas, Replace: *replace})
	if err != nil {
		return err
	}
	if o.DataDir != "" {
		// The store now ends where the backup does, on purpose: the ledger's record of the
		// last sequence it saw would call that a loss.
		if err := natslog.ForgetTip(o.DataDir); err != nil {
			return err
		}
	}
	report(env, "restored", m, *in, time.Since(start))
	return nil
}

// backupThrough has the wsledger serve that holds the data directory write the backup: its
// JetStream snapshots are taken while it runs.
func backupThrough(ctx context.Context, env Env, c *client, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]string{"out": abs})
	start := time.Now()
	var m backup.Manifest
	if err := c.send(ctx, "POST", "/v1/backup", body, &m); err != nil {
		return err
	}
	report(env, "backed up (through the running wsledger serve)", m, out, time.Since(start))
	return nil
}

// report prints one line per stream and the time taken.
func report(env Env, done string, m backup.Manifest, dir string, took time.Duration) {
	var bytes int64
	for _, s := range m.Streams {
		fmt.Fprintf(env.Stdout, "stream %s: %d messages up to sequence %d, %d bytes (%s)\n", s.Name, s.Messages, s.LastSeq, s.Bytes, s.File)
		bytes += s.Bytes
	}
	fmt.Fprintf(env.Stdout, "%s %d streams, %d bytes, in %s (backup %s, taken %s)\n",
		done, len(m.Streams), bytes, took.Round(time.Millisecond), dir, m.Created.Format(time.RFC3339))
}
