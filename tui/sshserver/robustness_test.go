package sshserver_test

import (
	"context"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
	gossh "golang.org/x/crypto/ssh"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/sshserver"
)

// A panic in one session's Update, View or command ends that session with
// a message; the other session keeps working, and so does the server.
func TestPanicEndsOnlyThatSession(t *testing.T) {
	e := startEnv(t, sshserver.Config{})
	k := newKey(t)
	c := e.mustDial(k)
	bystander := openTUI(t, c, 80, 24)
	bystander.waitText("keys=0")
	for _, key := range []string{"p", "c", "v"} {
		victim := openTUI(t, c, 80, 24)
		victim.waitText("keys=0")
		victim.press(key)
		if err := victim.waitEnd(); err != nil {
			t.Errorf("panic on %q: session ended with %v, want exit 0 after a goodbye", key, err)
		}
		if raw := victim.screen.Raw(); !strings.Contains(raw, "something went wrong") {
			t.Errorf("panic on %q: the client was not told; it got:\n%q", key, raw)
		}
		bystander.press("x")
	}
	resized := openTUI(t, c, 80, 24)
	resized.waitText("keys=0")
	resized.press("r")
	resized.waitText("keys=1")
	if err := resized.sess.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	if err := resized.waitEnd(); err != nil {
		t.Errorf("panic in a resize: session ended with %v", err)
	}
	bystander.press("x")
	bystander.waitText("keys=4")
	if _, _, code := run(t, e.mustDial(newKey(t)), "accounts --json"); code != 0 {
		t.Fatalf("the server stopped serving after the panics: exit %d", code)
	}
}

// Hostile sizes (0×0, huge, one cell) and a burst of resizes neither crash
// the session nor reach the model unclamped; ctrl+z does not suspend.
func TestHostileWindowSizes(t *testing.T) {
	e := startEnv(t, sshserver.Config{})
	c := e.mustDial(newKey(t))

	zero := openTUI(t, c, 0, 0) // draws nothing at 0×0, but runs
	zero.press("q")
	if err := zero.waitEnd(); err != nil {
		t.Fatalf("a 0×0 session: %v", err)
	}
	big := openTUI(t, c, 10000, 10000)
	big.press("x")
	big.waitScreen("a clamped size", func(s string) bool { return strings.Contains(s, "size=300x100 keys=1") })

	ts := openTUI(t, c, 80, 24)
	// Resizes start once the session runs, as a person's would (the ssh
	// package reads and writes the pty's size without a lock).
	ts.waitText("keys=0")
	for _, wh := range [][2]int{{10000, 10000}, {1, 1}, {0, 0}, {1 << 20, 3}} {
		if err := ts.sess.WindowChange(wh[1], wh[0]); err != nil {
			t.Fatalf("window change: %v", err)
		}
	}
	for i := range 1000 {
		if err := ts.sess.WindowChange(1+i%300, 1+i%700); err != nil {
			t.Fatalf("window change %d: %v", i, err)
		}
	}
	if err := ts.sess.WindowChange(24, 80); err != nil {
		t.Fatal(err)
	}
	ts.waitText("size=80x24")
	ts.press("\x1a") // ctrl+z
	ts.waitText("resumed=true")
	ts.press("q")
	if err := ts.waitEnd(); err != nil {
		t.Fatalf("quit after resizes: %v", err)
	}
}

// MaxSessions caps concurrent sessions with a message, and a freed slot can
// be used again.
func TestMaxSessions(t *testing.T) {
	e := startEnv(t, sshserver.Config{MaxSessions: 2})
	c := e.mustDial(newKey(t))
	a := openTUI(t, c, 80, 24)
	a.waitText("keys=0")
	b := openTUI(t, c, 80, 24)
	b.waitText("keys=0")
	_, errs, code := run(t, c, "accounts --json")
	if code != 1 || !strings.Contains(errs, "server is full") {
		t.Fatalf("a third session: exit %d, stderr %q; want refused", code, errs)
	}
	a.press("q")
	if err := a.waitEnd(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the slot to be freed", func() bool { return e.srv.Sessions() == 1 })
	if _, errs, code := run(t, c, "accounts --json"); code != 0 {
		t.Fatalf("after a session ended: exit %d, %s", code, errs)
	}
}

// A TUI session without input ends after IdleTimeout with a goodbye; one
// past MaxSessionTime ends too, whatever the user does.
func TestIdleAndSessionTimeouts(t *testing.T) {
	e := startEnv(t, sshserver.Config{IdleTimeout: 300 * time.Millisecond, MaxSessionTime: -1})
	c := e.mustDial(newKey(t))
	ts := openTUI(t, c, 80, 24)
	if err := ts.waitEnd(); err != nil {
		t.Fatalf("idle session: %v", err)
	}
	if raw := ts.screen.Raw(); !strings.Contains(raw, "idle for 300ms") {
		t.Fatalf("no idle goodbye; got %q", raw)
	}

	e2 := startEnv(t, sshserver.Config{MaxSessionTime: 500 * time.Millisecond, IdleTimeout: -1})
	ts2 := openTUI(t, e2.mustDial(newKey(t)), 80, 24)
	var stop atomic.Bool
	go func() { // keep typing: the limit is on time, not idleness
		for !stop.Load() {
			_, _ = ts2.stdin.Write([]byte("x"))
			time.Sleep(50 * time.Millisecond)
		}
	}()
	err := ts2.waitEnd()
	stop.Store(true)
	if err != nil {
		t.Fatalf("timed session: %v", err)
	}
	if raw := ts2.screen.Raw(); !strings.Contains(raw, "time limit (500ms)") {
		t.Fatalf("no time-limit goodbye; got %q", raw)
	}
}

// New connections from one address beyond the rate are refused before the
// handshake.
func TestRateLimitPerAddress(t *testing.T) {
	e := startEnv(t, sshserver.Config{RateLimit: sshserver.Rate{N: 3, Per: time.Hour}})
	k := newKey(t)
	for i := range 3 {
		c, err := e.dial(gossh.PublicKeys(k))
		if err != nil {
			t.Fatalf("connection %d within the rate: %v", i+1, err)
		}
		_ = c.Close()
	}
	if c, err := e.dial(gossh.PublicKeys(k)); err == nil {
		_ = c.Close()
		t.Fatal("a fourth connection within the hour got in")
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]sshserver.Rate{
		"30/m": {N: 30, Per: time.Minute}, "5/s": {N: 5, Per: time.Second}, "100/h": {N: 100, Per: time.Hour},
		"10/30s": {N: 10, Per: 30 * time.Second}, "off": {N: -1}, "0": {N: -1},
	} {
		got, err := sshserver.ParseRate(in)
		if err != nil || got != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
		if err == nil && want.N > 0 {
			if back, _ := sshserver.ParseRate(got.String()); back != got {
				t.Errorf("%q does not round-trip: %q", in, got.String())
			}
		}
	}
	for _, in := range []string{"", "30", "x/m", "-1/m", "3/fortnight", "3/-1s"} {
		if _, err := sshserver.ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) accepted", in)
		}
	}
}

// When Serve's context ends: TUI sessions get a goodbye, a command that
// finishes within the grace period completes normally, one that does not
// is cancelled with a message, and Serve returns.
func TestGracefulShutdown(t *testing.T) {
	started := make(chan string, 2)
	e := startEnv(t, sshserver.Config{
		ShutdownTimeout: 500 * time.Millisecond,
		Command: func(ctx context.Context, args []string, io sshserver.IO, _ model.UserRef) int {
			started <- args[0]
			switch args[0] {
			case "quick": // finishes within the grace period
				time.Sleep(100 * time.Millisecond)
				_, _ = io.Out.Write([]byte("done\n"))
				return 0
			default: // runs until cancelled
				<-ctx.Done()
				return 1
			}
		},
	})
	c := e.mustDial(newKey(t))
	ts := openTUI(t, c, 80, 24)
	ts.waitText("keys=0")
	type result struct {
		out, errs string
		code      int
	}
	results := map[string]chan result{"quick": make(chan result, 1), "forever": make(chan result, 1)}
	for name, ch := range results {
		go func() {
			out, errs, code := run(t, c, name)
			ch <- result{out, errs, code}
		}()
	}
	<-started
	<-started
	go e.stop()
	if err := ts.waitEnd(); err != nil {
		t.Errorf("TUI at shutdown: %v", err)
	}
	if raw := ts.screen.Raw(); !strings.Contains(raw, "the server is shutting down. Goodbye!") {
		t.Errorf("no goodbye on the TUI: %q", raw)
	}
	if r := <-results["quick"]; r.code != 0 || r.out != "done\n" {
		t.Errorf("a command finishing within the grace period: %+v", r)
	}
	if r := <-results["forever"]; r.code != 1 || !strings.Contains(r.errs, "stopped: the server is shutting down") {
		t.Errorf("a command past the grace period: %+v", r)
	}
	waitUntil(t, "every session to end", func() bool { return e.srv.Sessions() == 0 })
	if _, err := e.dial(gossh.PublicKeys(newKey(t))); err == nil {
		t.Error("a connection was accepted after shutdown")
	}
}

// The host key is created with mode 0600 on first start and reused; a key
// others can read is refused.
func TestHostKey(t *testing.T) {
	e := startEnv(t, sshserver.Config{})
	path := t.TempDir() + "/keys/host"
	cfg := sshserver.Config{Hub: e.hub, HostKeyPath: path}
	s1, err := sshserver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	s2, err := sshserver.New(cfg)
	if err != nil || s2.HostKeyFingerprint() != s1.HostKeyFingerprint() {
		t.Fatalf("second start: %v, fingerprint %s then %s; want the same key", err, s1.HostKeyFingerprint(), s2.HostKeyFingerprint())
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sshserver.New(cfg); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a readable host key: %v; want refused", err)
	}
}

func waitUntil(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Connections that never authenticate are closed by the idle timeout, and
// beyond twice MaxSessions connections are refused before the handshake.
func TestStalledConnections(t *testing.T) {
	e := startEnv(t, sshserver.Config{MaxSessions: 1, IdleTimeout: 200 * time.Millisecond})
	dial := func() net.Conn {
		c, err := net.Dial("tcp", e.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	closed := func(c net.Conn) bool { // reads until the server hangs up
		_ = c.SetReadDeadline(time.Now().Add(waitFor))
		_, err := io.Copy(io.Discard, c)
		return err == nil // EOF: closed by the server
	}
	a, b := dial(), dial()
	waitUntil(t, "two connections admitted", func() bool { return e.srv.Connections() == 2 })
	if third := dial(); !closed(third) {
		t.Fatal("a third connection (cap 2) was not refused")
	}
	if !closed(a) || !closed(b) {
		t.Fatal("silent connections were not closed")
	}
	waitUntil(t, "the slots to be freed", func() bool { return e.srv.Connections() == 0 })
}

// Once the server and its clients are gone, no goroutine of theirs is left.
func TestNoGoroutinesLeft(t *testing.T) {
	// The test's own screen pump ends in t.Cleanup, after this check.
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(),
		goleak.IgnoreAnyFunction("github.com/openfinance-tui/openfinance/tui/sshserver_test.openTUI.func1"))
	e := startEnv(t, sshserver.Config{})
	k := newKey(t)
	c, err := e.dial(gossh.PublicKeys(k))
	if err != nil {
		t.Fatal(err)
	}
	ts := openTUI(t, c, 80, 24)
	ts.waitText("keys=0")
	if _, _, code := run(t, c, "accounts --json"); code != 0 {
		t.Fatalf("accounts: exit %d", code)
	}
	ts.press("q")
	if err := ts.waitEnd(); err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	e.stop()
}
