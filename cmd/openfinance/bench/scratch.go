package bench

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/model"
)

// asideName is where the data set's transactions wait while the ingest
// pairs use the transactions collection.
const asideName = model.CollTransactions + "_bench_data_set"

// txCollection is what the ingest pairs need to know of the transactions
// collection to create it again as the store does.
type txCollection struct {
	indexes []mongo.IndexModel // besides _id
}

// setAside renames the data set's transactions collection out of the way
// and records its indexes.
func (w *world) setAside(ctx context.Context) (*txCollection, error) {
	s := w.app.Store
	specs, err := s.C(model.CollTransactions).Indexes().ListSpecifications(ctx)
	if err != nil {
		return nil, fmt.Errorf("cannot list the indexes of the transactions: %w", err)
	}
	tx := &txCollection{}
	for _, sp := range specs {
		if sp.Name == "_id_" {
			continue
		}
		o := options.Index().SetName(sp.Name)
		if sp.Unique != nil && *sp.Unique {
			o.SetUnique(true)
		}
		if sp.Sparse != nil && *sp.Sparse {
			o.SetSparse(true)
		}
		tx.indexes = append(tx.indexes, mongo.IndexModel{Keys: sp.KeysDocument, Options: o})
	}
	if err := w.rename(ctx, model.CollTransactions, asideName); err != nil {
		return nil, fmt.Errorf("cannot set the data set's transactions aside: %w", err)
	}
	return tx, nil
}

// putBack drops the pairs' transactions collection and renames the data
// set's back.
func (w *world) putBack(ctx context.Context, tx *txCollection) error {
	if err := w.app.Store.C(model.CollTransactions).Drop(ctx); err != nil {
		return fmt.Errorf("cannot drop the ingest pairs' transactions: %w", err)
	}
	if err := w.rename(ctx, asideName, model.CollTransactions); err != nil {
		return fmt.Errorf("cannot put the data set's transactions back: %w", err)
	}
	return nil
}

// emptyTransactions drops the transactions collection and creates it again
// as the store does: its indexes, and on the embedded engine the index on
// the _id path its lookups use (checked, since the sync's speed depends
// on it).
func (w *world) emptyTransactions(ctx context.Context, tx *txCollection) error {
	s := w.app.Store
	c := s.C(model.CollTransactions)
	if err := c.Drop(ctx); err != nil {
		return fmt.Errorf("cannot drop the ingest pairs' transactions: %w", err)
	}
	if err := s.DB().CreateCollection(ctx, model.CollTransactions); err != nil {
		return fmt.Errorf("cannot create the ingest pairs' transactions: %w", err)
	}
	// One index per command, as the store creates them.
	for _, m := range tx.indexes {
		if _, err := c.Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("cannot index the ingest pairs' transactions: %w", err)
		}
	}
	if err := s.IndexIDPaths(ctx); err != nil {
		return fmt.Errorf("cannot index the ingest pairs' transactions by _id: %w", err)
	}
	if ok, err := s.IDLookupIndexed(ctx, model.CollTransactions); err != nil || !ok {
		return fmt.Errorf("the ingest pairs' transactions are not looked up by _id through an index as the store's are (%v)", err)
	}
	return nil
}

// rename renames a collection of the store's database (an admin command).
func (w *world) rename(ctx context.Context, from, to string) error {
	db := w.app.Store.DB()
	cmd := bson.D{{Key: "renameCollection", Value: db.Name() + "." + from}, {Key: "to", Value: db.Name() + "." + to}}
	return db.Client().Database("admin").RunCommand(ctx, cmd).Err()
}
