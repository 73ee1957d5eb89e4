package insights

import (
	"sort"

	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
)

// topMerchantsLimit is how many merchants TopMerchants keeps.
const topMerchantsLimit = 10

// cell is one row of the transaction cube with both of its measures.
type cell struct {
	pipelines.TxKey
	month    month
	valid    bool    // MonthKey parsed
	amount   float64 // Σ AmountBase, signed, already in the insights currency
	count    int
	out      bool // money out
	isBooked bool
}

// cube joins the two scans of the transactions (sums and counts under the
// same key) and converts the sums with factor (USD → insights currency).
func newCube(amounts, counts []pipelines.GroupRow[pipelines.TxKey], factor float64) []cell {
	idx := make(map[pipelines.TxKey]int, len(amounts))
	cells := make([]cell, 0, len(amounts))
	add := func(k pipelines.TxKey) *cell {
		if i, ok := idx[k]; ok {
			return &cells[i]
		}
		m, ok := parseMonth(k.Month)
		idx[k] = len(cells)
		cells = append(cells, cell{TxKey: k, month: m, valid: ok, isBooked: k.Status != model.StatusPending})
		return &cells[len(cells)-1]
	}
	for _, r := range amounts {
		add(r.Key).amount += r.V * factor
	}
	for _, r := range counts {
		add(r.Key).count += int(r.V)
	}
	for i := range cells {
		c := &cells[i]
		// The direction is stored when written; the sign decides only for
		// documents that lack it.
		c.out = c.Direction == model.DirectionOut || (c.Direction != model.DirectionIn && c.amount < 0)
	}
	return cells
}

// cashFlow is income, spending and net for the 12 months ending with now's
// month, oldest first, months without transactions included as zeros.
func cashFlow(cells []cell, now month) []MonthFlow {
	first := now - 11
	inc, out := make([]float64, 12), make([]float64, 12)
	for _, c := range cells {
		if !c.valid || c.month < first || c.month > now {
			continue
		}
		if c.out {
			out[c.month-first] -= c.amount
		} else {
			inc[c.month-first] += c.amount
		}
	}
	flows := make([]MonthFlow, 12)
	for i := range flows {
		in, sp := fx.Round2(inc[i]), fx.Round2(out[i])
		flows[i] = MonthFlow{Month: (first + month(i)).String(), Income: in, Spending: sp, Net: fx.Round2(in - sp)}
	}
	return flows
}

// spendingRows is money out per month and category over every month with
// data, by month, then largest amount first.
func spendingRows(cells []cell) []CategoryAmt {
	type mc struct {
		m month
		c string
	}
	sum := map[mc]float64{}
	for _, c := range cells {
		if c.valid && c.out {
			sum[mc{c.month, orDash(c.Category)}] -= c.amount
		}
	}
	rows := make([]CategoryAmt, 0, len(sum))
	for k, v := range sum {
		rows = append(rows, CategoryAmt{Month: k.m.String(), Category: k.c, Amount: fx.Round2(v)})
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		if a.Amount != b.Amount {
			return a.Amount > b.Amount
		}
		return a.Category < b.Category
	})
	return rows
}

// topMerchants is money out per merchant over the 12 months ending with
// now's month, largest first, at most topMerchantsLimit.
func topMerchants(cells []cell, now month) []MerchantAmt {
	type acc struct {
		amount float64
		count  int
	}
	sum := map[string]*acc{}
	for _, c := range cells {
		if !c.valid || !c.out || c.Merchant == "" || c.month < now-11 || c.month > now {
			continue
		}
		a := sum[c.Merchant]
		if a == nil {
			a = &acc{}
			sum[c.Merchant] = a
		}
		a.amount -= c.amount
		a.count += c.count
	}
	rows := make([]MerchantAmt, 0, len(sum))
	for m, a := range sum {
		rows = append(rows, MerchantAmt{Merchant: m, Amount: fx.Round2(a.amount), Count: a.count})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Amount != rows[j].Amount {
			return rows[i].Amount > rows[j].Amount
		}
		return rows[i].Merchant < rows[j].Merchant
	})
	if len(rows) > topMerchantsLimit {
		rows = rows[:topMerchantsLimit]
	}
	return rows
}

// activity is the number of transactions and the months that have any,
// oldest first.
func activity(cells []cell) (int, []string) {
	n := 0
	seen := map[month]bool{}
	for _, c := range cells {
		n += c.count
		if c.valid && c.count > 0 {
			seen[c.month] = true
		}
	}
	ms := make([]month, 0, len(seen))
	for m := range seen {
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i] < ms[j] })
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return n, out
}
