package insights

import (
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// MonthSeries is a run of month-end values. In Go and JSON it is a list of
// {month, value}; in BSON a run of consecutive months is stored as
// {From: "YYYY-MM", Values: [...]}, a third of the values: the embedded
// engine decodes every stored value on each read, and a 30-year mortgage's
// schedule is 360 months.
type MonthSeries []MonthValue

type compactSeries struct {
	From   string    `bson:"From"`
	Values []float64 `bson:"Values"`
}

// MarshalBSONValue stores consecutive months compactly and anything else as
// a plain array.
func (s MonthSeries) MarshalBSONValue() (byte, []byte, error) {
	if c, ok := s.compact(); ok {
		t, b, err := bson.MarshalValue(c)
		return byte(t), b, err
	}
	t, b, err := bson.MarshalValue([]MonthValue(s))
	return byte(t), b, err
}

func (s MonthSeries) compact() (compactSeries, bool) {
	if len(s) == 0 {
		return compactSeries{}, false
	}
	first, ok := parseMonth(s[0].Month)
	if !ok {
		return compactSeries{}, false
	}
	c := compactSeries{From: s[0].Month, Values: make([]float64, len(s))}
	for i, v := range s {
		if v.Month != (first + month(i)).String() {
			return compactSeries{}, false
		}
		c.Values[i] = v.Value
	}
	return c, true
}

// UnmarshalBSONValue reads either form.
func (s *MonthSeries) UnmarshalBSONValue(typ byte, data []byte) error {
	switch bson.Type(typ) {
	case bson.TypeEmbeddedDocument:
		var c compactSeries
		if err := bson.UnmarshalValue(bson.Type(typ), data, &c); err != nil {
			return err
		}
		first, ok := parseMonth(c.From)
		if !ok {
			return fmt.Errorf("month series starts at %q, want YYYY-MM", c.From)
		}
		out := make(MonthSeries, len(c.Values))
		for i, v := range c.Values {
			out[i] = MonthValue{Month: (first + month(i)).String(), Value: v}
		}
		*s = out
	case bson.TypeArray:
		var rows []MonthValue
		if err := bson.UnmarshalValue(bson.Type(typ), data, &rows); err != nil {
			return err
		}
		*s = MonthSeries(rows)
	case bson.TypeNull:
		*s = nil
	default:
		return fmt.Errorf("month series stored as BSON type %#x", typ)
	}
	return nil
}
