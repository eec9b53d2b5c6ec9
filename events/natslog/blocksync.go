package natslog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// blockSync makes acknowledged events durable with one fsync per group commit. It is used with
// SyncAlways on the embedded server, which then runs without its own per-message fsync: with one
// replica the file store writes each message to its block file before it acknowledges it
// (flush in place), so after a group's acknowledgements an fsync of the block files puts every
// event of the group on disk, and the callers are answered only then.
type blockSync struct {
	dir  string   // the stream's msgs directory
	idx  int      // index of the newest block file synced
	file *os.File // that block, kept open
}

// newBlockSync finds the stream's block directory under the embedded server's JetStream store
// directory (server.StoreDir: <data>/jetstream, then the account, then streams).
func newBlockSync(storeDir, stream string) (*blockSync, error) {
	dirs, err := filepath.Glob(filepath.Join(storeDir, "*", "streams", stream, "msgs"))
	if err != nil || len(dirs) != 1 {
		return nil, fmt.Errorf("natslog: find the block files of stream %s under %s: found %d directories (%v)", stream, storeDir, len(dirs), err)
	}
	return &blockSync{dir: dirs[0]}, nil
}

// sync fsyncs every block file written since the last call, and the directory when a new block
// file appeared, so that the file itself survives.
func (b *blockSync) sync() error {
	next := b.idx + 1
	if b.idx == 0 {
		next = 1
	}
	grew := false
	for {
		if _, err := os.Stat(b.blockPath(next)); err != nil {
			break
		}
		if err := b.syncCurrent(); err != nil {
			return err
		}
		f, err := os.OpenFile(b.blockPath(next), os.O_RDONLY, 0)
		if err != nil {
			return err
		}
		if b.file != nil {
			b.file.Close()
		}
		b.file, b.idx, grew = f, next, true
		next++
	}
	if grew {
		if err := syncDir(b.dir); err != nil {
			return err
		}
	}
	return b.syncCurrent()
}

func (b *blockSync) syncCurrent() error {
	if b.file == nil {
		return nil
	}
	return b.file.Sync()
}

func (b *blockSync) blockPath(i int) string {
	return filepath.Join(b.dir, strconv.Itoa(i)+".blk")
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (b *blockSync) close() {
	if b.file != nil {
		b.file.Close()
	}
}

// Sync puts every event the store has acknowledged on disk: on the embedded server it fsyncs
// the stream's block files, whatever the sync mode; on a cluster, where an acknowledgement
// already means a majority of the replicas stored the event, it does nothing. A checkpoint is
// signed only after it, so that a crash never leaves a signed checkpoint ahead of the disk.
func (l *Log) Sync(ctx context.Context) error {
	if l.srv == nil {
		return nil
	}
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	if l.ckptBlocks == nil {
		b, err := newBlockSync(l.srv.StoreDir(), l.name)
		if err != nil {
			return err
		}
		l.ckptBlocks = b
	}
	return l.ckptBlocks.sync()
}
