// Package backup copies the ledger's streams out of JetStream and back with JetStream's own
// snapshot and restore API, on the embedded server (while wsledger serve is stopped) or on a
// NATS deployment. A backup is a directory: one snapshot file per stream and a manifest with
// each stream's configuration, state and checksum. See docs/operations.md, "Backups and
// restores".
package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
)

// Format names the layout of a backup directory.
const Format = "wsledger-backup/1"

// manifestFile is the manifest's name in a backup directory; it is written last, so a
// directory without one holds no complete backup.
const manifestFile = "manifest.json"

// Manifest describes a backup.
type Manifest struct {
	Format  string    `json:"format"`
	Created time.Time `json:"created"`
	Streams []Stream  `json:"streams"`
}

// Stream is one stream of a backup: its snapshot file, the file's size and SHA-256, and the
// stream's configuration and state as the server reported them at the snapshot.
type Stream struct {
	Name     string          `json:"name"`
	File     string          `json:"file"`
	Bytes    int64           `json:"bytes"`
	SHA256   string          `json:"sha256"`
	Messages uint64          `json:"messages"`
	LastSeq  uint64          `json:"last_seq"`
	Config   json.RawMessage `json:"config"`
	State    json.RawMessage `json:"state"`
}

// streamState is the part of a stream's state a backup reports.
type streamState struct {
	Msgs    uint64 `json:"messages"`
	LastSeq uint64 `json:"last_seq"`
}

// streams are what a backup holds: the ledger (required), the API token bucket and the
// fingerprints of the ledger's keys (when they exist), so that a restored ledger refuses a
// subject key other than its own. Projection state and the WSTA feed are derived from the ledger
// and rebuilt.
var streams = []struct {
	name     string
	required bool
}{
	{natsauth.LedgerStream, true},
	{"KV_" + natsauth.TokenBucket, false},
	{"KV_" + natsauth.KeyCheckBucket, false},
}

// Create writes a backup of the ledger's streams into dir, which must not exist or be empty.
func Create(ctx context.Context, nc *nats.Conn, dir string, now time.Time) (Manifest, error) {
	if err := emptyDir(dir); err != nil {
		return Manifest{}, err
	}
	m := Manifest{Format: Format, Created: now.UTC()}
	for _, s := range streams {
		st, err := backupStream(ctx, nc, dir, s.name)
		if notFound(err) && !s.required {
			continue
		}
		if err != nil {
			return Manifest{}, fmt.Errorf("back up stream %s: %w", s.name, err)
		}
		m.Streams = append(m.Streams, st)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Manifest{}, err
	}
	if err := writeSynced(filepath.Join(dir, manifestFile), func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// emptyDir creates dir, or checks that it is an empty directory.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o700)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: give a new directory for the backup", dir)
	}
	return nil
}

func backupStream(ctx context.Context, nc *nats.Conn, dir, name string) (Stream, error) {
	st := Stream{Name: name, File: name + ".snapshot"}
	h := sha256.New()
	var resp snapshotResponse
	err := writeSynced(filepath.Join(dir, st.File), func(w io.Writer) error {
		cw := &countWriter{w: io.MultiWriter(w, h)}
		var err error
		resp, err = snapshot(ctx, nc, name, cw)
		st.Bytes = cw.n
		return err
	})
	if err != nil {
		os.Remove(filepath.Join(dir, st.File))
		return Stream{}, err
	}
	var state streamState
	if err := json.Unmarshal(resp.State, &state); err != nil {
		return Stream{}, fmt.Errorf("stream state %s: %w", resp.State, err)
	}
	st.SHA256 = hex.EncodeToString(h.Sum(nil))
	st.Messages, st.LastSeq = state.Msgs, state.LastSeq
	st.Config, st.State = resp.Config, resp.State
	return st, nil
}

// writeSynced writes a new file through fn and fsyncs it, so a finished backup survives a crash.
func writeSynced(path string, fn func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
