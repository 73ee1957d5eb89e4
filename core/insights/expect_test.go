package insights_test

import (
	"math"
	"sort"
	"time"

	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
)

// want is every insight of one user computed straight from the inserted
// documents, in plain Go and without the cube, to hold Recompute to.
type want struct {
	balance, debt, weighted float64
	cash                    []insights.MonthFlow
	spending                map[[2]string]float64
	merchants               []insights.MerchantAmt
	count                   int
	months                  []string
	balanceAt, debtAt       []float64
	recurring               map[string]insights.Recurring
	loans                   map[string]wantLoan
	monthly                 float64
}

type wantLoan struct {
	payment, base, interest float64
	remaining               int
	payoff                  string
	schedule                []float64
}

func monthStart(now time.Time, offset int) time.Time {
	return time.Date(now.Year(), now.Month()+time.Month(offset), 1, 0, 0, 0, 0, time.UTC)
}

func expected(w *world, user string, cur string, now time.Time) want {
	div := w.rates[cur]
	conv := func(v float64, c string) float64 {
		if c == "" {
			c = "USD"
		}
		return v * w.rates[c] / div
	}
	e := want{spending: map[[2]string]float64{}, recurring: map[string]insights.Recurring{}, loans: map[string]wantLoan{}}
	for _, a := range w.accounts {
		if a.AccountUser.UserName == user {
			e.balance += conv(a.AccountBalance, a.AccountCurrency)
		}
	}
	var txs []model.Transaction
	monthSet := map[string]bool{}
	for _, t := range w.txs {
		if t.TransactionUser.UserName == user {
			txs = append(txs, t)
			monthSet[t.MonthKey] = true
		}
	}
	e.count = len(txs)
	e.months = []string{}
	for m := range monthSet {
		e.months = append(e.months, m)
	}
	sort.Strings(e.months)

	// Cash flow, month-end balances: the 12 months ending with now's.
	for i := -11; i <= 0; i++ {
		key, end := monthStart(now, i).Format("2006-01"), monthStart(now, i+1)
		f := insights.MonthFlow{Month: key}
		bal := e.balance
		for _, t := range txs {
			if t.MonthKey == key {
				if t.Direction == model.DirectionIn {
					f.Income += t.AmountBase / div
				} else {
					f.Spending -= t.AmountBase / div
				}
			}
			if t.Status == model.StatusBooked && !t.BookingDate.Before(end) {
				bal -= t.AmountBase / div
			}
		}
		f.Net = f.Income - f.Spending
		e.cash = append(e.cash, f)
		e.balanceAt = append(e.balanceAt, bal)
	}
	// Spending by month and category; merchants over the last 12 months.
	from, to := monthStart(now, -11), monthStart(now, 1)
	merch := map[string]*insights.MerchantAmt{}
	for _, t := range txs {
		if t.Direction != model.DirectionOut {
			continue
		}
		e.spending[[2]string{t.MonthKey, t.Category}] -= t.AmountBase / div
		if t.Merchant != "" && !t.BookingDate.Before(from) && t.BookingDate.Before(to) {
			m := merch[t.Merchant]
			if m == nil {
				m = &insights.MerchantAmt{Merchant: t.Merchant}
				merch[t.Merchant] = m
			}
			m.Amount -= t.AmountBase / div
			m.Count++
		}
	}
	for _, m := range merch {
		e.merchants = append(e.merchants, *m)
	}
	sort.Slice(e.merchants, func(i, j int) bool { return e.merchants[i].Amount > e.merchants[j].Amount })
	e.merchants = e.merchants[:min(10, len(e.merchants))]

	e.loansAndDebt(w, user, now, conv)
	e.recurringPayments(txs, now, div)
	return e
}

func (e *want) loansAndDebt(w *world, user string, now time.Time, conv func(float64, string) float64) {
	e.debtAt = make([]float64, 12)
	for _, p := range w.products {
		if p.ProductCustomer.UserName != user || !p.IsDebt() {
			continue
		}
		e.debt += conv(p.ProductAmount, p.ProductCurrency)
		e.weighted += conv(p.ProductAmount, p.ProductCurrency) * p.ProductInterestRate
		term := int(p.RepaymentPeriod) + int(p.AmortizationPeriod*12)
		elapsed := 0
		var opened time.Time
		if p.ProductDate != nil {
			opened = p.ProductDate.OpeningDate
			for !opened.AddDate(0, elapsed+1, 0).After(now) {
				elapsed++
			}
		}
		n := max(term-elapsed, 1)
		r := p.ProductInterestRate / 1200
		m := p.ProductAmount / float64(n)
		if r > 0 {
			m = p.ProductAmount * r / (1 - math.Pow(1+r, -float64(n)))
		}
		l := wantLoan{payment: m, base: conv(m, p.ProductCurrency), remaining: n, payoff: monthStart(now, n).Format("2006-01")}
		b := p.ProductAmount
		for range n {
			l.interest += b * r
			b = b*(1+r) - m
			l.schedule = append(l.schedule, math.Max(b, 0))
		}
		e.loans[p.ProductId] = l
		e.monthly += l.base
		// Month-end debt: step the annuity back one month at a time.
		for i := range 12 {
			back := 11 - i
			if !opened.IsZero() && monthStart(now, -back).Before(time.Date(opened.Year(), opened.Month(), 1, 0, 0, 0, 0, time.UTC)) {
				continue
			}
			if !opened.IsZero() {
				back = min(back, elapsed)
			}
			pr := p.ProductAmount
			for range back {
				pr = (pr + m) / (1 + r)
			}
			e.debtAt[i] += conv(pr, p.ProductCurrency)
		}
	}
}

// recurringPayments applies the documented rule to the raw transactions.
func (e *want) recurringPayments(txs []model.Transaction, now time.Time, div float64) {
	first := ""
	for _, t := range txs {
		if first == "" || t.MonthKey < first {
			first = t.MonthKey
		}
	}
	var window []string
	for i := -6; i <= -1; i++ {
		if k := monthStart(now, i).Format("2006-01"); k >= first {
			window = append(window, k)
		}
	}
	need := max(min(3, len(window)), 2)
	type mm struct {
		amount float64
		count  int
	}
	by := map[string]map[string]*mm{}
	last, cats := map[string]string{}, map[string]map[string]float64{}
	for _, t := range txs {
		if t.Direction != model.DirectionOut || t.Merchant == "" {
			continue
		}
		if t.MonthKey > last[t.Merchant] {
			last[t.Merchant] = t.MonthKey
		}
		if by[t.Merchant] == nil {
			by[t.Merchant], cats[t.Merchant] = map[string]*mm{}, map[string]float64{}
		}
		for _, w := range window {
			if w == t.MonthKey {
				if by[t.Merchant][w] == nil {
					by[t.Merchant][w] = &mm{}
				}
				by[t.Merchant][w].amount -= t.AmountBase / div
				by[t.Merchant][w].count++
				cats[t.Merchant][t.Category] -= t.AmountBase
			}
		}
	}
	for merchant, months := range by {
		if len(months) < need || len(window) < need {
			continue
		}
		var totals []float64
		var sum float64
		count, single := 0, 0
		for _, m := range months {
			totals = append(totals, m.amount)
			sum += m.amount
			count += m.count
			if m.count == 1 {
				single++
			}
		}
		if single*2 <= len(totals) {
			continue
		}
		sort.Float64s(totals)
		med := totals[len(totals)/2]
		if len(totals)%2 == 0 {
			med = (totals[len(totals)/2-1] + med) / 2
		}
		ok := true
		for _, v := range totals {
			ok = ok && math.Abs(v-med) <= 0.1*med
		}
		if !ok {
			continue
		}
		cat, best := "", -1.0
		for c, v := range cats[merchant] {
			if v > best {
				cat, best = c, v
			}
		}
		e.recurring[merchant] = insights.Recurring{Merchant: merchant, Category: cat, Direction: "out",
			Amount: sum / float64(count), Months: len(totals), LastMonth: last[merchant]}
	}
}
