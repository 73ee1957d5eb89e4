package tui

import (
	"context"
	"io"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/tabs"
	"github.com/openfinance-tui/openfinance/tui/keys"
	"github.com/openfinance-tui/openfinance/tui/panes/accounts"
	"github.com/openfinance-tui/openfinance/tui/panes/activity"
	"github.com/openfinance-tui/openfinance/tui/panes/consents"
	"github.com/openfinance-tui/openfinance/tui/panes/insights"
	"github.com/openfinance-tui/openfinance/tui/panes/loans"
	"github.com/openfinance-tui/openfinance/tui/panes/overview"
	"github.com/openfinance-tui/openfinance/tui/panes/transactions"
	"github.com/openfinance-tui/openfinance/tui/picker"
	"github.com/openfinance-tui/openfinance/tui/styles"
	"github.com/openfinance-tui/openfinance/tui/welcome"
	"github.com/openfinance-tui/openfinance/tui/wizard"
)

// state is which screen the root shows.
type state int

const (
	statePicker state = iota
	stateWelcome
	stateWizard
	stateDashboard
)

// Minimum size the layout is designed for; smaller shows a note.
const minWidth, minHeight = 60, 20

// Model is the root model: it routes and lays out, nothing more.
type Model struct {
	c        *common.Common
	opts     Options
	w, h     int
	state    state
	picker   *picker.Model
	welcome  *welcome.Model
	wizard   *wizard.Model
	panes    []common.Pane
	active   int
	help     help.Model
	showHelp bool
	errMsg   *common.ErrorMsg
	status   string
	syncing  bool
	tabBar   tabs.Bar
}

// New builds one program's root model, with its own styles, key map and
// user context.
func New(o Options) *Model {
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Logger == nil {
		o.Logger = log.New(io.Discard)
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.SyncTimeout <= 0 {
		o.SyncTimeout = 5 * time.Minute
	}
	c := &common.Common{
		Ctx: o.Context, Hub: o.Hub, Banks: o.Hub.Banks(), Clock: o.Hub.Now, Styles: styles.New(o.HasDarkBackground), Keys: keys.New(),
		Log: o.Logger.WithPrefix("tui"), Timeout: o.Timeout, SyncTimeout: o.SyncTimeout,
	}
	m := &Model{c: c, opts: o, w: o.Width, h: o.Height, help: help.New()}
	m.help.Styles = c.Styles.Help
	m.picker = picker.New(c)
	return m
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	if m.opts.QueryBackground {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.opts.User != "" {
		cmds = append(cmds, picker.Choose(m.c, m.opts.User, false))
	} else {
		cmds = append(cmds, m.picker.Init())
	}
	m.resize()
	return tea.Batch(cmds...)
}

// User is the signed-in user (zero before the picker).
func (m *Model) User() model.UserRef { return m.c.User }

// current is the component that gets keys and untagged messages.
func (m *Model) current() common.Component {
	switch m.state {
	case stateWelcome:
		return m.welcome
	case stateWizard:
		return m.wizard
	case stateDashboard:
		if m.active < len(m.panes) {
			return m.panes[m.active]
		}
	}
	return m.picker
}

func (m *Model) capturing() bool {
	if c, ok := m.current().(common.Capturer); ok {
		return c.Capturing()
	}
	return false
}

// signIn builds the panes for the chosen user.
func (m *Model) signIn(msg common.UserChosenMsg) tea.Cmd {
	m.c.User = msg.User
	m.c.Log.Info("signed in", "user", msg.User.UserName)
	c := m.c
	m.panes = []common.Pane{
		overview.New(c), accounts.New(c), loans.New(c), transactions.New(c),
		insights.New(c), consents.New(c), activity.New(c),
	}
	m.welcome = welcome.New(c)
	m.active, m.errMsg, m.status = 0, nil, ""
	m.state = stateDashboard
	if msg.Empty {
		m.state = stateWelcome
	}
	m.resize()
	cmds := make([]tea.Cmd, 0, len(m.panes)+1)
	for _, p := range m.panes {
		cmds = append(cmds, p.Init())
	}
	return tea.Batch(append(cmds, m.setPane(m.active))...)
}

// signOut returns to the picker (after "erase all my data").
func (m *Model) signOut() tea.Cmd {
	if m.opts.LockUser {
		return tea.Quit
	}
	m.c.User = model.UserRef{}
	m.panes, m.wizard, m.welcome = nil, nil, nil
	m.state = statePicker
	m.picker = picker.New(m.c)
	m.resize()
	return m.picker.Init()
}

// setPane shows pane i; the Cmd is what a pane that loads when shown
// (common.Shower) starts.
func (m *Model) setPane(i int) tea.Cmd {
	if i < 0 || i >= len(m.panes) {
		return nil
	}
	if s, ok := m.panes[m.active].(common.Shower); ok && i != m.active {
		s.SetShown(false)
	}
	m.active = i
	m.refreshTabs()
	if s, ok := m.panes[i].(common.Shower); ok {
		return s.SetShown(true)
	}
	return nil
}

func (m *Model) globalBindings() []key.Binding {
	km := m.c.Keys
	b := []key.Binding{km.Help, km.Quit}
	if m.state == stateDashboard {
		b = []key.Binding{km.NextPane, km.GoPane, km.Sync, km.Help, km.Quit}
	}
	return b
}

// ShortHelp implements help.KeyMap: the current component's keys, then the
// global ones.
func (m *Model) ShortHelp() []key.Binding {
	return append(m.current().ShortHelp(), m.globalBindings()...)
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	km := m.c.Keys
	global := []key.Binding{km.Help, km.Back, km.Quit}
	if m.state == stateDashboard {
		global = []key.Binding{km.NextPane, km.PrevPane, km.GoPane, km.Sync, km.Help, km.Back, km.Quit}
	}
	return append(m.current().FullHelp(), global)
}
