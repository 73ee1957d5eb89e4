package buckets

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Cell is one cell of a user's cube: a month and a bucket cell of it.
// Cells of several accounts may share a month and key; the caller sums
// them.
type Cell struct {
	Month string
	model.MonthCell
}

// Cube reads a user's transaction cube from the buckets: the index by _id,
// then each bucket by _id (pipelines.BucketCells). Its cost grows with the
// user's months and cells, not with the transactions of the user or of
// anyone else.
func Cube(ctx context.Context, s *store.Store, u model.UserRef) ([]Cell, error) {
	ids, err := userBuckets(ctx, s, u)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	rows, err := readEach(ctx, s, ids, func(f bson.D) ([]pipelines.BucketCellsRow, error) {
		return store.Aggregate[pipelines.BucketCellsRow](ctx, s, model.CollTxMonths, pipelines.BucketCells(f))
	})
	if err != nil {
		return nil, fmt.Errorf("cannot read the transaction buckets of %s: %w", u.UserName, err)
	}
	var cells []Cell
	for _, r := range rows {
		for _, c := range r.Cells {
			cells = append(cells, Cell{Month: r.MonthKey, MonthCell: c})
		}
	}
	return cells, nil
}

// userBuckets lists the _ids of a user's buckets, from the user's index
// (none: no transaction of the user was stored), after making sure the
// store's transactions are all in buckets (see Covered).
func userBuckets(ctx context.Context, s *store.Store, u model.UserRef) ([]bson.ObjectID, error) {
	if err := Covered(ctx, s); err != nil {
		return nil, err
	}
	ix, found, err := readIndex(ctx, s, u)
	if err == nil && !found && !u.UserId.IsZero() && u.UserName != "" {
		// Rebuilt from imported documents that name the user only.
		ix, found, err = readIndex(ctx, s, model.UserRef{UserName: u.UserName})
	}
	if err != nil || !found {
		return nil, err
	}
	ids := make([]bson.ObjectID, len(ix.Buckets))
	for i, r := range ix.Buckets {
		ids[i] = r.ID
	}
	return ids, nil
}
