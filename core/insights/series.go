package insights

import (
	"fmt"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// MonthSeries is a run of month-end values. In Go and JSON it is a list of
// {month, value}; in BSON a run of consecutive months is stored as
// {From: "YYYY-MM", Values: "v1 v2 ..."}, the values packed into one
// string of decimals. The embedded engine decodes every stored value on
// each read at about 10 µs a value, so a 30-year mortgage's schedule (360
// months) stored one value per month cost more than everything else the
// insights document holds; packed, it is one value (and still readable).
// Documents written with Values as an array of numbers still read.
type MonthSeries []MonthValue

type compactSeries struct {
	From   string `bson:"From"`
	Values string `bson:"Values"`
}

// packFloats writes values as space-separated decimals, each the shortest
// that reads back as the same float64.
func packFloats(vs []float64) string {
	b := make([]byte, 0, len(vs)*8)
	for i, v := range vs {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	return string(b)
}

// unpackFloats reads what packFloats wrote.
func unpackFloats(s string) ([]float64, error) {
	fs := strings.Fields(s)
	out := make([]float64, len(fs))
	for i, f := range fs {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, fmt.Errorf("packed value %d (%q) is not a number", i+1, f)
		}
		out[i] = v
	}
	return out, nil
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
	vals := make([]float64, len(s))
	for i, v := range s {
		if v.Month != (first + month(i)).String() {
			return compactSeries{}, false
		}
		vals[i] = v.Value
	}
	return compactSeries{From: s[0].Month, Values: packFloats(vals)}, true
}

// UnmarshalBSONValue reads either form.
func (s *MonthSeries) UnmarshalBSONValue(typ byte, data []byte) error {
	switch bson.Type(typ) {
	case bson.TypeEmbeddedDocument:
		var c struct {
			From   string        `bson:"From"`
			Values bson.RawValue `bson:"Values"`
		}
		if err := bson.UnmarshalValue(bson.Type(typ), data, &c); err != nil {
			return err
		}
		first, ok := parseMonth(c.From)
		if !ok {
			return fmt.Errorf("month series starts at %q, want YYYY-MM", c.From)
		}
		var vals []float64
		var err error
		if str, isStr := c.Values.StringValueOK(); isStr {
			vals, err = unpackFloats(str)
		} else {
			err = c.Values.Unmarshal(&vals) // written as an array of numbers
		}
		if err != nil {
			return fmt.Errorf("month series from %s: %w", c.From, err)
		}
		out := make(MonthSeries, len(vals))
		for i, v := range vals {
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
