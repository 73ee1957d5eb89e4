// Package insights is the insights pane: net worth over time and monthly
// cash flow as asciigraph charts, spending by category and top merchants as
// bars, recurring payments, all sized to the pane, with a month selector.
// Everything comes from the user's materialized insights document.
package insights

import (
	"context"
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	coreins "github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/tui/common"
)

// Pane is the insights pane.
type Pane struct {
	c      *common.Common
	w, h   int
	loaded bool
	err    error
	ins    coreins.Insights
	months []string // selectable months, oldest first
	month  int      // index into months
	scroll int
	lines  []string // the laid-out pane, cropped by View
}

type loadedMsg struct {
	ins coreins.Insights
	err error
}

// New builds the pane.
func New(c *common.Common) *Pane { return &Pane{c: c} }

// Title implements common.Pane.
func (p *Pane) Title() string { return "Insights" }

// Init implements common.Component.
func (p *Pane) Init() tea.Cmd { return p.load() }

func (p *Pane) load() tea.Cmd {
	c := p.c
	return c.Do(common.Insights, func(ctx context.Context) tea.Msg {
		ins, err := c.Insights(ctx)
		if err != nil {
			err = fmt.Errorf("cannot read your insights: %w", err)
		}
		return loadedMsg{ins: ins, err: err}
	})
}

// Set replaces the insights shown, selecting the latest month (or keeping
// the month chosen, when it still exists).
func (p *Pane) Set(ins coreins.Insights) {
	prev := p.Month()
	p.loaded, p.err, p.ins = true, nil, ins
	p.months = monthsOf(ins)
	p.month = len(p.months) - 1
	if i := slices.Index(p.months, prev); i >= 0 {
		p.month = i
	}
	p.layout()
}

// Month is the selected month ("" when there is none).
func (p *Pane) Month() string {
	if p.month < 0 || p.month >= len(p.months) {
		return ""
	}
	return p.months[p.month]
}

// monthsOf lists the months one can select: those with transactions, or
// failing that those of the cash flow.
func monthsOf(ins coreins.Insights) []string {
	set := map[string]bool{}
	for _, m := range ins.Months {
		set[m] = true
	}
	for _, f := range ins.CashFlow {
		set[f.Month] = true
	}
	out := make([]string, 0, len(set))
	for m := range set {
		if m != "" {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// Update implements common.Component.
func (p *Pane) Update(msg tea.Msg) tea.Cmd {
	km := p.c.Keys
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			p.loaded, p.err = true, msg.err
			p.layout()
			return common.ErrorCmd(common.Insights, msg.err)
		}
		p.Set(msg.ins)
	case common.DataChangedMsg:
		return p.load()
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelDown {
			p.scroll += 3
		} else if msg.Button == tea.MouseWheelUp {
			p.scroll = max(0, p.scroll-3)
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, km.PrevMonth):
			p.month = max(0, p.month-1)
			p.layout()
		case key.Matches(msg, km.NextMonth):
			p.month = min(len(p.months)-1, p.month+1)
			p.layout()
		case key.Matches(msg, km.Down):
			p.scroll++
		case key.Matches(msg, km.Up):
			p.scroll = max(0, p.scroll-1)
		case key.Matches(msg, km.PageDown):
			p.scroll += max(1, p.h-2)
		case key.Matches(msg, km.PageUp):
			p.scroll = max(0, p.scroll-max(1, p.h-2))
		case key.Matches(msg, km.Home):
			p.scroll = 0
		}
	}
	p.scroll = common.Clamp(p.scroll, 0, max(0, len(p.lines)-p.h))
	return nil
}

// SetSize implements common.Component.
func (p *Pane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.layout()
}

// ShortHelp implements help.KeyMap.
func (p *Pane) ShortHelp() []key.Binding {
	km := p.c.Keys
	return []key.Binding{km.PrevMonth, km.NextMonth, km.Down}
}

// FullHelp implements help.KeyMap.
func (p *Pane) FullHelp() [][]key.Binding {
	km := p.c.Keys
	return [][]key.Binding{{km.PrevMonth, km.NextMonth}, {km.Up, km.Down, km.PageUp, km.PageDown, km.Home}}
}
