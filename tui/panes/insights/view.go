package insights

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/guptarohit/asciigraph"

	coreins "github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/bars"
	"github.com/openfinance-tui/openfinance/tui/components/chart"
)

// View implements common.Component: it only crops the lines laid out when
// the data, size or month changed (charts are too dear to draw per frame).
func (p *Pane) View() string {
	switch {
	case !p.loaded:
		return p.c.Loading(p.w, p.h)
	case p.err != nil:
		return p.c.Failed(p.w, p.h, "your insights")
	}
	from := common.Clamp(p.scroll, 0, max(0, len(p.lines)-p.h))
	return common.Frame(strings.Join(p.lines[from:min(len(p.lines), from+p.h)], "\n"), p.w, p.h)
}

// layout renders the whole pane into p.lines.
func (p *Pane) layout() {
	if !p.loaded || p.err != nil || p.w <= 0 {
		p.lines = nil
		return
	}
	st := p.c.Styles
	ins := p.ins
	var out []string
	out = append(out, p.monthLine(), "")

	// Charts side by side when there is room, stacked otherwise.
	wide := p.w >= 96
	colW := p.w
	if wide {
		colW = (p.w - 3) / 2
	}
	chartH := common.Clamp((p.h-6)/2, 6, 16)
	nw := section(st.Subtitle.Render("Net worth over time"), chart.Line(values(ins.NetWorth), colW, chartH, monthsCaption(ins.NetWorth)))
	var inc, spend []float64
	for _, f := range ins.CashFlow {
		inc, spend = append(inc, f.Income), append(spend, f.Spending)
	}
	cfTitle := st.Subtitle.Render("Monthly cash flow ") + st.Good.Render("income") + st.Muted.Render(" vs ") + st.Warn.Render("spending")
	cfChart := st.Muted.Render("No income or spending recorded yet: transactions arrive when a bank syncs.")
	if nonZero(inc) || nonZero(spend) {
		cfChart = chart.Lines([]chart.Series{{Values: inc, Color: asciigraph.Green}, {Values: spend, Color: asciigraph.Red}},
			colW, chartH, monthsCaption(flowMonths(ins.CashFlow)))
	}
	cf := section(cfTitle, cfChart)
	out = append(out, join(wide, colW, nw, cf), "")

	cats := section(st.Subtitle.Render("Spending by category in "+orNone(p.Month())), p.categoryBars(colW))
	merch := section(st.Subtitle.Render("Top merchants (12 months)"), p.merchantBars(colW))
	out = append(out, join(wide, colW, cats, merch), "")
	out = append(out, st.Subtitle.Render("Recurring payments"), p.recurring())

	p.lines = strings.Split(strings.Join(out, "\n"), "\n")
}

func (p *Pane) monthLine() string {
	st := p.c.Styles
	m := p.Month()
	if m == "" {
		return st.Muted.Render("No transactions yet: link a bank and sync to see your insights.")
	}
	s := st.Key.Render("◀ [") + " " + st.Bold.Render(m) + " " + st.Key.Render("] ▶")
	for _, f := range p.ins.CashFlow {
		if f.Month == m {
			s += st.Muted.Render("   income ") + st.Good.Render(common.Amount(f.Income)) +
				st.Muted.Render("  spending ") + st.Warn.Render(common.Amount(f.Spending)) +
				st.Muted.Render("  net ") + common.Amount(f.Net) + st.Muted.Render(" "+p.ins.Currency)
		}
	}
	return s
}

func (p *Pane) categoryBars(w int) string {
	var rows []coreins.CategoryAmt
	for _, c := range p.ins.Spending {
		if c.Month == p.Month() {
			rows = append(rows, c)
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		return rows[i].Amount > rows[j].Amount || rows[i].Amount == rows[j].Amount && rows[i].Category < rows[j].Category
	})
	if len(rows) == 0 {
		return p.c.Styles.Muted.Render("No spending this month.")
	}
	items := make([]bars.Item, 0, 8)
	for _, r := range rows[:min(len(rows), 8)] {
		items = append(items, bars.Item{Label: r.Category, Value: r.Amount, Style: p.c.Styles.Warn})
	}
	return bars.Render(items, w, p.c.Styles.BarEmpty)
}

func (p *Pane) merchantBars(w int) string {
	ms := p.ins.TopMerchants
	if len(ms) == 0 {
		return p.c.Styles.Muted.Render("No merchants yet.")
	}
	items := make([]bars.Item, 0, 8)
	for _, m := range ms[:min(len(ms), 8)] {
		items = append(items, bars.Item{Label: m.Merchant, Value: m.Amount, Style: p.c.Styles.Bar,
			Text: fmt.Sprintf("%s ×%d", common.Amount(m.Amount), m.Count)})
	}
	return bars.Render(items, w, p.c.Styles.BarEmpty)
}

func (p *Pane) recurring() string {
	st := p.c.Styles
	if len(p.ins.Recurring) == 0 {
		return st.Muted.Render("None found yet: a payment counts once it is seen in several months at a similar amount.")
	}
	var b strings.Builder
	for i, r := range p.ins.Recurring {
		if i > 0 {
			b.WriteByte('\n')
		}
		sign := "-"
		if r.Direction == "in" {
			sign = "+"
		}
		b.WriteString(common.Fit(r.Merchant, 24) + " " + common.Fit(r.Category, 14) + " " +
			common.FitRight(sign+common.Amount(r.Amount), 12) + st.Muted.Render(fmt.Sprintf(" %s a month · seen %d months · last %s", p.ins.Currency, r.Months, r.LastMonth)))
	}
	return b.String()
}

func nonZero(v []float64) bool {
	for _, x := range v {
		if x != 0 {
			return true
		}
	}
	return false
}

func section(title, body string) string {
	if body == "" {
		return title
	}
	return title + "\n" + body
}

// join puts two blocks side by side (wide) or one under the other.
func join(wide bool, w int, a, b string) string {
	if !wide {
		return a + "\n\n" + b
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(w).Render(a), "   ", b)
}

func values(ms []coreins.MonthValue) []float64 {
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = m.Value
	}
	return out
}

func flowMonths(fs []coreins.MonthFlow) []coreins.MonthValue {
	out := make([]coreins.MonthValue, len(fs))
	for i, f := range fs {
		out[i].Month = f.Month
	}
	return out
}

func monthsCaption(ms []coreins.MonthValue) string {
	if len(ms) == 0 {
		return ""
	}
	return ms[0].Month + " … " + ms[len(ms)-1].Month
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
