package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
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
// linked: an idle session), a few arriving at a time (see arriving), and
// measures the live heap before and once every session has shown its
// first screen and gone quiet. The server it starts has the product's
// limits, but its session cap is N and its per-address rate limit is off
// (every client comes from 127.0.0.1). The clients run in this process
// (golang.org/x/crypto/ssh), so their few kilobytes are counted too: the
// figure errs on the high side. Sessions that do not come up are counted
// by the reason they gave.
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
	opened, fails := openSessions(ctx, addr.String(), configs, wd, ht, w.say)
	took := time.Since(t0)
	for _, c := range opened {
		if c != nil {
			clients = append(clients, c)
		}
	}
	// Idle means quiet: the sessions' first loads are over once no screen
	// has changed for a second.
	quiet(ctx, clients, time.Second, time.Minute)
	after, rssAfter := heapInUse(), procStatus("VmRSS")
	up := 0
	for _, c := range clients {
		if c.ended() {
			fails.add(c.why())
			continue
		}
		up++
	}
	s := &r.SSH
	s.Sessions, s.Up, s.UpSeconds = n, up, round3(took.Seconds())
	s.HeapBeforeMB, s.HeapAfterMB = round3(mb(before)), round3(mb(after))
	if after > before && s.Up > 0 {
		s.PerSessionMB = round3(mb(after-before) / float64(s.Up))
	}
	s.RSSBeforeMB, s.RSSAfterMB = round3(mb(rssBefore)), round3(mb(rssAfter))
	s.Failure = fails.String()
	w.say("%d of %d idle SSH sessions up in %.1f s: %.2f MB of heap each", s.Up, n, s.UpSeconds, s.PerSessionMB)
	if s.Failure != "" {
		w.say("SSH sessions not up: %s", s.Failure)
	}
	return nil
}

// arriving is how many sessions are on their way in at once: connecting,
// signing in, waiting for their first screen. Eight people arriving
// together, not N: every session that arrives costs the server a user
// lookup (or creation) and a first load, and N at once on a small machine
// would measure the harness's stampede, not the memory of N sessions.
const arriving = 8

// firstScreenWithin bounds one session's way in (connect, sign in, first
// screen).
const firstScreenWithin = 2 * time.Minute

// openSessions opens a session per config, arriving at a time, each
// waiting for its first screen before the next one starts, and returns the
// sessions that showed it (nil for the others) and why the others failed.
func openSessions(ctx context.Context, addr string, configs []*gossh.ClientConfig, wd, ht int, say func(string, ...any)) ([]*sshClient, *reasons) {
	opened := make([]*sshClient, len(configs))
	fails := &reasons{}
	sem := make(chan struct{}, arriving)
	var wg sync.WaitGroup
	for i, cfg := range configs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			deadline := time.Now().Add(firstScreenWithin)
			c, err := dialSession(addr, cfg, wd, ht, deadline)
			if err == nil {
				if err = c.waitFor(ctx, "openfinance", deadline); err != nil {
					c.close()
				}
			}
			if err != nil {
				say("SSH session %d of %d: %v", i+1, len(configs), err)
				fails.add(err.Error())
				return
			}
			opened[i] = c
		})
	}
	wg.Wait()
	return opened, fails
}

// quiet waits until no session has received output for still (at most
// limit).
func quiet(ctx context.Context, clients []*sshClient, still, limit time.Duration) {
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		last := time.Time{}
		for _, c := range clients {
			if t := c.lastOutput(); t.After(last) {
				last = t
			}
		}
		wait := still - time.Since(last)
		if wait <= 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// reasons counts why sessions did not come up, by message.
type reasons struct {
	mu    sync.Mutex
	order []string
	n     map[string]int
}

func (r *reasons) add(why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = map[string]int{}
	}
	if r.n[why] == 0 {
		r.order = append(r.order, why)
	}
	r.n[why]++
}

// String lists the reasons, most frequent first: "3 × why; 1 × other".
func (r *reasons) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	order := slices.Clone(r.order)
	slices.SortStableFunc(order, func(a, b string) int { return r.n[b] - r.n[a] })
	parts := make([]string, len(order))
	for i, why := range order {
		parts[i] = fmt.Sprintf("%d × %s", r.n[why], why)
	}
	return strings.Join(parts, "; ")
}

// sshClient is one client session with a pty, its output kept as text
// (up to a bound) to see the first screen.
type sshClient struct {
	conn *gossh.Client
	sess *gossh.Session
	mu   sync.Mutex
	out  []byte
	eof  bool      // the server hung up
	last time.Time // when output last arrived
	// stderr is what the server wrote there (at most 4 KiB).
	stderr string
}

const keepOutput = 64 << 10

// dialSession connects, signs in and starts a shell with a pty, all before
// deadline (the handshake included: gossh.Dial bounds only the TCP connect).
func dialSession(addr string, cfg *gossh.ClientConfig, w, h int, deadline time.Time) (*sshClient, error) {
	nc, err := net.DialTimeout("tcp", addr, time.Until(deadline))
	if err != nil {
		return nil, fmt.Errorf("cannot connect: %w", err)
	}
	_ = nc.SetDeadline(deadline)
	cc, chans, reqs, err := gossh.NewClientConn(nc, addr, cfg)
	if err != nil {
		_ = nc.Close()
		return nil, fmt.Errorf("the SSH handshake failed: %w", err)
	}
	conn := gossh.NewClient(cc, chans, reqs)
	c := &sshClient{conn: conn}
	defer func() { _ = nc.SetDeadline(time.Time{}) }() // the session's own pace from here
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
		return nil, fmt.Errorf("cannot start a session with a pty: %w", err)
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
		if n > 0 {
			c.last = time.Now()
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
			return errors.New(c.why())
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the session showed no screen within %s", firstScreenWithin)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// why says what the server said when it closed the session.
func (c *sshClient) why() string {
	c.mu.Lock()
	said := c.stderr
	if strings.TrimSpace(said) == "" {
		said = ansi.Strip(string(c.out))
	}
	c.mu.Unlock()
	return fmt.Sprintf("the server closed the session, saying %q", tail(said, 200))
}

// lastOutput is when the session last received output.
func (c *sshClient) lastOutput() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
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
