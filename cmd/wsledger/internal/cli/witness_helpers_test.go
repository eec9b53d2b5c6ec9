package cli_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/cli"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/witness"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// witnessedLedger is a ledger served in-process, accepting NATS clients, whose access
// configuration has a user for witness w1 beside the wsta user, in whichever account holds the
// feed; and that witness's directory and key.
type witnessedLedger struct {
	dir             string // the ledger's data directory
	wdir, wkey      string // the witness's directory and key file
	creds           string // the witness user's credentials
	wvkeyFile, vkey string // the witness's verifier key file; the ledger's verifier key
	nats            string // where the ledger accepts NATS clients while it serves
	http            string // where it serves HTTP
	stopServe       func()
}

// witnessUser is the NATS user of witness w1, with the rights witness.Rights names and no
// others.
func witnessUser() string {
	publish, subscribe := witness.Rights("w1", natsauth.FeedStream)
	return fmt.Sprintf(`{ user: w1-user, password: "w1-secret", permissions: { publish: { allow: %s }, subscribe: { allow: %s } } }
      `, quoted(publish), quoted(subscribe))
}

// quoted writes subjects as a configuration's list.
func quoted(subjects []string) string {
	q := make([]string, len(subjects))
	for i, s := range subjects {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

var wstaUserEntry = regexp.MustCompile(`\{\s*user: wsta\b`)

// newWitnessedLedger writes the default access configuration with the witness user added,
// makes the witness's key by running the witness once (it has nothing to connect to yet), and
// starts the ledger.
func newWitnessedLedger(t *testing.T) *witnessedLedger {
	t.Helper()
	root := t.TempDir()
	l := &witnessedLedger{dir: filepath.Join(root, "data"), wdir: filepath.Join(root, "witness"), wkey: filepath.Join(root, "witness-key", "w1.key"),
		creds: filepath.Join(root, "w1.creds"), wvkeyFile: filepath.Join(root, "w1.vkey")}
	if _, err := natsauth.Prepare(l.dir, ""); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(l.dir, natsauth.DefaultConfigFile)
	text := string(mustRead(t, config))
	loc := wstaUserEntry.FindStringIndex(text)
	if loc == nil {
		t.Fatalf("no wsta user in the default configuration:\n%s", text)
	}
	writeFile(t, config, text[:loc[0]]+witnessUser()+text[loc[0]:])
	writeFile(t, l.creds, "w1-user:w1-secret\n")

	_, anyKey, err := evidence.GenerateKey("wsledger")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t.Context(), "", nil, "witness", "--nats", "nats://127.0.0.1:1", "--creds", l.creds, "--dir", l.wdir,
		"--key", l.wkey, "--name", "w1", "--verifier-key", anyKey)
	if code != 1 || !strings.Contains(errOut, "created the key of witness w1 in "+l.wkey) {
		t.Fatalf("first run of the witness: exit %d, %s", code, errOut)
	}
	if info, err := os.Stat(l.wkey); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the witness's key file: %v, %v", info, err)
	}
	writeFile(t, l.wvkeyFile, out)
	l.serve(t)
	_, vkey, _ := run(t.Context(), "", nil, "verifier-key", "--data", l.dir)
	l.vkey = strings.TrimSpace(vkey)
	return l
}

// serve starts the ledger: it signs a checkpoint of every provider whose tree grew within a
// tenth of a second, and takes w1's cosignatures.
func (l *witnessedLedger) serve(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	stderr := &natstest.Buffer{}
	done := make(chan int, 1)
	args := []string{"serve", "--data", l.dir, "--http", "127.0.0.1:0", "--nats-listen", "127.0.0.1:-1",
		"--witness-key", "@" + l.wvkeyFile, "--checkpoint-every", "1", "--checkpoint-interval", "100ms"}
	go func() {
		done <- cli.Main(ctx, args, cli.Env{Stdin: strings.NewReader(""), Stdout: stderr, Stderr: stderr, Getenv: func(string) string { return "" }})
	}()
	stopped := false
	l.stopServe = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d:\n%s", code, stderr)
		}
	}
	t.Cleanup(l.stopServe)
	eventually(t, "serve to start", func() bool {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d:\n%s", code, stderr)
		default:
		}
		return servingAt.MatchString(stderr.String())
	})
	l.nats = natsAt.FindStringSubmatch(stderr.String())[1]
	l.http = servingAt.FindStringSubmatch(stderr.String())[1]
	waitReady(t, l.http, "") // appends are held until the store is checked against its checkpoints
}

// submit appends commands through the serving ledger and returns each event's id and leaf
// hash, in order.
func (l *witnessedLedger) submit(t *testing.T, commands ...string) (ids, leaves []string) {
	t.Helper()
	code, out, errOut := run(t.Context(), strings.Join(commands, "\n")+"\n", nil, "submit", "--data", l.dir)
	if code != 0 {
		t.Fatalf("submit: exit %d, %s%s", code, out, errOut)
	}
	for _, r := range decodeLines(t, out) {
		for _, e := range r["events"].([]any) {
			ev := e.(map[string]any)
			ids, leaves = append(ids, ev["id"].(string)), append(leaves, ev["leaf_hash"].(string))
		}
	}
	return ids, leaves
}

// northCommands are n commands of provider north after its registration.
func northCommands(from, n int) []string {
	var out []string
	for i := from; i < from+n; i++ {
		out = append(out, fmt.Sprintf(`{"type":"LearnCircumstanceChange","provider":"north","actor":{"staff_id":"north-cm1","role":"case_manager"},"change_id":"C-%d","client_number":"44401234","description":"New job."}`, i))
	}
	return out
}

const registerNorth = `{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"interior"}`

// latest returns north's latest checkpoint as the serving ledger stores it (GET
// /v1/checkpoints), checked with the ledger's and w1's keys.
func (l *witnessedLedger) latest(t *testing.T) *evidence.Signed {
	t.Helper()
	code, out, errOut := run(t.Context(), "", nil, "checkpoint", "--provider", "north", "--data", l.dir)
	if code != 0 {
		return nil
	}
	c, err := evidence.Open([]byte(out), l.vkey, strings.TrimSpace(string(mustRead(t, l.wvkeyFile))))
	if err != nil {
		t.Fatalf("the ledger's checkpoint: %v\n%s%s", err, out, errOut)
	}
	return c
}

// waitSigned waits until the ledger signed a checkpoint of north of the given size.
func (l *witnessedLedger) waitSigned(t *testing.T, size int64) {
	t.Helper()
	eventually(t, fmt.Sprintf("a checkpoint of size %d", size), func() bool {
		c := l.latest(t)
		return c != nil && c.Size == size
	})
}

// waitCosigned waits until the ledger stores w1's cosignature of north's checkpoint of size.
func (l *witnessedLedger) waitCosigned(t *testing.T, size int64) {
	t.Helper()
	eventually(t, fmt.Sprintf("w1's cosignature of size %d", size), func() bool {
		c := l.latest(t)
		if c == nil {
			return false
		}
		_, ok := c.Cosignatures["w1"]
		return c.Size == size && ok
	})
}

// witnessRun is a witness running in-process.
type witnessRun struct {
	stderr *natstest.Buffer
	done   chan int
	cancel context.CancelFunc
}

// startWitness runs wsledger witness against the serving ledger with extra flags.
func (l *witnessedLedger) startWitness(t *testing.T, extra ...string) *witnessRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	w := &witnessRun{stderr: &natstest.Buffer{}, done: make(chan int, 1), cancel: cancel}
	args := append([]string{"witness", "--nats", l.nats, "--creds", l.creds, "--dir", l.wdir, "--key", l.wkey, "--name", "w1", "--verifier-key", l.vkey}, extra...)
	go func() {
		w.done <- cli.Main(ctx, args, cli.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: w.stderr, Getenv: func(string) string { return "" }})
	}()
	t.Cleanup(func() { w.stop() })
	return w
}

// stop stops the witness and returns its exit status.
func (w *witnessRun) stop() int {
	w.cancel()
	code := <-w.done
	w.done <- code
	return code
}

// wait waits for the witness to exit by itself and returns its exit status.
func (w *witnessRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-w.done:
		w.done <- code
		return code
	case <-time.After(60 * time.Second):
		t.Fatalf("the witness did not exit:\n%s", w.stderr)
		return 0
	}
}

// count returns how many of the witness's log lines have msg and every attribute given.
func (w *witnessRun) count(msg string, attrs ...string) int {
	n := 0
	for line := range strings.Lines(w.stderr.String()) {
		if !strings.Contains(line, `msg="`+msg+`"`) {
			continue
		}
		all := true
		for _, a := range attrs {
			all = all && strings.Contains(line, " "+a)
		}
		if all {
			n++
		}
	}
	return n
}

// metric returns a sample of the witness's metrics at url.
func metric(t *testing.T, url, sample string) float64 {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		return -1
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for line := range strings.Lines(string(body)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), sample+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return -1
}

// eventually waits until cond holds, for up to a minute.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// operator is someone with the ledger's files and a stock nats-server: the access
// configuration's accounts, each with a user who may do anything, on the stopped ledger's store.
type operator struct {
	srv   *server.Server
	conns []*nats.Conn
}

func openAsOperator(t *testing.T, dir string) *operator {
	t.Helper()
	o, err := server.ProcessConfigFile(filepath.Join(dir, natsauth.DefaultConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	o.ServerName, o.JetStream, o.StoreDir, o.DontListen, o.NoSigs = "wsledger", true, dir, true, true
	o.Users, o.Nkeys, o.NoAuthUser = nil, nil, ""
	for _, acc := range o.Accounts {
		o.Users = append(o.Users, &server.User{Username: "op-" + acc.Name, Password: "op", Account: acc})
	}
	srv, err := server.NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		t.Fatal("the operator's server did not start")
	}
	op := &operator{srv: srv}
	for _, u := range o.Users {
		nc, err := nats.Connect("", nats.InProcessServer(srv), nats.UserInfo(u.Username, "op"))
		if err != nil {
			t.Fatal(err)
		}
		op.conns = append(op.conns, nc)
	}
	return op
}

// stream returns the stream of that name in whichever account holds it, with its account's
// JetStream.
func (op *operator) stream(t *testing.T, name string) (jetstream.JetStream, jetstream.Stream) {
	t.Helper()
	js, s := op.find(t, name)
	if s == nil {
		t.Fatalf("no stream %s in any account", name)
	}
	return js, s
}

func (op *operator) find(t *testing.T, name string) (jetstream.JetStream, jetstream.Stream) {
	for _, nc := range op.conns {
		js, _ := jetstream.New(nc)
		if s, err := js.Stream(t.Context(), name); err == nil {
			return js, s
		}
	}
	return nil, nil
}

// remove deletes the named streams where they exist.
func (op *operator) remove(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if js, s := op.find(t, name); s != nil {
			if err := js.DeleteStream(t.Context(), name); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func (op *operator) close() {
	for _, nc := range op.conns {
		nc.Close()
	}
	op.srv.Shutdown()
	op.srv.WaitForShutdown()
}

// rewrite deletes and recreates the ledger's stream with the history edit makes of it, every
// event's position, prev_hash and hash recomputed (events.Seal), and removes what would show
// the change: the signed checkpoints, the read models' snapshots (the trees among them), the
// WSTA stream and the record of the stream's last sequence. The ledger, started again, signs
// checkpoints of the new history with its own key. It returns the new leaf hashes in order.
func rewrite(t *testing.T, dir string, edit func([]events.Envelope) []events.Envelope) []string {
	t.Helper()
	op := openAsOperator(t, dir)
	defer op.close()
	ctx := t.Context()
	js, s := op.stream(t, natsauth.LedgerStream)
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var envs []events.Envelope
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		var e events.Envelope
		if err := events.UnmarshalEnvelope(m.Data, &e); err != nil {
			t.Fatal(err)
		}
		envs = append(envs, e)
	}
	envs = edit(envs)
	op.remove(t, natsauth.LedgerStream, checkpoints.Stream, "OBJ_"+natsauth.ProjectionStore, natsauth.FeedStream)
	if _, err := js.CreateStream(ctx, info.Config); err != nil {
		t.Fatal(err)
	}
	heads := map[string]events.Envelope{}
	var leaves []string
	for _, e := range envs {
		prev := heads[e.Provider]
		e.Position, e.PrevHash, e.Hash = prev.Position+1, prev.Hash, ""
		data, err := events.Seal(&e)
		if err != nil {
			t.Fatal(err)
		}
		m := nats.NewMsg(e.Subject())
		m.Data = data
		m.Header.Set(jetstream.MsgIDHeader, e.ID)
		if _, err := js.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
		heads[e.Provider] = e
		leaves = append(leaves, evidence.Hex(evidence.LeafHash(data)))
	}
	if err := natslog.ForgetTip(dir); err != nil {
		t.Fatal(err)
	}
	return leaves
}
