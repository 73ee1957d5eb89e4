// Package tui is openfinance's Bubble Tea interface: a user picker, a
// welcome for newcomers, the consent wizard and seven dashboard panes.
//
// Layout: the root model here only routes (state and pane enum, global keys
// first, WindowSizeMsg to everyone, async results by their origin). Each
// screen lives in its own package: picker, welcome, wizard, and
// panes/{overview,accounts,loans,transactions,insights,consents,activity};
// shared pieces in common (per-program context and messages), styles, keys
// and components/. Everything is built per program by New: an SSH server
// runs one program per session from the same package without sharing state.
package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/openfinance-tui/openfinance/core/hub"
)

// Options configure one TUI program.
type Options struct {
	// Hub serves the data; required.
	Hub *hub.Hub
	// User is a user name or id to sign in as; empty shows the picker.
	User string
	// LockUser keeps the program on User: no picker, no switching (an SSH
	// session bound to one identity). Erasing all data then ends the program.
	LockUser bool
	// Width and Height are the initial size when known (an SSH pty); a
	// WindowSizeMsg replaces them.
	Width, Height int
	// HasDarkBackground picks the palette until the terminal answers
	// QueryBackground.
	HasDarkBackground bool
	// QueryBackground asks the terminal for its background colour and
	// adapts the palette to the answer.
	QueryBackground bool
	// Profile is the colour profile ProgramOptions forces; Unknown lets
	// Bubble Tea detect it (NO_COLOR respected).
	Profile colorprofile.Profile
	// Logger receives the TUI's logs (never stdout); nil discards.
	Logger *log.Logger
	// Context ends the program's I/O when cancelled; nil = Background.
	Context context.Context
	// Timeout bounds one database or bank call (default 30 s); SyncTimeout
	// a whole sync (default 5 min).
	Timeout, SyncTimeout time.Duration
}

// ProgramOptions are the tea.Program options for o: context, colour profile
// and initial size. A local terminal adds nothing else; an SSH server adds
// its session's input and output (e.g. wish's bubbletea.MakeOptions).
func ProgramOptions(o Options) []tea.ProgramOption {
	var opts []tea.ProgramOption
	if o.Context != nil {
		opts = append(opts, tea.WithContext(o.Context))
	}
	if o.Profile != colorprofile.Unknown {
		opts = append(opts, tea.WithColorProfile(o.Profile))
	}
	if o.Width > 0 && o.Height > 0 {
		opts = append(opts, tea.WithWindowSize(o.Width, o.Height))
	}
	return opts
}

// Run runs the TUI on the process's terminal until the user quits.
func Run(o Options) error {
	if o.Context == nil {
		o.Context = context.Background()
	}
	_, err := tea.NewProgram(New(o), ProgramOptions(o)...).Run()
	return err
}
