package sshserver

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	bm "charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/ssh"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
)

// Session is what a ModelFunc gets to build one session's TUI.
type Session struct {
	// Ctx lives as long as the session.
	Ctx context.Context
	Hub *hub.Hub
	// User is the session's user (from the key the client proved).
	User model.UserRef
	// Width and Height are the client's terminal size (clamped).
	Width, Height int
	// Profile is the colour profile of the client's terminal, from the TERM
	// and COLORTERM it sent.
	Profile colorprofile.Profile
	// HasDarkBackground is a guess (COLORFGBG when the client sent it,
	// dark otherwise); a model can ask the terminal itself with
	// tea.RequestBackgroundColor.
	HasDarkBackground bool
	// Logger writes to the server's log, tagged with the session.
	Logger *log.Logger
}

// ModelFunc builds the TUI of one session. It is called once per session
// and must not share mutable state between the models it returns.
type ModelFunc func(Session) tea.Model

// Terminal sizes are clamped to these bounds before the model or the
// renderer sees them: the renderer's buffers cost about 230 bytes a cell
// (measured: 23 MB for a 500×200 session), so a client claiming a huge
// terminal could otherwise take any amount of memory. 300×100 bounds a
// session near 8 MB; a bigger terminal shows the TUI in its top-left part.
const (
	maxWidth  = 300
	maxHeight = 100
)

func clampSize(w, h int) (int, int) {
	return min(max(w, 0), maxWidth), min(max(h, 0), maxHeight)
}

// teaMiddleware runs the TUI of a session with a pty: wish's bubbletea
// middleware (MiddlewareWithProgramHandler), except that it logs to the
// session's logger rather than the process-wide one and stops forwarding
// window changes once the client has gone.
func (s *Server) teaMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		p := s.program(sess)
		if p == nil {
			next(sess)
			return
		}
		st := stateOf(sess)
		_, winch, _ := sess.Pty()
		ctx, cancel := context.WithCancel(st.ctx)
		go func() {
			for {
				select {
				case <-ctx.Done():
					p.Quit()
					return
				case w, ok := <-winch:
					if !ok {
						return
					}
					p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}()
		_, err := p.Run()
		switch {
		case err == nil:
		case errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrProgramPanic):
			st.log.Debug("TUI stopped with its session", "err", err)
		default:
			st.log.Error("TUI stopped", "err", err)
		}
		p.Kill() // restores the client's terminal if the program did not
		cancel()
		next(sess)
	}
}

// program builds one session's program, with the session's own input,
// output, size, colour profile and context (nil: do not start one).
func (s *Server) program(sess ssh.Session) *tea.Program {
	st := stateOf(sess)
	pty, _, _ := sess.Pty() // commandMiddleware let only pty sessions through
	w, h := clampSize(pty.Window.Width, pty.Window.Height)
	env := append(sess.Environ(), "TERM="+pty.Term)
	profile := colorprofile.Env(env)
	var m tea.Model
	if s.cfg.Model == nil {
		m = noTUI{}
	} else {
		m = s.cfg.Model(Session{
			Ctx: st.ctx, Hub: s.cfg.Hub, User: st.user, Width: w, Height: h,
			// The TUI tags its logs with the user itself.
			Profile: profile, HasDarkBackground: darkBackground(env), Logger: st.base,
		})
	}
	opts := append(bm.MakeOptions(sess),
		tea.WithContext(st.ctx),
		tea.WithWindowSize(w, h),
		tea.WithColorProfile(profile),
		// Replaces MakeOptions' filter, which only turned ctrl+z into a
		// resume; this one also clamps sizes and notes input for the idle
		// timeout.
		tea.WithFilter(st.filter),
		// The server's signals are the server's: a session never sees
		// SIGINT/SIGTERM, shutdown reaches it as a goodbye.
		tea.WithoutSignalHandler(),
	)
	p := tea.NewProgram(&guard{inner: m, st: st}, opts...)
	if !st.setProgram(p) {
		return nil // ended before it began; goodbyeMiddleware says why
	}
	return p
}

// filter sees every message before the model.
func (st *session) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch m := msg.(type) {
	case tea.SuspendMsg:
		// Suspending would stop the server process: resume instead.
		return tea.ResumeMsg{}
	case tea.WindowSizeMsg:
		st.touch()
		m.Width, m.Height = clampSize(m.Width, m.Height)
		return m
	case tea.KeyMsg, tea.MouseMsg, tea.PasteMsg:
		st.touch()
	}
	return msg
}

// darkBackground reads COLORFGBG ("fg;bg", bg 0-6 or 8 is dark); without
// it most terminals are dark.
func darkBackground(env []string) bool {
	for _, kv := range env {
		v, ok := strings.CutPrefix(kv, "COLORFGBG=")
		if !ok {
			continue
		}
		parts := strings.Split(v, ";")
		bg, err := strconv.Atoi(parts[len(parts)-1])
		if err != nil {
			return true
		}
		return bg < 7 || bg == 8
	}
	return true
}

// goodbyeMsg asks a session's program to quit: the server is ending it.
type goodbyeMsg struct{}

// panicMsg carries a panic caught in one of the model's commands.
type panicMsg struct {
	value any
	stack string
}

// guard wraps a session's model: a panic in Init, Update, View or one of
// their commands ends this session's program cleanly (logged to the
// server's log, never to the client's screen or the server's stderr) and
// leaves every other session alone.
type guard struct {
	inner tea.Model
	st    *session
	dead  bool
}

func (g *guard) crash(r any, stack string) {
	g.dead = true
	g.st.log.Error("session TUI panicked", "panic", fmt.Sprint(r), "stack", stack)
	g.st.mu.Lock()
	if g.st.reason == "" {
		g.st.reason = "something went wrong and this session was closed (it was logged)"
	}
	g.st.mu.Unlock()
}

func (g *guard) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			g.crash(r, string(debug.Stack()))
			cmd = tea.Quit
		}
	}()
	return g.wrap(g.inner.Init())
}

func (g *guard) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	switch pm := msg.(type) {
	case goodbyeMsg:
		return g, tea.Quit
	case panicMsg:
		g.crash(pm.value, pm.stack)
		return g, tea.Quit
	}
	if g.dead {
		return g, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			g.crash(r, string(debug.Stack()))
			m, cmd = g, tea.Quit // never a nil model: the program renders it
		}
	}()
	var c tea.Cmd
	g.inner, c = g.inner.Update(msg)
	return g, g.wrap(c)
}

func (g *guard) View() (v tea.View) {
	if g.dead {
		return tea.NewView("")
	}
	defer func() {
		if r := recover(); r != nil {
			g.crash(r, string(debug.Stack()))
			// View cannot return a command: have Update quit.
			if p := g.st.program(); p != nil {
				go p.Send(goodbyeMsg{})
			}
			v = tea.NewView("")
		}
	}()
	return g.inner.View()
}

// wrap makes a command (and the commands of a batch it returns) turn a
// panic into a panicMsg for Update.
func (g *guard) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{value: r, stack: string(debug.Stack())}
			}
		}()
		msg = cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			wrapped := make(tea.BatchMsg, len(batch))
			for i, c := range batch {
				wrapped[i] = g.wrap(c)
			}
			return wrapped
		}
		return msg
	}
}

// noTUI is shown when the server was built without a Model.
type noTUI struct{}

func (noTUI) Init() tea.Cmd { return nil }

func (noTUI) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return noTUI{}, tea.Quit
	}
	return noTUI{}, nil
}

func (noTUI) View() tea.View {
	return tea.NewView("This server has no interactive interface; run a command instead, e.g.\n" +
		"  ssh -p PORT HOST accounts\n\nPress any key to leave.")
}
