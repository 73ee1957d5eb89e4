package insights_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

var benchNow = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

// benchStore holds one user with n transactions over two years (200
// merchants, 10 categories, 3 accounts in 3 currencies) and a few loans.
func benchStore(b *testing.B, n int) (*store.Store, model.UserRef) {
	b.Helper()
	s := storetest.Open(b)
	w := people(9, benchNow) // two other users, so the owner filter has work
	u := userRef("bench")
	rng := rand.New(rand.NewPCG(42, 42))
	for i, cur := range []string{"USD", "EUR", "GBP"} {
		w.accounts = append(w.accounts, model.ExternalAccount{ID: model.AccountID(u.UserId, "bank", fmt.Sprint(i)),
			AccountId: fmt.Sprint(i), AccountBank: "bank", AccountBalance: 5000, AccountCurrency: cur, AccountUser: u})
	}
	for i := range 4 {
		w.products = append(w.products, model.ExternalProduct{ID: model.ProductID(u.UserId, "bank", fmt.Sprint(i)),
			ProductId: fmt.Sprint(i), ProductBank: "bank", ProductType: model.ProductLoan, ProductAmount: 10000, ProductInterestRate: 5,
			RepaymentPeriod: 60, ProductDate: &model.OpeningDate{OpeningDate: benchNow.AddDate(-1, -i, 0)}, ProductCustomer: u})
	}
	for i := range n {
		when := benchNow.Add(-time.Duration(rng.IntN(730*24)) * time.Hour)
		amt := -math.Round(rng.Float64()*20000) / 100
		dir := model.DirectionOut
		if i%10 == 0 {
			amt, dir = -amt*10, model.DirectionIn
		}
		id := fmt.Sprint(i)
		w.txs = append(w.txs, model.Transaction{ID: model.TransactionID(u.UserId, "bank", "0", id), TransactionId: id,
			TransactionBank: "bank", BankId: "bank", TransactionAccountId: "0", TransactionUser: u, BookingDate: when,
			Amount: amt, Currency: "USD", AmountBase: amt, BaseCurrency: "USD", MonthKey: model.MonthKey(when), Direction: dir,
			Merchant: fmt.Sprintf("Merchant %03d", rng.IntN(200)), Category: fmt.Sprintf("Category %d", rng.IntN(10)),
			Description: "card payment " + id, Status: model.StatusBooked})
	}
	w.insert(b, s)
	return s, u
}

// BenchmarkScan10k is the yardstick: one plain read of the user's 10k
// transactions (Find, decoded), the cost of any full scan.
func BenchmarkScan10k(b *testing.B) {
	s, u := benchStore(b, 10000)
	ctx := b.Context()
	b.ResetTimer()
	for b.Loop() {
		txs, err := store.FindAll[model.Transaction](ctx, s, model.CollTransactions, store.OwnerFilter("TransactionUser", u))
		if err != nil || len(txs) != 10000 {
			b.Fatalf("%d transactions, %v", len(txs), err)
		}
	}
}

// BenchmarkRecompute10k runs every insight pipeline for a user with 10k
// transactions and stores the document. Budget: ≤ 1 s and ≤ 3 scans. Its
// data is the worst case for the cube: each transaction draws its merchant
// and its category at random (about 9k cells); see BenchmarkRecomputeGen10k
// for a customer of the emulated banks.
func BenchmarkRecompute10k(b *testing.B) {
	s, u := benchStore(b, 10000)
	ctx := b.Context()
	// Once, untimed: the first read of a store whose transactions were
	// inserted directly builds their buckets.
	if _, err := insights.Recompute(ctx, s, u, insights.Options{Now: benchNow}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		ins, err := insights.Recompute(ctx, s, u, insights.Options{Now: benchNow})
		if err != nil || ins.Transactions != 10000 {
			b.Fatalf("%d transactions, %v", ins.Transactions, err)
		}
	}
}

// BenchmarkLoad reads the materialized document. Budget: ≤ 20 ms.
func BenchmarkLoad(b *testing.B) {
	s, u := benchStore(b, 10000)
	ctx := b.Context()
	if _, err := insights.Recompute(ctx, s, u, insights.Options{Now: benchNow}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := insights.Load(ctx, s, u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecomputeGen10k recomputes the insights of a customer of the
// emulated banks with about 10k transactions (two banks, two accounts
// each, 13 months), stored as the sync maps them.
func BenchmarkRecomputeGen10k(b *testing.B) {
	s := storetest.Open(b)
	ctx := b.Context()
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	login := gen.GeneratedLogin(1)
	w, _ := fromGeneratorSized(b, now, map[string][]string{login: {"green-bank", "albion-bank"}, "alice": {"green-bank"}},
		gen.Size{Customers: 1, AccountsPerCustomer: 2, TxPerAccount: 2500})
	w.insert(b, s)
	u := userRef(login)
	first, err := insights.Recompute(ctx, s, u, insights.Options{Now: now})
	if err != nil || first.Transactions < 9000 {
		b.Fatalf("%d transactions, %v", first.Transactions, err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := insights.Recompute(ctx, s, u, insights.Options{Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}
