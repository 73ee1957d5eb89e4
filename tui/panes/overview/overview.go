// Package overview is the dashboard's first pane: net worth, total balance
// and debt, a per-bank breakdown in bars and when each bank last synced.
package overview

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/bars"
)

// Pane is the overview pane.
type Pane struct {
	c        *common.Common
	w, h     int
	loaded   bool
	err      error
	pos      insights.Position
	consents []model.Consent
	scroll   int
	lines    []string // the laid-out pane, cropped by View
}

// New builds the pane.
func New(c *common.Common) *Pane { return &Pane{c: c} }

// Data is what the pane shows; exported so benchmarks can build the pane
// from memory.
type Data struct {
	Position insights.Position
	Consents []model.Consent
}

type loadedMsg struct {
	Data
	err error
}

// Title implements common.Pane.
func (p *Pane) Title() string { return "Overview" }

// Init implements common.Component.
func (p *Pane) Init() tea.Cmd { return p.load() }

func (p *Pane) load() tea.Cmd {
	c := p.c
	return c.Do(common.Overview, func(ctx context.Context) tea.Msg {
		pos, err := c.Hub.Position(ctx, c.User, "")
		if err != nil {
			return loadedMsg{err: fmt.Errorf("cannot compute your position: %w", err)}
		}
		cs, err := c.Hub.Consents(ctx, c.User)
		if err != nil {
			return loadedMsg{err: fmt.Errorf("cannot read your consents: %w", err)}
		}
		return loadedMsg{Data: Data{Position: pos, Consents: cs}}
	})
}

// Set replaces the data shown.
func (p *Pane) Set(d Data) {
	p.loaded, p.err, p.pos, p.consents = true, nil, d.Position, d.Consents
	p.layout()
}

// Update implements common.Component.
func (p *Pane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			p.loaded, p.err = true, msg.err
			return common.ErrorCmd(common.Overview, msg.err)
		}
		p.Set(msg.Data)
	case common.DataChangedMsg:
		return p.load()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.c.Keys.Down):
			p.scroll++
		case key.Matches(msg, p.c.Keys.Up):
			p.scroll = max(0, p.scroll-1)
		case key.Matches(msg, p.c.Keys.Link):
			return common.OpenWizard("")
		}
	}
	return nil
}

// SetSize implements common.Component.
func (p *Pane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.layout()
}

// ShortHelp implements help.KeyMap.
func (p *Pane) ShortHelp() []key.Binding { return []key.Binding{p.c.Keys.Link} }

// FullHelp implements help.KeyMap.
func (p *Pane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.c.Keys.Link, p.c.Keys.Up, p.c.Keys.Down}}
}

// View implements common.Component: it crops what layout drew.
func (p *Pane) View() string {
	switch {
	case !p.loaded:
		return p.c.Loading(p.w, p.h)
	case p.err != nil:
		return p.c.Failed(p.w, p.h, "your overview")
	}
	from := common.Clamp(p.scroll, 0, max(0, len(p.lines)-p.h))
	return common.Frame(strings.Join(p.lines[from:min(len(p.lines), from+p.h)], "\n"), p.w, p.h)
}

// layout draws the whole pane into p.lines (on new data or a new size).
func (p *Pane) layout() {
	if !p.loaded || p.err != nil || p.w <= 0 {
		p.lines = nil
		return
	}
	st := p.c.Styles
	pos := p.pos
	cur := pos.Currency
	var b strings.Builder
	cardW := max((p.w-4)/3, 18)
	card := func(title string, v float64, s lipgloss.Style) string {
		return st.Box.Width(cardW).Render(st.Muted.Render(title) + "\n" + s.Bold(true).Render(common.Money(v, cur)))
	}
	nw := st.Good
	if pos.NetWorth < 0 {
		nw = st.Bad
	}
	cards := lipgloss.JoinHorizontal(lipgloss.Top,
		card("Net worth", pos.NetWorth, nw), " ",
		card("Total balance", pos.TotalBalance, st.Text), " ",
		card("Total debt", pos.TotalDebt, st.Warn))
	if lipgloss.Width(cards) > p.w {
		cards = fmt.Sprintf("%s %s\n%s %s\n%s %s",
			st.Muted.Render("Net worth     "), nw.Render(common.Money(pos.NetWorth, cur)),
			st.Muted.Render("Total balance "), common.Money(pos.TotalBalance, cur),
			st.Muted.Render("Total debt    "), st.Warn.Render(common.Money(pos.TotalDebt, cur)))
	}
	b.WriteString(cards)
	b.WriteString("\n\n")
	b.WriteString(st.Subtitle.Render("By bank") + st.Muted.Render("  ("+cur+"; ") +
		st.Bar.Render("█") + st.Muted.Render(" balance  ") + st.BarDebt.Render("█") + st.Muted.Render(" debt)") + "\n")
	if len(pos.ByBank) == 0 {
		b.WriteString(st.Muted.Render("Nothing linked yet. Press L to link a bank.") + "\n")
	}
	var items []bars.Item
	for _, bl := range pos.ByBank {
		items = append(items,
			bars.Item{Label: bl.Bank, Value: bl.Balance, Style: p.c.Styles.Swatch(p.c.BankColor(bl.Bank))},
			bars.Item{Label: "", Value: bl.Debt, Text: "-" + common.Amount(bl.Debt), Style: st.BarDebt})
	}
	if s := bars.Render(items, min(p.w, 100), st.BarEmpty); s != "" {
		b.WriteString(s + "\n")
	}
	b.WriteString("\n" + st.Subtitle.Render("Last sync") + "\n")
	b.WriteString(p.syncLines())
	p.lines = strings.Split(b.String(), "\n")
}

// syncLines tells, per bank with data or a consent, when it last synced.
func (p *Pane) syncLines() string {
	st := p.c.Styles
	now := p.c.Now()
	seen := map[string]bool{}
	var b strings.Builder
	for _, c := range p.consents {
		if seen[c.Bank] {
			continue // newest consent per bank only
		}
		seen[c.Bank] = true
		line := common.Fit(p.c.Badge(c.Bank), 16) + " "
		switch {
		case c.LastSync == nil:
			line += st.Muted.Render("not synced yet")
		case c.LastSync.State == "failed":
			line += st.Bad.Render("failed "+common.Ago(now, c.LastSync.At)) + st.Muted.Render(": "+c.LastSync.Error)
		default:
			line += st.Good.Render(c.LastSync.State) + " " + common.Ago(now, c.LastSync.At)
		}
		if c.Active(now) {
			line += st.Muted.Render(" · consent expires " + common.Until(now, c.ExpiresAt))
		} else {
			line += st.Warn.Render(" · consent " + c.Status)
		}
		b.WriteString(line + "\n")
	}
	for _, bl := range p.pos.ByBank {
		if !seen[bl.Bank] {
			b.WriteString(common.Fit(p.c.Badge(bl.Bank), 16) + " " + st.Muted.Render("demo data, never synced (press L to link it)") + "\n")
		}
	}
	if b.Len() == 0 {
		return st.Muted.Render("No bank synced yet.")
	}
	return b.String()
}
