package buckets_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

type cellKey struct {
	month string
	buckets.Key
}

type measure struct {
	sum float64
	n   int
}

// cubeOf sums Cube's cells per month and key.
func cubeOf(t *testing.T, s *store.Store, u model.UserRef) map[cellKey]measure {
	t.Helper()
	cells, err := buckets.Cube(storetest.Ctx(t), s, u)
	if err != nil {
		t.Fatal(err)
	}
	out := map[cellKey]measure{}
	for _, c := range cells {
		k := cellKey{c.Month, buckets.Key{Category: c.Category, Direction: c.Direction, Merchant: c.Merchant, Status: c.Status}}
		m := out[k]
		m.sum += c.Sum
		m.n += c.Count
		out[k] = m
	}
	return out
}

func sameCube(t *testing.T, at string, got, want map[cellKey]measure) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d cells, want %d", at, len(got), len(want))
	}
	for k, w := range want {
		if g := got[k]; g.n != w.n || math.Abs(g.sum-w.sum) > 1e-9 {
			t.Errorf("%s: %+v = %+v, want %+v", at, k, g, w)
		}
	}
}

// A store with transactions but no buckets (written before they existed,
// or inserted directly) gets them built once, from the transactions; the
// cube read from them is the cube of the transactions, per user, with
// owners named only by name or only by id, and a bank known only by name.
func TestBucketsAreBuiltFromTheTransactions(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	ann := model.UserRef{UserName: "ann", UserId: model.DemoUserID("ann")}
	bob := model.UserRef{UserName: "bob", UserId: model.DemoUserID("bob")}
	if _, err := s.InsertNew(ctx, model.CollUsers, []any{
		model.User{ID: bob.UserId, UserName: "bob", Source: "local", CreatedAt: time.Now().UTC()},
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[cellKey]measure{"ann": {}, "bob": {}}
	var docs []any
	add := func(owner model.UserRef, user string, i int, bankID, bank, acc string, when time.Time, cat, mer, status string, amt float64) {
		dir := model.DirectionIn
		if amt < 0 {
			dir = model.DirectionOut
		}
		id := fmt.Sprint(i)
		docs = append(docs, model.Transaction{ID: model.DeterministicID("test", user, id), TransactionId: id, TransactionBank: bank,
			BankId: bankID, TransactionAccountId: acc, TransactionUser: owner, BookingDate: when, Amount: amt, Currency: "USD",
			AmountBase: amt, BaseCurrency: "USD", MonthKey: model.MonthKey(when), Direction: dir, Merchant: mer, Category: cat, Status: status})
		k := cellKey{model.MonthKey(when), buckets.Key{Category: cat, Direction: dir, Merchant: mer, Status: status}}
		m := want[user][k]
		m.sum += amt
		m.n++
		want[user][k] = m
	}
	for i := range 400 {
		when := time.Date(2025, time.Month(1+i%5), 1+i%27, 10, 0, 0, 0, time.UTC)
		cat, mer := []string{"Groceries", "Dining", "Income"}[i%3], []string{"", "Shop", "Cafe", "Shop"}[i%4]
		status := []string{model.StatusBooked, model.StatusBooked, model.StatusPending}[i%3]
		amt := math.Round(float64((i*37)%500-300)*1.1) / 100
		add(ann, "ann", i, "green-bank", "Green Bank", []string{"G1", "G2"}[i%2], when, cat, mer, status, amt)
		// bob's documents name him only (an import from the original
		// system), some at a bank known only by its name.
		bankID := "rhein-bank"
		if i%4 == 0 {
			bankID = ""
		}
		add(model.UserRef{UserName: "bob"}, "bob", i, bankID, "Rheinbank", "R1", when, cat, mer, status, -amt)
	}
	if _, err := s.InsertNew(ctx, model.CollTransactions, docs); err != nil {
		t.Fatal(err)
	}
	sameCube(t, "ann", cubeOf(t, s, ann), want["ann"])
	sameCube(t, "bob", cubeOf(t, s, bob), want["bob"])
	if n, _ := s.C(model.CollTxMonths).CountDocuments(ctx, bson.D{{Key: "_id", Value: model.TxMonthSchemaID()}}); n != 1 {
		t.Fatal("the store is not marked as having its buckets built")
	}

	// From now on the buckets are kept by what writes transactions: one
	// inserted directly is not seen until its owner's buckets are rebuilt.
	when := time.Date(2025, 5, 30, 0, 0, 0, 0, time.UTC)
	add(ann, "ann", 999, "green-bank", "Green Bank", "G1", when, "Dining", "Cafe", model.StatusBooked, -7)
	if _, err := s.InsertNew(ctx, model.CollTransactions, docs[len(docs)-1:]); err != nil {
		t.Fatal(err)
	}
	late := cellKey{"2025-05", buckets.Key{Category: "Dining", Direction: model.DirectionOut, Merchant: "Cafe", Status: model.StatusBooked}}
	if got := cubeOf(t, s, ann)[late]; got.n == want["ann"][late].n {
		t.Fatalf("the buckets counted a transaction no writer told them about (%+v)", got)
	}
	if err := buckets.Rebuild(ctx, s, []model.UserRef{ann}); err != nil {
		t.Fatal(err)
	}
	sameCube(t, "ann rebuilt", cubeOf(t, s, ann), want["ann"])

	// Revoking a bank erases its buckets; the index forgets them.
	if _, err := s.DeleteBankData(ctx, bob, "rhein-bank", "Rheinbank"); err != nil {
		t.Fatal(err)
	}
	if err := buckets.ForgetBank(ctx, s, bob, "rhein-bank", "Rheinbank"); err != nil {
		t.Fatal(err)
	}
	if got := cubeOf(t, s, bob); len(got) != 0 {
		t.Errorf("bob's cube after revoking his only bank: %v", got)
	}
	var ix model.TransactionMonthIndex
	if err := s.C(model.CollTxMonths).FindOne(ctx, bson.D{{Key: "_id", Value: model.TxMonthIndexID(bob)}}).Decode(&ix); err != nil || len(ix.Buckets) != 0 {
		t.Errorf("bob's index after revoking: %+v, %v", ix, err)
	}
	sameCube(t, "ann untouched", cubeOf(t, s, ann), want["ann"])
}

// A store without transactions is marked at once, without a scan, and a
// user with nothing stored has an empty cube.
func TestEmptyStoreIsCovered(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	if err := buckets.Covered(ctx, s); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.C(model.CollTxMonths).CountDocuments(ctx, bson.D{}); n != 1 {
		t.Fatalf("%d documents in transaction_months, want the marker alone", n)
	}
	if got := cubeOf(t, s, model.UserRef{UserName: "cleo", UserId: model.DemoUserID("cleo")}); len(got) != 0 {
		t.Fatalf("cleo's cube: %v", got)
	}
}
