package natslog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/events"
)

// markDamaged records that the stream has lost events at its end. From then on the log refuses
// appends: a provider whose last events are gone would otherwise get their positions again, and
// its history would no longer extend the checkpoints published before. Reads and verification
// go on. It is called only on evidence: a stream that counts a last message it cannot return, a
// stream shorter than it was at the last clean close, or a tail checkTail confirmed lost.
func (l *Log) markDamaged(from, to uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.damage != nil {
		return
	}
	l.lostTo = to
	l.damage = events.Errorf(events.Internal, "",
		"The ledger's store has lost events it had stored: stream sequences %d to %d cannot be read. Appends are refused so that no new event takes a lost one's place. Run wsledger verify to see which providers and events are affected, then follow \"A store that lost events\" in docs/operations.md.",
		from, to)
	l.log.Error("the store has lost stored events at the end of the stream; appends are refused until it is repaired", "from", from, "to", to)
}

// ReportDamage refuses appends, as a lost tail does, for damage found outside the log: a
// provider whose history no longer extends its last signed checkpoint. reason says what was
// found; it must hold no personal data.
func (l *Log) ReportDamage(reason string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.damage != nil {
		return
	}
	l.damage = events.Errorf(events.Internal, "",
		"The ledger's store no longer holds what a signed checkpoint covers (%s). Appends are refused so that no new event takes a lost one's place. Run wsledger verify to see which events are affected, then follow \"A store that lost events\" in docs/operations.md.", reason)
	l.log.Error("the store no longer holds what a signed checkpoint covers; appends are refused", "reason", reason)
}

// HoldAppends refuses appends with an events.Unavailable error carrying reason (a client
// retries) until ReleaseAppends: serve holds them at start until it has checked its store
// against the signed checkpoints, so that no append lands on a store not yet found whole.
func (l *Log) HoldAppends(reason string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hold = events.Errorf(events.Unavailable, "", "%s", reason)
}

// ReleaseAppends ends HoldAppends.
func (l *Log) ReleaseAppends() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hold = nil
}

// Damage returns the error appends fail with while the store is known to have lost events, or
// nil: serve reports not ready while it is set.
func (l *Log) Damage() error { return l.refusal() }

// Writable returns why appends would be refused now, or nil: damage found in the store, a
// stream that does not answer or has no leader (a lost quorum), or a last commit the store
// refused for want of space. serve's readiness reports it.
func (l *Log) Writable(ctx context.Context) error {
	if err := l.refusal(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, l.infoTimeout())
	defer cancel()
	info, err := l.stream.Info(ctx)
	if err != nil {
		return fmt.Errorf("the ledger stream does not answer: %w", err)
	}
	if l.opts.Replicas > 1 && (info.Cluster == nil || info.Cluster.Leader == "") {
		return errors.New("the ledger stream has no leader: a quorum of its replicas is lost")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.full
}

// noteRefusal records why the store refused the last commit when it was for want of space (a
// full disk, an account or stream limit), and clears it when a commit is stored.
func (l *Log) noteRefusal(cause error) {
	var pe *pubError
	full := error(nil)
	if errors.As(cause, &pe) {
		switch pe.ErrCode {
		case 10002, 10023, 10028, 10047, 10053, 10072: // resources, storage or limits exceeded
			full = fmt.Errorf("the store refuses writes for want of space: %w", pe)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if full != nil || cause == nil {
		l.full = full
	}
}

// checkTail confirms, before anything is refused, that the stream really ends before seen, a
// sequence this log saw stored: the message at seen must be gone and the stream must still end
// before it when asked again. On a replicated stream a lagging answer is not evidence (the
// replicas repair themselves, and verify names real loss), so only a warning is logged.
func (l *Log) checkTail(ctx context.Context, seen uint64) {
	_, err := l.stream.GetMsg(ctx, seen)
	if !errors.Is(err, jetstream.ErrMsgNotFound) {
		return // the message is there, or the store did not answer: no evidence either way
	}
	last, err := l.lastSequence(ctx)
	if err != nil || last >= seen {
		return
	}
	if l.opts.Replicas > 1 {
		l.log.Warn("the stream answered that it ends before a sequence this process saw stored; run wsledger verify if it persists",
			"stream_last", last, "seen", seen)
		return
	}
	l.markDamaged(last+1, seen)
}

// refusal returns the error appends fail with once the stream is known to be damaged.
func (l *Log) refusal() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.damage == nil {
		if l.hold != nil {
			return l.hold
		}
		return nil
	}
	return l.damage
}

// tailLost reports the sequences missing at the stream's end, given the missing sequences in
// order and the stream's last sequence: the run of missing sequences that ends at last.
func tailLost(missing []uint64, last uint64) (from, to uint64, ok bool) {
	n := len(missing)
	if n == 0 || missing[n-1] != last {
		return 0, 0, false
	}
	i := n - 1
	for i > 0 && missing[i-1] == missing[i]-1 {
		i--
	}
	return missing[i], last, true
}

// firstUnreadable returns the first sequence of the unreadable run that ends at last, asking the
// stream's deleted list (the server counts lost messages as deleted, which the ledger never does).
func (l *Log) firstUnreadable(ctx context.Context, last uint64) uint64 {
	info, err := l.stream.Info(ctx, jetstream.WithDeletedDetails(true))
	if err != nil {
		return last
	}
	deleted := slices.Clone(info.State.Deleted)
	slices.Sort(deleted)
	if from, _, ok := tailLost(deleted, last); ok {
		return from
	}
	return last
}

// tipFile, in an embedded server's data directory, holds the stream's last sequence as the log
// saw it when it last closed. A stream found shorter on the next open lost events while the
// server was stopped, even when the server, rebuilding its index from cut block files, no
// longer counts them.
const tipFile = "wsledger-tip.json"

type savedTip struct {
	Stream  string `json:"stream"`
	LastSeq uint64 `json:"last_seq"`
}

// saveTip records the last sequence at a clean close. A crash leaves an older record, which
// asks less of the next open, never more.
func (l *Log) saveTip() {
	if l.srv == nil {
		return
	}
	l.mu.Lock()
	data, _ := json.Marshal(savedTip{Stream: l.name, LastSeq: l.last})
	l.mu.Unlock()
	path := filepath.Join(l.opts.DataDir, tipFile)
	if err := os.WriteFile(path+".new", data, 0o600); err == nil {
		err = os.Rename(path+".new", path)
		if err != nil {
			l.log.Warn("cannot record the stream's last sequence", "error", err)
		}
	}
}

// checkSavedTip marks the stream damaged when it ends before the sequence recorded at the last
// clean close.
func (l *Log) checkSavedTip() {
	if l.srv == nil {
		return
	}
	data, err := os.ReadFile(filepath.Join(l.opts.DataDir, tipFile))
	if err != nil {
		return
	}
	var tip savedTip
	if json.Unmarshal(data, &tip) != nil || tip.Stream != l.name {
		return
	}
	l.mu.Lock()
	last := l.last
	l.mu.Unlock()
	if tip.LastSeq > last {
		l.markDamaged(last+1, tip.LastSeq)
	}
}

// ForgetTip removes the record of the last sequence from an embedded data directory, for a
// restore that replaces the stream with an older one on purpose.
func ForgetTip(dataDir string) error {
	err := os.Remove(filepath.Join(dataDir, tipFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// lostBeyond returns the sequences after last that the log knows were stored and lost: those
// the stream no longer even counts (see tipFile).
func (l *Log) lostBeyond(last uint64) []uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []uint64
	for seq := last + 1; seq <= l.lostTo; seq++ {
		out = append(out, seq)
	}
	return out
}
