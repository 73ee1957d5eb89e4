package insights

import (
	"testing"

	"github.com/openfinance-tui/openfinance/core/pipelines"
)

// pay is one merchant-month of the cube: count payments totalling amount.
type pay struct {
	month, merchant string
	amount          float64 // positive = money out
	count           int
}

func cubeOf(ps ...pay) []cell {
	var amounts, counts []pipelines.GroupRow[pipelines.TxKey]
	for _, p := range ps {
		k := pipelines.TxKey{Month: p.month, Merchant: p.merchant, Category: "Bills", Direction: "out", Status: "Booked"}
		if p.amount < 0 {
			k.Direction = "in"
		}
		amounts = append(amounts, pipelines.GroupRow[pipelines.TxKey]{Key: k, V: -p.amount})
		counts = append(counts, pipelines.GroupRow[pipelines.TxKey]{Key: k, V: float64(p.count)})
	}
	return newCube(amounts, counts, 1)
}

// monthly pays amount[i] once in each month from first on.
func monthly(merchant, first string, amounts ...float64) []pay {
	m, _ := parseMonth(first)
	out := make([]pay, len(amounts))
	for i, a := range amounts {
		out[i] = pay{(m + month(i)).String(), merchant, a, 1}
	}
	return out
}

func names(rs []Recurring) map[string]Recurring {
	out := map[string]Recurring{}
	for _, r := range rs {
		out[r.Merchant] = r
	}
	return out
}

func TestRecurringDetection(t *testing.T) {
	now, _ := parseMonth("2025-02") // complete months: 2024-08 … 2025-01
	var ps []pay
	ps = append(ps, monthly("Netflix", "2024-03", 15.99, 15.99, 15.99, 15.99, 15.99, 15.99, 15.99, 15.99, 15.99, 15.99, 15.99, 17.99)...)
	ps = append(ps, monthly("Power", "2024-08", 80, 88, 72.5, 85, 79, 81)...)    // within ±10% of the median 80.5
	ps = append(ps, monthly("Gym", "2024-08", 40, 40, 40, 40, 40, 50)...)        // the last month drifts by 25%
	ps = append(ps, monthly("Phone", "2024-11", 30, 30, 30)...)                  // 3 of 6: enough
	ps = append(ps, monthly("Magazine", "2024-12", 9, 9)...)                     // 2 of 6: not enough
	ps = append(ps, monthly("Salary", "2024-08", -3000, -3000, -3000, -3000)...) // money in
	ps = append(ps, monthly("Old", "2023-01", 20, 20, 20, 20, 20, 20)...)        // outside the window
	for _, m := range []string{"2024-10", "2024-11", "2024-12", "2025-01"} {
		ps = append(ps, pay{m, "Coffee", 9, 2}) // two payments every month
	}
	ps = append(ps, pay{"2024-09", "Insurance", 50, 1}, pay{"2024-10", "Insurance", 50, 2}, pay{"2024-11", "Insurance", 50, 1})
	got := names(detectRecurring(cubeOf(ps...), now))
	for _, want := range []string{"Netflix", "Power", "Phone", "Insurance"} {
		if _, ok := got[want]; !ok {
			t.Errorf("%s was not detected", want)
		}
	}
	for _, not := range []string{"Gym", "Magazine", "Salary", "Old", "Coffee"} {
		if _, ok := got[not]; ok {
			t.Errorf("%s was detected as recurring", not)
		}
	}
	n := got["Netflix"]
	// The current month (17.99, incomplete) is outside the window but is
	// the last month seen.
	if n.Amount != 15.99 || n.Months != 6 || n.LastMonth != "2025-02" || n.Direction != "out" || n.Category != "Bills" {
		t.Errorf("Netflix = %+v", n)
	}
	if p := got["Power"]; p.Amount != 80.92 || p.Months != 6 {
		t.Errorf("Power = %+v, want average 80.92 over 6 months", p)
	}
	// Insurance paid twice in one month of three: still typically monthly,
	// and the average is per payment.
	if in := got["Insurance"]; in.Amount != 37.5 || in.Months != 3 {
		t.Errorf("Insurance = %+v", in)
	}
}

func TestRecurringWithShortHistory(t *testing.T) {
	now, _ := parseMonth("2025-01")
	// Only two complete months of history: present in both is enough.
	two := append(monthly("Rent", "2024-11", 1200, 1200), monthly("Spotify", "2024-12", 10)...)
	got := names(detectRecurring(cubeOf(two...), now))
	if _, ok := got["Rent"]; !ok || len(got) != 1 {
		t.Errorf("two months of history: %v, want Rent only", got)
	}
	// One complete month is never enough.
	if got := detectRecurring(cubeOf(monthly("Rent", "2024-12", 1200, 1200)...), now); len(got) != 0 {
		t.Errorf("one complete month: %v", got)
	}
	if got := detectRecurring(nil, now); got == nil || len(got) != 0 {
		t.Errorf("no transactions: %#v, want an empty list", got)
	}
}
