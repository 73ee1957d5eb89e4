// Package buckets keeps the transaction buckets (collection
// transaction_months): per user, bank, account and month, the cells of the
// insights' transaction cube (base-currency sum and count per category,
// direction, merchant and status) and, packed, the transactions they were
// computed from, each with what one row of a transaction list shows.
//
// It is the Bucket and Computed patterns applied to what the embedded
// engine makes expensive: FerretDB v1 decodes every stored document of a
// collection for any query but one by _id, at about 10 µs a value, so
// recomputing a user's insights from 10k transaction documents took
// seconds. The sync writes each bucket with the transactions it stores
// (Tracker), recomputing reads the user's buckets by _id through the user's
// index (Cube), lists read them the same way (Rows), and Rebuild makes
// them from the transactions collection for data that did not come through
// the sync (an import, a store from before the buckets, a repair on
// demand).
package buckets

import (
	"fmt"
	"sort"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
)

// Key is a cell's key within a month.
type Key struct {
	Category, Direction, Merchant, Status string
}

// Entry is one transaction as its bucket keeps it: its cell and base
// amount, what the insights sum, and what one row of a transaction list
// shows, so that a list reads a user's buckets by _id instead of scanning
// the transactions collection.
type Entry struct {
	Key
	Amount float64 // AmountBase, signed
	// Doc is the transaction document's _id (imported documents keep the
	// _id they came with, so it cannot always be derived). It is zero in
	// an entry of a bucket written before entries carried their row:
	// such a bucket needs a rebuild to list (see Complete).
	Doc         bson.ObjectID
	Booked      int64   // BookingDate, Unix milliseconds
	Native      float64 // Amount, signed, in Currency
	Currency    string
	Description string
}

// Pending reports whether the transaction was pending when stored.
func (e Entry) Pending() bool { return e.Status == model.StatusPending }

// Complete reports whether the entry carries its row (see Entry.Doc).
func (e Entry) Complete() bool { return !e.Doc.IsZero() }

// EntryOf reduces a transaction to its entry.
func EntryOf(t model.Transaction) Entry {
	return Entry{
		Key:    Key{Category: t.Category, Direction: t.Direction, Merchant: t.Merchant, Status: t.Status},
		Amount: t.AmountBase, Doc: t.ID, Booked: t.BookingDate.UnixMilli(), Native: t.Amount,
		Currency: t.Currency, Description: t.Description,
	}
}

// Bucket is one bucket in memory: its transactions by the bank's id.
type Bucket struct {
	User      model.UserRef
	BankKey   string // BankId, or the bank's name for imported data without one
	Bank      string
	AccountID string
	Month     string
	entries   map[string]Entry
	dirty     bool
	stored    bool // a document exists (read from or written to the store)
}

// New starts an empty bucket.
func New(u model.UserRef, bankKey, bank, accountID, month string) *Bucket {
	return &Bucket{User: u, BankKey: bankKey, Bank: bank, AccountID: accountID, Month: month, entries: map[string]Entry{}}
}

// ID is the bucket's _id.
func (b *Bucket) ID() any { return model.TxMonthID(b.User, b.BankKey, b.AccountID, b.Month) }

// Get returns the entry of a transaction.
func (b *Bucket) Get(txID string) (Entry, bool) {
	e, ok := b.entries[txID]
	return e, ok
}

// Put stores a transaction's entry.
func (b *Bucket) Put(txID string, e Entry) {
	if old, ok := b.entries[txID]; ok && old == e {
		return
	}
	b.entries[txID] = e
	b.dirty = true
}

// Remove drops a transaction.
func (b *Bucket) Remove(txID string) {
	if _, ok := b.entries[txID]; ok {
		delete(b.entries, txID)
		b.dirty = true
	}
}

// Len is the number of transactions.
func (b *Bucket) Len() int { return len(b.entries) }

// Each calls f for every transaction, by id.
func (b *Bucket) Each(f func(txID string, e Entry)) {
	for _, id := range b.ids() {
		f(id, b.entries[id])
	}
}

func (b *Bucket) ids() []string {
	ids := make([]string, 0, len(b.entries))
	for id := range b.entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Doc is the bucket's document: the cells summed from the entries (in the
// order of the transactions' ids, so equal buckets give equal documents)
// and the entries packed (see appendEntry).
func (b *Bucket) Doc() model.TransactionMonth {
	ids := b.ids()
	index := map[Key]int{}
	var keys []Key
	for _, id := range ids {
		k := b.entries[id].Key
		if _, ok := index[k]; !ok {
			index[k] = len(keys)
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return less(keys[i], keys[j]) })
	for i, k := range keys {
		index[k] = i
	}
	cells := make([]model.MonthCell, len(keys))
	for i, k := range keys {
		cells[i] = model.MonthCell{Category: k.Category, Direction: k.Direction, Merchant: k.Merchant, Status: k.Status}
	}
	packed := make([]byte, 0, len(ids)*96)
	for i, id := range ids {
		e := b.entries[id]
		c := index[e.Key]
		cells[c].Sum += e.Amount
		cells[c].Count++
		if i > 0 {
			packed = append(packed, ';')
		}
		packed = appendEntry(packed, id, c, e)
	}
	return model.TransactionMonth{
		ID: model.TxMonthID(b.User, b.BankKey, b.AccountID, b.Month), MonthUser: b.User,
		BankId: b.BankKey, Bank: b.Bank, AccountId: b.AccountID, MonthKey: b.Month,
		Count: len(ids), Cells: cells, Entries: string(packed),
	}
}

func less(a, b Key) bool {
	if a.Category != b.Category {
		return a.Category < b.Category
	}
	if a.Direction != b.Direction {
		return a.Direction < b.Direction
	}
	if a.Merchant != b.Merchant {
		return a.Merchant < b.Merchant
	}
	return a.Status < b.Status
}

// FromDoc reads a stored bucket back.
func FromDoc(d model.TransactionMonth) (*Bucket, error) {
	b := New(d.MonthUser, d.BankId, d.Bank, d.AccountId, d.MonthKey)
	b.stored = true
	err := eachEntry(d, func(id string, e Entry) { b.entries[id] = e })
	if err != nil {
		return nil, err
	}
	return b, nil
}

func damaged(d model.TransactionMonth, why string) error {
	return fmt.Errorf("the transaction bucket of %s %s %s is damaged: %s", d.BankId, d.AccountId, d.MonthKey, why)
}
