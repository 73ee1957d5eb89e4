// Package loans is the loans pane: every loan and mortgage with its rate,
// term, monthly payment and remaining balance (from the materialized
// insights), and on enter the payoff schedule as a chart.
package loans

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/chart"
	"github.com/openfinance-tui/openfinance/tui/components/grid"
	"github.com/openfinance-tui/openfinance/tui/components/vlist"
)

// Pane is the loans pane.
type Pane struct {
	c      *common.Common
	w, h   int
	loaded bool
	err    error
	ins    insights.Insights
	win    vlist.Window
	detail bool
}

type loadedMsg struct {
	ins insights.Insights
	err error
}

// New builds the pane.
func New(c *common.Common) *Pane { return &Pane{c: c} }

// Title implements common.Pane.
func (p *Pane) Title() string { return "Loans" }

// Init implements common.Component.
func (p *Pane) Init() tea.Cmd { return p.load() }

func (p *Pane) load() tea.Cmd {
	c := p.c
	return c.Do(common.Loans, func(ctx context.Context) tea.Msg {
		ins, err := c.Insights(ctx)
		if err != nil {
			err = fmt.Errorf("cannot read your loans: %w", err)
		}
		return loadedMsg{ins: ins, err: err}
	})
}

// Set replaces the insights the pane shows.
func (p *Pane) Set(ins insights.Insights) {
	p.loaded, p.err, p.ins = true, nil, ins
	p.win.SetLen(len(ins.Loans))
}

// Update implements common.Component.
func (p *Pane) Update(msg tea.Msg) tea.Cmd {
	km := p.c.Keys
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			p.loaded, p.err = true, msg.err
			return common.ErrorCmd(common.Loans, msg.err)
		}
		p.Set(msg.ins)
		return nil
	case common.DataChangedMsg:
		return p.load()
	case tea.KeyPressMsg:
		if p.detail {
			if key.Matches(msg, km.Back, km.Enter) {
				p.detail = false
			}
			return nil
		}
		if key.Matches(msg, km.Enter) {
			p.detail = len(p.ins.Loans) > 0
			return nil
		}
	}
	if !p.detail {
		p.win.HandleKey(km, msg)
	}
	return nil
}

// SetSize implements common.Component.
func (p *Pane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.win.SetHeight(h - 4)
}

// ShortHelp implements help.KeyMap.
func (p *Pane) ShortHelp() []key.Binding {
	if p.detail {
		return []key.Binding{p.c.Keys.Back}
	}
	enter := p.c.Keys.Enter
	enter.SetHelp("enter", "payoff schedule")
	return []key.Binding{enter, p.c.Keys.Up, p.c.Keys.Down}
}

// FullHelp implements help.KeyMap.
func (p *Pane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

var columns = []grid.Col{
	{Title: "Bank", Width: 14},
	{Title: "Type", Width: 8},
	{Title: "Rate", Width: 6, Right: true},
	{Title: "Term", Width: 8, Right: true},
	{Title: "Left", Width: 8, Right: true},
	{Title: "Monthly", Width: 10, Right: true},
	{Title: "Remaining", Width: 13, Right: true},
	{Title: "Cur", Width: 4},
	{Title: "Paid off", Width: 8, Flex: true},
}

// View implements common.Component.
func (p *Pane) View() string {
	switch {
	case !p.loaded:
		return p.c.Loading(p.w, p.h)
	case p.err != nil:
		return p.c.Failed(p.w, p.h, "your loans")
	case p.detail:
		return p.scheduleView()
	}
	st := p.c.Styles
	var b strings.Builder
	ls := p.ins.Loans
	if len(ls) == 0 {
		return common.Frame(st.Muted.Render("No loans or mortgages: nothing to repay."), p.w, p.h)
	}
	b.WriteString(st.Muted.Render(fmt.Sprintf("%d loans and mortgages · %s a month in total", len(ls),
		common.Money(p.ins.MonthlyDebt, p.ins.Currency))) + "\n\n")
	widths := grid.Layout(columns, p.w)
	b.WriteString(grid.Header(columns, widths, st.TableHeader) + "\n")
	from, to := p.win.Visible()
	for i := from; i < to; i++ {
		l := ls[i]
		line := grid.Row(columns, widths, []string{
			p.c.Badge(l.Bank), l.Type, fmt.Sprintf("%.2f%%", l.Rate), months(l.TermMonths), months(l.RemainingMonths),
			common.Amount(l.MonthlyPayment), common.Amount(l.Balance), l.Currency, l.PayoffMonth,
		})
		if p.win.Selected(i) {
			line = st.Selected.Render(common.Fit(line, p.w))
		}
		b.WriteString(line + "\n")
	}
	return common.Frame(b.String(), p.w, p.h)
}

func months(n int) string {
	if n <= 0 {
		return "-"
	}
	if n%12 == 0 {
		return strconv.Itoa(n/12) + " y"
	}
	return strconv.Itoa(n) + " mo"
}

func (p *Pane) scheduleView() string {
	st := p.c.Styles
	l := p.ins.Loans[p.win.Cursor]
	var b strings.Builder
	b.WriteString(p.c.Badge(l.Bank) + " " + st.Title.Render(l.Type+" "+l.ProductID) + "\n")
	b.WriteString(fmt.Sprintf("%s %s at %.2f%% · %s a month · %s to go · paid off %s · %s interest left\n\n",
		st.Muted.Render("Remaining"), st.Bold.Render(common.Money(l.Balance, l.Currency)), l.Rate,
		common.Amount(l.MonthlyPayment), months(l.RemainingMonths), orDash(l.PayoffMonth), common.Amount(l.TotalInterest)))
	vals := make([]float64, len(l.Schedule))
	for i, m := range l.Schedule {
		vals[i] = m.Value
	}
	caption := "remaining balance, month by month"
	if n := len(l.Schedule); n > 0 {
		caption += " (" + l.Schedule[0].Month + " to " + l.Schedule[n-1].Month + ")"
	}
	if len(vals) == 0 {
		b.WriteString(st.Muted.Render("No repayment plan: the bank did not give a term for this product."))
	} else {
		b.WriteString(chart.Line(vals, p.w, max(p.h-5, 3), caption))
	}
	b.WriteString("\n" + st.Muted.Render("esc back to the list"))
	return common.Frame(b.String(), p.w, p.h)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
