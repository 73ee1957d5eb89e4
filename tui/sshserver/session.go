package sshserver

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/wish/v2"
	"github.com/charmbracelet/ssh"

	"github.com/openfinance-tui/openfinance/core/model"
)

// session is the server's state for one SSH session. It is built per
// session and never shared: one connection may carry several sessions.
type session struct {
	srv *Server
	// ctx lives as long as the session; the server cancels it to stop a
	// command that outlived a shutdown's grace period.
	ctx    context.Context
	cancel context.CancelFunc
	log    *log.Logger   // baseLog with the user, once known
	base   *log.Logger   // tagged with the client's address
	user   model.UserRef // set by identifyMiddleware
	start  time.Time

	// lastInput is the time of the last key, mouse, paste or resize
	// (unix nanoseconds), for the idle timeout.
	lastInput atomic.Int64

	mu     sync.Mutex
	prog   *tea.Program
	reason string // why the server ended the session; shown as goodbye
	ended  bool
}

// tracked is the ssh.Session the inner middlewares see: the client's
// session with the server's state for it.
type tracked struct {
	ssh.Session
	st *session
}

// stateOf returns the state trackMiddleware attached to sess.
func stateOf(sess ssh.Session) *session {
	if t, ok := sess.(*tracked); ok {
		return t.st
	}
	panic("sshserver: session without state (middleware order)")
}

// trackMiddleware counts the session against MaxSessions, registers it for
// shutdown and arms its time limits.
func (s *Server) trackMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel()
		base := s.log.With("addr", remoteIP(sess.RemoteAddr()))
		st := &session{srv: s, ctx: ctx, cancel: cancel, start: time.Now(), log: base, base: base}
		st.touch()
		if msg := s.register(st); msg != "" {
			wish.Fatalln(sess, "openfinance: "+msg)
			return
		}
		defer s.unregister(st)
		stop := st.armLimits()
		defer stop()
		next(&tracked{Session: sess, st: st})
	}
}

// register adds st, or says why it may not start.
func (s *Server) register(st *session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return "the server is shutting down"
	case len(s.sessions) >= s.cfg.MaxSessions:
		s.log.Warn("session refused: server full", "max", s.cfg.MaxSessions)
		return fmt.Sprintf("the server is full (%d sessions); please try again later", s.cfg.MaxSessions)
	}
	s.sessions[st] = struct{}{}
	return ""
}

func (s *Server) unregister(st *session) {
	s.mu.Lock()
	delete(s.sessions, st)
	s.drained.Broadcast()
	s.mu.Unlock()
}

// armLimits starts the session's clocks: MaxSessionTime, and IdleTimeout
// measured from the last input (a TUI's own redraws do not keep it alive).
func (st *session) armLimits() (stop func()) {
	cfg := st.srv.cfg
	var timers []*time.Timer
	if cfg.MaxSessionTime > 0 {
		timers = append(timers, time.AfterFunc(cfg.MaxSessionTime, func() {
			st.farewell(fmt.Sprintf("this session reached its time limit (%s)", cfg.MaxSessionTime), false)
		}))
	}
	var mu sync.Mutex // guards idle and stopped against the timer's callback
	var idle *time.Timer
	stopped := false
	if cfg.IdleTimeout > 0 {
		mu.Lock()
		idle = time.AfterFunc(cfg.IdleTimeout, func() {
			mu.Lock()
			defer mu.Unlock()
			if stopped {
				return
			}
			since := time.Since(time.Unix(0, st.lastInput.Load()))
			if since < cfg.IdleTimeout {
				idle.Reset(cfg.IdleTimeout - since)
				return
			}
			go st.farewell(fmt.Sprintf("this session was idle for %s", cfg.IdleTimeout), false)
		})
		mu.Unlock()
	}
	return func() {
		for _, t := range timers {
			t.Stop()
		}
		mu.Lock()
		stopped = true
		if idle != nil {
			idle.Stop()
		}
		mu.Unlock()
	}
}

func (st *session) touch() { st.lastInput.Store(time.Now().UnixNano()) }

// setProgram records the session's TUI, so farewell can reach it. It
// reports false when the server already ended the session (the program
// must not start).
func (st *session) setProgram(p *tea.Program) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.prog = p
	return st.reason == ""
}

// program returns the session's TUI (nil for a command).
func (st *session) program() *tea.Program {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.prog
}

// stopping reports whether the server already ended the session.
func (st *session) stopping() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.reason != ""
}

// farewell ends the session for reason: a TUI gets a goodbye message and
// quits, then its context is cancelled if it has not; a command keeps
// running (it has a deadline of its own) unless force, which cancels it.
// The reason is printed to the client when the session ends.
func (st *session) farewell(reason string, force bool) {
	st.mu.Lock()
	if st.reason == "" {
		st.reason = reason
	}
	p, ended := st.prog, st.ended
	st.mu.Unlock()
	if ended {
		return
	}
	st.log.Info("ending session", "reason", reason)
	if p != nil {
		// Send blocks while the program is busy: never from the caller.
		go p.Send(goodbyeMsg{})
		time.AfterFunc(time.Second, st.cancel)
		return
	}
	if force {
		st.cancel()
	}
}

// goodbye returns the reason the server ended the session ("" if it did
// not) and marks the session ended.
func (st *session) goodbye() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.ended = true
	return st.reason
}

// goodbyeMiddleware runs after the TUI or the command: it tells the
// client why the server ended the session, if it did.
func (s *Server) goodbyeMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if reason := stateOf(sess).goodbye(); reason != "" {
			wish.Errorf(sess, "\r\nopenfinance: %s. Goodbye!\r\n", reason)
		}
		next(sess)
	}
}

// logMiddleware logs each session's start and end: never its key, its
// environment or its command's arguments (they may hold a password).
func (s *Server) logMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := stateOf(sess)
		kv := []any{}
		if pty, _, ok := sess.Pty(); ok {
			kv = append(kv, "term", pty.Term, "width", pty.Window.Width, "height", pty.Window.Height)
		}
		if cmd := sess.Command(); len(cmd) > 0 {
			kv = append(kv, "command", cmd[0])
		}
		st.log.Info("session started", kv...)
		next(sess)
		st.log.Info("session ended", "duration", time.Since(st.start).Round(time.Millisecond))
	}
}

// recoverMiddleware runs mw as one chain and keeps a panic in it to this
// session: it is logged with its stack and the client gets exit status 1.
func (s *Server) recoverMiddleware(mw ...wish.Middleware) wish.Middleware {
	h := func(ssh.Session) {}
	for _, m := range mw {
		h = m(h)
	}
	return func(next ssh.Handler) ssh.Handler {
		return func(sess ssh.Session) {
			panicked := func() (p bool) {
				defer func() {
					if r := recover(); r != nil {
						p = true
						stateOf(sess).log.Error("session panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					}
				}()
				h(sess)
				return false
			}()
			if panicked {
				wish.Errorf(sess, "\r\nopenfinance: something went wrong and this session was closed (it was logged).\r\n")
				_ = sess.Exit(1)
				_ = sess.Close()
				return
			}
			next(sess)
		}
	}
}
