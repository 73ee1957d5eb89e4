package store_test

import (
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

// Every collection of openfinance exists from the first open, and an _id
// lookup in each is an index search on the embedded engine, not a scan of
// every stored document's JSON.
func TestIDLookupsAreIndexSearches(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	for _, c := range model.Collections() {
		ok, err := s.IDLookupIndexed(ctx, c)
		if err != nil || !ok {
			t.Errorf("%s: an _id lookup is not an index search (%v)", c, err)
		}
	}
	// And the lookups still find what they should.
	var docs []any
	for i := range 50 {
		docs = append(docs, bson.D{{Key: "_id", Value: model.DeterministicID("t", fmt.Sprint(i))}, {Key: "n", Value: i}})
	}
	if _, err := s.InsertNew(ctx, model.CollInsights, docs); err != nil {
		t.Fatal(err)
	}
	var got struct {
		N int `bson:"n"`
	}
	if err := s.C(model.CollInsights).FindOne(ctx, bson.D{{Key: "_id", Value: model.DeterministicID("t", "37")}}).Decode(&got); err != nil || got.N != 37 {
		t.Fatalf("lookup by _id: %+v, %v", got, err)
	}
}
