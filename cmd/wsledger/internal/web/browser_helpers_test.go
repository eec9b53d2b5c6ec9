package web

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

var updateScreenshots = flag.Bool("update-screenshots", false,
	"write the browser tests' screenshots to docs/screenshots/ (also WSLEDGER_UPDATE_SCREENSHOTS=1)")

// The helpers of the browser tests: Debian's chromium driven by chromedp.

// requireBrowser makes a missing chromium a failure instead of a skip, as on CI.
const requireBrowser = "WSLEDGER_REQUIRE_BROWSER"

// chromiumPath returns Debian's chromium, or skips the test (fails it when WSLEDGER_REQUIRE_BROWSER=1).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	msg := "the browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
	if os.Getenv(requireBrowser) == "1" {
		t.Fatalf("%s, and %s=1 requires them", msg, requireBrowser)
	}
	t.Skipf("%s; skipped (set %s=1 to make this a failure)", msg, requireBrowser)
	return ""
}

// screenshotDir is where screenshots go: docs/screenshots with -update-screenshots, else a
// temporary directory.
func screenshotDir(t *testing.T) string {
	if *updateScreenshots || os.Getenv("WSLEDGER_UPDATE_SCREENSHOTS") == "1" {
		return filepath.Join("..", "..", "..", "..", "docs", "screenshots")
	}
	return t.TempDir()
}

// newBrowser starts headless chromium with a new empty profile and returns its first tab.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 860),
	)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return tab
}

// newTab opens another tab of the same browser profile (same cookies); with separate, a tab
// of a new browser context (its own cookies, as another person's browser).
func newTab(t *testing.T, of context.Context, separate bool) context.Context {
	t.Helper()
	var opts []chromedp.ContextOption
	if separate {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	tab, cancel := chromedp.NewContext(of, opts...)
	t.Cleanup(cancel)
	return tab
}

// do runs actions in a tab and fails the test on error.
func do(t *testing.T, tab context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tab, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// run runs an action that returns a value and fails the test on error.
func run[T any](t *testing.T, tab context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(tab, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// signInWith fills in and sends the sign-in form, then waits for the page it leads to.
func signInWith(t *testing.T, tab context.Context, base, token, landing string) {
	t.Helper()
	do(t, tab, "sign in",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), token),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(landing)),
	)
}

// count reads a number the page shows in a data-count element.
func count(t *testing.T, tab context.Context, name string) int {
	t.Helper()
	text := run(t, tab, "read "+name, chromedp.Text(chromedp.CSS(`[data-count="`+name+`"]`)))
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil {
		t.Fatalf("%s shows %q, not a number", name, text)
	}
	return n
}

// waitCount waits until a count shows want, without the page being reloaded, and returns how
// long it took.
func waitCount(t *testing.T, tab context.Context, name string, want int) time.Duration {
	t.Helper()
	start := time.Now()
	js := fmt.Sprintf(`document.querySelector('[data-count="%s"]').textContent.trim() === "%d"`, name, want)
	do(t, tab, "wait for "+name+" to become "+strconv.Itoa(want),
		chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second)))
	return time.Since(start)
}

// screenshot saves the tab's viewport as a PNG.
func screenshot(t *testing.T, tab context.Context, dir, name string) {
	t.Helper()
	png := run(t, tab, "screenshot "+name, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// download clicks the link with the element id in the tab, as a person would, and returns the
// file the browser saved.
func download(t *testing.T, tab context.Context, id string) []byte {
	t.Helper()
	dir := t.TempDir()
	progress := chromedp.Events(tab, cdpbrowser.DownloadProgress)
	do(t, tab, "download "+id,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			enabled := true
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &enabled,
				BrowserContextID: chromedp.FromContext(ctx).BrowserContextID, // the tab's own
			})
			return err
		}),
		chromedp.Click(chromedp.ID(id)),
	)
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatalf("the download of %s was cancelled", id)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			data, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	t.Fatalf("the download of %s did not complete", id)
	return nil
}
