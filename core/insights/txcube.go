package insights

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
	"github.com/openfinance-tui/openfinance/core/store"
)

// cubeStrategy says how the transaction cube is obtained.
type cubeStrategy int

const (
	// cubeBuckets reads the cube from the transaction buckets (the
	// default: see package buckets).
	cubeBuckets cubeStrategy = iota
	// cubeFromTx picks for the transactions collection: $group on
	// MongoDB, projected rows folded in Go on the embedded FerretDB.
	cubeFromTx
	cubeGroup
	cubeFold
)

// txCube returns the transaction cube of u: the signed sums and the counts
// per (month, category, direction, merchant, status), from the buckets or
// from the transactions.
//
// From the transactions:
// MongoDB groups by hashing, so the cube is two $group scans returning a
// few thousand rows. FerretDB v1 compares every document's key with each
// group found so far (O(documents × groups)): with month × merchant cells
// the same two scans of 10k transactions took minutes, while projecting
// the six fields and folding them here is one linear scan.
func txCube(ctx context.Context, s *store.Store, u model.UserRef, how cubeStrategy) (sums, counts []pipelines.GroupRow[pipelines.TxKey], err error) {
	if how == cubeBuckets {
		return bucketCube(ctx, s, u)
	}
	owner := store.OwnerFilter("TransactionUser", u)
	if how == cubeFold || (how == cubeFromTx && s.Embedded()) {
		return foldRows(ctx, s, owner)
	}
	var wg sync.WaitGroup
	var errA, errC error
	wg.Go(func() {
		sums, errA = store.Aggregate[pipelines.GroupRow[pipelines.TxKey]](ctx, s, model.CollTransactions, pipelines.TxAmounts(owner))
	})
	wg.Go(func() {
		counts, errC = store.Aggregate[pipelines.GroupRow[pipelines.TxKey]](ctx, s, model.CollTransactions, pipelines.TxCounts(owner))
	})
	wg.Wait()
	return sums, counts, errors.Join(errA, errC)
}

func foldRows(ctx context.Context, s *store.Store, owner bson.D) (sums, counts []pipelines.GroupRow[pipelines.TxKey], err error) {
	cur, err := s.C(model.CollTransactions).Aggregate(ctx, pipelines.TxRows(owner))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot aggregate %s: %w", model.CollTransactions, err)
	}
	defer cur.Close(ctx)
	var b pipelines.CubeBuilder
	for cur.Next(ctx) {
		var r pipelines.TxRow
		if err := cur.Decode(&r); err != nil {
			return nil, nil, fmt.Errorf("cannot read %s: %w", model.CollTransactions, err)
		}
		b.Add(r)
	}
	if err := cur.Err(); err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", model.CollTransactions, err)
	}
	sums, counts = b.Rows()
	return sums, counts, nil
}

// bucketCube reads the cube from the user's buckets.
func bucketCube(ctx context.Context, s *store.Store, u model.UserRef) (sums, counts []pipelines.GroupRow[pipelines.TxKey], err error) {
	cells, err := buckets.Cube(ctx, s, u)
	if err != nil {
		return nil, nil, err
	}
	sums = make([]pipelines.GroupRow[pipelines.TxKey], len(cells))
	counts = make([]pipelines.GroupRow[pipelines.TxKey], len(cells))
	for i, c := range cells {
		k := pipelines.TxKey{Month: c.Month, Category: c.Category, Direction: c.Direction, Merchant: c.Merchant, Status: c.Status}
		sums[i] = pipelines.GroupRow[pipelines.TxKey]{Key: k, V: c.Sum}
		counts[i] = pipelines.GroupRow[pipelines.TxKey]{Key: k, V: float64(c.Count)}
	}
	return sums, counts, nil
}
