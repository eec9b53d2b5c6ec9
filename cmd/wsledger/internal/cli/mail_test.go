package cli_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/mailtest"
	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events/natslog/natstest"
)

// TestServeEmailsWSTAKilledMidSend runs the real binary: serve e-mails the notice of a resolved
// concern and is killed (SIGKILL) while WSTA's mail server holds the message, read but not yet
// answered. Started again, serve sends it again; every message the server received for the
// notice carries the same Message-ID, and the notice duty is met at the instant the server
// accepted it, recorded once.
func TestServeEmailsWSTAKilledMidSend(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	ago := func(d time.Duration) string { return time.Now().Add(-d).Format(time.RFC3339) }
	cm := `"actor":{"staff_id":"cm1","role":"case_manager"}`
	clno := domain.DateOf(time.Now().Add(-2 * time.Hour)).String()
	stdin := strings.Join([]string{
		`{"type":"RegisterProvider","provider":"north","actor":{"staff_id":"ad1","role":"admin"},"name":"North","region":"r","occurred_at":"` + ago(48*time.Hour) + `"}`,
		`{"type":"ReceiveClientCall","provider":"north",` + cm + `,"concern_id":"K1","client_number":"55501234","summary":"s","occurred_at":"` + ago(3*time.Hour) + `"}`,
		`{"type":"ResolveConcern","provider":"north",` + cm + `,"concern_id":"K1","clno_date":"` + clno + `","summary":"Explained.","level":"supervisor","occurred_at":"` + ago(2*time.Hour) + `"}`,
	}, "\n")
	if code, out, errOut := run(t.Context(), stdin, nil, "submit", "--data", dir); code != 0 {
		t.Fatalf("submit: exit %d %s %s", code, out, errOut)
	}
	server := mailtest.Start(t)
	serve := func() (*exec.Cmd, *natstest.Buffer) {
		cmd := exec.CommandContext(t.Context(), bin, "serve", "--data", dir, "--http", "127.0.0.1:0",
			"--smtp", "smtp+insecure://"+server.Addr, "--mail-from", "ledger@north.example", "--wsta-mail-to", "wsta@wsta.example.gov")
		cmd.Env = []string{"HOME=" + t.TempDir()}
		out := &natstest.Buffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, out
	}

	held, release := server.Hold()
	first, firstOut := serve()
	select {
	case <-held:
	case <-time.After(90 * time.Second):
		_ = first.Process.Kill()
		t.Fatalf("no message reached the server:\n%s", firstOut)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	release() // the server takes the message; its answer goes to a process that is gone

	second, secondOut := serve()
	for deadline := time.Now().Add(90 * time.Second); !strings.Contains(secondOut.String(), "recorded the WSTA notice's delivery"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = second.Process.Kill()
			t.Fatalf("the restarted serve did not record the delivery:\n%s", secondOut)
		}
	}
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, secondOut)
	}
	msgs := server.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want the one sent before the kill and its repeat", len(msgs))
	}
	if msgs[0].MessageID == "" || msgs[1].MessageID != msgs[0].MessageID {
		t.Errorf("Message-IDs %q and %q: a repeat must carry the first's", msgs[0].MessageID, msgs[1].MessageID)
	}
	if strings.Contains(firstOut.String()+secondOut.String(), "55501234") {
		t.Error("serve logged the client number")
	}

	code, out, errOut := run(t.Context(), "", nil, "deadlines", "--data", dir, "--provider", "north", "--kind", "wsta_concern_notice", "--format", "json")
	var d struct {
		Items []struct {
			Status string    `json:"status"`
			MetAt  time.Time `json:"met_at"`
		} `json:"items"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || len(d.Items) != 1 {
		t.Fatalf("deadlines: exit %d %s\n%s", code, errOut, out)
	}
	if it := d.Items[0]; it.Status != "met_on_time" || it.MetAt.Before(msgs[1].AcceptedAt.Add(-time.Second)) || it.MetAt.After(msgs[1].AcceptedAt.Add(5*time.Second)) {
		t.Errorf("the notice is %s, met at %v; want met on time when the repeat was accepted (%v)", it.Status, it.MetAt, msgs[1].AcceptedAt)
	}
	code, out, _ = run(t.Context(), "", nil, "audit", "--data", dir, "--provider", "north", "--type", "WSTANoticeDelivered", "--format", "json")
	if code != 0 || strings.Count(out, `"type":"WSTANoticeDelivered"`)+strings.Count(out, `"type": "WSTANoticeDelivered"`) != 1 {
		t.Errorf("the delivery is recorded other than once:\n%.1500s", out)
	}
}
