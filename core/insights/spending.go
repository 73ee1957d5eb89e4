package insights

import (
	"fmt"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// SpendingRows are spending by month and category, by month, then largest
// amount first. In Go and JSON a list of {month, category, amount}; in BSON
// one packed string of amounts per category over the months from From:
//
//	{From: "2024-06", Categories: ["Dining", ...], Amounts: ["12.5 - 30 ...", ...]}
//
// where "-" is a month without that category. The embedded engine decodes
// every stored value on each read (about 10 µs a value): two years of ten
// categories were a thousand values, two thirds of the insights document
// and of the time to read it; packed they are about twenty.
type SpendingRows []CategoryAmt

type packedSpending struct {
	From       string   `bson:"From"`
	Categories []string `bson:"Categories"`
	Amounts    []string `bson:"Amounts"`
}

// noRow marks a month without spending in a category.
const noRow = "-"

// sortSpending puts rows in their stored order: by month, then largest
// amount first, then by category.
func sortSpending(rows []CategoryAmt) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		if a.Amount != b.Amount {
			return a.Amount > b.Amount
		}
		return a.Category < b.Category
	})
}

// MarshalBSONValue packs the rows, or stores a plain array when they do not
// pack (a bad month, a category twice in a month, rows out of order).
func (r SpendingRows) MarshalBSONValue() (byte, []byte, error) {
	if p, ok := r.pack(); ok {
		t, b, err := bson.MarshalValue(p)
		return byte(t), b, err
	}
	t, b, err := bson.MarshalValue([]CategoryAmt(r))
	return byte(t), b, err
}

func (r SpendingRows) pack() (packedSpending, bool) {
	if len(r) == 0 {
		return packedSpending{}, false
	}
	sorted := append([]CategoryAmt(nil), r...)
	sortSpending(sorted)
	for i := range sorted {
		if sorted[i] != r[i] {
			return packedSpending{}, false // unpacking would reorder them
		}
	}
	first, last := month(0), month(0)
	for i, row := range r {
		m, ok := parseMonth(row.Month)
		if !ok || strings.ContainsAny(row.Category, "\x00") {
			return packedSpending{}, false
		}
		if i == 0 || m < first {
			first = m
		}
		last = max(last, m)
	}
	n := int(last-first) + 1
	idx := map[string]int{}
	var cats []string
	var cells [][]string
	for _, row := range r {
		c, ok := idx[row.Category]
		if !ok {
			c = len(cats)
			idx[row.Category] = c
			cats = append(cats, row.Category)
			cells = append(cells, filled(n, noRow))
		}
		m, _ := parseMonth(row.Month)
		if cells[c][m-first] != noRow {
			return packedSpending{}, false // twice in one month
		}
		cells[c][m-first] = packFloats([]float64{row.Amount})
	}
	p := packedSpending{From: first.String(), Categories: cats, Amounts: make([]string, len(cats))}
	for c := range cats {
		p.Amounts[c] = strings.Join(cells[c], " ")
	}
	return p, true
}

func filled(n int, s string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// UnmarshalBSONValue reads the packed form or a plain array.
func (r *SpendingRows) UnmarshalBSONValue(typ byte, data []byte) error {
	switch bson.Type(typ) {
	case bson.TypeEmbeddedDocument:
		var p packedSpending
		if err := bson.UnmarshalValue(bson.Type(typ), data, &p); err != nil {
			return err
		}
		first, ok := parseMonth(p.From)
		if !ok {
			return fmt.Errorf("spending starts at %q, want YYYY-MM", p.From)
		}
		if len(p.Amounts) != len(p.Categories) {
			return fmt.Errorf("spending has %d categories and %d amount lists", len(p.Categories), len(p.Amounts))
		}
		out := SpendingRows{}
		for c, cat := range p.Categories {
			for i, f := range strings.Fields(p.Amounts[c]) {
				if f == noRow {
					continue
				}
				v, err := unpackFloats(f)
				if err != nil {
					return fmt.Errorf("spending on %s: %w", cat, err)
				}
				out = append(out, CategoryAmt{Month: (first + month(i)).String(), Category: cat, Amount: v[0]})
			}
		}
		sortSpending(out)
		*r = out
	case bson.TypeArray:
		var rows []CategoryAmt
		if err := bson.UnmarshalValue(bson.Type(typ), data, &rows); err != nil {
			return err
		}
		*r = rows
	case bson.TypeNull:
		*r = nil
	default:
		return fmt.Errorf("spending stored as BSON type %#x", typ)
	}
	return nil
}
