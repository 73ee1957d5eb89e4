package insights

import (
	"context"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// ComputeGrouped computes with the server-side $group cube (MongoDB's
// path) whatever the engine, so a test can hold both paths to each other.
func ComputeGrouped(ctx context.Context, s *store.Store, u model.UserRef, opts Options) (Insights, error) {
	return compute(ctx, s, u, opts, cubeGroup)
}

// ComputeFolded computes with the projected rows folded in Go (the
// embedded engine's path) whatever the engine.
func ComputeFolded(ctx context.Context, s *store.Store, u model.UserRef, opts Options) (Insights, error) {
	return compute(ctx, s, u, opts, cubeFold)
}
