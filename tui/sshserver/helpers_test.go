package sshserver_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/openfinance-tui/openfinance/cmd/openfinance/cli"
	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/sshserver"
)

// waitFor is how long a test waits for a screen or a session to reach a
// state before failing (generous: -race on two shared cores).
const waitFor = 60 * time.Second

// env is one test's server: an App in a temporary directory, its hub with
// the emulated banks, and the SSH server listening on a loopback port.
type env struct {
	t    testing.TB
	app  *app.App
	hub  *hub.Hub
	srv  *sshserver.Server
	addr string
	stop func() // cancels Serve and waits for it
	done chan error
}

// startEnv starts a server with cfg (Hub, HostKeyPath, Addr, Command and
// Logger are filled in when empty; Model defaults to testModel).
func startEnv(t testing.TB, cfg sshserver.Config) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	a, err := app.Open(ctx, app.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	h, stopBanks, err := cli.StartHub(ctx, a, func(string) string { return "" })
	if err != nil {
		t.Fatalf("start hub: %v", err)
	}
	e := &env{t: t, app: a, hub: h}
	if cfg.HostKeyPath == "" {
		cfg.HostKeyPath = t.TempDir() + "/host_ed25519"
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.Hub = h
	if cfg.Model == nil {
		cfg.Model = newTestModel
	}
	if cfg.Command == nil {
		cfg.Command = cliCommand(a, h)
	}
	if cfg.RateLimit == (sshserver.Rate{}) {
		cfg.RateLimit = sshserver.Rate{N: -1}
	}
	e.srv, err = sshserver.New(cfg)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	addr, err := e.srv.Listen()
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	e.addr = addr.String()
	sctx, scancel := context.WithCancel(context.Background())
	e.done = make(chan error, 1)
	go func() { e.done <- e.srv.Serve(sctx) }()
	var once sync.Once
	e.stop = func() {
		once.Do(func() {
			scancel()
			select {
			case err := <-e.done:
				if err != nil {
					t.Errorf("serve: %v", err)
				}
			case <-time.After(waitFor):
				t.Errorf("Serve did not return after its context ended")
			}
			stopBanks()
			cctx, ccancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer ccancel()
			if err := a.Close(cctx); err != nil {
				t.Errorf("close app: %v", err)
			}
		})
	}
	t.Cleanup(e.stop)
	return e
}

// cliCommand is what `openfinance serve` passes as Config.Command.
func cliCommand(a *app.App, h *hub.Hub) sshserver.CommandFunc {
	return func(ctx context.Context, args []string, io sshserver.IO, u model.UserRef) int {
		return cli.Run(ctx, args, cli.IO{In: io.In, Out: io.Out, Err: io.Err}, cli.Options{
			Identity: u.UserName, App: a, Hub: h, Getenv: func(string) string { return "" },
		})
	}
}

func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// userOf is the user name the server gives a key.
func userOf(k gossh.Signer) string {
	return hub.SSHIdentityOf(k.PublicKey().Marshal()).UserName
}

func clientConfig(auth ...gossh.AuthMethod) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User:            "anyone",
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // a test server on loopback
		Timeout:         waitFor,
	}
}

func (e *env) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", e.addr, clientConfig(auth...))
}

func (e *env) mustDial(k gossh.Signer) *gossh.Client {
	e.t.Helper()
	c, err := e.dial(gossh.PublicKeys(k))
	if err != nil {
		e.t.Fatalf("dial: %v", err)
	}
	e.t.Cleanup(func() { _ = c.Close() })
	return c
}

// run runs one command line without a pty.
func run(t testing.TB, c *gossh.Client, cmd string) (stdout, stderr string, code int) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	defer s.Close() //nolint:errcheck
	var out, errb bytes.Buffer
	s.Stdout, s.Stderr = &out, &errb
	err = s.Run(cmd)
	var ee *gossh.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitStatus()
	default:
		t.Fatalf("run %q: %v (stderr %q)", cmd, err, errb.String())
	}
	return out.String(), errb.String(), code
}

// screen is a session's terminal as the user would see it.
type screen struct {
	mu  sync.Mutex
	emu *vt.Emulator
	raw bytes.Buffer // everything received, for failure messages and goodbyes
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw.Write(p)
	return s.emu.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

func (s *screen) Raw() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

// tuiSession is an interactive session: a pty, keys in, a screen out.
type tuiSession struct {
	t      testing.TB
	sess   *gossh.Session
	stdin  io.WriteCloser
	screen *screen
	ended  chan error
}

// openTUI starts an interactive session with a w×h pty.
func openTUI(t testing.TB, c *gossh.Client, w, h int) *tuiSession {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	// The user's terminal is 80×24 whatever size the client claims.
	scr := &screen{emu: vt.NewEmulator(80, 24)}
	stdin, err := s.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.Stdout, s.Stderr = scr, scr
	if err := s.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	if err := s.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	ts := &tuiSession{t: t, sess: s, stdin: stdin, screen: scr, ended: make(chan error, 1)}
	// The emulator answers the program's terminal queries, as a real
	// terminal would. It is drained even once the session is gone: an
	// unread answer would block the emulator (and the screen's lock).
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := scr.emu.Read(buf)
			if err != nil {
				return
			}
			_, _ = stdin.Write(buf[:n])
		}
	}()
	go func() { ts.ended <- s.Wait() }()
	t.Cleanup(func() {
		_ = s.Close()
		// Ends the pump above (Emulator.Close would race with its Read).
		_ = scr.emu.InputPipe().(io.Closer).Close()
	})
	return ts
}

func (ts *tuiSession) press(keys string) {
	ts.t.Helper()
	if _, err := io.WriteString(ts.stdin, keys); err != nil {
		ts.t.Fatalf("send keys: %v", err)
	}
}

// waitScreen waits until the screen satisfies ok.
func (ts *tuiSession) waitScreen(what string, ok func(string) bool) string {
	ts.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		s := ts.screen.String()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("screen never showed %s; it shows:\n%s", what, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (ts *tuiSession) waitText(text string) string {
	ts.t.Helper()
	return ts.waitScreen(fmt.Sprintf("%q", text), func(s string) bool { return strings.Contains(s, text) })
}

// waitEnd waits for the server to end the session.
func (ts *tuiSession) waitEnd() error {
	ts.t.Helper()
	select {
	case err := <-ts.ended:
		return err
	case <-time.After(waitFor):
		ts.t.Fatalf("the session did not end; screen:\n%s", ts.screen.String())
		return nil
	}
}

// testModel is a small TUI standing in for the real one: it shows its
// user, size and account ids, counts keys, and misbehaves on request.
type testModel struct {
	s        sshserver.Session
	w, h     int
	accounts []string
	loaded   bool
	keys     int
	resumed  bool
	status   string
	panicIn  string // "view": View panics; "resize": the next resize does
}

type accountsMsg struct {
	ids []string
	err error
}

func newTestModel(s sshserver.Session) tea.Model {
	return &testModel{s: s, w: s.Width, h: s.Height}
}

func (m *testModel) Init() tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(m.s.Ctx, 30*time.Second)
		defer cancel()
		accs, err := m.s.Hub.Accounts(ctx, m.s.User, "")
		ids := make([]string, 0, len(accs))
		for _, a := range accs {
			ids = append(ids, a.AccountId)
		}
		return accountsMsg{ids, err}
	}
}

func (m *testModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case accountsMsg:
		m.accounts, m.loaded = msg.ids, true
		if msg.err != nil {
			m.status = msg.err.Error()
		}
	case tea.WindowSizeMsg:
		if m.panicIn == "resize" {
			panic("test panic in a resize")
		}
		m.w, m.h = msg.Width, msg.Height
	case tea.ResumeMsg:
		m.resumed = true
	case tea.KeyPressMsg:
		m.keys++
		switch msg.String() {
		case "p":
			panic("test panic in Update")
		case "c":
			return m, tea.Batch(nil, func() tea.Msg { panic("test panic in a command") })
		case "v":
			m.panicIn = "view"
		case "r":
			m.panicIn = "resize" // on the next window change
		case "ctrl+z":
			return m, tea.Suspend
		case "q":
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m *testModel) View() tea.View {
	if m.panicIn == "view" {
		panic("test panic in View")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "user=%s size=%dx%d keys=%d resumed=%v\n", m.s.User.UserName, m.w, m.h, m.keys, m.resumed)
	if m.loaded {
		fmt.Fprintf(&b, "accounts=[%s] %s\n", strings.Join(m.accounts, ","), m.status)
	}
	// A full-width line: large sizes cost what they would in a real TUI.
	b.WriteString(strings.Repeat("-", max(m.w, 0)))
	v := tea.NewView(b.String())
	v.AltScreen = true
	return v
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
