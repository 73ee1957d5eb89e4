// Package common is what every part of one TUI program shares: the hub, the
// signed-in user, the size, styles, key map and logger (Common), the small
// interface every pane implements (Component), and the messages that travel
// between parts. One Common is built per program, never shared between
// programs, so an SSH server can run many at once.
package common

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/keys"
	"github.com/openfinance-tui/openfinance/tui/styles"
)

// Common is the per-program context every component embeds a pointer to.
type Common struct {
	// Ctx lives as long as the program (an SSH session's context).
	Ctx context.Context
	Hub *hub.Hub
	// Banks is the hub's bank directory, read once (it never changes while
	// the program runs), for badges and colours without a call per row.
	Banks []hub.Bank
	// Clock is the hub's clock (tests freeze it).
	Clock func() time.Time
	// User is the signed-in user; zero until the picker chose one.
	User   model.UserRef
	Styles *styles.Styles
	Keys   *keys.KeyMap
	Log    *log.Logger
	// Timeout bounds one database or bank call made for the UI.
	Timeout time.Duration
	// SyncTimeout bounds a whole sync (many bank calls and pipelines).
	SyncTimeout time.Duration

	gate insightsGate
}

// Now is the hub's clock, so tests freeze the whole UI with one option.
func (c *Common) Now() time.Time {
	if c.Clock == nil {
		return time.Now()
	}
	return c.Clock()
}

// Bank finds a bank of the directory by id or name.
func (c *Common) Bank(nameOrID string) (hub.Bank, bool) {
	for _, b := range c.Banks {
		if b.Name == nameOrID || b.ID == nameOrID || strings.EqualFold(b.Name, nameOrID) || strings.EqualFold(b.ID, nameOrID) {
			return b, true
		}
	}
	return hub.Bank{}, false
}

// BankColor returns the brand colour of a bank by name or id ("" if unknown).
func (c *Common) BankColor(nameOrID string) string {
	b, _ := c.Bank(nameOrID)
	return b.Color
}

// Badge renders a bank's name on its brand colour.
func (c *Common) Badge(nameOrID string) string {
	b, ok := c.Bank(nameOrID)
	if !ok {
		return c.Styles.Badge(nameOrID, "")
	}
	return c.Styles.Badge(b.Name, b.Color)
}

// Component is what the root model routes to: the Elm triple plus sizing
// and key help. Panes, the picker, the welcome screen and the wizard all
// implement it, so the root treats them alike.
type Component interface {
	help.KeyMap
	// Init starts the component's first loads.
	Init() tea.Cmd
	// Update handles a message meant for this component.
	Update(msg tea.Msg) tea.Cmd
	// View renders the component in exactly the size last given.
	View() string
	// SetSize gives the component its width and height in cells.
	SetSize(width, height int)
}

// Capturer is implemented by components that sometimes own the keyboard
// (a text input has focus): the root then leaves q, digits and tab to them.
type Capturer interface {
	Capturing() bool
}

// Shower is implemented by panes that load their data only once they are
// shown (the transactions: a user's whole list), so that a session that
// never opens them costs nothing. The root tells such a pane when it
// becomes the shown pane and when another one does.
type Shower interface {
	// SetShown says whether the pane is the one shown; on true the Cmd
	// loads what was never loaded or changed while the pane was hidden.
	SetShown(shown bool) tea.Cmd
}

// Pane is a dashboard pane: a Component with a title for the tab bar.
type Pane interface {
	Component
	Title() string
}
