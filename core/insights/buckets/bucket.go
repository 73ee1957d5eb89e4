// Package buckets keeps the transaction buckets (collection
// transaction_months): per user, bank, account and month, the cells of the
// insights' transaction cube (base-currency sum and count per category,
// direction, merchant and status) and, packed, the transactions they were
// computed from.
//
// It is the Bucket and Computed patterns applied to what the embedded
// engine makes expensive: FerretDB v1 decodes every stored document of a
// collection for any query but one by _id, at about 10 µs a value, so
// recomputing a user's insights from 10k transaction documents took
// seconds. The sync writes each bucket with the transactions it stores
// (Tracker), recomputing reads the user's buckets by _id through the user's
// index (Cube), and Rebuild makes them from the transactions collection for
// data that did not come through the sync (an import, a store from before
// the buckets, a repair on demand).
package buckets

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/openfinance-tui/openfinance/core/model"
)

// Key is a cell's key within a month.
type Key struct {
	Category, Direction, Merchant, Status string
}

// Entry is one transaction as its bucket keeps it.
type Entry struct {
	Key
	Amount float64 // AmountBase, signed
}

// Pending reports whether the transaction was pending when stored.
func (e Entry) Pending() bool { return e.Status == model.StatusPending }

// EntryOf reduces a transaction to its entry.
func EntryOf(t model.Transaction) Entry {
	return Entry{Key: Key{Category: t.Category, Direction: t.Direction, Merchant: t.Merchant, Status: t.Status}, Amount: t.AmountBase}
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

// Entries are packed like the cells (see model.MonthCells): a
// ";"-separated row of "id cell amount" per transaction, the bank's id
// query-escaped and the cell an index into the document's Cells.
// Doc is the bucket's document: the cells summed from the entries (in the
// order of the transactions' ids, so equal buckets give equal documents)
// and the entries packed.
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
	var packed strings.Builder
	for i, id := range ids {
		e := b.entries[id]
		c := index[e.Key]
		cells[c].Sum += e.Amount
		cells[c].Count++
		if i > 0 {
			packed.WriteByte(';')
		}
		packed.WriteString(url.QueryEscape(id))
		packed.WriteByte(' ')
		packed.WriteString(strconv.Itoa(c))
		packed.WriteByte(' ')
		packed.WriteString(strconv.FormatFloat(e.Amount, 'g', -1, 64))
	}
	return model.TransactionMonth{
		ID: model.TxMonthID(b.User, b.BankKey, b.AccountID, b.Month), MonthUser: b.User,
		BankId: b.BankKey, Bank: b.Bank, AccountId: b.AccountID, MonthKey: b.Month,
		Count: len(ids), Cells: cells, Entries: packed.String(),
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
	if d.Entries == "" {
		return b, nil
	}
	for i, row := range strings.Split(d.Entries, ";") {
		f := strings.Split(row, " ")
		if len(f) != 3 {
			return nil, damaged(d, fmt.Sprintf("entry %d has %d fields", i+1, len(f)))
		}
		id, err := model.Unescape(f[0])
		c, err2 := strconv.Atoi(f[1])
		amt, err3 := strconv.ParseFloat(f[2], 64)
		if err != nil || err2 != nil || err3 != nil {
			return nil, damaged(d, fmt.Sprintf("entry %d is not id, cell and amount", i+1))
		}
		if c < 0 || c >= len(d.Cells) {
			return nil, damaged(d, fmt.Sprintf("entry %d points at cell %d of %d", i+1, c, len(d.Cells)))
		}
		mc := d.Cells[c]
		b.entries[id] = Entry{Key: Key{Category: mc.Category, Direction: mc.Direction, Merchant: mc.Merchant, Status: mc.Status}, Amount: amt}
	}
	return b, nil
}

func damaged(d model.TransactionMonth, why string) error {
	return fmt.Errorf("the transaction bucket of %s %s %s is damaged: %s", d.BankId, d.AccountId, d.MonthKey, why)
}
