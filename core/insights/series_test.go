package insights

import (
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestMonthSeriesStoresRunsCompactly(t *testing.T) {
	type doc struct {
		S MonthSeries `bson:"S"`
	}
	run := MonthSeries{{"2024-11", 3}, {"2024-12", 2}, {"2025-01", 1}}
	gap := MonthSeries{{"2024-11", 3}, {"2025-01", 1}}
	for _, c := range []struct {
		in   MonthSeries
		kind bson.Type
	}{{run, bson.TypeEmbeddedDocument}, {gap, bson.TypeArray}, {MonthSeries{}, bson.TypeArray}} {
		raw, err := bson.Marshal(doc{c.in})
		if err != nil {
			t.Fatal(err)
		}
		if k := bson.Raw(raw).Lookup("S").Type; k != c.kind {
			t.Errorf("%v stored as %v, want %v", c.in, k, c.kind)
		}
		var back doc
		if err := bson.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back.S, c.in) {
			t.Errorf("%v came back as %#v", c.in, back.S)
		}
	}
	// Documents with a plain array of {Month, Value} still read.
	raw, _ := bson.Marshal(bson.D{{Key: "S", Value: bson.A{bson.D{{Key: "Month", Value: "2025-02"}, {Key: "Value", Value: 7.5}}}}})
	var back doc
	if err := bson.Unmarshal(raw, &back); err != nil || !reflect.DeepEqual(back.S, MonthSeries{{"2025-02", 7.5}}) {
		t.Errorf("plain array: %v, %v", back.S, err)
	}
	raw, _ = bson.Marshal(bson.D{{Key: "S", Value: bson.D{{Key: "From", Value: "May"}, {Key: "Values", Value: bson.A{1.0}}}}})
	if err := bson.Unmarshal(raw, &back); err == nil {
		t.Error("a series starting at a bad month was accepted")
	}
}
