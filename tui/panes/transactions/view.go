package transactions

import (
	"fmt"
	"sort"
	"strings"

	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/grid"
)

var columns = []grid.Col{
	{Title: "Date", Width: 10},
	{Title: "Bank", Width: 14},
	{Title: "Account", Width: 8},
	{Title: "Merchant / description", Width: 16, Flex: true},
	{Title: "Category", Width: 13},
	{Title: "Amount", Width: 12, Right: true},
	{Title: "Cur", Width: 3},
}

// View implements common.Component. It renders only the visible window.
func (p *Pane) View() string {
	switch {
	case !p.loaded:
		return p.c.Loading(p.w, p.h)
	case p.err != nil:
		return p.c.Failed(p.w, p.h, "your transactions")
	case p.detail != nil:
		return p.detailView()
	}
	st := p.c.Styles
	var b strings.Builder
	b.Grow(p.w * (p.h + 1) * 2)
	if p.filtering {
		b.WriteString(p.input.View())
	} else {
		b.WriteString(p.filterLine())
	}
	b.WriteByte('\n')
	b.WriteString(p.summaryLine())
	b.WriteByte('\n')
	widths := grid.Layout(columns, p.w)
	b.WriteString(grid.Header(columns, widths, st.TableHeader))
	b.WriteByte('\n')
	if len(p.ix.rows) == 0 {
		msg := "No transactions yet. Link a bank (L on the Overview) and they arrive with the first sync."
		if p.filter.Active() {
			msg = "No transaction matches the filter. Press ctrl+x to clear it."
		}
		b.WriteString(st.Muted.Render(msg))
	}
	from, to := p.win.Visible()
	cells := make([]string, len(columns))
	for i := from; i < to; i++ {
		t := &p.all[p.ix.rows[i]]
		amt := common.Amount(t.Amount)
		if t.Amount >= 0 {
			amt = st.Good.Render("+" + amt)
		}
		desc := t.Merchant
		if desc == "" {
			desc = t.Description
		}
		cells[0], cells[1], cells[2] = t.BookingDate.Format("2006-01-02"), p.c.Badge(t.TransactionBank), common.Mask(t.TransactionAccountId)
		cells[3], cells[4], cells[5], cells[6] = desc, t.Category, amt, t.Currency
		line := grid.Row(columns, widths, cells)
		if p.win.Selected(i) {
			line = st.Selected.Render(common.Fit(line, p.w))
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return common.Frame(b.String(), p.w, p.h)
}

func (p *Pane) filterLine() string {
	st := p.c.Styles
	f := p.filter
	part := func(k, label, v string) string {
		if v == "" {
			v = "all"
		}
		return st.Key.Render(k) + st.Muted.Render(" "+label+": ") + v
	}
	acct := f.Account
	if acct != "" {
		acct = common.Mask(acct)
	}
	s := strings.Join([]string{part("b", "bank", f.Bank), part("a", "account", acct), part("m", "month", f.Month),
		part("c", "category", f.Category)}, "  ")
	if f.Text != "" {
		s += "  " + st.Key.Render("/") + " " + fmt.Sprintf("%q", f.Text)
	}
	return s
}

func (p *Pane) summaryLine() string {
	st := p.c.Styles
	base := p.base
	if base == "" {
		base = "USD"
	}
	n := len(p.ix.rows)
	pos := ""
	if n > 0 {
		pos = fmt.Sprintf(" · row %d", p.win.Cursor+1)
	}
	return st.Muted.Render(fmt.Sprintf("%d of %d transactions%s · ", n, len(p.all), pos)) +
		st.Good.Render("in "+common.Money(p.ix.in, base)) + st.Muted.Render(" · ") +
		st.Warn.Render("out "+common.Money(p.ix.out, base))
}

// detailView shows the opened transaction: its row at once, everything
// else (value date, bank-specific fields) once the document is read.
func (p *Pane) detailView() string {
	st := p.c.Styles
	d := p.detail
	r := d.row
	var b strings.Builder
	b.WriteString(p.c.Badge(r.TransactionBank) + " " + st.Title.Render(common.Money(r.Amount, r.Currency)) + "\n\n")
	kv := func(k, v string) {
		if v != "" {
			b.WriteString(st.Muted.Render(common.Fit(k, 18)) + " " + v + "\n")
		}
	}
	kv("Booked", r.BookingDate.Format("Mon 2 Jan 2006"))
	if d.tx != nil && d.tx.ValueDate != nil {
		kv("Value date", d.tx.ValueDate.Format("2 Jan 2006"))
	}
	kv("Merchant", r.Merchant)
	kv("Description", r.Description)
	kv("Category", r.Category)
	kv("Account", r.TransactionAccountId)
	kv("Status", r.Status)
	base := p.base
	if d.tx != nil && d.tx.BaseCurrency != "" {
		base = d.tx.BaseCurrency
	}
	kv("In "+base, common.Amount(r.AmountBase))
	kv("Transaction id", r.TransactionId)
	switch {
	case d.err != nil:
		b.WriteString("\n" + st.Muted.Render("The rest of this transaction could not be read.") + "\n")
	case d.tx == nil:
		b.WriteString("\n" + st.Muted.Render("Reading the rest of this transaction…") + "\n")
	case len(d.tx.Extra) > 0:
		keys := make([]string, 0, len(d.tx.Extra))
		for k := range d.tx.Extra {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("\n" + st.Subtitle.Render("Bank-specific fields") + "\n")
		for _, k := range keys {
			kv(k, fmt.Sprint(d.tx.Extra[k]))
		}
	}
	b.WriteString("\n" + st.Muted.Render("esc back to the list"))
	return common.Frame(b.String(), p.w, p.h)
}
