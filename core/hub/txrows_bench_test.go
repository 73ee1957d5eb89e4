package hub_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// BenchmarkTransactionList is what listing a user's 10k transactions
// costs in a store of 100k (90k of 90 other users): "rows" reads them from
// the buckets (TransactionRows, what the TUI and the CLI list), "scan"
// with a Find over the transactions (Transactions, a full scan on the
// embedded engine), "docs-100" opens 100 of them by _id (TransactionDocs).
func BenchmarkTransactionList(b *testing.B) {
	s := storetest.Open(b)
	var bs []banks.Bank
	for _, i := range mockbank.Catalog() {
		bs = append(bs, i.DirectoryEntry("http://127.0.0.1:1/"+i.ID))
	}
	dir, err := banks.NewDirectory(bs)
	if err != nil {
		b.Fatal(err)
	}
	h := hub.New(&app.App{Store: s}, dir, hub.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // 100k stored: a scan takes seconds
	defer cancel()
	u := model.UserRef{UserName: "heavy", UserId: model.DemoUserID("heavy")}
	padTransactions(ctx, b, s, u, 10_000)
	padTransactions(ctx, b, s, model.UserRef{}, 90_000)
	if err := buckets.Rebuild(ctx, s, []model.UserRef{u}); err != nil {
		b.Fatal(err)
	}
	rows, err := h.TransactionRows(ctx, u)
	if err != nil || len(rows) != 10_000 {
		b.Fatalf("%d rows (%v)", len(rows), err)
	}
	b.Run("rows", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := h.TransactionRows(ctx, u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := h.Transactions(ctx, u, hub.TxFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("docs-100", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if docs, err := h.TransactionDocs(ctx, u, rows[:100]); err != nil || len(docs) != 100 {
				b.Fatalf("%d documents (%v)", len(docs), err)
			}
		}
	})
}

// padTransactions stores n transactions of the user u (if not zero) over
// 4 banks × 2 accounts × 12 months, or of 90 other users, as the sync maps
// them.
func padTransactions(ctx context.Context, b *testing.B, s *store.Store, u model.UserRef, n int) {
	b.Helper()
	day := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	banks := []struct{ id, name string }{{"green-bank", "Green Bank"}, {"mongodb-bank", "MongoDB Bank"}, {"albion-bank", "Albion Bank"}, {"rhein-bank", "Rheinbank"}}
	docs := make([]any, 0, 5000)
	flush := func() {
		if _, err := s.InsertNew(ctx, model.CollTransactions, docs); err != nil {
			b.Fatal(err)
		}
		docs = docs[:0]
	}
	for i := range n {
		owner := u
		if owner.UserName == "" {
			name := fmt.Sprintf("pad-%02d", i%90)
			owner = model.UserRef{UserName: name, UserId: model.DemoUserID(name)}
		}
		bk := banks[i%4]
		acc := fmt.Sprintf("ACC-%d", i/4%2)
		when := day.Add(time.Duration(i%8760) * time.Hour)
		id := fmt.Sprintf("TX-%07d", i)
		amt := -float64(i%9000)/100 - 1
		docs = append(docs, model.Transaction{ID: model.TransactionID(owner.UserId, bk.id, acc, id), TransactionId: id,
			TransactionBank: bk.name, BankId: bk.id, TransactionAccountId: acc, AccountRef: model.AccountID(owner.UserId, bk.id, acc),
			TransactionUser: owner, BookingDate: when, Amount: amt, Currency: "USD", AmountBase: amt, BaseCurrency: "USD",
			MonthKey: model.MonthKey(when), Direction: model.DirectionOut, Merchant: []string{"Shop", "Café Rouge", "Uber"}[i%3],
			Category: []string{"Shopping", "Dining", "Transport"}[i%3], Description: "card payment " + id, Status: model.StatusBooked,
			Lineage: &model.Lineage{BankId: bk.id, ConsentId: "C", SourceId: id, FetchedAt: day}})
		if len(docs) == cap(docs) {
			flush()
		}
	}
	if len(docs) > 0 {
		flush()
	}
}
