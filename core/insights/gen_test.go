package insights_test

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// fromGenerator maps what the emulated banks' generator serves into the
// unified documents, as the sync stores them.
func fromGenerator(t testing.TB, now time.Time, logins map[string][]string) (*world, map[string]gen.Product) {
	return fromGeneratorSized(t, now, logins, gen.Size{})
}

// fromGeneratorSized is fromGenerator with the generator's size knobs
// (which apply to the customer-NNNNN logins).
func fromGeneratorSized(t testing.TB, now time.Time, logins map[string][]string, size gen.Size) (*world, map[string]gen.Product) {
	t.Helper()
	w := &world{rates: map[string]float64{"USD": 1, "EUR": 1.1, "GBP": 1.3}}
	generated := map[string]gen.Product{}
	names := map[string]string{"green-bank": "Green Bank", "mongodb-bank": "MongoDB Bank", "albion-bank": "Albion Bank", "rhein-bank": "Rheinbank"}
	for login, banks := range logins {
		u := userRef(login)
		for _, bank := range banks {
			c, err := gen.NewCustomer(0, bank, login, now, size)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range c.Accounts {
				w.accounts = append(w.accounts, model.ExternalAccount{ID: model.AccountID(u.UserId, bank, a.ID), AccountId: a.ID,
					AccountBank: names[bank], AccountType: a.Type, AccountBalance: a.Balance, AccountCurrency: a.Currency, AccountUser: u})
				for _, tx := range c.Transactions(a.ID) {
					dir := model.DirectionOut
					if tx.Amount > 0 {
						dir = model.DirectionIn
					}
					w.txs = append(w.txs, model.Transaction{ID: model.TransactionID(u.UserId, bank, a.ID, tx.ID), TransactionId: tx.ID,
						TransactionBank: names[bank], BankId: bank, TransactionAccountId: a.ID, TransactionUser: u, BookingDate: tx.Booking,
						Amount: tx.Amount, Currency: tx.Currency, AmountBase: tx.Amount * w.rates[tx.Currency], BaseCurrency: "USD",
						MonthKey: model.MonthKey(tx.Booking), Direction: dir, Merchant: tx.Merchant, Category: tx.Category, Status: tx.Status})
				}
			}
			for _, p := range c.Products {
				doc := model.ExternalProduct{ID: model.ProductID(u.UserId, bank, p.ID), ProductId: p.ID, ProductBank: names[bank],
					ProductType: p.Type, ProductAmount: p.Amount, ProductCurrency: p.Currency, ProductInterestRate: p.Rate,
					ProductDate: &model.OpeningDate{OpeningDate: p.OpeningDate}, ProductCustomer: u}
				if p.Type == gen.Mortgage {
					doc.AmortizationPeriod = float64(p.TermYears())
				} else {
					doc.RepaymentPeriod = float64(p.TermMonths)
				}
				w.products = append(w.products, doc)
				if c.Generated() || login == gen.SandboxLogin {
					generated[login+"/"+p.ID] = p
				}
			}
		}
	}
	return w, generated
}

// The generator's data through the store and Recompute, checked against
// values computed from the generator's output; the generator's own annuity
// (the payment on the original amount) must equal the payment recomputed
// from today's outstanding principal and the remaining term.
func TestRecomputeOnGeneratedBanks(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	w, generated := fromGenerator(t, now, map[string][]string{
		gen.SandboxLogin: {"green-bank", "mongodb-bank", "albion-bank", "rhein-bank"},
		"alice":          {"green-bank", "rhein-bank"},
	})
	w.insert(t, s)
	compared := 0
	for _, user := range []string{gen.SandboxLogin, "alice"} {
		got, err := insights.Recompute(ctx, s, userRef(user), insights.Options{Currency: "GBP", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		e := expected(w, user, "GBP", now)
		at := user + " "
		if got.Transactions != e.count || got.Transactions == 0 {
			t.Errorf("%s%d transactions, want %d", at, got.Transactions, e.count)
		}
		near(t, at+"total balance", got.Position.TotalBalance, e.balance)
		near(t, at+"total debt", got.Position.TotalDebt, e.debt)
		checkCash(t, at, got, e)
		checkLoans(t, at, got, e)
		checkRecurring(t, at, got, e)
		// The cube from the buckets equals the cube from the transactions.
		for name, other := range map[string]func(context.Context, *store.Store, model.UserRef, insights.Options) (insights.Insights, error){
			"folded": insights.ComputeFolded,
		} {
			o, err := other(ctx, s, userRef(user), insights.Options{Currency: "GBP", Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if o.ComputedAt = got.ComputedAt; !reflect.DeepEqual(o, got) {
				t.Errorf("%sthe insights from the buckets and from the transactions (%s) differ", at, name)
			}
		}
		for _, l := range got.Loans {
			p, ok := generated[user+"/"+l.ProductID]
			if !ok || p.TermMonths <= gen.MonthsBetween(p.OpeningDate, now) {
				continue
			}
			compared++
			if math.Abs(l.MonthlyPayment-p.MonthlyPayment()) > 0.02 {
				t.Errorf("%s%s: monthly payment %v, the bank's annuity is %v", at, l.ProductID, l.MonthlyPayment, p.MonthlyPayment())
			}
		}
		t.Logf("%s: %d transactions, %d loans, recurring %v", user, got.Transactions, len(got.Loans), got.Recurring)
	}
	if compared < 4 {
		t.Errorf("only %d generated loans were compared with the bank's annuity", compared)
	}
}
