package buckets

import (
	"context"
	"sort"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Tracker keeps the buckets of one user's bank during a sync: it tells the
// sync which fetched transactions are stored already (so only new ones are
// sent to the server) and which were stored pending, records what the sync
// writes, and writes the buckets back. Not safe for concurrent use: a bank
// syncs sequentially.
//
// The invariant it keeps: a bucket's entries are the transactions of that
// account and month as last written to the transactions collection. So the
// buckets of a sync killed halfway may miss what it had inserted; the next
// sync finds those not in their bucket, inserts them again (counted as
// already stored), writes them and so puts them back.
type Tracker struct {
	s       *store.Store
	u       model.UserRef
	bankID  string
	bank    string
	lock    func() func()
	buckets map[bkey]*Bucket
	seen    map[txRef]bool         // fetched in this sync
	listed  map[bson.ObjectID]bool // in the user's index when the sync started
}

type bkey struct{ account, month string }

type txRef struct{ account, id string }

// NewTracker starts tracking the buckets of a user's bank (id and name).
// lock serializes the index writes of the banks of one user syncing at
// once (nil when only one bank syncs). It first makes sure the store's
// transactions are all in buckets (see Covered).
func NewTracker(ctx context.Context, s *store.Store, u model.UserRef, bankID, bankName string, lock func() func()) (*Tracker, error) {
	if err := Covered(ctx, s); err != nil {
		return nil, err
	}
	if lock == nil {
		lock = func() func() { return func() {} }
	}
	// A bucket is listed before it is written (see Flush), so one the
	// index does not list does not exist: no lookup for it.
	ix, _, err := readIndex(ctx, s, u)
	if err != nil {
		return nil, err
	}
	listed := make(map[bson.ObjectID]bool, len(ix.Buckets))
	for _, r := range ix.Buckets {
		listed[r.ID] = true
	}
	return &Tracker{s: s, u: u, bankID: bankID, bank: bankName, lock: lock, buckets: map[bkey]*Bucket{},
		seen: map[txRef]bool{}, listed: listed}, nil
}

// Load reads the account's buckets of the given months that are not loaded
// yet (a missing one starts empty).
func (t *Tracker) Load(ctx context.Context, account string, months []string) error {
	var ids []bson.ObjectID
	var keys []bkey
	for _, m := range months {
		k := bkey{account, m}
		if _, ok := t.buckets[k]; ok {
			continue
		}
		t.buckets[k] = New(t.u, t.bankID, t.bank, account, m)
		if id := model.TxMonthID(t.u, t.bankID, account, m); t.listed[id] {
			ids = append(ids, id)
			keys = append(keys, k)
		}
	}
	bs, err := Load(ctx, t.s, ids)
	if err != nil {
		for _, k := range keys {
			delete(t.buckets, k) // not known: load again next time
		}
		return err
	}
	for _, b := range bs {
		b.User, b.Bank = t.u, t.bank
		t.buckets[bkey{b.AccountID, b.Month}] = b
	}
	return nil
}

// Stored returns the entry of a transaction in its month's bucket (loaded
// first), marking it fetched.
func (t *Tracker) Stored(tx model.Transaction) (Entry, bool) {
	t.seen[txRef{tx.TransactionAccountId, tx.TransactionId}] = true
	b := t.buckets[bkey{tx.TransactionAccountId, tx.MonthKey}]
	if b == nil {
		return Entry{}, false
	}
	return b.Get(tx.TransactionId)
}

// Wrote records a transaction written to the transactions collection.
func (t *Tracker) Wrote(tx model.Transaction) {
	k := bkey{tx.TransactionAccountId, tx.MonthKey}
	b := t.buckets[k]
	if b == nil {
		b = New(t.u, t.bankID, t.bank, k.account, k.month)
		t.buckets[k] = b
	}
	b.Put(tx.TransactionId, EntryOf(tx))
}

// Moved drops a transaction from the bucket of the month it was stored
// under before (a pending transaction booked on a later day may change
// month).
func (t *Tracker) Moved(ctx context.Context, account, txID, oldMonth string) error {
	if err := t.Load(ctx, account, []string{oldMonth}); err != nil {
		return err
	}
	t.buckets[bkey{account, oldMonth}].Remove(txID)
	return nil
}

// Gone is a stored transaction the bank no longer sends.
type Gone struct {
	ID   bson.ObjectID // in the transactions collection
	TxID string        // the bank's
}

// Vanished lists the transactions stored pending on the account (in the
// buckets this sync loaded: the months the bank sent) that the bank no
// longer sent.
func (t *Tracker) Vanished(account string) []Gone {
	var out []Gone
	for k, b := range t.buckets {
		if k.account != account {
			continue
		}
		b.Each(func(id string, e Entry) {
			if e.Pending() && !t.seen[txRef{account, id}] {
				out = append(out, Gone{ID: model.TransactionID(t.u.UserId, t.bankID, account, id), TxID: id})
			}
		})
	}
	return out
}

// Forget drops transactions deleted from the transactions collection (by
// the bank's id) from the account's loaded buckets.
func (t *Tracker) Forget(account string, txIDs map[string]bool) {
	for k, b := range t.buckets {
		if k.account == account {
			for id := range txIDs {
				b.Remove(id)
			}
		}
	}
}

// Flush writes the changed buckets of an account ("" = every account):
// the user's index first, then the buckets.
func (t *Tracker) Flush(ctx context.Context, account string) error {
	var dirty []*Bucket
	for k, b := range t.buckets {
		if b.dirty && (account == "" || k.account == account) {
			dirty = append(dirty, b)
		}
	}
	if len(dirty) == 0 {
		return nil
	}
	sort.Slice(dirty, func(i, j int) bool {
		if dirty[i].AccountID != dirty[j].AccountID {
			return dirty[i].AccountID < dirty[j].AccountID
		}
		return dirty[i].Month < dirty[j].Month
	})
	unlock := t.lock()
	err := AddToIndex(ctx, t.s, t.u, dirty)
	unlock()
	if err != nil {
		return err
	}
	return Write(ctx, t.s, dirty)
}
