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

	"github.com/openfinance-tui/openfinance/core/model"
)

// maxRawDocs bounds the floor's sample: reading documents back costs
// about as much as inserting them on the embedded engine, and the rate of
// the first 50k is the engine's rate (measured here on a busy machine:
// 3.2-4.6k tx/s for 10k documents, 2.7-3.8k for 100k).
const maxRawDocs = 50_000

// rawBatch is how many documents the floor inserts at once: what the
// sync gathers per account before it inserts (core/sync inserts an
// account's new transactions 500 at a time, across the bank's pages),
// which is also the largest page any bank serves.
const rawBatch = 500

// rawInsert is the engine's floor for the synced data: the same unified
// documents, read back once from the transactions collection (at most
// maxRawDocs of them) and cut as the sync cuts them (per account, at most
// rawBatch at a time), inserted with
// unordered InsertMany into a scratch collection of the same store with
// the same indexes. Only the InsertMany calls are timed; each run has its
// own scratch collection, dropped afterwards, and runs repeat while cheap
// (the median rate is kept).
func (w *world) rawInsert(ctx context.Context, r *Report) error {
	batches, n, err := w.readBack(ctx)
	if err != nil {
		return err
	}
	g := &r.Ingest
	g.RawDocs, g.RawBatches = n, len(batches)
	var rates []float64
	err = repeat(w.cfg.Runs, func() error {
		spent, err := w.rawOnce(ctx, batches)
		if err != nil {
			return err
		}
		g.RawIndexes = w.rawIndexes
		g.RawRuns = append(g.RawRuns, round3(spent.Seconds()))
		rates = append(rates, float64(n)/max(spent.Seconds(), 1e-9))
		w.say("raw InsertMany of the same %s documents: %.1f s (%s tx/s)", count(n), spent.Seconds(), count(int(rates[len(rates)-1])))
		return nil
	})
	if err != nil {
		return err
	}
	g.RawTxPerSec = round3(median(rates))
	if g.RawTxPerSec > 0 {
		g.RawSeconds = round3(float64(g.Transactions) / g.RawTxPerSec)
		g.Ratio = round3(g.SyncTxPerSec / g.RawTxPerSec)
	}
	w.say("sync / raw InsertMany = %.2f", g.Ratio)
	return nil
}

// readBack reads the synced transactions as stored and cuts them into
// batches of at most rawBatch of one account, in the order they were
// stored.
func (w *world) readBack(ctx context.Context) (batches [][]any, n int, err error) {
	cur, err := w.app.Store.C(model.CollTransactions).Find(ctx, bson.D{}, options.Find().SetBatchSize(1000))
	if err != nil {
		return nil, 0, fmt.Errorf("cannot read the synced transactions back: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	pending := map[string][]any{}
	var order []string // accounts in the order first seen, for the last batches
	for n < maxRawDocs && cur.Next(ctx) {
		doc := bson.Raw(slices.Clone(cur.Current))
		bank, _ := doc.Lookup("BankId").StringValueOK()
		acc, _ := doc.Lookup("TransactionAccountId").StringValueOK()
		key := bank + "/" + acc
		if _, seen := pending[key]; !seen {
			order = append(order, key)
		}
		pending[key] = append(pending[key], doc)
		n++
		if len(pending[key]) >= rawBatch {
			batches = append(batches, pending[key])
			pending[key] = []any{}
		}
	}
	if err := cur.Err(); err != nil {
		return nil, 0, fmt.Errorf("cannot read the synced transactions back: %w", err)
	}
	for _, key := range order {
		if docs := pending[key]; len(docs) > 0 {
			batches = append(batches, docs)
		}
	}
	return batches, n, nil
}

// rawOnce inserts the batches into a fresh scratch collection and returns
// the time the InsertMany calls took.
func (w *world) rawOnce(ctx context.Context, batches [][]any) (time.Duration, error) {
	s := w.app.Store
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	dst := s.C("bench_raw_insert_" + hex.EncodeToString(b))
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		_ = dst.Drop(dctx)
	}()
	var err error
	if w.rawIndexes, err = copyIndexes(ctx, s.C(model.CollTransactions), dst); err != nil {
		return 0, err
	}
	var spent time.Duration
	for _, docs := range batches {
		t0 := time.Now()
		_, err := dst.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		spent += time.Since(t0)
		if err != nil {
			return spent, fmt.Errorf("raw InsertMany into the scratch collection failed: %w", err)
		}
	}
	return spent, nil
}

// copyIndexes gives dst the secondary indexes of src, so the floor pays
// the same index maintenance as the sync.
func copyIndexes(ctx context.Context, src, dst *mongo.Collection) (int, error) {
	specs, err := src.Indexes().ListSpecifications(ctx)
	if err != nil {
		return 0, fmt.Errorf("cannot list the indexes of %s: %w", src.Name(), err)
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
		return 0, nil
	}
	if _, err := dst.Indexes().CreateMany(ctx, models); err != nil {
		return 0, fmt.Errorf("cannot create the scratch collection's indexes: %w", err)
	}
	return len(models), nil
}
