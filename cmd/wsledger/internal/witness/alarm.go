package witness

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
)

// AlarmError says the witness refused a provider's checkpoint and kept the evidence; it
// cosigns nothing more of that provider until a person clears the alarm.
type AlarmError struct {
	Provider string
	Reason   string // ReasonSignature, ReasonRollback or ReasonInconsistent
	Evidence string // the directory of the evidence
	Message  string
}

func (e *AlarmError) Error() string { return e.Message }

// Evidence files in an alarm directory.
const (
	reportFile   = "report.txt"
	refusedFile  = "refused.checkpoint" // the checkpoint refused
	checkedFile  = "checked.checkpoint" // the last checkpoint checked before it
	cosignedFile = "cosigned.checkpoint"
	noticeFile   = "notice.json" // the checkpoint message as the ledger published it
	diffFile     = "difference.json"
	proofFile    = "proof.json" // the consistency proof that failed
	leavesDir    = "published"  // the pending leaves the ledger published before it
)

// raise records a finding on a checkpoint: the evidence in a new alarm directory, and, when
// the ledger's leaves make the refused checkpoint, the history it claims as the one to follow.
// dir is the witness's directory; raw the checkpoint message.
func (p *provider) raise(dir, name string, f *finding, raw []byte, now time.Time) (*AlarmError, error) {
	alarmDir, err := newAlarmDir(p.dir, now)
	if err != nil {
		return nil, err
	}
	where := filepath.Join(p.dir, alarmDir)
	e := &AlarmError{Provider: p.st.Provider, Reason: f.reason, Evidence: where}
	e.Message = fmt.Sprintf("witness %s refused a checkpoint of %s (%s): %s. The evidence is in %s. It cosigns no checkpoint of %s until a person has looked and runs: wsledger witness --clear %s --dir %s",
		name, p.st.Provider, f.reason, f.message, where, p.st.Provider, p.st.Provider, dir)
	var notice struct {
		Checkpoint string `json:"checkpoint"`
	}
	_ = json.Unmarshal(raw, &notice)
	files := map[string][]byte{reportFile: []byte(e.Message + "\n"), noticeFile: raw, refusedFile: []byte(notice.Checkpoint)}
	if c := p.current().Checkpoint; c != "" {
		files[checkedFile] = []byte(c)
	}
	if p.st.Cosigned != nil {
		files[cosignedFile] = []byte(p.st.Cosigned.Checkpoint)
	}
	if f.diff != nil {
		files[diffFile], _ = json.MarshalIndent(f.diff, "", "  ")
	}
	if f.proof != nil {
		files[proofFile], _ = json.MarshalIndent(f.proof, "", "  ")
	}
	for file, data := range files {
		if err := writeAtomic(filepath.Join(where, file), data); err != nil {
			return nil, err
		}
	}
	if p.st.Pending.Count > 0 {
		if err := records(filepath.Join(where, leavesDir)).write(0, p.pend, p.pendIDs); err != nil {
			return nil, err
		}
		note := fmt.Sprintf("The ledger published the leaves in %s/ for positions %d to %d.\n", leavesDir, p.st.Pending.From, p.st.Pending.From+p.st.Pending.Count-1)
		if err := writeAtomic(filepath.Join(where, reportFile), []byte(e.Message+"\n"+note)); err != nil {
			return nil, err
		}
	}
	p.st.Alarm = &alarm{Dir: alarmDir, At: now.UTC(), Reason: f.reason, Message: e.Message}
	return e, p.follow(f)
}

// newAlarmDir makes the directory alarm-<time> (with a suffix when one of that second exists).
func newAlarmDir(dir string, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("witness: %w", err)
	}
	base := "alarm-" + now.UTC().Format("20060102T150405Z")
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		err := os.Mkdir(filepath.Join(dir, name), 0o700)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("witness: %w", err)
		}
	}
}

// follow makes the history the ledger claims in a refused checkpoint the one later checkpoints
// are checked against, when its leaves make it; the kept history stays as it was.
func (p *provider) follow(f *finding) error {
	if f.follow == nil {
		return nil
	}
	old := p.st.Follow
	p.st.Trees++
	tree := fmt.Sprintf("tree-%d", p.st.Trees)
	if err := records(filepath.Join(p.dir, tree)).write(0, f.follow.leaves, f.follow.ids); err != nil {
		return err
	}
	p.st.Follow = &view{Tree: tree, Size: f.follow.size, Checkpoint: f.follow.note}
	if err := p.dropPending(f.follow.size); err != nil {
		return err
	}
	if err := p.loadTree(); err != nil {
		return err
	}
	if old != nil {
		// The history followed before was never trusted: the alarm's evidence holds what was.
		_ = os.RemoveAll(filepath.Join(p.dir, old.Tree))
	}
	return nil
}

// Clear lifts the alarm of a provider in the witness's directory dir, once a person has looked
// at the evidence: the witness then cosigns the provider's checkpoints again, checking them
// against the history the ledger went on with after the refused checkpoint when there is one
// (it was checked the same way, only not cosigned), else against the history it kept. The
// evidence stays. The witness must not be running. It returns what it did, for the person.
func Clear(dir, provider string) (string, error) {
	lock, err := store.Acquire(dir, "witness")
	if err != nil {
		return "", err
	}
	defer lock.Release()
	st, ok, err := loadState(dir, provider)
	if err != nil {
		return "", err
	}
	if !ok || st.Alarm == nil {
		return "", fmt.Errorf("the witness in %s holds no alarm of %s", dir, provider)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "cleared the alarm of %s raised %s (%s); its evidence stays in %s.\n", provider, st.Alarm.At.Format(time.RFC3339), st.Alarm.Reason, filepath.Join(dir, provider, st.Alarm.Dir))
	if st.Follow != nil {
		fmt.Fprintf(&b, "The witness now holds the ledger's history as of its checkpoint of size %d and cosigns it and what extends it; the history it kept before is in %s.\n",
			st.Follow.Size, filepath.Join(dir, provider, st.Kept.Tree))
		st.Kept, st.Follow, st.Cosigned = *st.Follow, nil, nil
	} else {
		fmt.Fprintf(&b, "The witness goes on from the history it kept (size %d).\n", st.Kept.Size)
	}
	st.Alarm = nil
	if err := saveState(dir, st); err != nil {
		return "", err
	}
	return b.String(), nil
}

// alarms returns the standing alarms of the providers, in provider order.
func alarms(providers map[string]*provider) []*AlarmError {
	var out []*AlarmError
	for _, name := range slices.Sorted(maps.Keys(providers)) {
		p := providers[name]
		if a := p.st.Alarm; a != nil {
			out = append(out, &AlarmError{Provider: p.st.Provider, Reason: a.Reason, Evidence: filepath.Join(p.dir, a.Dir), Message: a.Message})
		}
	}
	return out
}
