package insights_test

import (
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

// Several first recomputations of one user at once (a sync finishing while
// sessions open the insights) all succeed and leave one document.
func TestConcurrentFirstRecomputes(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	now := time.Date(2025, 2, 20, 15, 0, 0, 0, time.UTC)
	people(5, now).insert(t, s)
	for range 3 {
		if err := s.C(model.CollInsights).Drop(ctx); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if _, err := insights.Recompute(ctx, s, userRef("ana"), insights.Options{Now: now}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n, err := s.C(model.CollInsights).CountDocuments(ctx, bson.D{}); err != nil || n != 1 {
			t.Fatalf("%d insights documents (%v), want 1", n, err)
		}
	}
}
