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

// Series are stored as one packed string; the array form of earlier
// versions still reads.
func TestMonthSeriesPacksValuesIntoOneString(t *testing.T) {
	type doc struct {
		S MonthSeries `bson:"S"`
	}
	in := MonthSeries{{"2024-12", 1234.56}, {"2025-01", 0.30000000000000004}, {"2025-02", -0}, {"2025-03", 1e-7}}
	raw, err := bson.Marshal(doc{in})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := bson.Raw(raw).Lookup("S", "Values").StringValueOK(); !ok || v != "1234.56 0.30000000000000004 0 0.0000001" {
		t.Fatalf("packed as %v", bson.Raw(raw).Lookup("S", "Values"))
	}
	var back doc
	if err := bson.Unmarshal(raw, &back); err != nil || !reflect.DeepEqual(back.S, in) {
		t.Fatalf("%v came back as %v (%v)", in, back.S, err)
	}
	old, _ := bson.Marshal(bson.D{{Key: "S", Value: bson.D{{Key: "From", Value: "2025-01"}, {Key: "Values", Value: bson.A{3.5, 2.0}}}}})
	if err := bson.Unmarshal(old, &back); err != nil || !reflect.DeepEqual(back.S, MonthSeries{{"2025-01", 3.5}, {"2025-02", 2}}) {
		t.Errorf("array form: %v, %v", back.S, err)
	}
	bad, _ := bson.Marshal(bson.D{{Key: "S", Value: bson.D{{Key: "From", Value: "2025-01"}, {Key: "Values", Value: "1 x"}}}})
	if err := bson.Unmarshal(bad, &back); err == nil {
		t.Error("a packed value that is not a number was accepted")
	}
}

// Spending by category is stored as one packed string per category;
// rows come back in their order, a zero amount stays a row, and rows that
// do not pack (out of order, a category twice in a month) are stored as a
// plain array.
func TestSpendingRowsPackPerCategory(t *testing.T) {
	type doc struct {
		R SpendingRows `bson:"R"`
	}
	in := SpendingRows{
		{"2024-11", "Dining", 30}, {"2024-11", "Groceries", 0},
		{"2025-01", "Groceries", 120.25}, {"2025-01", "Travel", 99.99}, {"2025-01", "Dining", 20},
	}
	sortSpending(in)
	raw, err := bson.Marshal(doc{in})
	if err != nil {
		t.Fatal(err)
	}
	if k := bson.Raw(raw).Lookup("R").Type; k != bson.TypeEmbeddedDocument {
		t.Fatalf("stored as %v", k)
	}
	var back doc
	if err := bson.Unmarshal(raw, &back); err != nil || !reflect.DeepEqual(back.R, in) {
		t.Fatalf("%v came back as %v (%v)", in, back.R, err)
	}
	for _, odd := range []SpendingRows{
		{{"2025-01", "Dining", 1}, {"2024-12", "Dining", 2}}, // out of order
		{{"2025-01", "Dining", 2}, {"2025-01", "Dining", 1}}, // twice in a month
		{{"January", "Dining", 2}},                           // not a month
		{},
	} {
		raw, _ := bson.Marshal(doc{odd})
		if k := bson.Raw(raw).Lookup("R").Type; k != bson.TypeArray {
			t.Errorf("%v stored as %v, want a plain array", odd, k)
		}
		var back doc
		if err := bson.Unmarshal(raw, &back); err != nil || !reflect.DeepEqual(back.R, odd) {
			t.Errorf("%v came back as %v (%v)", odd, back.R, err)
		}
	}
}
