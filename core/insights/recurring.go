package insights

import (
	"math"
	"sort"

	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
)

// Recurring-payment detection. A merchant's money out is recurring when,
// over the last six complete months (those before now's month, and none
// before the user's first month with any transaction):
//   - it is present in at least recurMinMonths of them, or in every one of
//     them when fewer are available, and never on the strength of a single
//     month;
//   - each month's total there is within ±recurTolerance of the median of
//     those totals;
//   - it is typically paid once a month: more than half of those months
//     hold exactly one payment.
const (
	recurWindow    = 6
	recurMinMonths = 3
	recurTolerance = 0.10
)

type merchantMonth struct {
	amount float64 // positive
	count  int
}

type merchantSeries struct {
	months     map[month]*merchantMonth
	categories map[month]map[string]float64
	last       month
}

func detectRecurring(cells []cell, now month) []Recurring {
	first, found := month(0), false
	series := map[string]*merchantSeries{}
	for _, c := range cells {
		if !c.valid || c.count == 0 {
			continue
		}
		if !found || c.month < first {
			first, found = c.month, true
		}
		if !c.out || c.Merchant == "" {
			continue
		}
		s := series[c.Merchant]
		if s == nil {
			s = &merchantSeries{months: map[month]*merchantMonth{}, categories: map[month]map[string]float64{}, last: c.month}
			series[c.Merchant] = s
		}
		s.last = max(s.last, c.month)
		mm := s.months[c.month]
		if mm == nil {
			mm = &merchantMonth{}
			s.months[c.month] = mm
			s.categories[c.month] = map[string]float64{}
		}
		mm.amount -= c.amount
		mm.count += c.count
		s.categories[c.month][c.Category] -= c.amount
	}
	out := []Recurring{}
	if !found {
		return out
	}
	from, to := max(now-recurWindow, first), now-1
	available := int(to - from + 1)
	need := max(min(recurMinMonths, available), 2)
	if available < need {
		return out
	}
	for name, s := range series {
		if r, ok := s.recurring(from, to, need); ok {
			r.Merchant = name
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Amount != out[j].Amount {
			return out[i].Amount > out[j].Amount
		}
		return out[i].Merchant < out[j].Merchant
	})
	return out
}

func (s *merchantSeries) recurring(from, to month, need int) (Recurring, bool) {
	var totals []float64
	var sum float64
	count, single := 0, 0
	cats := map[string]float64{}
	for m := from; m <= to; m++ {
		mm := s.months[m]
		if mm == nil || mm.count == 0 {
			continue
		}
		totals = append(totals, mm.amount)
		sum += mm.amount
		count += mm.count
		if mm.count == 1 {
			single++
		}
		for c, v := range s.categories[m] {
			cats[c] += v
		}
	}
	if len(totals) < need || single*2 <= len(totals) {
		return Recurring{}, false
	}
	med := median(totals)
	if med <= 0 {
		return Recurring{}, false
	}
	for _, t := range totals {
		if math.Abs(t-med) > recurTolerance*med {
			return Recurring{}, false
		}
	}
	return Recurring{
		Category:  topKey(cats),
		Direction: model.DirectionOut,
		Amount:    fx.Round2(sum / float64(count)),
		Months:    len(totals),
		LastMonth: s.last.String(),
	}, true
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// topKey is the key with the largest value (ties: the first by name).
func topKey(m map[string]float64) string {
	best, bv := "", math.Inf(-1)
	for k, v := range m {
		if v > bv || (v == bv && k < best) {
			best, bv = k, v
		}
	}
	return best
}
