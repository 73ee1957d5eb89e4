package pipelines

import (
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// TxKey keys the transaction cube.
type TxKey struct {
	Month     string `bson:"m"`
	Category  string `bson:"c"`
	Direction string `bson:"d"`
	Merchant  string `bson:"mer"`
	Status    string `bson:"s"`
}

// txCubeKey is the compound key of the transaction cube: every insight over
// transactions (cash flow, spending by category, top merchants, net worth
// over time, recurring payments, counts) follows in Go from rows of this key.
// Status is in the key because the net-worth rebuild subtracts only booked
// transactions from today's balances; it adds few rows (pending transactions
// are recent).
func txCubeKey() bson.D {
	return bson.D{
		{Key: "m", Value: "$MonthKey"},
		{Key: "c", Value: "$Category"},
		{Key: "d", Value: "$Direction"},
		{Key: "mer", Value: "$Merchant"},
		{Key: "s", Value: "$Status"},
	}
}

// TxAmounts sums a user's signed base-currency amounts (AmountBase, stored
// when written) per cube key. One scan of the transactions.
func TxAmounts(owner bson.D) mongo.Pipeline {
	return mongo.Pipeline{match(owner), group(txCubeKey(), "$sum", "$AmountBase")}
}

// TxCounts counts a user's transactions per cube key: the second and last
// scan, needed because FerretDB v1 computes only one accumulator per $group.
func TxCounts(owner bson.D) mongo.Pipeline {
	return mongo.Pipeline{match(owner), group(txCubeKey(), "$sum", 1)}
}

// TxRow is one transaction reduced to the cube's dimensions and measure.
type TxRow struct {
	MonthKey   string  `bson:"MonthKey"`
	Category   string  `bson:"Category"`
	Direction  string  `bson:"Direction"`
	Merchant   string  `bson:"Merchant"`
	Status     string  `bson:"Status"`
	AmountBase float64 `bson:"AmountBase"`
}

// TxRows streams a user's transactions projected onto the cube's fields,
// for folding into the cube client-side (see Cube).
//
// Why this exists next to TxAmounts/TxCounts: FerretDB v1 groups by
// comparing each document's key with every group found so far, so a $group
// costs O(documents × groups). The cube has thousands of cells for a year
// of card payments (month × merchant), which made its two scans of 10k
// transactions take minutes on the embedded engine, while this projection
// is one linear scan. MongoDB groups by hashing, where the two $group scans
// are the cheaper way.
func TxRows(owner bson.D) mongo.Pipeline {
	return mongo.Pipeline{
		match(owner),
		{{Key: "$project", Value: bson.D{
			{Key: "_id", Value: 0},
			{Key: "MonthKey", Value: 1},
			{Key: "Category", Value: 1},
			{Key: "Direction", Value: 1},
			{Key: "Merchant", Value: 1},
			{Key: "Status", Value: 1},
			{Key: "AmountBase", Value: 1},
		}}},
	}
}

// CubeBuilder folds TxRows into what TxAmounts and TxCounts return, in the
// order cells are first seen.
type CubeBuilder struct {
	index        map[TxKey]int
	sums, counts []GroupRow[TxKey]
}

// Add folds one transaction in.
func (c *CubeBuilder) Add(r TxRow) {
	if c.index == nil {
		c.index = map[TxKey]int{}
	}
	k := TxKey{Month: r.MonthKey, Category: r.Category, Direction: r.Direction, Merchant: r.Merchant, Status: r.Status}
	i, ok := c.index[k]
	if !ok {
		i = len(c.sums)
		c.index[k] = i
		c.sums = append(c.sums, GroupRow[TxKey]{Key: k})
		c.counts = append(c.counts, GroupRow[TxKey]{Key: k})
	}
	c.sums[i].V += r.AmountBase
	c.counts[i].V++
}

// Rows returns the cube: the sums (as TxAmounts) and the counts (as
// TxCounts), never nil.
func (c *CubeBuilder) Rows() (sums, counts []GroupRow[TxKey]) {
	if c.sums == nil {
		return []GroupRow[TxKey]{}, []GroupRow[TxKey]{}
	}
	return c.sums, c.counts
}
