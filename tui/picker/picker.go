// Package picker is the start screen: choose one of the users (the demo
// people among them) or create a new one.
package picker

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/vlist"
)

// Model is the user picker.
type Model struct {
	c        *common.Common
	w, h     int
	loaded   bool
	users    []model.User
	win      vlist.Window
	creating bool
	input    textinput.Model
	busy     bool
	problem  string // why the name typed is not accepted
}

type loadedMsg struct {
	users []model.User
	err   error
}

// New builds the picker.
func New(c *common.Common) *Model {
	in := textinput.New()
	in.Prompt = "name: "
	in.Placeholder = "2-40 letters, digits, . - _"
	in.CharLimit = 40
	return &Model{c: c, input: in}
}

// Init implements common.Component.
func (m *Model) Init() tea.Cmd {
	c := m.c
	return c.Do(common.Picker, func(ctx context.Context) tea.Msg {
		us, err := c.Hub.Users(ctx)
		if err != nil {
			err = fmt.Errorf("cannot list the users: %w", err)
		}
		return loadedMsg{users: us, err: err}
	})
}

// Choose resolves a user name (creating the user when create is set) and
// reports it to the root with whether anything is linked yet.
func Choose(c *common.Common, name string, create bool) tea.Cmd {
	return c.Do(common.Root, func(ctx context.Context) tea.Msg {
		var u model.UserRef
		var err error
		if create {
			u, err = c.Hub.EnsureUser(ctx, name, "", "local")
		} else {
			u, err = c.Hub.User(ctx, name)
		}
		if err != nil {
			return common.ErrorMsg{From: common.Picker, Err: err}
		}
		as, err := c.Hub.Accounts(ctx, u, "")
		if err != nil {
			return common.ErrorMsg{From: common.Picker, Err: fmt.Errorf("cannot read %s's accounts: %w", u.UserName, err)}
		}
		cs, err := c.Hub.Consents(ctx, u)
		if err != nil {
			return common.ErrorMsg{From: common.Picker, Err: fmt.Errorf("cannot read %s's consents: %w", u.UserName, err)}
		}
		return common.UserChosenMsg{User: u, Empty: len(as) == 0 && len(cs) == 0}
	})
}

// Capturing implements common.Capturer.
func (m *Model) Capturing() bool { return m.creating }

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	km := m.c.Keys
	switch msg := msg.(type) {
	case loadedMsg:
		m.loaded = true
		if msg.err != nil {
			return common.ErrorCmd(common.Picker, msg.err)
		}
		m.users = msg.users
		m.win.SetLen(len(m.users))
		if len(m.users) == 0 {
			m.creating = true
			return m.input.Focus()
		}
		return nil
	case common.ErrorMsg:
		m.busy = false
		return nil
	}
	if m.busy {
		return nil
	}
	if m.creating {
		return m.updateInput(msg)
	}
	if m.win.HandleKey(km, msg) {
		return nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, km.Enter) && len(m.users) > 0:
			m.busy = true
			return Choose(m.c, m.users[m.win.Cursor].UserName, false)
		case key.Matches(k, km.NewUser):
			m.creating = true
			m.input.Reset()
			return m.input.Focus()
		}
	}
	return nil
}

func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	km := m.c.Keys
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, km.Back) && len(m.users) > 0:
			m.creating, m.problem = false, ""
			m.input.Blur()
			return nil
		case key.Matches(k, km.Enter):
			name := strings.TrimSpace(m.input.Value())
			if err := hub.ValidUserName(name); err != nil {
				m.problem = err.Error()
				return nil
			}
			m.problem, m.busy = "", true
			return Choose(m.c, name, true)
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return cmd
}

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.input.SetWidth(min(40, max(w-12, 1)))
	m.win.SetHeight(h - 12)
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	km := m.c.Keys
	if m.creating {
		create := km.Submit
		create.SetHelp("enter", "create and sign in")
		return []key.Binding{create, km.Back}
	}
	choose := km.Enter
	choose.SetHelp("enter", "sign in")
	return []key.Binding{km.Up, km.Down, choose, km.NewUser}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// View implements common.Component.
func (m *Model) View() string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Who are you?") + "\n")
	b.WriteString(st.Muted.Render("Pick a demo person to explore their banks, or create yourself to start from nothing.") + "\n\n")
	if !m.loaded {
		b.WriteString(st.Muted.Render("Loading users…"))
		return common.Frame(b.String(), m.w, m.h)
	}
	from, to := m.win.Visible()
	for i := from; i < to; i++ {
		u := m.users[i]
		tag := u.Source
		if u.Demo {
			tag = "demo"
		}
		line := common.Fit(u.UserName, 16) + " " + common.Fit(u.FullName, 22) + " " + st.Muted.Render(tag)
		if m.win.Selected(i) && !m.creating {
			line = st.Cursor.Render("▸ ") + st.Selected.Render(common.Fit(line, min(m.w-2, 50)))
		} else {
			line = "  " + line
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n")
	if m.creating {
		b.WriteString(st.Subtitle.Render("Create a user") + "\n" + m.input.View() + "\n")
		if m.problem != "" {
			b.WriteString(st.Error.Render(m.problem) + "\n")
		}
	} else {
		b.WriteString(st.Muted.Render("Press ") + st.Key.Render("n") + st.Muted.Render(" to create a new user.") + "\n")
	}
	if m.busy {
		b.WriteString(st.Muted.Render("Signing in…"))
	}
	return common.Frame(b.String(), m.w, m.h)
}
