package mockbank

import (
	"container/list"
	"sync"
	"time"

	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// Cache bounds: customers are small; histories are bounded by their total
// number of transactions, so a benchmark over a million transactions
// never holds them all.
const (
	maxCachedCustomers = 4096
	maxCachedTx        = 100_000
)

// dataCache keeps recently served customers and account histories.
type dataCache struct {
	mu        sync.Mutex
	customers map[custKey]*gen.Customer
	hist      map[histKey]*list.Element
	lru       *list.List // of *histEntry, most recent first
	held      int        // transactions held
}

type custKey struct {
	login string
	day   time.Time
}

type histKey struct {
	login, account string
	day            time.Time
}

type histEntry struct {
	k   histKey
	txs []gen.Transaction
}

func newDataCache() *dataCache {
	return &dataCache{customers: map[custKey]*gen.Customer{}, hist: map[histKey]*list.Element{}, lru: list.New()}
}

// customer returns the cached customer of a day or builds it.
func (d *dataCache) customer(login string, day time.Time, build func() (*gen.Customer, error)) (*gen.Customer, error) {
	k := custKey{login, day}
	d.mu.Lock()
	c, ok := d.customers[k]
	d.mu.Unlock()
	if ok {
		return c, nil
	}
	c, err := build()
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.customers) >= maxCachedCustomers {
		clear(d.customers)
	}
	d.customers[k] = c
	return c, nil
}

// transactions returns an account's history, generating it on a miss.
// Two concurrent misses may both generate; the result is the same.
func (d *dataCache) transactions(c *gen.Customer, accountID string) []gen.Transaction {
	k := histKey{c.Login, accountID, c.Today}
	d.mu.Lock()
	if e, ok := d.hist[k]; ok {
		d.lru.MoveToFront(e)
		txs := e.Value.(*histEntry).txs
		d.mu.Unlock()
		return txs
	}
	d.mu.Unlock()
	txs := c.Transactions(accountID)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.hist[k]; ok || len(txs) > maxCachedTx {
		return txs
	}
	for d.held+len(txs) > maxCachedTx && d.lru.Len() > 0 {
		old := d.lru.Remove(d.lru.Back()).(*histEntry)
		delete(d.hist, old.k)
		d.held -= len(old.txs)
	}
	d.hist[k] = d.lru.PushFront(&histEntry{k: k, txs: txs})
	d.held += len(txs)
	return txs
}
