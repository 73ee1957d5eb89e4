// Package accounts is the accounts pane: a table of every linked account
// with its bank's badge, sortable, filterable with /, and a detail view
// (enter) that shows the bank-specific fields too.
package accounts

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/vlist"
)

// Pane is the accounts pane.
type Pane struct {
	c         *common.Common
	w, h      int
	loaded    bool
	err       error
	all       []model.ExternalAccount
	rows      []int // indexes into all, filtered and sorted
	win       vlist.Window
	sortCol   int
	desc      bool
	query     string
	filtering bool
	input     textinput.Model
	detail    bool
}

type loadedMsg struct {
	accounts []model.ExternalAccount
	err      error
}

// New builds the pane.
func New(c *common.Common) *Pane {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "type to filter, enter to keep, esc to clear"
	return &Pane{c: c, input: in}
}

// Title implements common.Pane.
func (p *Pane) Title() string { return "Accounts" }

// Init implements common.Component.
func (p *Pane) Init() tea.Cmd { return p.load() }

func (p *Pane) load() tea.Cmd {
	c := p.c
	return c.Do(common.Accounts, func(ctx context.Context) tea.Msg {
		as, err := c.Hub.Accounts(ctx, c.User, "")
		if err != nil {
			err = fmt.Errorf("cannot read your accounts: %w", err)
		}
		return loadedMsg{accounts: as, err: err}
	})
}

// Set replaces the accounts shown (benchmarks and tests build panes this way).
func (p *Pane) Set(as []model.ExternalAccount) {
	p.loaded, p.err, p.all = true, nil, as
	p.arrange()
}

func (p *Pane) arrange() {
	p.rows = arrange(p.all, p.query, p.sortCol, p.desc)
	p.win.SetLen(len(p.rows))
}

// Capturing implements common.Capturer: the filter input owns the keys.
func (p *Pane) Capturing() bool { return p.filtering }

// Update implements common.Component.
func (p *Pane) Update(msg tea.Msg) tea.Cmd {
	km := p.c.Keys
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			p.loaded, p.err = true, msg.err
			return common.ErrorCmd(common.Accounts, msg.err)
		}
		p.Set(msg.accounts)
		return nil
	case common.DataChangedMsg:
		return p.load()
	}
	if p.filtering {
		return p.updateFilter(msg)
	}
	if p.detail {
		if k, ok := msg.(tea.KeyPressMsg); ok && (key.Matches(k, km.Back) || key.Matches(k, km.Enter)) {
			p.detail = false
		}
		return nil
	}
	if p.win.HandleKey(km, msg) {
		return nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, km.Enter):
		p.detail = len(p.rows) > 0
	case key.Matches(k, km.Filter):
		p.filtering = true
		p.input.SetValue(p.query)
		p.input.CursorEnd()
		return p.input.Focus()
	case key.Matches(k, km.Sort):
		p.sortCol = (p.sortCol + 1) % numSorts
		p.arrange()
	case key.Matches(k, km.Reverse):
		p.desc = !p.desc
		p.arrange()
	case key.Matches(k, km.Back) && p.query != "":
		p.query = ""
		p.arrange()
	case key.Matches(k, km.Link):
		return common.OpenWizard("")
	}
	return nil
}

func (p *Pane) updateFilter(msg tea.Msg) tea.Cmd {
	km := p.c.Keys
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, km.Back):
			p.filtering, p.query = false, ""
			p.input.Blur()
			p.arrange()
			return nil
		case key.Matches(k, km.Enter):
			p.filtering = false
			p.input.Blur()
			return nil
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != p.query {
		p.query = p.input.Value()
		p.arrange()
	}
	return cmd
}

// SetSize implements common.Component.
func (p *Pane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.input.SetWidth(max(w-4, 1))
	p.win.SetHeight(h - 2)
}

// ShortHelp implements help.KeyMap.
func (p *Pane) ShortHelp() []key.Binding {
	km := p.c.Keys
	switch {
	case p.filtering:
		return []key.Binding{km.Enter, km.Back}
	case p.detail:
		return []key.Binding{km.Back}
	}
	return []key.Binding{km.Enter, km.Filter, km.Sort, km.Reverse}
}

// FullHelp implements help.KeyMap.
func (p *Pane) FullHelp() [][]key.Binding {
	km := p.c.Keys
	return [][]key.Binding{vlist.Bindings(km), {km.Enter, km.Filter, km.Sort, km.Reverse, km.Link}}
}
