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
	"github.com/nats-io/nats.go/jetstream"
)

// RestoreOptions adjust a restore.
type RestoreOptions struct {
	// Replicas, when set, is every restored stream's replica count (a backup of the embedded
	// server has one; a cluster wants three). Zero keeps the backup's.
	Replicas int
	// Replace deletes an existing stream that holds messages before restoring it. Without it,
	// such a stream makes Restore refuse before it changes anything. An empty stream (a store
	// that was opened but never written) is always replaced.
	Replace bool
}

// ReadManifest reads the manifest of the backup in dir.
func ReadManifest(dir string) (Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if err != nil {
		return Manifest{}, fmt.Errorf("%s holds no complete backup: %w", dir, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Format != Format {
		return Manifest{}, fmt.Errorf("%s is not a %s manifest", filepath.Join(dir, manifestFile), Format)
	}
	return m, nil
}

// Restore creates the streams of the backup in dir. It first checks every snapshot file against
// its checksum and every stream against RestoreOptions.Replace, so a refused restore changes
// nothing; then it restores each stream and checks that the server rebuilt the state the backup
// recorded.
func Restore(ctx context.Context, nc *nats.Conn, dir string, o RestoreOptions) (Manifest, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return Manifest{}, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return Manifest{}, err
	}
	var existing []string
	for _, s := range m.Streams {
		if err := checkFile(dir, s); err != nil {
			return Manifest{}, err
		}
		info, err := streamInfo(ctx, js, s.Name)
		if err != nil {
			return Manifest{}, err
		}
		if info == nil {
			continue
		}
		if info.State.Msgs > 0 && !o.Replace {
			return Manifest{}, fmt.Errorf("stream %s exists and holds %d messages (last sequence %d): restore into a new store, or give --replace to delete it first",
				s.Name, info.State.Msgs, info.State.LastSeq)
		}
		existing = append(existing, s.Name)
	}
	for _, name := range existing {
		if err := js.DeleteStream(ctx, name); err != nil {
			return Manifest{}, fmt.Errorf("delete stream %s before restoring it: %w", name, err)
		}
	}
	for _, s := range m.Streams {
		if err := restoreOne(ctx, nc, dir, s, o.Replicas); err != nil {
			return Manifest{}, fmt.Errorf("restore stream %s: %w", s.Name, err)
		}
	}
	return m, nil
}

// streamInfo returns the stream's info, or nil when there is no such stream.
func streamInfo(ctx context.Context, js jetstream.JetStream, name string) (*jetstream.StreamInfo, error) {
	s, err := js.Stream(ctx, name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up stream %s: %w", name, err)
	}
	return s.CachedInfo(), nil
}

// checkFile checks a snapshot file's size and SHA-256 against the manifest.
func checkFile(dir string, s Stream) error {
	f, err := os.Open(filepath.Join(dir, s.File))
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	if n != s.Bytes || hex.EncodeToString(h.Sum(nil)) != s.SHA256 {
		return fmt.Errorf("%s does not match the manifest (size or SHA-256): the backup is damaged", s.File)
	}
	return nil
}

func restoreOne(ctx context.Context, nc *nats.Conn, dir string, s Stream, replicas int) error {
	config := s.Config
	if replicas > 0 {
		var cfg map[string]json.RawMessage
		if err := json.Unmarshal(config, &cfg); err != nil {
			return fmt.Errorf("stream configuration: %w", err)
		}
		cfg["num_replicas"] = json.RawMessage(fmt.Sprint(replicas))
		var err error
		if config, err = json.Marshal(cfg); err != nil {
			return err
		}
	}
	f, err := os.Open(filepath.Join(dir, s.File))
	if err != nil {
		return err
	}
	defer f.Close()
	done, err := restoreStream(ctx, nc, s.Name, config, s.State, f)
	if err != nil {
		return err
	}
	if done.State.Msgs != s.Messages || done.State.LastSeq != s.LastSeq {
		return fmt.Errorf("the restored stream holds %d messages up to sequence %d; the backup recorded %d up to %d",
			done.State.Msgs, done.State.LastSeq, s.Messages, s.LastSeq)
	}
	return waitReplicas(ctx, nc, s)
}

// replicasTimeout bounds the wait for a restored stream's replicas to hold all of it.
const replicasTimeout = 2 * time.Minute

// waitReplicas waits until every replica of a restored stream holds it to its last sequence.
// The restore is answered once the server that received it has rebuilt the stream; the other
// replicas catch up from it afterwards, and until they have, a leader change or a read served
// by one of them would see a shorter history.
func waitReplicas(ctx context.Context, nc *nats.Conn, s Stream) error {
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, replicasTimeout)
	defer cancel()
	for {
		st, err := js.Stream(ctx, s.Name)
		if err == nil {
			info := st.CachedInfo()
			if info.State.LastSeq == s.LastSeq && replicasCurrent(info.Cluster) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the replicas of %s did not all hold the restored stream within %s: check the cluster, then run wsledger verify", s.Name, replicasTimeout)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// replicasCurrent reports whether the stream has a leader and every other replica is current
// with no lag; a stream of one replica has no others.
func replicasCurrent(c *jetstream.ClusterInfo) bool {
	if c == nil {
		return true
	}
	if c.Leader == "" {
		return false
	}
	for _, r := range c.Replicas {
		if !r.Current || r.Lag > 0 || r.Offline {
			return false
		}
	}
	return true
}
