package accounts

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/grid"
)

var columns = []grid.Col{
	{Title: "Bank", Width: 16},
	{Title: "Type", Width: 9},
	{Title: "Number", Width: 10},
	{Title: "Balance", Width: 14, Right: true},
	{Title: "Cur", Width: 4},
	{Title: "Status", Width: 8},
	{Title: "Description", Width: 12, Flex: true},
}

// View implements common.Component.
func (p *Pane) View() string {
	switch {
	case !p.loaded:
		return p.c.Loading(p.w, p.h)
	case p.err != nil:
		return p.c.Failed(p.w, p.h, "your accounts")
	case p.detail:
		return p.detailView()
	}
	st := p.c.Styles
	var b strings.Builder
	b.WriteString(p.topLine() + "\n")
	widths := grid.Layout(columns, p.w)
	hdr := make([]grid.Col, len(columns))
	copy(hdr, columns)
	hdr[p.sortCol].Title += map[bool]string{false: " ↑", true: " ↓"}[p.desc]
	b.WriteString(grid.Header(hdr, widths, st.TableHeader) + "\n")
	if len(p.rows) == 0 {
		msg := "No accounts yet. Press L to link a bank."
		if p.query != "" {
			msg = "No account matches " + fmt.Sprintf("%q", p.query) + ". Press / and clear it."
		}
		b.WriteString(st.Muted.Render(msg))
	}
	from, to := p.win.Visible()
	for i := from; i < to; i++ {
		a := p.all[p.rows[i]]
		line := grid.Row(columns, widths, []string{
			p.c.Badge(a.AccountBank), a.AccountType, common.Mask(a.AccountId),
			common.Amount(a.AccountBalance), a.Currency(), a.AccountStatus, narrative(a),
		})
		if p.win.Selected(i) {
			line = st.Selected.Render(common.Fit(line, p.w))
		}
		b.WriteString(line + "\n")
	}
	return common.Frame(b.String(), p.w, p.h)
}

func (p *Pane) topLine() string {
	st := p.c.Styles
	if p.filtering {
		return p.input.View()
	}
	s := st.Muted.Render(fmt.Sprintf("%d accounts", len(p.rows)))
	if p.query != "" {
		s += st.Muted.Render(" matching ") + st.Key.Render(p.query)
	}
	return s
}

func (p *Pane) detailView() string {
	st := p.c.Styles
	if len(p.rows) == 0 {
		return ""
	}
	a := p.all[p.rows[p.win.Cursor]]
	var b strings.Builder
	b.WriteString(p.c.Badge(a.AccountBank) + " " + st.Title.Render(a.AccountType+" "+a.AccountId) + "\n\n")
	kv := func(k, v string) {
		if v != "" {
			b.WriteString(st.Muted.Render(common.Fit(k, 22)) + " " + v + "\n")
		}
	}
	kv("Balance", st.Bold.Render(common.Money(a.AccountBalance, a.Currency())))
	kv("Status", a.AccountStatus)
	if a.AccountDate != nil {
		kv("Opened", a.AccountDate.OpeningDate.Format("2 Jan 2006"))
	}
	kv("Owner", a.AccountUser.UserName)
	if a.Lineage != nil {
		kv("Synced from", a.Lineage.BankId+" at "+a.Lineage.FetchedAt.Format("2 Jan 2006 15:04"))
	} else {
		kv("Source", "demo data (not synced)")
	}
	if len(a.Extra) > 0 {
		b.WriteString("\n" + st.Subtitle.Render("Bank-specific fields") + "\n")
		keys := make([]string, 0, len(a.Extra))
		for k := range a.Extra {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			kv(k, fmt.Sprint(a.Extra[k]))
		}
	}
	b.WriteString("\n" + st.Muted.Render("esc back to the list"))
	return common.Frame(wrap(b.String(), p.w), p.w, p.h)
}

// wrap folds long lines so details stay readable in narrow terminals.
func wrap(s string, w int) string {
	if w < 10 {
		return s
	}
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		for len([]rune(l)) > w && !strings.Contains(l, "\x1b") {
			r := []rune(l)
			out = append(out, string(r[:w]))
			l = "  " + string(r[w:])
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// narrative is the bank's own description of the account, whatever the
// bank calls the field (GreenAccountNarrative, MDBAccountNarrative, ...).
func narrative(a model.ExternalAccount) string {
	keys := make([]string, 0, len(a.Extra))
	for k := range a.Extra {
		if strings.HasSuffix(k, "Narrative") || strings.HasSuffix(k, "Description") || k == "Nickname" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if s, ok := a.Extra[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}
