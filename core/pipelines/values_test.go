package pipelines_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

// The transaction cube and the per-loan rows on the embedded server, held
// to sums computed here over the inserted documents, for several users
// (rows of one must never reach another) and with optional fields missing.
func TestTransactionCubeAndLoanValues(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	rng := rand.New(rand.NewPCG(11, 12))
	users := []string{"ann", "bo", "cy"}
	type cellWant struct {
		sum   float64
		count int
	}
	cube := map[string]map[pipelines.TxKey]*cellWant{}
	var txs []any
	for _, name := range users {
		u := model.UserRef{UserName: name, UserId: model.DemoUserID(name)}
		cube[name] = map[pipelines.TxKey]*cellWant{}
		for i := range 300 {
			when := time.Date(2024, time.Month(9+rng.IntN(7)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC) // Sep 2024 … Mar 2025
			amt := math.Round((rng.Float64()*400-300)*100) / 100
			k := pipelines.TxKey{Month: model.MonthKey(when), Category: []string{"Food", "Rent", "Pay"}[rng.IntN(3)],
				Direction: "in", Merchant: []string{"", "Shop", "Cafe"}[rng.IntN(3)], Status: []string{"Booked", "Pending"}[rng.IntN(2)]}
			if amt < 0 {
				k.Direction = "out"
			}
			doc := bson.D{
				{Key: "_id", Value: model.TransactionID(u.UserId, "b", "a", fmt.Sprint(i))},
				{Key: "TransactionUser", Value: u}, {Key: "BankId", Value: "b"}, {Key: "TransactionAccountId", Value: "a"},
				{Key: "TransactionId", Value: fmt.Sprint(i)}, {Key: "BookingDate", Value: when}, {Key: "AmountBase", Value: amt},
				{Key: "MonthKey", Value: k.Month}, {Key: "Direction", Value: k.Direction}, {Key: "Category", Value: k.Category},
				{Key: "Status", Value: k.Status},
			}
			if k.Merchant != "" { // absent, as the sync writes it (omitempty)
				doc = append(doc, bson.E{Key: "Merchant", Value: k.Merchant})
			}
			txs = append(txs, doc)
			c := cube[name][k]
			if c == nil {
				c = &cellWant{}
				cube[name][k] = c
			}
			c.sum += amt
			c.count++
		}
	}
	if _, err := s.InsertNew(ctx, model.CollTransactions, txs); err != nil {
		t.Fatal(err)
	}
	for _, name := range users {
		owner := store.OwnerFilter("TransactionUser", model.UserRef{UserName: name, UserId: model.DemoUserID(name)})
		// The $group cube and the projected rows folded here must agree.
		sums, err := store.Aggregate[pipelines.GroupRow[pipelines.TxKey]](ctx, s, model.CollTransactions, pipelines.TxAmounts(owner))
		if err != nil {
			t.Fatal(err)
		}
		counts, err := store.Aggregate[pipelines.GroupRow[pipelines.TxKey]](ctx, s, model.CollTransactions, pipelines.TxCounts(owner))
		if err != nil {
			t.Fatal(err)
		}
		cur, err := s.C(model.CollTransactions).Aggregate(ctx, pipelines.TxRows(owner))
		if err != nil {
			t.Fatal(err)
		}
		var folded pipelines.CubeBuilder
		for cur.Next(ctx) {
			var r pipelines.TxRow
			if err := cur.Decode(&r); err != nil {
				t.Fatal(err)
			}
			folded.Add(r)
		}
		if err := cur.Err(); err != nil {
			t.Fatal(err)
		}
		fsums, fcounts := folded.Rows()
		if len(fsums) != len(cube[name]) {
			t.Errorf("%s: the folded rows have %d cells, want %d", name, len(fsums), len(cube[name]))
		}
		sums, counts = append(sums, fsums...), append(counts, fcounts...)
		if len(sums) != 2*len(cube[name]) || len(counts) != 2*len(cube[name]) {
			t.Fatalf("%s: %d sums and %d counts, want 2×%d cells", name, len(sums), len(counts), len(cube[name]))
		}
		for _, r := range sums {
			if w, ok := cube[name][r.Key]; !ok || math.Abs(w.sum-r.V) > 1e-6 {
				t.Errorf("%s %+v: sum %v, want %+v", name, r.Key, r.V, w)
			}
		}
		for _, r := range counts {
			if w, ok := cube[name][r.Key]; !ok || int(r.V) != w.count {
				t.Errorf("%s %+v: count %v, want %+v", name, r.Key, r.V, w)
			}
		}
	}
	testLoanRows(t, s)
}

func testLoanRows(t *testing.T, s *store.Store) {
	ctx := storetest.Ctx(t)
	opened := time.Date(2023, 4, 15, 0, 0, 0, 0, time.UTC)
	var docs []any
	want := map[string]pipelines.LoanKey{}
	amounts := map[string]float64{}
	for ui, name := range []string{"ann", "bo"} {
		u := model.UserRef{UserName: name, UserId: model.DemoUserID(name)}
		prods := []model.ExternalProduct{
			{ProductId: "L", ProductBank: "Green Bank", ProductType: "Loan", ProductAmount: 1000 + float64(ui), ProductInterestRate: 5,
				RepaymentPeriod: 36, ProductDate: &model.OpeningDate{OpeningDate: opened}},
			{ProductId: "M", ProductBank: "Albion Bank", ProductType: "Mortgage", ProductAmount: 90000, ProductCurrency: "GBP",
				ProductInterestRate: 3.5, AmortizationPeriod: 20}, // no opening date
			{ProductId: "C", ProductBank: "Green Bank", ProductType: "Credit Card", ProductAmount: 50}, // not debt
		}
		for _, p := range prods {
			p.ID, p.ProductCustomer = model.ProductID(u.UserId, p.ProductBank, p.ProductId), u
			docs = append(docs, p)
			if p.IsDebt() && name == "ann" {
				k := pipelines.LoanKey{ID: p.ID, ProductID: p.ProductId, Bank: p.ProductBank, Currency: p.ProductCurrency, Type: p.ProductType,
					Rate: p.ProductInterestRate, RepaymentPeriod: p.RepaymentPeriod, AmortizationPeriod: p.AmortizationPeriod}
				if p.ProductDate != nil {
					k.Opened = &p.ProductDate.OpeningDate
				}
				want[p.ProductId], amounts[p.ProductId] = k, p.ProductAmount
			}
		}
	}
	if _, err := s.InsertNew(ctx, model.CollProducts, docs); err != nil {
		t.Fatal(err)
	}
	rows, err := store.Aggregate[pipelines.GroupRow[pipelines.LoanKey]](ctx, s, model.CollProducts,
		pipelines.Loans(store.OwnerFilter("ProductCustomer", model.UserRef{UserName: "ann", UserId: model.DemoUserID("ann")})))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) {
		t.Fatalf("%d loan rows, want %d: %+v", len(rows), len(want), rows)
	}
	for _, r := range rows {
		w := want[r.Key.ProductID]
		if r.Key.Opened != nil {
			o := r.Key.Opened.UTC()
			r.Key.Opened = &o
		}
		// Sprint shows the opening date through time.Time's String.
		if fmt.Sprint(r.Key) != fmt.Sprint(w) || r.V != amounts[r.Key.ProductID] {
			t.Errorf("loan row %+v = %v, want %+v = %v", r.Key, r.V, w, amounts[r.Key.ProductID])
		}
	}
}
