package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/model"
)

// pageSize is how many transactions one page of a bank carries, so the
// floor inserts in the batches the sync gets (mockbank/API.md: the
// original style serves the 500 the client asks for, the UK and Berlin
// Group styles 100 per page).
func pageSize(style banks.Style) int {
	if style == banks.StyleOriginal {
		return 500
	}
	return 100
}

// rawInsert is the engine's floor for the synced data: the same unified
// documents, read back from the transactions collection, inserted with
// unordered InsertMany in the sync's batch sizes into a scratch
// collection of the same store with the same indexes. Only the InsertMany
// calls are timed; the scratch collection is dropped afterwards.
func (w *world) rawInsert(ctx context.Context, r *Report) error {
	s := w.app.Store
	src := s.C(model.CollTransactions)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	dst := s.C("bench_raw_insert_" + hex.EncodeToString(b))
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		_ = dst.Drop(dctx)
	}()
	if err := copyIndexes(ctx, src, dst); err != nil {
		return err
	}
	batch := map[string]int{}
	for _, bk := range w.heavy.Banks() {
		batch[bk.ID] = pageSize(bk.Style)
	}
	cur, err := src.Find(ctx, bson.D{}, options.Find().SetBatchSize(1000))
	if err != nil {
		return fmt.Errorf("cannot read the synced transactions back: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	pending := map[string][]any{}
	var spent time.Duration
	n, batches := 0, 0
	insert := func(docs []any) error {
		t0 := time.Now()
		_, err := dst.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		spent += time.Since(t0)
		batches++
		if err != nil {
			return fmt.Errorf("raw InsertMany into the scratch collection failed: %w", err)
		}
		return nil
	}
	for cur.Next(ctx) {
		doc := bson.Raw(slices.Clone(cur.Current))
		bank, _ := doc.Lookup("BankId").StringValueOK()
		size := batch[bank]
		if size == 0 {
			size = 100
		}
		pending[bank] = append(pending[bank], doc)
		n++
		if len(pending[bank]) >= size {
			if err := insert(pending[bank]); err != nil {
				return err
			}
			pending[bank] = nil
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("cannot read the synced transactions back: %w", err)
	}
	for _, docs := range pending {
		if len(docs) > 0 {
			if err := insert(docs); err != nil {
				return err
			}
		}
	}
	g := &r.Ingest
	g.RawSeconds, g.RawBatches = round3(spent.Seconds()), batches
	if spent > 0 {
		g.RawTxPerSec = round3(float64(n) / spent.Seconds())
	}
	if g.RawTxPerSec > 0 {
		g.Ratio = round3(g.SyncTxPerSec / g.RawTxPerSec)
	}
	w.say("raw InsertMany of the same %s documents: %.1f s (%s tx/s); sync / raw = %.2f", count(n), spent.Seconds(), count(int(g.RawTxPerSec)), g.Ratio)
	return nil
}

// copyIndexes gives dst the secondary indexes of src, so the floor pays
// the same index maintenance as the sync.
func copyIndexes(ctx context.Context, src, dst *mongo.Collection) error {
	specs, err := src.Indexes().ListSpecifications(ctx)
	if err != nil {
		return fmt.Errorf("cannot list the indexes of %s: %w", src.Name(), err)
	}
	var models []mongo.IndexModel
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
		models = append(models, mongo.IndexModel{Keys: sp.KeysDocument, Options: o})
	}
	if len(models) == 0 {
		return nil
	}
	if _, err := dst.Indexes().CreateMany(ctx, models); err != nil {
		return fmt.Errorf("cannot create the scratch collection's indexes: %w", err)
	}
	return nil
}
