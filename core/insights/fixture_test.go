package insights_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// world is what a test inserted, kept in plain Go so the expected values
// are computed from it without the pipelines.
type world struct {
	rates    map[string]float64
	accounts []model.ExternalAccount
	products []model.ExternalProduct
	txs      []model.Transaction
}

func userRef(name string) model.UserRef {
	return model.UserRef{UserName: name, UserId: model.DemoUserID(name)}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 30, 0, 0, time.UTC) }

// people builds two users with accounts, loans and transactions in three
// currencies over 16 months that cross a year boundary, with pending and
// booked transactions and planted recurring payments; a third user has
// nothing at all.
func people(seed uint64, now time.Time) *world {
	w := &world{rates: map[string]float64{"USD": 1, "EUR": 1.1, "GBP": 1.3}}
	rng := rand.New(rand.NewPCG(seed, 7))
	for ui, name := range []string{"ana", "ben"} {
		u := userRef(name)
		type acct struct{ bank, id, cur string }
		accts := []acct{{"Green Bank", "G1", "USD"}, {"Rheinbank", "R1", "EUR"}, {"Albion Bank", "A1", "GBP"}}
		if ui == 1 {
			accts = accts[:2]
		}
		for i, a := range accts {
			w.accounts = append(w.accounts, model.ExternalAccount{
				ID: model.AccountID(u.UserId, a.bank, a.id), AccountId: a.id, AccountBank: a.bank,
				AccountType: []string{"Checking", "Savings"}[i%2], AccountBalance: math.Round(rng.Float64()*2e6) / 100,
				AccountCurrency: a.cur, AccountUser: u,
			})
		}
		opened := func(t time.Time) *model.OpeningDate { return &model.OpeningDate{OpeningDate: t} }
		prods := []model.ExternalProduct{
			{ProductId: "L1", ProductBank: "Green Bank", ProductType: model.ProductLoan, ProductAmount: 8000 + float64(ui)*1000,
				ProductInterestRate: 6.5, RepaymentPeriod: 36, ProductDate: opened(date(2023, 6, 15))},
			{ProductId: "L2", ProductBank: "Rheinbank", ProductType: model.ProductLoan, ProductAmount: 4800, ProductCurrency: "EUR",
				ProductInterestRate: 0, RepaymentPeriod: 24, ProductDate: opened(date(2024, 6, 25))},
			{ProductId: "M1", ProductBank: "Albion Bank", ProductType: model.ProductMortgage, ProductAmount: 210000, ProductCurrency: "GBP",
				ProductInterestRate: 4.25, AmortizationPeriod: 25, ProductDate: opened(date(2024, 9, 1))},
			{ProductId: "L3", ProductBank: "Green Bank", ProductType: model.ProductLoan, ProductAmount: 3000, ProductInterestRate: 9,
				RepaymentPeriod: 48}, // no opening date
			{ProductId: "C1", ProductBank: "Green Bank", ProductType: "Credit Card", ProductAmount: 700, ProductInterestRate: 19},
		}
		if ui == 1 {
			prods = prods[:1]
		}
		for _, p := range prods {
			p.ID, p.ProductCustomer = model.ProductID(u.UserId, p.ProductBank, p.ProductId), u
			w.products = append(w.products, p)
		}
		add := func(a acct, when time.Time, amount float64, merchant, category, status string) {
			dir := model.DirectionIn
			if amount < 0 {
				dir = model.DirectionOut
			}
			id := fmt.Sprintf("T%05d", len(w.txs))
			w.txs = append(w.txs, model.Transaction{
				ID: model.TransactionID(u.UserId, a.bank, a.id, id), TransactionId: id, TransactionBank: a.bank,
				BankId: a.bank, TransactionAccountId: a.id, AccountRef: model.AccountID(u.UserId, a.bank, a.id),
				TransactionUser: u, BookingDate: when, Amount: amount, Currency: a.cur,
				AmountBase: amount * w.rates[a.cur], BaseCurrency: "USD", MonthKey: model.MonthKey(when),
				Direction: dir, Merchant: merchant, Category: category, Status: status,
			})
		}
		status := func(when time.Time) string {
			if now.Sub(when) < 6*24*time.Hour || rng.IntN(40) == 0 {
				return model.StatusPending
			}
			return model.StatusBooked
		}
		merchants := []string{"Grocer", "Cafe Uno", "Fuel Stop", "Bookshop", "Cinema", "Market", "Bakery", "Pharmacy", "Hardware", "Florist", "Taxi", "Diner"}
		cats := []string{"Groceries", "Dining", "Transport", "Shopping", "Entertainment"}
		for d := date(2023, 11, 1); d.Before(now); d = d.AddDate(0, 0, 1) {
			for range rng.IntN(2) {
				a := accts[rng.IntN(len(accts))]
				when := d.Add(time.Duration(rng.IntN(600)) * time.Minute)
				add(a, when, -math.Round(rng.Float64()*15000)/100, merchants[rng.IntN(len(merchants))], cats[rng.IntN(len(cats))], status(when))
			}
			switch d.Day() {
			case 1:
				add(accts[0], d, 3200+float64(ui)*400, "Acme Payroll", "Income", status(d))
			case 3:
				add(accts[0], d, -1450, "Landlord", "Housing", status(d))
			case 7:
				add(accts[1], d, -12.99-float64(ui), "Streamly", "Subscriptions", status(d))
				add(accts[0], d.Add(time.Hour), -4.5, "Kiosk", "Dining", status(d))
			case 21:
				add(accts[0], d, -4.5, "Kiosk", "Dining", status(d))
				gym := 45.0
				if d.Month()%2 == 0 {
					gym = 60 // drifts by a third every other month
				}
				add(accts[0], d, -gym, "Gym", "Health", status(d))
			}
		}
		if ui == 1 {
			// ben's records at Landlord keep ana's recurring payment honest:
			// another user's rows must not leak into hers.
			add(accts[0], date(2024, 12, 2), -9999, "Landlord", "Housing", model.StatusBooked)
		}
	}
	return w
}

func (w *world) insert(t testing.TB, s *store.Store) {
	t.Helper()
	ctx := t.Context()
	for c, r := range w.rates {
		if _, err := s.C(model.CollFXRates).InsertOne(ctx, model.FXRate{ID: c, Currency: c, RateToUSD: r}); err != nil {
			t.Fatal(err)
		}
	}
	for _, coll := range []struct {
		name string
		docs []any
	}{
		{model.CollAccounts, toAny(w.accounts)}, {model.CollProducts, toAny(w.products)}, {model.CollTransactions, toAny(w.txs)},
	} {
		if _, err := s.InsertNew(ctx, coll.name, coll.docs); err != nil {
			t.Fatal(err)
		}
	}
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
