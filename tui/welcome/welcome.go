// Package welcome greets a user with nothing linked: open finance in three
// lines and one thing to do, link a bank.
package welcome

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/tui/common"
)

// Model is the welcome screen.
type Model struct {
	c    *common.Common
	w, h int
}

// New builds the welcome screen.
func New(c *common.Common) *Model { return &Model{c: c} }

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return nil }

// Update implements common.Component: enter links a bank, esc skips to the
// (empty) dashboard.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	km := m.c.Keys
	switch {
	case key.Matches(k, km.Enter, km.Link):
		return common.OpenWizard("")
	case key.Matches(k, km.Back):
		return func() tea.Msg { return common.ShowDashboardMsg{To: common.Overview} }
	}
	return nil
}

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	link := m.c.Keys.Enter
	link.SetHelp("enter", "link a bank")
	skip := m.c.Keys.Back
	skip.SetHelp("esc", "skip to the dashboard")
	return []key.Binding{link, skip}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// View implements common.Component.
func (m *Model) View() string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Welcome to openfinance, "+m.c.User.UserName) + "\n\n")
	b.WriteString("Open finance lets you see all your banks in one place.\n")
	b.WriteString("You choose what each bank shares, and for how long; the bank asks you to confirm.\n")
	b.WriteString("You can revoke that consent at any time, and openfinance then erases that bank's data.\n\n")
	b.WriteString(st.ActiveButton.Render("Link a bank") + st.Muted.Render("  press enter") + "\n\n")
	b.WriteString(st.Muted.Render("Nothing is linked yet. The banks here are emulated: no real money, no real accounts."))
	box := st.Box.Render(b.String())
	return common.Center(box, m.w, m.h)
}
