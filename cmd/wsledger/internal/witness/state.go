package witness

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events/evidence"
)

// What a witness keeps of a provider, in DIR/<provider>/:
//
//	state.json       what follows (stateFile), replaced atomically
//	tree-1/leaves    the leaf hashes it checked, in position order, 32 bytes each
//	tree-1/events    the event ids beside them, 36 characters and a newline each
//	pending/...      leaves the ledger published that no checkpoint has covered yet
//	alarm-<time>/    the evidence of a refused checkpoint
//
// The record files only grow while their tree is kept; state.json says how many records
// count, so a crash between writing records and writing the state leaves records that are
// ignored and overwritten.
const (
	stateFile  = "state.json"
	leavesFile = "leaves"
	eventsFile = "events"
	pendingDir = "pending"
	leafSize   = 32
	eventSize  = 37
)

// state is a provider's state.json.
type state struct {
	Provider string `json:"provider"`
	// Feed is the feed message applied last: JetStream sequence Seq of the stream created at
	// Created. A message at or before it, of the same stream, was applied already.
	Feed feedPos `json:"feed"`
	// Kept is the history the witness trusts: every leaf it checked against a signed
	// checkpoint, and that checkpoint.
	Kept view `json:"kept"`
	// Follow, while an alarm stands, is the history the ledger went on with after the refused
	// checkpoint, checked like Kept but never cosigned; --clear makes it the kept one.
	Follow *view `json:"follow,omitempty"`
	// Pending are the leaves the ledger published beyond the last checkpoint, from position
	// Pending.From, in DIR/<provider>/pending.
	Pending run `json:"pending"`
	// Cosigned is the last checkpoint the witness cosigned, with its cosignature.
	Cosigned *cosignature `json:"cosigned,omitempty"`
	// Alarm is set when the witness refused a checkpoint, until a person clears it.
	Alarm *alarm `json:"alarm,omitempty"`
	// Trees counts the tree directories made: the next is tree-<Trees+1>.
	Trees int `json:"trees"`
}

type feedPos struct {
	Created time.Time `json:"stream_created"`
	Seq     uint64    `json:"seq"`
}

// view is one history of a provider: the records in tree directory Tree, of which the first
// Size count, and the signed checkpoint of that size they were checked against.
type view struct {
	Tree       string `json:"tree"`
	Size       int64  `json:"size"`
	Checkpoint string `json:"checkpoint,omitempty"`
}

type run struct {
	From  int64 `json:"from"`
	Count int64 `json:"count"`
}

type cosignature struct {
	Checkpoint string    `json:"checkpoint"` // the ledger's note with the witness's cosignature
	Size       int64     `json:"size"`
	At         time.Time `json:"at"`
	// Sent says the ledger answered; Answer is what it answered ("ok", or "refused: ...").
	Sent   bool   `json:"sent"`
	Answer string `json:"answer,omitempty"`
}

type alarm struct {
	Dir     string    `json:"dir"` // the evidence, DIR/<provider>/<Dir>
	At      time.Time `json:"at"`
	Reason  string    `json:"reason"`
	Message string    `json:"message"`
}

// loadState reads a provider's state; ok is false when the witness has none.
func loadState(dir, provider string) (st state, ok bool, err error) {
	if !domain.IsProviderID(provider) {
		return state{}, false, fmt.Errorf("witness: %q is not a provider id", provider)
	}
	data, err := os.ReadFile(filepath.Join(dir, provider, stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return state{}, false, nil
	}
	if err != nil {
		return state{}, false, fmt.Errorf("witness: %w", err)
	}
	if err := json.Unmarshal(data, &st); err != nil || st.Provider != provider {
		return state{}, false, fmt.Errorf("witness: %s is not a witness's state of %s", filepath.Join(dir, provider, stateFile), provider)
	}
	return st, true, nil
}

// saveState replaces a provider's state.json atomically.
func saveState(dir string, st state) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, st.Provider, stateFile), append(data, '\n'))
}

// writeAtomic replaces path with data: a temporary file beside it, synced, renamed over it,
// and the directory synced, so that a crash leaves the old content or the new, whole.
func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		return fmt.Errorf("witness: write %s: %w", path, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// records are leaf hashes and event ids on disk, in a directory.
type records string

// write keeps the first at records and appends leaves and ids after them, synced.
func (r records) write(at int64, leaves []evidence.Hash, ids []string) error {
	if err := os.MkdirAll(string(r), 0o700); err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	lb := make([]byte, 0, len(leaves)*leafSize)
	eb := make([]byte, 0, len(ids)*eventSize)
	for i := range leaves {
		lb = append(lb, leaves[i][:]...)
		eb = append(append(eb, ids[i]...), '\n')
	}
	if err := writeAt(filepath.Join(string(r), leavesFile), at*leafSize, lb); err != nil {
		return err
	}
	return writeAt(filepath.Join(string(r), eventsFile), at*eventSize, eb)
}

func writeAt(path string, off int64, data []byte) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("witness: %w", err)
	}
	err = f.Truncate(off)
	if err == nil {
		_, err = f.WriteAt(data, off)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("witness: write %s: %w", path, err)
	}
	return nil
}

// read returns the first n leaf hashes and event ids.
func (r records) read(n int64) ([]evidence.Hash, []string, error) {
	if n == 0 {
		return nil, nil, nil
	}
	lb, err := readPrefix(filepath.Join(string(r), leavesFile), n*leafSize)
	if err != nil {
		return nil, nil, err
	}
	eb, err := readPrefix(filepath.Join(string(r), eventsFile), n*eventSize)
	if err != nil {
		return nil, nil, err
	}
	leaves, ids := make([]evidence.Hash, n), make([]string, n)
	for i := range n {
		copy(leaves[i][:], lb[i*leafSize:])
		ids[i] = string(eb[i*eventSize : (i+1)*eventSize-1])
	}
	return leaves, ids, nil
}

func readPrefix(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	defer f.Close()
	b := make([]byte, n)
	if _, err := f.ReadAt(b, 0); err != nil {
		return nil, fmt.Errorf("witness: %s holds fewer records than its state counts: %w", path, err)
	}
	return b, nil
}

// Leaves returns the leaf hashes the witness in dir kept of a provider, in position order:
// every leaf it checked against a checkpoint the ledger signed. The last checkpoint it cosigned
// (Cosigned) covers the first of them. While an alarm stands these are the leaves of the
// history it trusted before the refused checkpoint.
func Leaves(dir, provider string) ([]evidence.Hash, error) {
	st, ok, err := loadState(dir, provider)
	if err != nil || !ok {
		return nil, err
	}
	leaves, _, err := records(filepath.Join(dir, provider, st.Kept.Tree)).read(st.Kept.Size)
	return leaves, err
}

// Cosigned returns the last checkpoint of a provider that the witness in dir cosigned (the
// ledger's signed note with the witness's cosignature), or ok false when it cosigned none.
func Cosigned(dir, provider string) ([]byte, bool, error) {
	st, ok, err := loadState(dir, provider)
	if err != nil || !ok || st.Cosigned == nil {
		return nil, false, err
	}
	return []byte(st.Cosigned.Checkpoint), true, nil
}
