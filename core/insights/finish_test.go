package insights

import (
	"math"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/pipelines"
)

func TestAnnuityKnownValues(t *testing.T) {
	cases := []struct {
		p, yearly float64
		n         int
		want      float64
	}{
		{100000, 6, 360, 599.55}, // the textbook 30-year mortgage
		{20000, 4.5, 60, 372.86},
		{12000, 0, 24, 500}, // no interest: P/n
		{5000, 7, 1, 5029.17},
		{0, 5, 12, 0},   // nothing owed
		{1000, 5, 0, 0}, // no term
	}
	for _, c := range cases {
		got := fx.Round2(annuity(c.p, monthlyRate(c.yearly), c.n))
		if got != c.want {
			t.Errorf("annuity(%v, %v%%, %d) = %v, want %v", c.p, c.yearly, c.n, got, c.want)
		}
	}
}

func TestScheduleRunsToZeroAcrossTheYear(t *testing.T) {
	start, _ := parseMonth("2024-11")
	for _, yearly := range []float64{0, 3.9, 12} {
		p, n := 10000.0, 14
		r := monthlyRate(yearly)
		m := annuity(p, r, n)
		rows, interest := schedule(p, r, m, n, start)
		if len(rows) != n {
			t.Fatalf("%v%%: %d rows, want %d", yearly, len(rows), n)
		}
		if rows[0].Month != "2024-12" || rows[1].Month != "2025-01" || rows[n-1].Month != "2026-01" {
			t.Errorf("%v%%: months %s, %s … %s", yearly, rows[0].Month, rows[1].Month, rows[n-1].Month)
		}
		if rows[n-1].Value != 0 {
			t.Errorf("%v%%: ends at %v, want 0", yearly, rows[n-1].Value)
		}
		prev := p
		for _, row := range rows {
			if row.Value >= prev {
				t.Errorf("%v%%: %s does not go down (%v after %v)", yearly, row.Month, row.Value, prev)
			}
			prev = row.Value
		}
		// Every payment is interest plus principal: n·M = P + interest.
		if math.Abs(m*float64(n)-p-interest) > 0.01 {
			t.Errorf("%v%%: payments %v ≠ principal %v + interest %v", yearly, m*float64(n), p, interest)
		}
		if yearly == 0 && interest != 0 {
			t.Errorf("interest %v at 0%%", interest)
		}
	}
}

func TestPrincipalBeforeIsTheScheduleBackwards(t *testing.T) {
	for _, yearly := range []float64{0, 2.5, 9.99} {
		r := monthlyRate(yearly)
		orig, n := 250000.0, 300
		m := annuity(orig, r, n)
		// Walk forward k payments, then ask for the principal k months ago.
		for _, k := range []int{0, 1, 12, 61, 299} {
			b := orig
			for range k {
				b = b*(1+r) - m
			}
			if got := principalBefore(b, r, m, k); math.Abs(got-orig) > 1e-6*orig {
				t.Errorf("%v%%, k=%d: %v, want %v", yearly, k, got, orig)
			}
		}
	}
}

func TestDebtAtStopsAtTheOpening(t *testing.T) {
	now := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
	opened := time.Date(2024, 6, 25, 0, 0, 0, 0, time.UTC)
	rows := []pipelines.GroupRow[pipelines.LoanKey]{
		{Key: pipelines.LoanKey{ProductID: "L", Bank: "B", Type: "Loan", Rate: 6, RepaymentPeriod: 24, Opened: &opened}, V: 8000},
		{Key: pipelines.LoanKey{ProductID: "N", Bank: "B", Type: "Loan", Rate: 6}, V: 500}, // no term, no date
	}
	plans, _, err := buildPlans(rows, now, "USD", fx.Rates{"USD": 1})
	if err != nil {
		t.Fatal(err)
	}
	p := plans[0]
	if p.elapsed != 7 || p.RemainingMonths != 17 {
		t.Fatalf("elapsed %d, remaining %d; want 7 and 17", p.elapsed, p.RemainingMonths)
	}
	nowM := monthOf(now)
	june, _ := parseMonth("2024-06")
	july, _ := parseMonth("2024-07")
	if d := p.debtAt(june-1, nowM); d != 0 {
		t.Errorf("debt before the opening month = %v, want 0", d)
	}
	// June 2024 is 8 months back but only 7 have elapsed since 25 June:
	// the opening month holds the principal at the start.
	start := principalBefore(8000, p.r, p.m, 7)
	if d := p.debtAt(june, nowM); d != start {
		t.Errorf("debt in the opening month = %v, want %v", d, start)
	}
	if d := p.debtAt(july, nowM); d != start {
		t.Errorf("debt in July = %v, want %v", d, start)
	}
	if d := p.debtAt(nowM, nowM); d != 8000 {
		t.Errorf("debt now = %v, want today's principal", d)
	}
	if d := plans[1].debtAt(june-30, nowM); d != 500 || plans[1].MonthlyPayment != 0 || len(plans[1].Schedule) != 0 {
		t.Errorf("a loan without term: debt %v, payment %v, schedule %v", d, plans[1].MonthlyPayment, plans[1].Schedule)
	}
}

func TestMonthArithmetic(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 12, 0, 0, 0, time.UTC) }
	cases := []struct {
		since, now time.Time
		want       int
	}{
		{d(2024, 3, 15), d(2024, 4, 15), 1},
		{d(2024, 3, 15), d(2024, 4, 14), 0},
		{d(2023, 11, 30), d(2025, 2, 28), 14},
		{d(2025, 3, 1), d(2025, 2, 1), 0}, // opens in the future
	}
	for _, c := range cases {
		if got := monthsElapsed(c.since, c.now); got != c.want {
			t.Errorf("monthsElapsed(%s, %s) = %d, want %d", c.since.Format(time.DateOnly), c.now.Format(time.DateOnly), got, c.want)
		}
	}
	m, ok := parseMonth("2024-12")
	if !ok || (m+1).String() != "2025-01" || (m-12).String() != "2023-12" {
		t.Errorf("month arithmetic across the year: %v %v %v", ok, m+1, m-12)
	}
	for _, bad := range []string{"", "2024-13", "2024-1", "24-01", "2024-01-02", "abcd-ef"} {
		if _, ok := parseMonth(bad); ok {
			t.Errorf("parseMonth(%q) accepted", bad)
		}
	}
}
