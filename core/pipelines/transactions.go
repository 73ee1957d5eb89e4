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
