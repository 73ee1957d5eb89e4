package sync_test

import (
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

// bucketDocs returns the user's buckets that hold transactions, by _id,
// and the ids the user's index lists.
func (r *rig) bucketDocs(t *testing.T) ([]model.TransactionMonth, map[bson.ObjectID]bool) {
	t.Helper()
	ctx := storetest.Ctx(t)
	f := bson.D{{Key: "$and", Value: bson.A{store.OwnerFilter("MonthUser", r.user), bson.D{{Key: "MonthKey", Value: bson.D{{Key: "$exists", Value: true}}}}}}}
	docs, err := store.FindAll[model.TransactionMonth](ctx, r.s, model.CollTxMonths, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []model.TransactionMonth
	for _, d := range docs {
		if d.Count > 0 {
			out = append(out, d)
		}
	}
	var ix model.TransactionMonthIndex
	if err := r.s.C(model.CollTxMonths).FindOne(ctx, bson.D{{Key: "_id", Value: model.TxMonthIndexID(r.user)}}).Decode(&ix); err != nil {
		t.Fatalf("no bucket index: %v", err)
	}
	listed := map[bson.ObjectID]bool{}
	for _, b := range ix.Buckets {
		listed[b.ID] = true
	}
	return out, listed
}

// checkBuckets holds the buckets the syncs wrote to the ones built from
// the transactions collection: same transactions, same cells, all listed.
func (r *rig) checkBuckets(t *testing.T, when string) {
	t.Helper()
	synced, listed := r.bucketDocs(t)
	if len(synced) == 0 {
		t.Fatalf("%s: no buckets", when)
	}
	for _, d := range synced {
		if !listed[d.ID] {
			t.Errorf("%s: bucket %s %s is not in the index", when, d.AccountId, d.MonthKey)
		}
	}
	if err := buckets.Rebuild(storetest.Ctx(t), r.s, []model.UserRef{r.user}); err != nil {
		t.Fatal(err)
	}
	rebuilt, _ := r.bucketDocs(t)
	if !reflect.DeepEqual(synced, rebuilt) {
		t.Errorf("%s: the buckets the sync wrote differ from the transactions':\n%+v\n%+v", when, synced, rebuilt)
	}
	n := 0
	for _, d := range rebuilt {
		n += d.Count
	}
	if all := r.count(t, model.CollTransactions, nil); n != all {
		t.Errorf("%s: the buckets hold %d transactions, the collection %d", when, n, all)
	}
}

func TestBucketsFollowPendingTransactionsBookedLater(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	ctx := storetest.Ctx(t)
	if rep := r.run(ctx, tg); rep.Err != nil || rep.New != 90 {
		t.Fatalf("first sync: %+v", rep)
	}
	r.checkBuckets(t, "first sync")
	if rep := r.run(ctx, tg); rep.Err != nil || rep.New != 0 {
		t.Fatalf("second sync: %+v", rep)
	}
	r.checkBuckets(t, "second sync")
	// Booked a day later: the newest moves from February into March.
	fb.set(func(fb *fakeBank) { fb.booked, fb.bookedLater = true, true })
	if rep := r.run(ctx, tg); rep.Err != nil || rep.New != 0 {
		t.Fatalf("sync after booking: %+v", rep)
	}
	march := bson.D{{Key: "MonthKey", Value: "2026-03"}}
	if n := r.count(t, model.CollTransactions, march); n != 2 {
		t.Fatalf("%d transactions in March, want the 2 booked on 1 March", n)
	}
	r.checkBuckets(t, "after booking")
}

func TestBucketsDropCancelledPendingTransactions(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	ctx := storetest.Ctx(t)
	if rep := r.run(ctx, tg); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	fb.set(func(fb *fakeBank) { fb.dropPending = true })
	if rep := r.run(ctx, tg); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if n := r.count(t, model.CollTransactions, nil); n != 86 {
		t.Fatalf("%d transactions, want 86 once the 4 pending are gone", n)
	}
	r.checkBuckets(t, "after cancelling")
}

func TestBucketsAfterAFailedAndAKilledSync(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	fb.set(func(fb *fakeBank) { fb.failPage = 3 })
	if rep := r.run(storetest.Ctx(t), tg); rep.Err == nil {
		t.Fatal("the failing page did not fail the sync")
	}
	r.checkBuckets(t, "after a failed sync") // what was stored is in them
	fb.set(func(fb *fakeBank) { fb.failPage = 0 })
	if rep := r.run(storetest.Ctx(t), tg); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	r.checkBuckets(t, "after the retry")
}
