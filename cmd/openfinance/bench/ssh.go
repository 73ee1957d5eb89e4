package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/openfinance-tui/openfinance/tui"
	"github.com/openfinance-tui/openfinance/tui/sshserver"
)

// sessionTUI is the TUI an SSH session runs when Config.SessionModel is
// nil: the one `openfinance serve` runs, locked to the session's user.
func sessionTUI(s sshserver.Session) tea.Model {
	return tui.New(tui.Options{
		Hub: s.Hub, User: s.User.UserName, LockUser: true,
		Width: s.Width, Height: s.Height, Profile: s.Profile,
		HasDarkBackground: s.HasDarkBackground, QueryBackground: true,
		Logger: s.Logger, Context: s.Ctx, Timeout: 30 * time.Second, SyncTimeout: 10 * time.Minute,
	})
}

// measureSSH starts the SSH server on a loopback port and opens N
// sessions with a pty, each from a new key (a new user with nothing
// linked: an idle session), and measures the live heap before and after
// every session shows its first screen. The clients run in this process
// (golang.org/x/crypto/ssh), so their few kilobytes are counted too: the
// figure errs on the high side.
func (w *world) measureSSH(ctx context.Context, r *Report) error {
	n := w.cfg.Sessions
	dir, err := os.MkdirTemp("", "openfinance-bench-ssh-")
	if err != nil {
		return fmt.Errorf("cannot create a directory for the host key: %w", err)
	}
	defer os.RemoveAll(dir)
	model := w.cfg.SessionModel
	if model == nil {
		model = sessionTUI
	}
	srv, err := sshserver.New(sshserver.Config{
		Addr: "127.0.0.1:0", HostKeyPath: filepath.Join(dir, "host_ed25519"), Hub: w.heavy,
		Logger: w.app.Log, Model: model, MaxSessions: n, RateLimit: sshserver.Rate{N: -1},
	})
	if err != nil {
		return fmt.Errorf("cannot build the SSH server: %w", err)
	}
	addr, err := srv.Listen()
	if err != nil {
		return fmt.Errorf("the SSH server cannot listen: %w", err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx) }()
	defer func() {
		stop()
		<-served
	}()

	configs := make([]*gossh.ClientConfig, n)
	for i := range configs {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		signer, err := gossh.NewSignerFromKey(priv)
		if err != nil {
			return err
		}
		configs[i] = &gossh.ClientConfig{User: "bench", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second} //nolint:gosec // our own server on loopback
	}
	wd, ht := w.size()
	clients := make([]*sshClient, 0, n)
	defer func() {
		for _, c := range clients {
			c.close()
		}
	}()
	before, rssBefore := heapInUse(), procStatus("VmRSS")
	t0 := time.Now()
	// Eight clients connect at a time, as people arriving together would.
	opened := make([]*sshClient, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := dialSession(addr.String(), configs[i], wd, ht)
			if err != nil {
				w.say("SSH session %d of %d: %v", i+1, n, err)
				return
			}
			opened[i] = c
		})
	}
	wg.Wait()
	for _, c := range opened {
		if c != nil {
			clients = append(clients, c)
		}
	}
	// A session is up when it shows its first screen and is still open
	// (a server that cannot serve a session says so and hangs up).
	deadline := time.Now().Add(2 * time.Minute)
	up := 0
	var why error
	for _, c := range clients {
		if err := c.waitFor(ctx, "openfinance", deadline); err != nil {
			why = err
			continue
		}
		up++
	}
	took := time.Since(t0)
	time.Sleep(time.Second) // let the sessions' first loads settle
	after, rssAfter := heapInUse(), procStatus("VmRSS")
	for _, c := range clients {
		if c.ended() {
			up--
		}
	}
	s := &r.SSH
	s.Sessions, s.Up, s.UpSeconds = n, max(up, 0), round3(took.Seconds())
	s.HeapBeforeMB, s.HeapAfterMB = round3(mb(before)), round3(mb(after))
	if after > before && s.Up > 0 {
		s.PerSessionMB = round3(mb(after-before) / float64(s.Up))
	}
	s.RSSBeforeMB, s.RSSAfterMB = round3(mb(rssBefore)), round3(mb(rssAfter))
	if why != nil {
		s.Failure = why.Error()
	}
	w.say("%d of %d idle SSH sessions up in %.1f s: %.2f MB of heap each", s.Up, n, s.UpSeconds, s.PerSessionMB)
	return nil
}

// sshClient is one client session with a pty, its output kept as text
// (up to a bound) to see the first screen.
type sshClient struct {
	conn *gossh.Client
	sess *gossh.Session
	mu   sync.Mutex
	out  []byte
	eof  bool // the server hung up
	// stderr is what the server wrote there (at most 4 KiB).
	stderr string
}

const keepOutput = 64 << 10

func dialSession(addr string, cfg *gossh.ClientConfig, w, h int) (*sshClient, error) {
	conn, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	c := &sshClient{conn: conn}
	if c.sess, err = conn.NewSession(); err != nil {
		_ = conn.Close()
		return nil, err
	}
	stdout, err := c.sess.StdoutPipe()
	var stderr io.Reader
	if err == nil {
		stderr, err = c.sess.StderrPipe()
	}
	if err == nil {
		err = c.sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{})
	}
	if err == nil {
		err = c.sess.Shell()
	}
	if err != nil {
		c.close()
		return nil, err
	}
	go c.read(stdout)
	go func() { // what a refused session is told
		b, _ := io.ReadAll(io.LimitReader(stderr, 4<<10))
		c.mu.Lock()
		c.stderr = string(b)
		c.mu.Unlock()
		_, _ = io.Copy(io.Discard, stderr)
	}()
	return c, nil
}

func (c *sshClient) read(r io.Reader) {
	buf := make([]byte, 8<<10)
	for {
		n, err := r.Read(buf)
		c.mu.Lock()
		if room := keepOutput - len(c.out); room > 0 {
			c.out = append(c.out, buf[:min(n, room)]...)
		}
		if err != nil {
			c.eof = true
		}
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// waitFor waits until the session's output shows text.
func (c *sshClient) waitFor(ctx context.Context, text string, deadline time.Time) error {
	for {
		c.mu.Lock()
		s := ansi.Strip(string(c.out))
		c.mu.Unlock()
		if strings.Contains(s, text) {
			return nil
		}
		if c.ended() {
			c.mu.Lock()
			said := c.stderr
			c.mu.Unlock()
			if strings.TrimSpace(said) == "" {
				said = s
			}
			return fmt.Errorf("the server closed the session, saying %q", tail(said, 200))
		}
		if time.Now().After(deadline) {
			return errors.New("the session showed no screen within 2 minutes")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// tail is the end of s, on one line.
func tail(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return "…" + string(r[len(r)-n:])
	}
	return s
}

// ended reports whether the server closed the session.
func (c *sshClient) ended() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.eof
}

func (c *sshClient) close() {
	if c.sess != nil {
		_ = c.sess.Close()
	}
	_ = c.conn.Close()
}
