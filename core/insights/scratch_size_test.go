package insights_test

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/insights"
)

func BenchmarkSizeScratch(b *testing.B) {
	s, u := benchStore(b, 10000)
	ins, err := insights.Recompute(b.Context(), s, u, insights.Options{Now: benchNow})
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := bson.Marshal(ins)
	sched := 0
	for _, l := range ins.Loans {
		sched += len(l.Schedule)
	}
	b.Logf("bson %d bytes; spending %d rows, schedule rows %d, merchants %d, recurring %d", len(raw), len(ins.Spending), sched, len(ins.TopMerchants), len(ins.Recurring))
	for b.Loop() {
		if _, err := insights.Load(b.Context(), s, u); err != nil {
			b.Fatal(err)
		}
	}
}
