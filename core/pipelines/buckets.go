package pipelines

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/openfinance-tui/openfinance/core/model"
)

// BucketCells reads the month and cube cells of the transaction buckets
// (collection transaction_months) that filter selects. Recomputing a
// user's insights runs it with {_id: id} for each bucket of the user on
// the embedded engine, where only a filter of exactly one _id reaches an
// index, and with {_id: {$in: ids}} on MongoDB; the cells of every bucket
// are then summed in Go (they are few: a month of card payments is tens of
// cells where it was hundreds of transactions).
func BucketCells(filter bson.D) mongo.Pipeline {
	return mongo.Pipeline{
		match(filter),
		{{Key: "$project", Value: bson.D{
			{Key: "_id", Value: 0},
			{Key: "MonthKey", Value: 1},
			{Key: "Cells", Value: 1},
		}}},
	}
}

// BucketCellsRow is what BucketCells returns.
type BucketCellsRow struct {
	MonthKey string           `bson:"MonthKey"`
	Cells    model.MonthCells `bson:"Cells"`
}

// TxBucketRows streams transactions projected onto what their buckets
// hold, to build the buckets from the transactions collection (one scan):
// for data that did not come through the sync (an import, a store from
// before the buckets) and on demand.
func TxBucketRows(filter bson.D) mongo.Pipeline {
	return mongo.Pipeline{
		match(filter),
		{{Key: "$project", Value: bson.D{
			{Key: "TransactionUser", Value: 1},
			{Key: "TransactionId", Value: 1},
			{Key: "BankId", Value: 1},
			{Key: "TransactionBank", Value: 1},
			{Key: "TransactionAccountId", Value: 1},
			{Key: "MonthKey", Value: 1},
			{Key: "Category", Value: 1},
			{Key: "Direction", Value: 1},
			{Key: "Merchant", Value: 1},
			{Key: "Status", Value: 1},
			{Key: "AmountBase", Value: 1},
			{Key: "BookingDate", Value: 1},
			{Key: "Amount", Value: 1},
			{Key: "Currency", Value: 1},
			{Key: "Description", Value: 1},
		}}},
	}
}

// TxBucketRow is what TxBucketRows returns.
type TxBucketRow struct {
	ID         bson.ObjectID `bson:"_id"`
	User       model.UserRef `bson:"TransactionUser"`
	TxID       string        `bson:"TransactionId"`
	BankID     string        `bson:"BankId"`
	Bank       string        `bson:"TransactionBank"`
	AccountID  string        `bson:"TransactionAccountId"`
	MonthKey   string        `bson:"MonthKey"`
	Category   string        `bson:"Category"`
	Direction  string        `bson:"Direction"`
	Merchant   string        `bson:"Merchant"`
	Status     string        `bson:"Status"`
	AmountBase float64       `bson:"AmountBase"`
	// What a transaction list's row shows besides the above.
	BookingDate time.Time `bson:"BookingDate"`
	Amount      float64   `bson:"Amount"`
	Currency    string    `bson:"Currency"`
	Description string    `bson:"Description"`
}
