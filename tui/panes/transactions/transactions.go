// Package transactions is the transactions pane: a scrolling list that
// renders only the rows on screen, so 100k transactions scroll as fast as
// ten, filtered by bank (b), account (a), month (m), category (c) and text
// (/).
//
// The list is the user's transaction rows (hub.TransactionRows, read from
// the transaction buckets by _id), loaded when the pane is first shown
// and again when the data changes while it is shown (or when it is shown
// after a change): a session that never opens the pane reads nothing.
// enter reads the whole transaction by its _id.
package transactions

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/vlist"
)

// Pane is the transactions pane.
type Pane struct {
	c         *common.Common
	w, h      int
	shown     bool // the root shows this pane
	requested bool // a load was started (the rows are wanted)
	stale     bool // the data changed while the pane was hidden
	loads     int  // loads started; a result of an older one is dropped
	loaded    bool
	err       error
	base      string // the currency of AmountBase
	all       []hub.TxRow
	hay       []string
	facets    facets
	filter    Filter
	ix        index
	win       vlist.Window
	filtering bool
	input     textinput.Model
	detail    *detail // the opened transaction; nil = the list
}

// detail is one opened transaction: its row at once, the whole document
// once read.
type detail struct {
	row hub.TxRow
	tx  *model.Transaction
	err error
}

type loadedMsg struct {
	load int
	rows []hub.TxRow
	base string
	err  error
}

type openedMsg struct {
	id  bson.ObjectID
	tx  model.Transaction
	err error
}

// New builds the pane.
func New(c *common.Common) *Pane {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "merchant, description, category or bank; enter keeps it, esc clears"
	return &Pane{c: c, input: in}
}

// Title implements common.Pane.
func (p *Pane) Title() string { return "Transactions" }

// Init implements common.Component. Nothing is read before the pane is
// shown (see SetShown).
func (p *Pane) Init() tea.Cmd { return nil }

// SetShown implements common.Shower: the first showing, and the first
// after the data changed, load the rows.
func (p *Pane) SetShown(shown bool) tea.Cmd {
	p.shown = shown
	if shown && (!p.requested || p.stale) {
		return p.load()
	}
	return nil
}

func (p *Pane) load() tea.Cmd {
	p.requested, p.stale = true, false
	p.loads++
	c, n := p.c, p.loads
	return c.Do(common.Transactions, func(ctx context.Context) tea.Msg {
		rows, err := c.Hub.TransactionRows(ctx, c.User)
		if err != nil {
			err = fmt.Errorf("cannot read your transactions: %w", err)
		}
		return loadedMsg{load: n, rows: rows, base: c.Hub.BaseCurrency(), err: err}
	})
}

func (p *Pane) open(row hub.TxRow) tea.Cmd {
	p.detail = &detail{row: row}
	c := p.c
	return c.Do(common.Transactions, func(ctx context.Context) tea.Msg {
		tx, err := c.Hub.Transaction(ctx, c.User, row)
		return openedMsg{id: row.ID, tx: tx, err: err}
	})
}

// Set replaces the rows (newest first), keeping the filter.
func (p *Pane) Set(rows []hub.TxRow) {
	p.loaded, p.requested, p.err, p.all, p.hay = true, true, nil, rows, nil
	p.facets = facetsOf(rows)
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
		if msg.load != p.loads {
			return nil // a newer load is under way
		}
		if msg.err != nil {
			p.loaded, p.err = true, msg.err
			return common.ErrorCmd(common.Transactions, msg.err)
		}
		p.base = msg.base
		p.Set(msg.rows)
		return nil
	case openedMsg:
		d := p.detail
		if d == nil || d.row.ID != msg.id {
			return nil // closed meanwhile
		}
		if msg.err != nil {
			d.err = msg.err
			return common.ErrorCmd(common.Transactions, fmt.Errorf("cannot read that transaction: %w", msg.err))
		}
		d.tx = &msg.tx
		return nil
	case common.DataChangedMsg:
		switch {
		case p.shown:
			return p.load()
		case p.requested:
			p.stale = true
		}
		return nil
	}
	if p.filtering {
		return p.updateFilter(msg)
	}
	if p.detail != nil {
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, km.Back, km.Enter) {
			p.detail = nil
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
		if len(p.ix.rows) == 0 {
			return nil
		}
		return p.open(p.all[p.ix.rows[p.win.Cursor]])
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
	case p.detail != nil:
		return []key.Binding{km.Back}
	}
	return []key.Binding{km.Filter, km.FilterBank, km.FilterAccount, km.FilterMonth, km.FilterCategory, km.ClearFilter}
}

// FullHelp implements help.KeyMap.
func (p *Pane) FullHelp() [][]key.Binding {
	km := p.c.Keys
	return [][]key.Binding{vlist.Bindings(km), {km.Enter, km.Filter, km.FilterBank, km.FilterAccount, km.FilterMonth, km.FilterCategory, km.ClearFilter}}
}
