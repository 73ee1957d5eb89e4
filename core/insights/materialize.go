package insights

import (
	"context"
	"errors"
	"time"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// ErrNotComputed is returned by Load when a user's insights were never
// computed.
var ErrNotComputed = errors.New("insights have not been computed yet")

// Options tune a recomputation.
type Options struct {
	Currency string    // base currency, default USD
	Now      time.Time // the clock: "the last 12 months" end here; zero = time.Now()
}

// Recompute runs every insight pipeline for u, finishes the results in Go,
// stores them as the user's document in the insights collection (_id = the
// user's id) and returns them.
func Recompute(ctx context.Context, s *store.Store, u model.UserRef, opts Options) (Insights, error) {
	return Insights{}, errors.New("insights: Recompute is being built (issue 4)")
}

// Load reads a user's materialized insights (one small document).
func Load(ctx context.Context, s *store.Store, u model.UserRef) (Insights, error) {
	return Insights{}, ErrNotComputed
}
