package insights_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

// Every insight of Recompute, run on the embedded server, against values
// computed here from the inserted documents.
func TestRecomputeMatchesIndependentValues(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	now := time.Date(2025, 2, 20, 15, 0, 0, 0, time.UTC)
	w := people(3, now)
	w.insert(t, s)
	for _, user := range []string{"ana", "ben"} {
		for _, cur := range []string{"USD", "EUR"} {
			got, err := insights.Recompute(ctx, s, userRef(user), insights.Options{Currency: cur, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			e := expected(w, user, cur, now)
			at := user + " " + cur + " "
			if got.User != user || got.Currency != cur || got.Transactions != e.count || !reflect.DeepEqual(got.Months, e.months) {
				t.Errorf("%sheader: %s %s, %d transactions in %v; want %d in %v", at, got.User, got.Currency, got.Transactions, got.Months, e.count, e.months)
			}
			near(t, at+"total balance", got.Position.TotalBalance, e.balance)
			near(t, at+"total debt", got.Position.TotalDebt, e.debt)
			near(t, at+"net worth", got.Position.NetWorth, round2(e.balance)-round2(e.debt))
			near(t, at+"average rate", got.Position.AvgRate, e.weighted/e.debt)
			checkCash(t, at, got, e)
			checkLoans(t, at, got, e)
			checkRecurring(t, at, got, e)
			if cur != "USD" {
				continue
			}
			// Both ways of getting the cube give the same insights.
			for _, other := range []func(context.Context, *store.Store, model.UserRef, insights.Options) (insights.Insights, error){
				insights.ComputeGrouped, insights.ComputeFolded,
			} {
				o, err := other(ctx, s, userRef(user), insights.Options{Currency: cur, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(o, got) {
					t.Errorf("%sthe $group cube and the folded rows disagree", at)
				}
			}
		}
	}
	// ana has mixed currencies and a mortgage opened inside the window.
	if e := expected(w, "ana", "USD", now); len(e.recurring) < 2 || e.debtAt[0] >= e.debtAt[11] {
		t.Fatalf("the fixture lost what it exercises: recurring %v, debt %v", e.recurring, e.debtAt)
	}
}

func checkCash(t *testing.T, at string, got insights.Insights, e want) {
	t.Helper()
	if len(got.CashFlow) != 12 || len(got.NetWorth) != 12 || len(got.BalanceHistory) != 12 || len(got.DebtHistory) != 12 {
		t.Fatalf("%s%d cash-flow and %d net-worth months, want 12", at, len(got.CashFlow), len(got.NetWorth))
	}
	for i, f := range got.CashFlow {
		w := e.cash[i]
		if f.Month != w.Month || got.NetWorth[i].Month != w.Month {
			t.Errorf("%smonth %d is %s/%s, want %s", at, i, f.Month, got.NetWorth[i].Month, w.Month)
		}
		near(t, at+f.Month+" income", f.Income, w.Income)
		near(t, at+f.Month+" spending", f.Spending, w.Spending)
		near(t, at+f.Month+" net", f.Net, round2(w.Income)-round2(w.Spending))
		near(t, at+f.Month+" balance", got.BalanceHistory[i].Value, e.balanceAt[i])
		near(t, at+f.Month+" debt", got.DebtHistory[i].Value, e.debtAt[i])
		// The parts are rounded to cents first so that the figures shown add up.
		near(t, at+f.Month+" net worth", got.NetWorth[i].Value, round2(e.balanceAt[i])-round2(e.debtAt[i]))
	}
	if len(got.Spending) != len(e.spending) {
		t.Errorf("%s%d spending rows, want %d", at, len(got.Spending), len(e.spending))
	}
	for _, r := range got.Spending {
		near(t, at+r.Month+" "+r.Category, r.Amount, e.spending[[2]string{r.Month, r.Category}])
	}
	last := got.CashFlow[11]
	var sum float64
	rows := got.SpendingIn(last.Month)
	for i, r := range rows {
		if r.Month != last.Month || (i > 0 && r.Amount > rows[i-1].Amount) {
			t.Errorf("%sSpendingIn(%s) row %d: %+v", at, last.Month, i, r)
		}
		sum += r.Amount
	}
	// Each row is rounded on its own: allow half a cent per row.
	if math.Abs(sum-last.Spending) > 0.005*float64(len(rows))+0.001 || len(rows) == 0 {
		t.Errorf("%s%d categories sum to %.2f, the month's spending is %.2f", at, len(rows), sum, last.Spending)
	}
	if len(got.TopMerchants) != len(e.merchants) {
		t.Fatalf("%s%d top merchants, want %d", at, len(got.TopMerchants), len(e.merchants))
	}
	for i, m := range got.TopMerchants {
		w := e.merchants[i]
		if m.Merchant != w.Merchant || m.Count != w.Count {
			t.Errorf("%smerchant %d: %s ×%d, want %s ×%d", at, i, m.Merchant, m.Count, w.Merchant, w.Count)
		}
		near(t, at+m.Merchant, m.Amount, w.Amount)
	}
}

func checkLoans(t *testing.T, at string, got insights.Insights, e want) {
	t.Helper()
	if len(got.Loans) != len(e.loans) {
		t.Fatalf("%s%d loans, want %d", at, len(got.Loans), len(e.loans))
	}
	for _, l := range got.Loans {
		w, ok := e.loans[l.ProductID]
		if !ok {
			t.Errorf("%sunexpected loan %s", at, l.ProductID)
			continue
		}
		near(t, at+l.ProductID+" payment", l.MonthlyPayment, w.payment)
		near(t, at+l.ProductID+" payment in base", l.MonthlyBase, w.base)
		near(t, at+l.ProductID+" interest", l.TotalInterest, w.interest)
		if l.RemainingMonths != w.remaining || l.PayoffMonth != w.payoff || len(l.Schedule) != len(w.schedule) {
			t.Errorf("%s%s: %d months to %s with %d rows, want %d to %s", at, l.ProductID, l.RemainingMonths, l.PayoffMonth, len(l.Schedule), w.remaining, w.payoff)
			continue
		}
		for i, row := range l.Schedule {
			near(t, at+l.ProductID+" "+row.Month, row.Value, w.schedule[i])
		}
	}
	near(t, at+"total monthly repayment", got.MonthlyDebt, e.monthly)
}

func checkRecurring(t *testing.T, at string, got insights.Insights, e want) {
	t.Helper()
	if len(got.Recurring) != len(e.recurring) {
		t.Errorf("%srecurring %v, want %v", at, got.Recurring, e.recurring)
	}
	for _, r := range got.Recurring {
		w, ok := e.recurring[r.Merchant]
		if !ok || r.Category != w.Category || r.Months != w.Months || r.LastMonth != w.LastMonth || r.Direction != "out" {
			t.Errorf("%srecurring %+v, want %+v", at, r, w)
			continue
		}
		near(t, at+r.Merchant+" average", r.Amount, w.Amount)
	}
}

// A user with nothing stored gets zeros and empty lists, never nulls.
func TestRecomputeForAnEmptyUser(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	now := time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC)
	people(1, now).insert(t, s) // other people's data is there
	for _, load := range []bool{false, true} {
		got, err := insights.Recompute(ctx, s, userRef("cleo"), insights.Options{Now: now})
		if err == nil && load {
			got, err = insights.Load(ctx, s, userRef("cleo"))
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		if strings.Contains(string(b), "null") {
			t.Errorf("JSON has a null: %s", b)
		}
		if got.Transactions != 0 || got.Position.TotalBalance != 0 || got.MonthlyDebt != 0 || len(got.Loans)+len(got.Recurring)+len(got.Spending) != 0 {
			t.Errorf("cleo has data: %s", b)
		}
		if len(got.CashFlow) != 12 || got.CashFlow[0].Month != "2024-02" || got.CashFlow[11].Month != "2025-01" || got.NetWorth[11].Value != 0 {
			t.Errorf("cleo's 12 months: %v / %v", got.CashFlow, got.NetWorth)
		}
	}
}

// Recompute then Load returns the same document; recomputing replaces it.
func TestMaterializedDocumentRoundTrips(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	now := time.Date(2025, 2, 20, 15, 0, 0, 123456789, time.UTC)
	people(5, now).insert(t, s)
	u := userRef("ana")
	if _, err := insights.Load(ctx, s, u); !errors.Is(err, insights.ErrNotComputed) {
		t.Fatalf("Load before any Recompute: %v, want ErrNotComputed", err)
	}
	first, err := insights.Recompute(ctx, s, u, insights.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	second, err := insights.Recompute(ctx, s, u, insights.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Error("recomputing the same data gave another result")
	}
	loaded, err := insights.Load(ctx, s, u)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, loaded) {
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(loaded)
		t.Errorf("Load differs from Recompute:\n%s\n%s", a, b)
	}
	if _, err := insights.Recompute(ctx, s, userRef("ben"), insights.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		filter bson.D
		want   int64
	}{{bson.D{{Key: "_id", Value: u.UserId}}, 1}, {bson.D{}, 2}} {
		n, err := s.C(model.CollInsights).CountDocuments(ctx, c.filter)
		if err != nil || n != c.want {
			t.Errorf("%v documents matching %v (%v), want %d", n, c.filter, err, c.want)
		}
	}
	if _, err := insights.Recompute(ctx, s, u, insights.Options{Currency: "XYZ", Now: now}); err == nil {
		t.Error("an unknown currency gave no error")
	}
	// A rate given in Options fills the gap; stored rates are not overridden.
	xyz, err := insights.Compute(ctx, s, u, insights.Options{Currency: "xyz", Now: now, Rates: map[string]float64{"XYZ": 2, "EUR": 99}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "balance in XYZ", xyz.Position.TotalBalance, first.Position.TotalBalance/2)
	near(t, "spending in XYZ", xyz.CashFlow[11].Spending, first.CashFlow[11].Spending/2)
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
