// Package transactions is the transactions pane: a scrolling list that
// renders only the rows on screen, so 100k transactions scroll as fast as
// ten, filtered by bank (b), account (a), month (m), category (c) and text
// (/).
package transactions

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/vlist"
)

// Pane is the transactions pane.
type Pane struct {
	c         *common.Common
	w, h      int
	loaded    bool
	err       error
	all       []model.Transaction
	hay       []string
	facets    facets
	filter    Filter
	ix        index
	win       vlist.Window
	filtering bool
	input     textinput.Model
	detail    bool
}

type loadedMsg struct {
	txs []model.Transaction
	err error
}

// New builds the pane.
func New(c *common.Common) *Pane {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "merchant, description or category; enter keeps it, esc clears"
	return &Pane{c: c, input: in}
}

// Title implements common.Pane.
func (p *Pane) Title() string { return "Transactions" }

// Init implements common.Component.
func (p *Pane) Init() tea.Cmd { return p.load() }

func (p *Pane) load() tea.Cmd {
	c := p.c
	return c.Do(common.Transactions, func(ctx context.Context) tea.Msg {
		txs, err := c.Hub.Transactions(ctx, c.User, hub.TxFilter{})
		if err != nil {
			err = fmt.Errorf("cannot read your transactions: %w", err)
		}
		return loadedMsg{txs: txs, err: err}
	})
}

// Set replaces the transactions (newest first), keeping the filter.
func (p *Pane) Set(txs []model.Transaction) {
	p.loaded, p.err, p.all, p.hay = true, nil, txs, nil
	p.facets = facetsOf(txs)
	p.refilter()
}

// SetFilter changes the filter.
func (p *Pane) SetFilter(f Filter) {
	p.filter = f
	p.refilter()
}

func (p *Pane) refilter() {
	p.ix = apply(p.all, p.filter, &p.hay)
	p.win.SetLen(len(p.ix.rows))
}

// Capturing implements common.Capturer.
func (p *Pane) Capturing() bool { return p.filtering }

// Update implements common.Component.
func (p *Pane) Update(msg tea.Msg) tea.Cmd {
	km := p.c.Keys
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			p.loaded, p.err = true, msg.err
			return common.ErrorCmd(common.Transactions, msg.err)
		}
		p.Set(msg.txs)
		return nil
	case common.DataChangedMsg:
		return p.load()
	}
	if p.filtering {
		return p.updateFilter(msg)
	}
	if p.detail {
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, km.Back, km.Enter) {
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
	f := p.filter
	switch {
	case key.Matches(k, km.Enter):
		p.detail = len(p.ix.rows) > 0
		return nil
	case key.Matches(k, km.Filter):
		p.filtering = true
		p.input.SetValue(f.Text)
		p.input.CursorEnd()
		return p.input.Focus()
	case key.Matches(k, km.FilterBank):
		f.Bank, f.Account = next(p.facets.banks, f.Bank), ""
	case key.Matches(k, km.FilterAccount):
		f.Account = next(p.facets.accountsOf(f.Bank), f.Account)
	case key.Matches(k, km.FilterMonth):
		f.Month = next(p.facets.months, f.Month)
	case key.Matches(k, km.FilterCategory):
		f.Category = next(p.facets.categories, f.Category)
	case key.Matches(k, km.ClearFilter), key.Matches(k, km.Back) && f.Active():
		f = Filter{}
	default:
		return nil
	}
	p.SetFilter(f)
	return nil
}

func (p *Pane) updateFilter(msg tea.Msg) tea.Cmd {
	km := p.c.Keys
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, km.Back):
			p.filtering = false
			p.input.Blur()
			f := p.filter
			f.Text = ""
			p.SetFilter(f)
			return nil
		case key.Matches(k, km.Enter):
			p.filtering = false
			p.input.Blur()
			return nil
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if v := p.input.Value(); v != p.filter.Text {
		f := p.filter
		f.Text = v
		p.SetFilter(f)
	}
	return cmd
}

// SetSize implements common.Component.
func (p *Pane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.input.SetWidth(max(w-4, 1))
	p.win.SetHeight(h - 3)
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
	return []key.Binding{km.Filter, km.FilterBank, km.FilterAccount, km.FilterMonth, km.FilterCategory, km.ClearFilter}
}

// FullHelp implements help.KeyMap.
func (p *Pane) FullHelp() [][]key.Binding {
	km := p.c.Keys
	return [][]key.Binding{vlist.Bindings(km), {km.Enter, km.Filter, km.FilterBank, km.FilterAccount, km.FilterMonth, km.FilterCategory, km.ClearFilter}}
}
