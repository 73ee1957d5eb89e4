package sync_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"charm.land/log/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
	banksync "github.com/openfinance-tui/openfinance/core/sync"
	"github.com/openfinance-tui/openfinance/mockbank"
	"github.com/openfinance-tui/openfinance/sampledata"
)

// benchWorld is the emulated banks (every style) serving one generated
// customer, a hub to link app users to that customer, and a sync engine.
type benchWorld struct {
	s     *store.Store
	h     *hub.Hub
	eng   *banksync.Engine
	rates fx.Rates
	size  mockbank.Size
}

func newBenchWorld(b *testing.B, size mockbank.Size) *benchWorld {
	b.Helper()
	s := storetest.Open(b)
	box, err := secrets.New(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		b.Fatal(err)
	}
	srv, err := mockbank.Start(context.Background(), "127.0.0.1:0", mockbank.Options{Size: size})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close(context.Background()) })
	logger := log.New(io.Discard)
	a := &app.App{Store: s, Secrets: box, Log: logger}
	w := &benchWorld{s: s, h: hub.New(a, srv.Directory(), hub.Options{}), size: size, rates: fx.Rates{}}
	w.eng = &banksync.Engine{Store: s, Secrets: box, Log: logger, Policy: bankapi.Policy{Attempts: 3, Backoff: time.Millisecond}}
	for _, r := range sampledata.FXRates() {
		w.rates[r.Currency] = r.RateToUSD
	}
	return w
}

// link creates an app user linked at every bank to the generated customer
// (the whole history shared) and returns what a sync of it targets.
func (w *benchWorld) link(b *testing.B, name string) (model.UserRef, []banksync.Target) {
	b.Helper()
	ctx := b.Context()
	u, err := w.h.EnsureUser(ctx, name, "", "bench")
	if err != nil {
		b.Fatal(err)
	}
	from := time.Now().AddDate(0, -w.size.Normalize().Months, -1)
	for _, bk := range w.h.Banks() {
		ls, err := w.h.StartLink(ctx, u, hub.LinkRequest{BankID: bk.ID, HistoryFrom: from})
		if err != nil {
			b.Fatal(err)
		}
		cred := bk.DemoCredentials("")
		cred.User = "customer-00001"
		if ls.AsksOTP && cred.OTP == "" {
			cred.OTP = bk.DemoOTP
		}
		if _, err := w.h.CompleteLink(ctx, ls, cred, true); err != nil {
			b.Fatal(err)
		}
	}
	linked, err := w.h.Linked(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	var ts []banksync.Target
	for _, l := range linked {
		ts = append(ts, banksync.Target{Bank: l.Bank, Consent: l.Consent})
	}
	return u, ts
}

// sync runs the engine over every bank of u and returns the transactions
// fetched.
func (w *benchWorld) sync(b *testing.B, u model.UserRef, ts []banksync.Target) int {
	b.Helper()
	n := 0
	for _, r := range w.eng.Run(b.Context(), u, ts, w.rates, nil) {
		if r.Err != nil {
			b.Fatalf("%s: %v", r.Bank, r.Err)
		}
		n += r.Transactions
	}
	return n
}

// rawInsert inserts u's stored transactions again, with unordered
// InsertMany in the sync's batches (banksync.InsertBatch) into a new
// collection with the same indexes (the _id path index included), and
// returns the time the InsertMany calls took: the engine's floor for those
// documents.
func (w *benchWorld) rawInsert(b *testing.B, u model.UserRef, coll string) (time.Duration, int) {
	return w.rawInsertN(b, u, coll, banksync.InsertBatch)
}

func (w *benchWorld) rawInsertN(b *testing.B, u model.UserRef, coll string, batch int) (time.Duration, int) {
	b.Helper()
	ctx := b.Context()
	docs, err := store.FindAll[bson.Raw](ctx, w.s, model.CollTransactions, store.OwnerFilter("TransactionUser", u))
	if err != nil {
		b.Fatal(err)
	}
	dst := w.s.C(coll)
	specs, err := w.s.C(model.CollTransactions).Indexes().ListSpecifications(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, sp := range specs {
		if sp.Name == "_id_" {
			continue
		}
		o := options.Index().SetName(sp.Name)
		if sp.Unique != nil && *sp.Unique {
			o.SetUnique(true)
		}
		if _, err := dst.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: sp.KeysDocument, Options: o}); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.s.IndexIDPaths(ctx); err != nil {
		b.Fatal(err)
	}
	var spent time.Duration
	for start := 0; start < len(docs); start += batch {
		page := make([]any, 0, batch)
		for _, d := range docs[start:min(start+batch, len(docs))] {
			page = append(page, d)
		}
		t0 := time.Now()
		if _, err := dst.InsertMany(ctx, page, options.InsertMany().SetOrdered(false)); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(t0)
	}
	return spent, len(docs)
}

// BenchmarkSyncVsInsertMany is the ingest budget: the first sync of a user
// with about 10k transactions at the four emulated banks (engine.Run:
// fetch, map, store, buckets) against unordered InsertMany of the same
// documents into the same store. Budget: sync ≥ 0.7 × raw. Each iteration
// has a store and banks of its own, so that the sync and the raw inserts
// both start from an empty collection.
func BenchmarkSyncVsInsertMany(b *testing.B) {
	var syncT, rawT time.Duration
	var synced, raw, i int
	for b.Loop() {
		b.StopTimer()
		w := newBenchWorld(b, mockbank.Size{Customers: 1, AccountsPerCustomer: 2, TxPerAccount: 1250})
		u, ts := w.link(b, "bench")
		b.StartTimer()
		t0 := time.Now()
		synced += w.sync(b, u, ts)
		syncT += time.Since(t0)
		b.StopTimer()
		d, n := w.rawInsert(b, u, "raw_insert")
		rawT += d
		raw += n
		b.StartTimer()
		i++
	}
	syncRate, rawRate := float64(synced)/syncT.Seconds(), float64(raw)/rawT.Seconds()
	b.ReportMetric(float64(synced)/float64(i), "tx/sync")
	b.ReportMetric(syncRate, "sync-tx/s")
	b.ReportMetric(rawRate, "raw-tx/s")
	b.ReportMetric(syncRate/rawRate, "sync/raw")
}

// BenchmarkResyncWith100kStored is the dedup cost: syncing again a user
// whose transactions (about 2k at four banks) are stored, in a store that
// holds 100k transactions of other users. Nothing is new, so the time is
// the fetch plus telling stored from new.
func BenchmarkResyncWith100kStored(b *testing.B) {
	w := newBenchWorld(b, mockbank.Size{Customers: 1, AccountsPerCustomer: 2, TxPerAccount: 250})
	u, ts := w.link(b, "bench")
	w.sync(b, u, ts)
	pad(b, w.s, 100_000)
	b.ResetTimer()
	for b.Loop() {
		if n := w.sync(b, u, ts); n == 0 {
			b.Fatal("nothing fetched")
		}
	}
}

// pad stores n transactions of 100 other users, as the sync maps them.
func pad(b *testing.B, s *store.Store, n int) {
	b.Helper()
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]any, 0, 10_000)
	flush := func() {
		if _, err := s.InsertNew(b.Context(), model.CollTransactions, docs); err != nil {
			b.Fatal(err)
		}
		docs = docs[:0]
	}
	for i := range n {
		u := model.UserRef{UserName: fmt.Sprintf("pad-%03d", i%100), UserId: model.DemoUserID(fmt.Sprintf("pad-%03d", i%100))}
		when := day.Add(time.Duration(i%9000) * time.Hour)
		id := fmt.Sprintf("PAD-%07d", i)
		docs = append(docs, model.Transaction{ID: model.TransactionID(u.UserId, "green-bank", "ACC", id), TransactionId: id,
			TransactionBank: "Green Bank", BankId: "green-bank", TransactionAccountId: "ACC", AccountRef: model.AccountID(u.UserId, "green-bank", "ACC"),
			TransactionUser: u, BookingDate: when, Amount: -12.5, Currency: "USD", AmountBase: -12.5, BaseCurrency: "USD",
			MonthKey: model.MonthKey(when), Direction: model.DirectionOut, Merchant: "Shop", Category: "Shopping",
			Description: "card payment " + id, Status: model.StatusBooked,
			Lineage: &model.Lineage{BankId: "green-bank", ConsentId: "C", SourceId: id, FetchedAt: day}})
		if len(docs) == cap(docs) {
			flush()
		}
	}
	if len(docs) > 0 {
		flush()
	}
}

// BenchmarkDedup100k is what telling stored transactions from new ones
// costs a bank's sync when the store holds 100k transactions (of other
// users): "scan" is how the sync did it before the buckets (the ids and
// statuses of the user's stored transactions at that bank, one query: a
// scan of the whole collection on the embedded engine), "buckets" how it
// does it now (the user's index and the bank's buckets of every month the
// bank sent, by _id).
func BenchmarkDedup100k(b *testing.B) {
	w := newBenchWorld(b, mockbank.Size{Customers: 1, AccountsPerCustomer: 2, TxPerAccount: 250})
	u, ts := w.link(b, "bench")
	w.sync(b, u, ts)
	pad(b, w.s, 100_000)
	ctx := b.Context()
	bank := ts[0].Bank
	type row struct {
		Account, Month string
	}
	months, err := store.FindAll[struct {
		Account string `bson:"TransactionAccountId"`
		Month   string `bson:"MonthKey"`
	}](ctx, w.s, model.CollTransactions, bson.D{{Key: "$and", Value: bson.A{store.OwnerFilter("TransactionUser", u), bson.D{{Key: "BankId", Value: bank.ID}}}}})
	if err != nil {
		b.Fatal(err)
	}
	perAccount := map[string][]string{}
	seen := map[row]bool{}
	for _, m := range months {
		if r := (row{m.Account, m.Month}); !seen[r] {
			seen[r] = true
			perAccount[m.Account] = append(perAccount[m.Account], m.Month)
		}
	}
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			f := bson.D{{Key: "$and", Value: bson.A{store.OwnerFilter("TransactionUser", u), bson.D{{Key: "BankId", Value: bank.ID}}}}}
			rows, err := store.FindAll[bson.Raw](ctx, w.s, model.CollTransactions, f,
				options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "TransactionAccountId", Value: 1}, {Key: "Status", Value: 1}}))
			if err != nil || len(rows) != len(months) {
				b.Fatalf("%d rows, %v", len(rows), err)
			}
		}
	})
	b.Run("buckets", func(b *testing.B) {
		for b.Loop() {
			tr, err := buckets.NewTracker(ctx, w.s, u, bank.ID, bank.Name, nil)
			if err != nil {
				b.Fatal(err)
			}
			for acc, ms := range perAccount {
				if err := tr.Load(ctx, acc, ms); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
