package insights

import (
	"fmt"

	"github.com/openfinance-tui/openfinance/core/fx"
)

// history is balance, debt and net worth at the end of each of the 12
// months ending with now's month, oldest first (the last point is today).
type history struct {
	balance, debt, netWorth MonthSeries
}

// rebuildHistory reconstructs the past from today's figures, since banks
// report only current balances. A month-end balance is today's total
// balance minus every booked transaction dated after that month (pending
// ones have not moved the booked balance yet). A month-end debt is each
// loan's principal run backwards along its annuity (see plan.debtAt).
func rebuildHistory(cells []cell, plans []plan, balanceNow float64, now month, currency string, rates fx.Rates) (history, error) {
	h := history{balance: make(MonthSeries, 12), debt: make(MonthSeries, 12), netWorth: make(MonthSeries, 12)}
	for i := range 12 {
		m := now - 11 + month(i)
		bal := balanceNow
		for _, c := range cells {
			if c.valid && c.isBooked && c.month > m {
				bal -= c.amount
			}
		}
		var debt float64
		for _, p := range plans {
			d, err := rates.Convert(p.debtAt(m, now), p.Currency, currency)
			if err != nil {
				return history{}, fmt.Errorf("cannot convert the debt of %s %s at %s: %w", p.Type, p.ProductID, p.Bank, err)
			}
			debt += d
		}
		b, d := fx.Round2(bal), fx.Round2(debt)
		h.balance[i] = MonthValue{Month: m.String(), Value: b}
		h.debt[i] = MonthValue{Month: m.String(), Value: d}
		h.netWorth[i] = MonthValue{Month: m.String(), Value: fx.Round2(b - d)}
	}
	return h, nil
}
