package hub

// Transaction lists read from the transaction buckets. On the embedded
// engine every query but an _id lookup decodes every stored transaction
// (about 160 µs each: 16 s for a user's list in a store of 100k), so
// lists read the user's buckets by _id instead (tens of milliseconds for
// 10k transactions), and a whole document is read by its _id only when
// one is opened.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// TxRow is one transaction of a list: what a list shows, and the _id of
// its document (see Transaction).
type TxRow = buckets.Row

// ErrNoTransaction is wrapped by Transaction when the user has no
// transaction with that _id (erased meanwhile, or another user's).
var ErrNoTransaction = errors.New("no such transaction")

// TransactionRows lists a user's transactions, newest first (ties by
// document _id, as Transactions orders them), from the transaction
// buckets.
//
// Buckets written before their entries carried rows are rebuilt from the
// transactions collection the first time (one scan, once per user),
// serialized with the user's syncs.
func (h *Hub) TransactionRows(ctx context.Context, u model.UserRef) ([]TxRow, error) {
	rows, complete, err := buckets.Rows(ctx, h.s, u)
	if err != nil || complete {
		return rows, err
	}
	unlock, err := h.lockUser(ctx, u)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Rebuilt meanwhile by another session?
	if rows, complete, err = buckets.Rows(ctx, h.s, u); err != nil || complete {
		return rows, err
	}
	h.app.Log.Info("rebuilding transaction buckets written before they listed rows", "user", u.UserName)
	if err := buckets.Rebuild(ctx, h.s, []model.UserRef{u}); err != nil {
		return nil, err
	}
	if rows, complete, err = buckets.Rows(ctx, h.s, u); err == nil && !complete {
		err = fmt.Errorf("the transaction buckets of %s still lack rows after a rebuild; run openfinance insights --recompute --rebuild", u.UserName)
	}
	return rows, err
}

// BaseCurrency is the currency AmountBase and the insights are in.
func (h *Hub) BaseCurrency() string { return h.base }

// FilterRows keeps the rows f selects, as Transactions would: bank (id or
// name), account, month and category exactly, Text anywhere in merchant,
// description or category ignoring case; then at most f.Limit of them.
// rows keep their order.
func (h *Hub) FilterRows(rows []TxRow, f TxFilter) []TxRow {
	bank := ""
	if f.Bank != "" {
		bank = h.BankName(f.Bank)
	}
	text := strings.ToLower(strings.TrimSpace(f.Text))
	out := make([]TxRow, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		if bank != "" && r.TransactionBank != bank || f.Account != "" && r.TransactionAccountId != f.Account ||
			f.Month != "" && r.MonthKey != f.Month || f.Category != "" && r.Category != f.Category {
			continue
		}
		if text != "" && !containsFold(r.Merchant, text) && !containsFold(r.Description, text) && !containsFold(r.Category, text) {
			continue
		}
		out = append(out, *r)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out
}

// containsFold reports whether lower (lower-cased) is in s, ignoring case.
func containsFold(s, lower string) bool {
	return strings.Contains(strings.ToLower(s), lower)
}

// Transaction reads the whole document of a listed transaction by its _id
// (about a millisecond on the embedded engine), for a detail view.
func (h *Hub) Transaction(ctx context.Context, u model.UserRef, row TxRow) (model.Transaction, error) {
	var t model.Transaction
	err := h.s.C(model.CollTransactions).FindOne(ctx, bson.D{{Key: "_id", Value: row.ID}}).Decode(&t)
	if err == nil && !owns(u, t.TransactionUser) {
		err = mongo.ErrNoDocuments // another user's: as if there were none
	}
	if errors.Is(err, mongo.ErrNoDocuments) {
		return t, fmt.Errorf("%w: %s has no transaction %s at %s any more (erased or changed since the list was read)",
			ErrNoTransaction, u.UserName, row.TransactionId, row.TransactionBank)
	}
	if err != nil {
		return t, fmt.Errorf("cannot read transaction %s: %w", row.TransactionId, err)
	}
	return t, nil
}

// owns reports whether a document owned by o belongs to u, as
// store.OwnerFilter selects: the same user id, or the same user name.
func owns(u, o model.UserRef) bool {
	return !u.UserId.IsZero() && o.UserId == u.UserId || u.UserName != "" && o.UserName == u.UserName
}

// lookupReaders bounds the concurrent _id lookups of TransactionDocs.
const lookupReaders = 4

// DocLookupMax is how many documents TransactionDocs is worth its cost
// for. On the embedded engine a lookup costs about 0.5 ms and a scan
// about 0.2 ms per stored transaction (anyone's); how many are stored is
// not known without a scan (even an estimated count is one there), so
// past this many (about a second of lookups) a scan is the safer bet.
const DocLookupMax = 2000

// TransactionDocs reads the whole documents of rows by _id, in the rows'
// order; rows whose document is gone are left out. On the embedded engine
// each is one lookup (a few at once).
func (h *Hub) TransactionDocs(ctx context.Context, u model.UserRef, rows []TxRow) ([]model.Transaction, error) {
	if !h.s.Embedded() {
		return h.docsIn(ctx, u, rows)
	}
	got := make([]model.Transaction, len(rows))
	found := make([]bool, len(rows))
	errs := make([]error, len(rows))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(lookupReaders, len(rows)) {
		wg.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					continue
				}
				got[i], errs[i] = h.Transaction(ctx, u, rows[i])
				found[i] = errs[i] == nil
				if errors.Is(errs[i], ErrNoTransaction) {
					errs[i] = nil
				}
			}
		})
	}
	for i := range rows {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]model.Transaction, 0, len(rows))
	for i := range got {
		if found[i] {
			out = append(out, got[i])
		}
	}
	return out, nil
}

// docsIn is TransactionDocs on MongoDB: $in queries of a thousand ids.
func (h *Hub) docsIn(ctx context.Context, u model.UserRef, rows []TxRow) ([]model.Transaction, error) {
	byID := make(map[bson.ObjectID]model.Transaction, len(rows))
	for start := 0; start < len(rows); start += 1000 {
		ids := make(bson.A, 0, 1000)
		for _, r := range rows[start:min(start+1000, len(rows))] {
			ids = append(ids, r.ID)
		}
		txs, err := store.FindAll[model.Transaction](ctx, h.s, model.CollTransactions, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
		if err != nil {
			return nil, err
		}
		for _, t := range txs {
			if owns(u, t.TransactionUser) {
				byID[t.ID] = t
			}
		}
	}
	out := make([]model.Transaction, 0, len(rows))
	for _, r := range rows {
		if t, ok := byID[r.ID]; ok {
			out = append(out, t)
		}
	}
	return out, nil
}
