package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/api"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/ledger"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/store"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/evidence"
)

// submitted is one line of submit's output.
type submitted struct {
	OK        bool              `json:"ok"`
	Line      int               `json:"line"`
	Sequence  uint64            `json:"sequence,omitempty"`
	Duplicate bool              `json:"duplicate,omitempty"`
	Events    []events.Envelope `json:"events,omitempty"`
	Error     *events.Error     `json:"error,omitempty"`
}

// submitFunc submits one command.
type submitFunc func(ctx context.Context, command []byte) (api.Result, error)

func runSubmit(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "submit", "[--file F] [flags]", "submit JSON commands, one per line, and print one result per line; exit status 1 when any was refused")
	file := fs.String("file", "", "read commands from `F` instead of standard input")
	subjectKey := addSubjectKeyFlag(fs)
	lf := addLedgerFlags(fs, env)
	rf := addRemoteFlags(fs, env)
	sf := addSigningFlags(fs, false)
	if err := parse(fs, args, false); err != nil {
		return err
	}
	in := env.Stdin
	if *file != "" && *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	submit, closeFn, err := submitter(ctx, env, lf, rf, sf, *subjectKey)
	if err != nil {
		return err
	}
	failed, total, err := submitLines(ctx, in, env.Stdout, submit, newProgress(env))
	if cerr := closeFn(); err == nil && cerr != nil {
		err = fmt.Errorf("sign the checkpoints of what was submitted: %w", cerr)
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		fmt.Fprintf(env.Stderr, "wsledger submit: %d of %d commands refused\n", failed, total)
		return errFailed
	}
	return nil
}

// submitter returns how commands are submitted: over HTTP with --server (or to the serve that
// holds the data directory), else straight to the store through the ledger service (whoever can
// open the store is trusted with it), with the subject key of the file given, forwarding to the
// ledger's writer when a serve on the same cluster holds the writer lease. The close function
// signs a checkpoint of every provider the command wrote, unless a serve is there to sign it.
func submitter(ctx context.Context, env Env, lf *ledgerFlags, rf *remoteFlags, sf *signingFlags, subjectKey string) (submitFunc, func() error, error) {
	c, err := rf.client(lf)
	if err != nil {
		return nil, nil, err
	}
	if c != nil {
		return c.submit, func() error { return nil }, nil
	}
	skey, err := sf.load(env, lf, true)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, lf)
	if err != nil {
		return nil, nil, err
	}
	policy, err := ledgerPolicy(ctx, env, st, lf, subjectKey)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	if err := refuseShortHistories(ctx, st); err != nil {
		st.Close()
		return nil, nil, err
	}
	svc := ledger.New(st, policy, time.Now)
	shareCtx, stopSharing := context.WithCancel(context.WithoutCancel(ctx))
	if lf.nats != "" {
		if err := svc.Share(shareCtx, st.Conn(), st.JetStream(), ledger.ShareOptions{Stream: st.StreamName(), Replicas: replicasOf(st)}); err != nil {
			stopSharing()
			st.Close()
			return nil, nil, err
		}
	}
	touched := map[string]bool{}
	submit := func(ctx context.Context, command []byte) (api.Result, error) {
		res, err := svc.Submit(ctx, command)
		if err == nil && !res.Duplicate && len(res.Events) > 0 {
			touched[res.Events[0].Provider] = true
		}
		return api.ResultOf(res), err
	}
	closeFn := func() error {
		defer st.Close()
		defer stopSharing()
		if len(touched) == 0 || svc.Forwarding() {
			return nil
		}
		_, err := signLocally(ctx, st, skey, sf.name, slices.Sorted(maps.Keys(touched))...)
		return err
	}
	return submit, closeFn, nil
}

// maxCommandLine bounds one command line, as the API bounds one request.
const maxCommandLine = api.DefaultMaxBody

// submitLines submits every non-blank line and writes one result per line. A refused line,
// even one too long to be a command, never stops the ones after it.
func submitLines(ctx context.Context, in io.Reader, out io.Writer, submit submitFunc, p *progress) (failed, total int, err error) {
	r := bufio.NewReaderSize(in, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	defer p.done()
	for n := 1; ; n++ {
		line, tooLong, err := readLine(r)
		if err == io.EOF && len(line) == 0 && !tooLong {
			return failed, total, nil
		}
		if err != nil && err != io.EOF {
			return failed, total, err
		}
		if line = bytes.TrimSpace(line); len(line) == 0 && !tooLong {
			continue
		}
		total++
		var res api.Result
		var serr error
		if tooLong {
			serr = events.Errorf(events.Invalid, "", "The line is longer than %d bytes; a command must fit in %d bytes.", maxCommandLine, maxCommandLine)
		} else {
			res, serr = submit(ctx, line)
		}
		result := submitted{OK: serr == nil, Line: n, Sequence: res.Sequence, Duplicate: res.Duplicate, Events: res.Events}
		if serr != nil {
			failed++
			result.Error = asLedgerError(serr)
		}
		if err := enc.Encode(result); err != nil {
			return failed, total, err
		}
		p.update("submitted %d commands, %d refused", total, failed)
	}
}

// readLine reads one line; a line longer than maxCommandLine is read to its end and dropped,
// and reported as too long.
func readLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			line = append(line, chunk...)
			if len(line) > maxCommandLine {
				line, tooLong = nil, true
			}
		}
		if err != bufio.ErrBufferFull {
			return line, tooLong, err
		}
	}
}

// asLedgerError returns err's *events.Error, or an internal one with its text.
func asLedgerError(err error) *events.Error {
	var e *events.Error
	if errors.As(err, &e) {
		return e
	}
	return events.Errorf(events.Internal, "", "%v", err)
}

// submit posts one command to the API.
func (c *client) submit(ctx context.Context, command []byte) (api.Result, error) {
	status, data, err := c.do(ctx, "POST", "/v1/commands", nil, command)
	// 503 means retry (docs/api.md); with the command's idempotency key a retry stores it at
	// most once, so submit retries for up to a minute. Without one it reports the 503.
	wait, deadline := 250*time.Millisecond, time.Now().Add(time.Minute)
	for err == nil && status == http.StatusServiceUnavailable && hasIdempotencyKey(command) && time.Now().Add(wait).Before(deadline) {
		select {
		case <-ctx.Done():
			return api.Result{}, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
		status, data, err = c.do(ctx, "POST", "/v1/commands", nil, command)
	}
	if err != nil {
		return api.Result{}, err
	}
	if status != http.StatusOK && status != http.StatusCreated {
		return api.Result{}, errorOfBody(status, data)
	}
	var r api.Result
	return r, json.Unmarshal(data, &r)
}

// hasIdempotencyKey reports whether a command carries a non-empty idempotency_key.
func hasIdempotencyKey(command []byte) bool {
	var c struct {
		Key string `json:"idempotency_key"`
	}
	return json.Unmarshal(command, &c) == nil && c.Key != ""
}

// refuseShortHistories refuses to append to a store that holds fewer events of a provider than
// its last signed checkpoint covers (a backup restored from behind it): new events would take
// the lost ones' positions. Only the sizes are compared, which costs two reads a provider; serve
// checks the roots as well before it accepts an append.
func refuseShortHistories(ctx context.Context, st *store.Store) error {
	cps, err := checkpoints.OpenStore(ctx, st.JetStream(), replicasOf(st))
	if err != nil {
		return err
	}
	providers, err := st.Providers(ctx)
	if err != nil {
		return err
	}
	for _, p := range providers {
		note, ok, err := cps.Latest(ctx, p)
		if err != nil || !ok {
			if err != nil {
				return err
			}
			continue
		}
		body, _, _ := bytes.Cut(note, []byte("\n\n"))
		c, err := evidence.ParseBody(append(slices.Clip(body), '\n'))
		if err != nil {
			return fmt.Errorf("the latest stored checkpoint of %s: %w", p, err)
		}
		head, err := st.Head(ctx, p)
		if err != nil {
			return err
		}
		if int64(head.Position) < c.Size {
			return fmt.Errorf("the store holds %d events of %s; its last signed checkpoint covers %d: nothing is appended until the loss is recorded (see \"A store that lost events\" in docs/operations.md: wsledger recover)", head.Position, p, c.Size)
		}
	}
	return nil
}
