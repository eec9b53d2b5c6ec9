package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/logtest"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// verifyDeadline bounds one verification of a small damaged store: an intact one takes
// milliseconds, one the server cannot fully deliver waits for the log's stall timeout.
const verifyDeadline = 30 * time.Second

// history is a store the ledger wrote, closed, with what an auditor kept before anyone touched
// it: north's events and every provider's digest.
type history struct {
	dir     string
	north   []events.Envelope
	msgs    []*nats.Msg // every stored message, in stream order, as a tamperer reads them
	digests map[string]events.Digest
}

// writeHistory appends rounds of a north command (one or two events) and a south command, so
// that south's event is the stream's last, exports both digests and closes the store.
func writeHistory(t *testing.T, rounds int) history {
	t.Helper()
	h := history{dir: t.TempDir(), digests: map[string]events.Digest{}}
	l := open(t, natslog.Options{DataDir: h.dir})
	for i := range rounds {
		for _, r := range []events.AppendRequest{request("north", fmt.Sprintf("n-%d", i), 1+i%2), request("south", fmt.Sprintf("s-%d", i), 1)} {
			if _, err := l.Append(t.Context(), r); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, p := range []string{"north", "south"} {
		d, err := events.ExportDigest(t.Context(), l, p, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		h.digests[p] = d
	}
	h.north = logtest.ReadAll(t, l, events.ReadOptions{Provider: "north"})
	st, err := l.JetStream().Stream(t.Context(), l.StreamName())
	if err != nil {
		t.Fatal(err)
	}
	for seq := uint64(1); seq <= st.CachedInfo().State.LastSeq; seq++ {
		m, err := st.GetMsg(t.Context(), seq)
		if err != nil {
			t.Fatal(err)
		}
		h.msgs = append(h.msgs, &nats.Msg{Subject: m.Subject, Data: m.Data})
	}
	l.Close()
	return h
}

// copyStore returns a copy of the history's store directory to damage.
func (h history) copyStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, h.dir, dir)
	return dir
}

// rawStore returns a fresh store holding msgs, written by raw publishes without the ledger.
func rawStore(t *testing.T, msgs []*nats.Msg) string {
	t.Helper()
	dir := t.TempDir()
	l := open(t, natslog.Options{DataDir: dir})
	for _, m := range msgs {
		if _, err := l.JetStream().PublishMsg(t.Context(), &nats.Msg{Subject: m.Subject, Data: m.Data}); err != nil {
			t.Fatalf("raw publish: %v", err)
		}
	}
	l.Close()
	return dir
}

// serverView starts a bare nats-server on a store and says what it makes of the stream: its
// state, and the sequences it counts but cannot load.
func serverView(t *testing.T, dir string) string {
	t.Helper()
	srv, err := server.NewServer(&server.Options{JetStream: true, StoreDir: dir, DontListen: true, NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	defer func() { srv.Shutdown(); srv.WaitForShutdown() }()
	if !srv.ReadyForConnections(natstest.ReadyTimeout) {
		t.Fatal("server not ready")
	}
	_, js := connect(t, "", nats.InProcessServer(srv))
	st, err := js.Stream(t.Context(), "LEDGER")
	if err != nil {
		return fmt.Sprintf("no stream: %v", err)
	}
	s := st.CachedInfo().State
	var unreadable []string
	for seq := s.FirstSeq; seq <= s.LastSeq; seq++ {
		if _, err := st.GetMsg(t.Context(), seq); err != nil {
			unreadable = append(unreadable, fmt.Sprint(seq))
		}
	}
	return fmt.Sprintf("server counts %d messages, last sequence %d, %d deleted; cannot load sequences [%s]",
		s.Msgs, s.LastSeq, s.NumDeleted, strings.Join(unreadable, " "))
}

// forge returns a north event that was never appended: a copy of north's event i with a new id
// and payload, chained to its predecessor and hashed, so that on its own it looks genuine.
func (h history) forge(t *testing.T, i int) (events.Envelope, *nats.Msg) {
	t.Helper()
	f := h.north[i]
	f.ID, f.Sequence = uuid.Must(uuid.NewV7()).String(), 0
	f.Payload = json.RawMessage(`{"n":9,"note":"a review that never happened"}`)
	var err error
	if f.Hash, err = events.ComputeHash(&f); err != nil {
		t.Fatal(err)
	}
	data, err := events.MarshalEnvelope(&f)
	if err != nil {
		t.Fatal(err)
	}
	return f, &nats.Msg{Subject: f.Subject(), Data: data}
}

// without returns msgs without the one at index i.
func without(msgs []*nats.Msg, i int) []*nats.Msg {
	return append(append([]*nats.Msg(nil), msgs[:i]...), msgs[i+1:]...)
}

// tamperCase damages a copy of the history and says what Verify must report.
type tamperCase struct {
	name string
	// damage returns the data directory of the damaged store.
	damage func(t *testing.T, h history) string
	// anchored verifies against north's digest: damage at the end of a history shows only
	// against what was published before.
	anchored bool
	// inBlocks marks damage to the block files, which a whole-store verification (VerifyAll,
	// no digest) must report too: the server still knows what it held.
	inBlocks bool
	// named checks the tamper report: kind, and the event it names.
	named func(h history, f *events.Tamper) bool
}

func tamperCases(t *testing.T, h history) []tamperCase {
	mid := len(h.north) / 2
	last := len(h.north) - 1
	north := h.north
	forged, forgedMsg := h.forge(t, 2)
	// gapAt says whether f reports north's event i as missing, naming the event after it.
	gapAt := func(f *events.Tamper, i int) bool {
		return f.Kind == events.Removed && f.EventID == north[i+1].ID && f.Position == north[i+1].Position
	}
	// modifiedAt says whether f names north's event i as modified.
	modifiedAt := func(f *events.Tamper, i int) bool {
		return f.Kind == events.Modified && f.EventID == north[i].ID && f.Sequence == north[i].Sequence
	}
	// hiddenAt says whether f reports a message the store counts but cannot deliver, at north's
	// event i or before it but after event i-1: the server refused the damaged record.
	hiddenAt := func(f *events.Tamper, i int) bool {
		return f.Kind == events.Modified && f.Sequence <= north[i].Sequence && (i == 0 || f.Sequence > north[i-1].Sequence)
	}
	// endsAt says whether f reports, against the digest, that the history now ends at event i.
	endsAt := func(f *events.Tamper, i int) bool {
		return f.Kind == events.Diverged && f.Position == north[i].Position && f.Sequence == north[i].Sequence
	}
	// flipped damages a copy of the store by changing a digit of north's event i in place.
	flipped := func(i int) func(*testing.T, history) string {
		return func(t *testing.T, h history) string {
			dir := h.copyStore(t)
			editBlock(t, dir, func(buf []byte, recs []record) []byte {
				flipPayloadDigit(t, buf, recordOf(t, recs, north[i].Sequence))
				return buf
			})
			return dir
		}
	}
	return []tamperCase{
		{
			name:     "payload digit flipped in the block file (an event in the middle)",
			damage:   flipped(mid),
			inBlocks: true,
			named:    func(h history, f *events.Tamper) bool { return modifiedAt(f, mid) || hiddenAt(f, mid) || gapAt(f, mid) },
		},
		{
			name:     "payload digit flipped in the block file (the provider's last event)",
			damage:   flipped(last),
			anchored: true,
			inBlocks: true,
			named: func(h history, f *events.Tamper) bool {
				return modifiedAt(f, last) || hiddenAt(f, last) || endsAt(f, last-1)
			},
		},
		{
			name: "block file truncated inside a record",
			damage: func(t *testing.T, h history) string {
				dir := h.copyStore(t)
				editBlock(t, dir, func(buf []byte, recs []record) []byte {
					r := recordOf(t, recs, north[mid].Sequence)
					return buf[:(r.start+r.end)/2]
				})
				return dir
			},
			anchored: true,
			inBlocks: true,
			named:    func(h history, f *events.Tamper) bool { return hiddenAt(f, mid) || endsAt(f, mid-1) },
		},
		{
			name: "forged event with a valid-looking hash, published raw",
			damage: func(t *testing.T, h history) string {
				return rawStore(t, append(append([]*nats.Msg(nil), h.msgs...), forgedMsg))
			},
			named: func(h history, f *events.Tamper) bool {
				return f.Kind == events.Inserted && f.EventID == forged.ID && f.Position == forged.Position && f.Sequence == uint64(len(h.msgs)+1)
			},
		},
		{
			name: "one event removed (the store copied without it)",
			damage: func(t *testing.T, h history) string {
				return rawStore(t, without(h.msgs, int(north[mid].Sequence)-1))
			},
			named: func(h history, f *events.Tamper) bool { return gapAt(f, mid) },
		},
		{
			name: "two events reordered (the store copied with them swapped)",
			damage: func(t *testing.T, h history) string {
				msgs := append([]*nats.Msg(nil), h.msgs...)
				i, j := north[mid].Sequence-1, north[mid+1].Sequence-1
				msgs[i], msgs[j] = msgs[j], msgs[i]
				return rawStore(t, msgs)
			},
			named: func(h history, f *events.Tamper) bool {
				return f.Kind == events.Reordered && f.EventID == north[mid+1].ID && f.Position == north[mid+1].Position
			},
		},
	}
}

// TestTamperAtStorage writes a history through the ledger, closes it, and damages copies of the
// store the ways someone with the disk or with publish rights could: bytes changed inside a
// block file, a block file cut short, a forged event published raw, an event left out and two
// swapped when the store is rewritten. Reopened, events.Verify must find each and name it;
// against the digest exported before, every change shows too.
func TestTamperAtStorage(t *testing.T) {
	h := writeHistory(t, scale(8, 400))
	digest := h.digests["north"]
	cases := tamperCases(t, h)
	found, blockCases, blockFound := 0, 0, 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.damage(t, h)
			t.Logf("nats-server on reopening: %s", serverView(t, dir))
			l, err := natslog.Open(t.Context(), natslog.Options{DataDir: dir})
			if err != nil {
				t.Fatalf("the ledger cannot open the damaged store, so it cannot name the damage: %v", err)
			}
			defer l.Close()
			verify := func(anchor *events.Digest) events.Report {
				t.Helper()
				ctx, cancel := context.WithTimeout(t.Context(), verifyDeadline)
				defer cancel()
				r, err := events.Verify(ctx, l, "north", anchor)
				if err != nil {
					t.Fatalf("verify did not finish: %v", err)
				}
				return r
			}
			var anchor *events.Digest
			if tc.anchored {
				anchor = &digest
			}
			r := verify(anchor)
			if r.Intact || r.Tamper == nil {
				t.Fatalf("the damage was not found: %+v", r)
			}
			if !tc.named(h, r.Tamper) {
				t.Fatalf("found %v, which does not name the damage", r.Tamper)
			}
			t.Logf("found: %v", r.Tamper)
			if !tc.anchored {
				if anchored := verify(&digest); anchored.Intact {
					t.Fatalf("the history still extends the digest exported before: %+v", anchored)
				}
			} else if alone := verify(nil); alone.Intact {
				t.Logf("without the digest north's history alone verifies intact (%d events)", alone.Events)
			}
			found++
			if tc.inBlocks {
				blockCases++
				named := damageFound(t, l)
				if len(named) == 0 {
					t.Fatalf("without a digest, verifying the whole store finds nothing, though the server counts a message it no longer delivers")
				}
				t.Logf("without a digest, the whole store: %s", strings.Join(named, "; "))
				blockFound++
			}
		})
	}
	t.Logf("tamper cases found %d out of %d tried (history of %d north events, %d messages); block-file damage found without a digest by verifying the whole store: %d of %d",
		found, len(cases), len(h.north), len(h.msgs), blockFound, blockCases)
}

// damageFound verifies the whole store without a digest and returns what it names.
func damageFound(t *testing.T, l events.Log) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), verifyDeadline)
	defer cancel()
	reports, err := events.VerifyAll(ctx, l)
	if err != nil {
		t.Fatalf("verify all: %v", err)
	}
	var named []string
	for _, r := range reports {
		if r.Tamper != nil {
			named = append(named, r.Tamper.Error())
		}
	}
	return named
}
