package tui

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/tabs"
	"github.com/openfinance-tui/openfinance/tui/keys"
	"github.com/openfinance-tui/openfinance/tui/panes/consents"
	"github.com/openfinance-tui/openfinance/tui/styles"
	"github.com/openfinance-tui/openfinance/tui/wizard"
)

// syncedMsg is the outcome of the global re-sync (r).
type syncedMsg struct {
	reports []hub.SyncReport
	err     error
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	return m, m.update(msg)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.resize()
		return nil
	case tea.BackgroundColorMsg:
		*m.c.Styles = *styles.New(msg.IsDark())
		m.help.Styles = m.c.Styles.Help
		m.refreshTabs()
		return nil
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseClickMsg:
		if m.state == stateDashboard && msg.Y == 1 && msg.Button == tea.MouseLeft {
			return m.setPane(m.tabBar.Hit(msg.X))
		}
		return m.current().Update(msg)
	case common.Envelope:
		return m.deliver(msg)
	case common.ErrorMsg:
		m.errMsg = &msg
		m.c.Log.Warn("error shown", "from", msg.From, "err", msg.Err)
		if msg.From == common.Picker {
			m.picker.Update(msg)
		}
		return nil
	case common.StatusMsg:
		m.status = string(msg)
		return nil
	case common.UserChosenMsg:
		return m.signIn(msg)
	case common.DataChangedMsg:
		return m.broadcast(msg)
	case common.OpenWizardMsg:
		m.wizard = wizard.New(m.c, msg.BankID)
		m.state, m.showHelp = stateWizard, false
		m.resize()
		return m.wizard.Init()
	case common.CloseWizardMsg:
		m.state = stateDashboard
		if msg.Linked != "" {
			show := m.setPane(int(common.Accounts))
			m.status = "Linked " + msg.Linked + "."
			return tea.Batch(show, m.broadcast(common.DataChangedMsg{}))
		}
		return nil
	case common.ShowDashboardMsg:
		m.state = stateDashboard
		return m.setPane(int(msg.To))
	case consents.UserErasedMsg:
		cmd := m.signOut()
		m.status = fmt.Sprintf("Erased every trace of %s: %s.", msg.User, msg.Erased)
		return cmd
	case syncedMsg:
		return m.synced(msg)
	}
	// Anything else (cursor blinks, mouse wheel) belongs to what has focus.
	return m.current().Update(msg)
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	km := m.c.Keys
	switch {
	case key.Matches(k, km.ForceQuit):
		return tea.Quit
	case m.tooSmall():
		if key.Matches(k, km.Quit) {
			return tea.Quit
		}
		return nil
	case m.showHelp:
		switch {
		case key.Matches(k, km.Quit):
			return tea.Quit
		case key.Matches(k, km.Help, km.Back):
			m.showHelp = false
		}
		return nil
	case m.capturing():
		return m.current().Update(k)
	case key.Matches(k, km.Quit):
		return tea.Quit
	case key.Matches(k, km.Help):
		m.showHelp = true
		return nil
	case m.errMsg != nil && key.Matches(k, km.Back):
		m.errMsg = nil
		return nil
	}
	if m.state == stateDashboard {
		switch {
		case key.Matches(k, km.NextPane):
			return m.setPane((m.active + 1) % len(m.panes))
		case key.Matches(k, km.PrevPane):
			return m.setPane((m.active + len(m.panes) - 1) % len(m.panes))
		case key.Matches(k, km.GoPane):
			return m.setPane(keys.PaneIndex(k.String()))
		case key.Matches(k, km.Sync):
			return m.sync()
		}
	}
	return m.current().Update(k)
}

// deliver hands an async result to its owner, wherever the focus is now.
func (m *Model) deliver(e common.Envelope) tea.Cmd {
	switch {
	case e.To == common.Root:
		return m.update(e.Msg)
	case e.To == common.Picker:
		return m.picker.Update(e.Msg)
	case e.To == common.Wizard:
		if m.wizard != nil {
			return m.wizard.Update(e.Msg)
		}
	case int(e.To) < len(m.panes):
		return m.panes[e.To].Update(e.Msg)
	}
	return nil
}

func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.panes))
	for _, p := range m.panes {
		cmds = append(cmds, p.Update(msg))
	}
	return tea.Batch(cmds...)
}

// sync re-syncs every linked bank, then reloads every pane.
func (m *Model) sync() tea.Cmd {
	if m.syncing {
		m.status = "A sync is already running…"
		return nil
	}
	m.syncing, m.status, m.errMsg = true, "Syncing every linked bank…", nil
	c := m.c
	return c.DoFor(common.Root, c.SyncTimeout, func(ctx context.Context) tea.Msg {
		reps, err := c.Hub.Sync(ctx, c.User, "", nil)
		return syncedMsg{reports: reps, err: err}
	})
}

func (m *Model) synced(msg syncedMsg) tea.Cmd {
	m.syncing = false
	var tx, fresh, failed int
	for _, r := range msg.reports {
		tx, fresh = tx+r.Transactions, fresh+r.New
		if r.Err != nil {
			failed++
			m.errMsg = &common.ErrorMsg{From: common.Root, Err: fmt.Errorf("%s: %w", r.Bank, r.Err)}
		}
	}
	switch {
	case msg.err != nil:
		m.status = ""
		m.errMsg = &common.ErrorMsg{From: common.Root, Err: fmt.Errorf("the sync failed: %w", msg.err)}
	case len(msg.reports) == 0:
		m.status = "Nothing to sync: no bank is linked yet (L links one)."
	default:
		banks := "banks"
		if n := len(msg.reports) - failed; n == 1 {
			banks = "bank"
		}
		m.status = fmt.Sprintf("Synced %d %s: %s transactions, %s new.", len(msg.reports)-failed, banks, common.Count(tx), common.Count(fresh))
	}
	return m.broadcast(common.DataChangedMsg{})
}

// Layout: a two-line header, the body, a status line and the help line.
const headerHeight, footerHeight = 2, 2

func (m *Model) tooSmall() bool { return m.w < minWidth || m.h < minHeight }

func (m *Model) resize() {
	bw, bh := max(m.w, 0), max(m.h-headerHeight-footerHeight, 0)
	m.help.SetWidth(max(m.w, 0))
	m.picker.SetSize(bw, bh)
	if m.welcome != nil {
		m.welcome.SetSize(bw, bh)
	}
	if m.wizard != nil {
		m.wizard.SetSize(bw, bh)
	}
	for _, p := range m.panes {
		p.SetSize(bw, bh)
	}
	m.refreshTabs()
}

func (m *Model) refreshTabs() {
	titles := make([]string, len(m.panes))
	for i, p := range m.panes {
		titles[i] = p.Title()
	}
	m.tabBar = tabs.Render(m.c.Styles, titles, m.active, max(m.w, 0))
}
