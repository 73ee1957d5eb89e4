package sync

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// storeSink writes what a fetch maps as it arrives, idempotently: accounts
// and products replaced by their deterministic _id (small sets, batched),
// transactions bulk-inserted with duplicates counted as already stored.
// Pending transactions are the exception that may change: a duplicate that
// is pending now, or was pending when the sync started, is replaced so that
// a Pending → Booked change lands.
type storeSink struct {
	s        *store.Store
	bankID   string
	progress func(Progress)

	// stored holds the _ids of the bank's transactions stored when the
	// sync started.
	stored map[bson.ObjectID]bool
	// pendingBefore maps the _id of each transaction stored as pending
	// when the sync started to its account id.
	pendingBefore map[bson.ObjectID]string
	seen          map[bson.ObjectID]bool // of pendingBefore, those the bank still sent
	complete      map[string]bool        // accounts whose transaction walk ended

	accounts, products, fetched, inserted, replaced int
}

func newStoreSink(ctx context.Context, s *store.Store, u model.UserRef, bankID string, progress func(Progress)) (*storeSink, error) {
	// One scan for the ids already stored: a re-sync then writes only what
	// is new or was pending, instead of sending every duplicate to the
	// server (which costs a unique-key check each on FerretDB).
	type row struct {
		ID      bson.ObjectID `bson:"_id"`
		Account string        `bson:"TransactionAccountId"`
		Status  string        `bson:"Status"`
	}
	f := bson.D{{Key: "$and", Value: bson.A{
		store.OwnerFilter("TransactionUser", u),
		bson.D{{Key: "BankId", Value: bankID}},
	}}}
	rows, err := store.FindAll[row](ctx, s, model.CollTransactions, f,
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "TransactionAccountId", Value: 1}, {Key: "Status", Value: 1}}))
	if err != nil {
		return nil, err
	}
	k := &storeSink{s: s, bankID: bankID, progress: progress, stored: make(map[bson.ObjectID]bool, len(rows)),
		pendingBefore: map[bson.ObjectID]string{}, seen: map[bson.ObjectID]bool{}, complete: map[string]bool{}}
	for _, r := range rows {
		k.stored[r.ID] = true
		if r.Status == model.StatusPending {
			k.pendingBefore[r.ID] = r.Account
		}
	}
	return k, nil
}

func (k *storeSink) Accounts(ctx context.Context, accs []model.ExternalAccount) error {
	if _, err := store.ReplaceByID(ctx, k.s, model.CollAccounts, accs, func(a model.ExternalAccount) any { return a.ID }); err != nil {
		return fmt.Errorf("cannot store the accounts: %w", err)
	}
	k.accounts += len(accs)
	return nil
}

func (k *storeSink) Products(ctx context.Context, ps []model.ExternalProduct) error {
	if _, err := store.ReplaceByID(ctx, k.s, model.CollProducts, ps, func(p model.ExternalProduct) any { return p.ID }); err != nil {
		return fmt.Errorf("cannot store the products: %w", err)
	}
	k.products += len(ps)
	return nil
}

func (k *storeSink) Transactions(ctx context.Context, acc model.ExternalAccount, page bankapi.Page, txs []model.Transaction) error {
	var fresh []any
	var freshTx, replace []model.Transaction
	for _, t := range txs {
		_, wasPending := k.pendingBefore[t.ID]
		if wasPending {
			k.seen[t.ID] = true
		}
		switch {
		case !k.stored[t.ID]:
			fresh = append(fresh, t)
			freshTx = append(freshTx, t)
		case wasPending || t.Status == model.StatusPending:
			replace = append(replace, t) // may have changed: booked, amount settled
		}
	}
	res, dups, err := k.s.InsertNewDups(ctx, model.CollTransactions, fresh)
	if err != nil {
		return fmt.Errorf("cannot store the transactions of account %s (page %d): %w", acc.AccountId, page.N, err)
	}
	for _, i := range dups {
		// Stored since the sync started (another process): replace only
		// what may change.
		if freshTx[i].Status == model.StatusPending {
			replace = append(replace, freshTx[i])
		}
	}
	if len(replace) > 0 {
		r, err := store.ReplaceByID(ctx, k.s, model.CollTransactions, replace, func(t model.Transaction) any { return t.ID })
		if err != nil {
			return fmt.Errorf("cannot update the pending transactions of account %s: %w", acc.AccountId, err)
		}
		k.replaced += r.Replaced
	}
	for _, t := range freshTx {
		k.stored[t.ID] = true
	}
	k.fetched += len(txs)
	k.inserted += res.Inserted
	if page.Last {
		k.complete[acc.AccountId] = true
	}
	return nil
}

func (k *storeSink) Progress(resource string, done, total, count int, finished bool) {
	if k.progress != nil {
		k.progress(Progress{BankID: k.bankID, Resource: resource, Done: done, Total: total, Count: count, Finished: finished})
	}
}

// dropVanishedPending deletes the pending transactions the bank no longer
// sends (booked under another id, or cancelled), but only for accounts
// whose walk completed in this sync: a failed sync deletes nothing.
func (k *storeSink) dropVanishedPending(ctx context.Context) (int, error) {
	var gone bson.A
	for id, acc := range k.pendingBefore {
		if k.complete[acc] && !k.seen[id] {
			gone = append(gone, id)
		}
	}
	if len(gone) == 0 {
		return 0, nil
	}
	r, err := k.s.C(model.CollTransactions).DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: gone}}}})
	if err != nil {
		return 0, fmt.Errorf("cannot remove pending transactions the bank no longer lists: %w", err)
	}
	return int(r.DeletedCount), nil
}

func (k *storeSink) counts() map[string]int {
	return map[string]int{
		model.CollAccounts: k.accounts, model.CollProducts: k.products,
		"transactions_fetched": k.fetched, "transactions_new": k.inserted,
	}
}
