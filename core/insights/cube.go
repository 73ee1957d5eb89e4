package insights

import (
	"math"
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

// newCube joins the two measures of the transaction cube (sums and counts
// under the same key, from any source: the buckets, a $group, folded rows)
// and converts the sums with factor (USD → insights currency).
//
// The cube comes out the same whatever the source: each cell's sum is
// rounded to a millionth (so the order the source added the transactions
// in, per bucket or all at once, cannot tip a cent's rounding later) and
// the cells are sorted by key (so every later sum over cells adds them in
// one order).
func newCube(amounts, counts []pipelines.GroupRow[pipelines.TxKey], factor float64) []cell {
	sums := make(map[pipelines.TxKey]float64, len(amounts))
	ns := make(map[pipelines.TxKey]int, len(counts))
	for _, r := range amounts {
		sums[r.Key] += r.V
	}
	for _, r := range counts {
		ns[r.Key] += int(r.V)
		if _, ok := sums[r.Key]; !ok {
			sums[r.Key] = 0
		}
	}
	keys := make([]pipelines.TxKey, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	cells := make([]cell, len(keys))
	for i, k := range keys {
		m, ok := parseMonth(k.Month)
		c := cell{TxKey: k, month: m, valid: ok, isBooked: k.Status != model.StatusPending,
			amount: math.Round(sums[k]*1e6) / 1e6 * factor, count: ns[k]}
		// The direction is stored when written; the sign decides only for
		// documents that lack it.
		c.out = c.Direction == model.DirectionOut || (c.Direction != model.DirectionIn && c.amount < 0)
		cells[i] = c
	}
	return cells
}

func keyLess(a, b pipelines.TxKey) bool {
	if a.Month != b.Month {
		return a.Month < b.Month
	}
	if a.Category != b.Category {
		return a.Category < b.Category
	}
	if a.Direction != b.Direction {
		return a.Direction < b.Direction
	}
	if a.Merchant != b.Merchant {
		return a.Merchant < b.Merchant
	}
	return a.Status < b.Status
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
func spendingRows(cells []cell) SpendingRows {
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
	rows := make(SpendingRows, 0, len(sum))
	for k, v := range sum {
		rows = append(rows, CategoryAmt{Month: k.m.String(), Category: k.c, Amount: fx.Round2(v)})
	}
	sortSpending(rows)
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
