package store_test

import (
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

// Every collection of openfinance exists from the first open, and an _id
// lookup in each is an index search on the embedded engine, not a scan of
// every stored document's JSON.
func TestIDLookupsAreIndexSearches(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	for _, c := range model.Collections() {
		ok, err := s.IDLookupIndexed(ctx, c)
		if err != nil || !ok {
			t.Errorf("%s: an _id lookup is not an index search (%v)", c, err)
		}
	}
	// And the lookups still find what they should.
	var docs []any
	for i := range 50 {
		docs = append(docs, bson.D{{Key: "_id", Value: model.DeterministicID("t", fmt.Sprint(i))}, {Key: "n", Value: i}})
	}
	if _, err := s.InsertNew(ctx, model.CollInsights, docs); err != nil {
		t.Fatal(err)
	}
	var got struct {
		N int `bson:"n"`
	}
	if err := s.C(model.CollInsights).FindOne(ctx, bson.D{{Key: "_id", Value: model.DeterministicID("t", "37")}}).Decode(&got); err != nil || got.N != 37 {
		t.Fatalf("lookup by _id: %+v, %v", got, err)
	}
}

// BenchmarkFindOneByID10k reads one transaction by _id among 10k: what
// every Load, every bucket read and every ReplaceByID statement costs.
func BenchmarkFindOneByID10k(b *testing.B) {
	s := storetest.Open(b)
	ctx := b.Context()
	u := model.UserRef{UserName: "bench", UserId: model.DemoUserID("bench")}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var docs []any
	for i := range 10000 {
		id := fmt.Sprint(i)
		docs = append(docs, model.Transaction{ID: model.TransactionID(u.UserId, "bank", "0", id), TransactionId: id, TransactionBank: "Bank",
			BankId: "bank", TransactionAccountId: "0", TransactionUser: u, BookingDate: day, Amount: -1, Currency: "USD", AmountBase: -1,
			BaseCurrency: "USD", MonthKey: "2025-01", Direction: model.DirectionOut, Merchant: "Shop", Category: "Shopping",
			Description: "card payment " + id, Status: model.StatusBooked})
	}
	if _, err := s.InsertNew(ctx, model.CollTransactions, docs); err != nil {
		b.Fatal(err)
	}
	want := model.TransactionID(u.UserId, "bank", "0", "7777")
	b.ResetTimer()
	for b.Loop() {
		var t model.Transaction
		if err := s.C(model.CollTransactions).FindOne(ctx, bson.D{{Key: "_id", Value: want}}).Decode(&t); err != nil || t.TransactionId != "7777" {
			b.Fatalf("%+v, %v", t, err)
		}
	}
}
