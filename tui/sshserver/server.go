// Package sshserver serves openfinance over SSH with wish: anyone with an
// SSH client gets the TUI (a session with a pty) or the headless commands
// (a session with a command and no pty), acting as the user their public
// key maps to. All sessions share one hub (one store, one set of banks);
// each session gets its own Bubble Tea program, size, colour profile and
// context, so sessions never share UI state.
//
// Identity is the key the client proved: the fingerprint is recorded when
// the key is accepted and checked again against the session's key before
// anything runs (CVE-2024-45337); passwords and keyboard-interactive are
// never offered, so there is no fallback identity (CVE-2023-43809).
package sshserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"charm.land/log/v2"
	"charm.land/wish/v2"
	"github.com/charmbracelet/ssh"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
)

// Defaults of Config.
const (
	DefaultAddr            = "127.0.0.1:23234"
	DefaultMaxSessions     = 100
	DefaultIdleTimeout     = 10 * time.Minute
	DefaultMaxSessionTime  = time.Hour
	DefaultShutdownTimeout = 4 * time.Second
)

// DefaultRateLimit is how many new connections one IP address may open per
// minute (and at once).
func DefaultRateLimit() Rate { return Rate{N: 30, Per: time.Minute} }

// IO are the streams a command runs with.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// CommandFunc runs one command line for user and returns its exit status.
// ctx ends when the client goes away or the server stops the session.
type CommandFunc func(ctx context.Context, args []string, stdio IO, user model.UserRef) int

// Config configures a Server. Hub and HostKeyPath are required.
type Config struct {
	// Addr is the address to listen on (DefaultAddr when empty).
	Addr string
	// HostKeyPath is the server's private key: an ed25519 key is created
	// there (mode 0600) on first start and reused afterwards.
	HostKeyPath string
	// AuthorizedKeys, when set, is an authorized_keys file: only its keys
	// may connect. It is read again when it changes.
	AuthorizedKeys string
	// Hub serves every session.
	Hub *hub.Hub
	// Logger receives the server's logs (never a session's output); nil
	// discards them.
	Logger *log.Logger
	// Model builds the TUI of a session with a pty.
	Model ModelFunc
	// Command runs the command line of a session that sent one.
	Command CommandFunc

	// MaxSessions caps concurrent sessions (DefaultMaxSessions when 0).
	// Connections, authenticated or not, are capped at twice as many.
	MaxSessions int
	// IdleTimeout ends a TUI session without input for this long, and
	// closes a connection without traffic a little later
	// (DefaultIdleTimeout when 0, never when negative).
	IdleTimeout time.Duration
	// MaxSessionTime ends a session this long after it started
	// (DefaultMaxSessionTime when 0, never when negative).
	MaxSessionTime time.Duration
	// RateLimit caps new connections per client IP address
	// (DefaultRateLimit when zero; Rate{N: -1} turns it off).
	RateLimit Rate
	// ShutdownTimeout bounds how long Serve waits, once its context ends,
	// for running commands to finish before it cancels them
	// (DefaultShutdownTimeout when 0).
	ShutdownTimeout time.Duration
}

func (c *Config) defaults() error {
	if c.Hub == nil {
		return errors.New("the SSH server needs a hub")
	}
	if c.HostKeyPath == "" {
		return errors.New("the SSH server needs a host key path")
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Logger == nil {
		c.Logger = log.New(io.Discard)
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.MaxSessionTime == 0 {
		c.MaxSessionTime = DefaultMaxSessionTime
	}
	if c.RateLimit == (Rate{}) {
		c.RateLimit = DefaultRateLimit()
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	return nil
}

// Server is an SSH server for openfinance. Build it with New, then Serve.
type Server struct {
	cfg  Config
	log  *log.Logger
	ssh  *ssh.Server
	keys *authorizedKeys // nil: any key may connect
	rate *rateLimiter    // nil: no limit
	// hostFP is the host key's fingerprint, for the operator.
	hostFP string

	mu       sync.Mutex
	ln       net.Listener
	closing  bool
	conns    int
	sessions map[*session]struct{}
	drained  *sync.Cond // signalled whenever a session ends
}

// New checks cfg, loads (or creates) the host key and builds the server.
func New(cfg Config) (*Server, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	signer, created, err := loadHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger.WithPrefix("ssh"), sessions: map[*session]struct{}{}}
	s.drained = sync.NewCond(&s.mu)
	s.hostFP = fingerprint(signer.PublicKey())
	if created {
		s.log.Info("created a new host key", "path", cfg.HostKeyPath, "fingerprint", s.hostFP)
	}
	if cfg.AuthorizedKeys != "" {
		if s.keys, err = loadAuthorizedKeys(cfg.AuthorizedKeys); err != nil {
			return nil, err
		}
	}
	if cfg.RateLimit.N > 0 {
		s.rate = newRateLimiter(cfg.RateLimit)
	}
	opts := []ssh.Option{
		wish.WithAddress(cfg.Addr),
		wish.WithVersion("openfinance"),
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil },
		// Public keys only: with no password or keyboard-interactive
		// handler those methods are never offered.
		wish.WithPublicKeyAuth(s.acceptKey),
		ssh.WrapConn(s.admitConn),
		func(srv *ssh.Server) error {
			srv.ConnectionFailedCallback = s.connFailed
			srv.ServerConfigCallback = s.serverConfig
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			return nil
		},
		// Middleware order: the last one listed runs first, so a session
		// goes track → checkKey → identify → logSession → recover(command,
		// TUI, goodbye): it is counted and limited before anything else,
		// its key is checked before it is mapped to a user, and only then
		// does anything run for that user. recover keeps a panic inside
		// one session from reaching the server.
		wish.WithMiddleware(
			s.recoverMiddleware(
				s.goodbyeMiddleware,
				s.teaMiddleware,
				s.commandMiddleware,
			),
			s.logMiddleware,
			s.identifyMiddleware,
			s.checkKeyMiddleware,
			s.trackMiddleware,
		),
	}
	if cfg.IdleTimeout > 0 {
		// The connection-level timeout is a backstop (stalled handshakes,
		// silent commands): a TUI session says goodbye first.
		opts = append(opts, wish.WithIdleTimeout(cfg.IdleTimeout+cfg.IdleTimeout/10+time.Second))
	}
	if cfg.MaxSessionTime > 0 {
		opts = append(opts, wish.WithMaxTimeout(cfg.MaxSessionTime+cfg.MaxSessionTime/10+time.Second))
	}
	s.ssh, err = wish.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("cannot build the SSH server: %w", err)
	}
	return s, nil
}

// HostKeyFingerprint is the SHA-256 fingerprint of the host key, as
// ssh-keygen -l prints it, for users to check on first connect.
func (s *Server) HostKeyFingerprint() string { return s.hostFP }

// Listen binds the address (done by Serve when not called before), so a
// caller that asked for port 0 can learn the port from Addr.
func (s *Server) Listen() (net.Addr, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return s.ln.Addr(), nil
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("the SSH server cannot listen on %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	return ln.Addr(), nil
}

// Addr is the address the server listens on (nil before Listen).
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Sessions is the number of sessions running now.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Connections is the number of connections open now, authenticated or not.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Serve accepts connections until ctx ends, then shuts down: no new
// connections, every TUI session says goodbye and ends, running commands
// get ShutdownTimeout to finish before they are cancelled, and every
// connection is closed. It returns nil after a shutdown caused by ctx.
func (s *Server) Serve(ctx context.Context) error {
	addr, err := s.Listen()
	if err != nil {
		return err
	}
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	s.log.Info("serving", "addr", addr.String(), "host_key", s.hostFP)
	errc := make(chan error, 1)
	go func() { errc <- s.ssh.Serve(ln) }()
	select {
	case err := <-errc:
		s.shutdown()
		if errors.Is(err, ssh.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("the SSH server stopped: %w", err)
	case <-ctx.Done():
	}
	s.shutdown()
	<-errc
	return nil
}

// shutdown ends every session within about ShutdownTimeout plus a second.
func (s *Server) shutdown() {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return
	}
	s.closing = true
	open := make([]*session, 0, len(s.sessions))
	for st := range s.sessions {
		open = append(open, st)
	}
	s.mu.Unlock()
	s.log.Info("shutting down", "sessions", len(open))
	_ = s.ln.Close() // no new connections from here on

	for _, st := range open {
		st.farewell("the server is shutting down", false)
	}
	if !s.waitSessions(s.cfg.ShutdownTimeout) {
		s.mu.Lock()
		for st := range s.sessions {
			st.farewell("the server is shutting down", true)
		}
		s.mu.Unlock()
		s.waitSessions(time.Second)
	}
	_ = s.ssh.Close()
	if n := s.Sessions(); n > 0 {
		s.log.Warn("sessions still running at exit", "sessions", n)
	}
}

// waitSessions waits up to d for every session to end; it reports whether
// they did.
func (s *Server) waitSessions(d time.Duration) bool {
	t := time.AfterFunc(d, func() {
		s.mu.Lock()
		s.drained.Broadcast()
		s.mu.Unlock()
	})
	defer t.Stop()
	deadline := time.Now().Add(d)
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.sessions) > 0 && time.Now().Before(deadline) {
		s.drained.Wait()
	}
	return len(s.sessions) == 0
}
