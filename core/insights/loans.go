package insights

import (
	"fmt"
	"math"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
)

// maxScheduleMonths bounds a stored payoff schedule (50 years) so a product
// with a nonsensical term cannot blow up the materialized document.
const maxScheduleMonths = 600

// monthlyRate turns a yearly percentage into the monthly rate r.
func monthlyRate(yearlyPct float64) float64 { return yearlyPct / 12 / 100 }

// annuity is the monthly payment that repays principal p in n equal
// instalments at monthly rate r: M = P·r/(1−(1+r)^−n), or P/n without
// interest. Nothing is owed on a non-positive principal or an empty term.
func annuity(p, r float64, n int) float64 {
	if p <= 0 || n < 1 {
		return 0
	}
	if r == 0 {
		return p / float64(n)
	}
	return p * r / (1 - math.Pow(1+r, -float64(n)))
}

// schedule runs the annuity forward: row i is the principal left after the
// payment at the end of month start+i (i = 1..n), down to 0. It also returns
// the interest paid over the whole term.
func schedule(p, r, m float64, n int, start month) (MonthSeries, float64) {
	rows := MonthSeries{}
	var interest float64
	b := p
	for i := 1; i <= n && b > 0; i++ {
		in := b * r
		interest += in
		b += in - m
		if i == n || b < 0.005 {
			b = 0 // the last instalment clears the rounding left over
		}
		if len(rows) < maxScheduleMonths {
			rows = append(rows, MonthValue{Month: (start + month(i)).String(), Value: fx.Round2(b)})
		}
	}
	return rows, interest
}

// principalBefore runs the annuity backwards k months from today's
// principal p0: P₋ₖ = (P₀ + M·((1+r)^k − 1)/r) / (1+r)^k, or P₀ + M·k
// without interest.
func principalBefore(p0, r, m float64, k int) float64 {
	if k <= 0 {
		return p0
	}
	if r == 0 {
		return p0 + m*float64(k)
	}
	g := math.Pow(1+r, float64(k))
	return (p0 + m*(g-1)/r) / g
}

// plan is a loan with what the net-worth rebuild needs besides its Loan row.
type plan struct {
	Loan
	principal float64 // unrounded, in the loan's currency
	r, m      float64 // monthly rate and unrounded payment
	elapsed   int     // whole months since opening
	opened    month
	hasOpened bool
}

// debtAt is the loan's principal at the end of month at, in its own
// currency: today's principal run backwards, held at its value at the
// opening date for the opening month itself, and nothing before the loan
// existed. A loan without a known term stays at today's principal.
func (p plan) debtAt(at, now month) float64 {
	if p.hasOpened && at < p.opened {
		return 0
	}
	k := int(now - at)
	if p.hasOpened {
		k = min(k, p.elapsed)
	}
	if p.RemainingMonths == 0 {
		return p.principal
	}
	return principalBefore(p.principal, p.r, p.m, k)
}

// buildPlans turns the Loans pipeline's rows into repayment plans, payments
// converted to currency for the totals.
func buildPlans(rows []pipelines.GroupRow[pipelines.LoanKey], now time.Time, currency string, rates fx.Rates) ([]plan, float64, error) {
	plans := make([]plan, 0, len(rows))
	var total float64
	nowM := monthOf(now)
	for _, row := range rows {
		k := row.Key
		p := plan{principal: row.V, r: monthlyRate(k.Rate)}
		p.Loan = Loan{
			ID: idString(k.ID), ProductID: k.ProductID, Bank: k.Bank, Type: k.Type,
			Currency: orUSD(k.Currency), Balance: fx.Round2(row.V), Rate: k.Rate,
			TermMonths: model.ExternalProduct{RepaymentPeriod: k.RepaymentPeriod, AmortizationPeriod: k.AmortizationPeriod}.TermMonths(),
			Schedule:   MonthSeries{},
		}
		if p.ProductID == "" {
			p.ProductID = p.ID
		}
		if k.Opened != nil && !k.Opened.IsZero() {
			o := k.Opened.UTC()
			p.OpeningDate = &o
			p.opened, p.hasOpened = monthOf(o), true
			p.elapsed = monthsElapsed(o, now)
		}
		if p.TermMonths > 0 {
			p.RemainingMonths = max(p.TermMonths-p.elapsed, 1)
			p.m = annuity(p.principal, p.r, p.RemainingMonths)
			var interest float64
			p.Schedule, interest = schedule(p.principal, p.r, p.m, p.RemainingMonths, nowM)
			p.TotalInterest = fx.Round2(interest)
			if n := len(p.Schedule); n > 0 {
				p.PayoffMonth = p.Schedule[n-1].Month
			}
		}
		base, err := rates.Convert(p.m, p.Currency, currency)
		if err != nil {
			return nil, 0, fmt.Errorf("cannot convert the payment of %s %s at %s: %w", p.Type, p.ProductID, p.Bank, err)
		}
		p.MonthlyPayment, p.MonthlyBase = fx.Round2(p.m), fx.Round2(base)
		total += base
		plans = append(plans, p)
	}
	sort.Slice(plans, func(i, j int) bool {
		a, b := plans[i], plans[j]
		if a.Bank != b.Bank {
			return a.Bank < b.Bank
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.ProductID < b.ProductID
	})
	return plans, fx.Round2(total), nil
}

func loansOf(plans []plan) []Loan {
	out := make([]Loan, 0, len(plans))
	for _, p := range plans {
		out = append(out, p.Loan)
	}
	return out
}

func idString(id any) string {
	switch v := id.(type) {
	case bson.ObjectID:
		return v.Hex()
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}
