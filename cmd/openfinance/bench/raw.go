package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// rawBatch is how many documents the floor inserts at once: what the
// sync gathers per account before it inserts (core/sync inserts an
// account's new transactions 500 at a time, across the bank's pages),
// which is also the largest page any bank serves.
const rawBatch = 500

// rawDocs are the documents one sync stored, as stored, for the raw runs.
type rawDocs struct {
	batches [][]any // per account, at most rawBatch each, in stored order
	n       int
}

// readBack reads the transactions the first pair's sync stored (the only
// ones in the collection then) and cuts them into batches of at most
// rawBatch of one account, in the order they were stored.
func (w *world) readBack(ctx context.Context) (*rawDocs, error) {
	cur, err := w.app.Store.C(model.CollTransactions).Find(ctx, bson.D{}, options.Find().SetBatchSize(1000))
	if err != nil {
		return nil, fmt.Errorf("cannot read the synced transactions back: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	d := &rawDocs{}
	pending := map[string][]any{}
	var order []string // accounts in the order first seen, for the last batches
	for cur.Next(ctx) {
		doc := bson.Raw(slices.Clone(cur.Current))
		bank, _ := doc.Lookup("BankId").StringValueOK()
		acc, _ := doc.Lookup("TransactionAccountId").StringValueOK()
		key := bank + "/" + acc
		if _, seen := pending[key]; !seen {
			order = append(order, key)
		}
		pending[key] = append(pending[key], doc)
		d.n++
		if len(pending[key]) >= rawBatch {
			d.batches = append(d.batches, pending[key])
			pending[key] = []any{}
		}
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("cannot read the synced transactions back: %w", err)
	}
	for _, key := range order {
		if docs := pending[key]; len(docs) > 0 {
			d.batches = append(d.batches, docs)
		}
	}
	if d.n == 0 {
		return nil, errors.New("the throwaway sync stored no transactions to compare with")
	}
	return d, nil
}

// rawOnce inserts the batches into the transactions collection and
// returns the time the InsertMany calls took.
func (w *world) rawOnce(ctx context.Context, batches [][]any) (time.Duration, error) {
	c := w.app.Store.C(model.CollTransactions)
	var spent time.Duration
	for _, docs := range batches {
		t0 := time.Now()
		_, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		spent += time.Since(t0)
		if err != nil {
			return spent, fmt.Errorf("raw InsertMany into the transactions failed: %w", err)
		}
	}
	return spent, nil
}

// eraseRest deletes a throwaway user's documents but the transactions
// (consents, tokens, accounts, buckets, insights, audit, the user): the
// transactions go with the scratch collection (see emptyTransactions).
// hub.EraseUser would delete them by owner too, a scan of the collection
// on the embedded engine.
func (w *world) eraseRest(ctx context.Context, u model.UserRef) error {
	for _, coll := range store.UserCollections() {
		if coll == model.CollTransactions {
			continue
		}
		if _, err := w.app.Store.C(coll).DeleteMany(ctx, userFilter(u, coll)); err != nil {
			return fmt.Errorf("cannot erase the throwaway user %s from %s: %w", u.UserName, coll, err)
		}
	}
	return nil
}

// userFilter selects u's documents in coll.
func userFilter(u model.UserRef, coll string) bson.D { return store.UserFilters(u)[coll] }
