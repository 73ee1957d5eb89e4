package model

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TransactionMonth is one bucket of collection transaction_months: a
// user's transactions on one account in one month, reduced to the cells of
// the insights' transaction cube (the Bucket and Computed patterns). The
// sync writes it with the transactions it stores, so that recomputing a
// user's insights reads a few small documents by _id instead of scanning
// every transaction.
type TransactionMonth struct {
	ID        bson.ObjectID `bson:"_id"` // TxMonthID(user, bank, account, month)
	MonthUser UserRef       `bson:"MonthUser"`
	BankId    string        `bson:"BankId"`    //nolint:revive // the bank's id, or its name for imported data without one
	Bank      string        `bson:"Bank"`      // the bank's name (TransactionBank)
	AccountId string        `bson:"AccountId"` //nolint:revive // the bank's account id
	MonthKey  string        `bson:"MonthKey"`
	Count     int           `bson:"Count"` // transactions in the bucket
	// Cells are the cube of the month: base-currency sum and count per
	// category, direction, merchant and status, sorted by those keys.
	Cells []MonthCell `bson:"Cells"`
	// Entries are the bucket's transactions packed into one string (the
	// bank's id, the cell and the amount of each; see
	// core/insights/buckets), what a later sync needs to tell new
	// transactions from stored ones and to move pending ones. One string,
	// because the embedded engine decodes every stored value on each read.
	Entries string `bson:"Entries"`
}

// MonthCell is one cell of a month's cube.
type MonthCell struct {
	Category  string  `bson:"c"`
	Direction string  `bson:"d"`
	Merchant  string  `bson:"mer"`
	Status    string  `bson:"s"`
	Sum       float64 `bson:"v"` // Σ AmountBase, signed
	Count     int     `bson:"n"`
}

// TransactionMonthIndex lists a user's buckets (collection
// transaction_months, _id TxMonthIndexID), so they are read by _id.
type TransactionMonthIndex struct {
	ID        bson.ObjectID `bson:"_id"`
	MonthUser UserRef       `bson:"MonthUser"`
	Buckets   []BucketRef   `bson:"Buckets"`
}

// BucketRef names one bucket of an index and the bank it belongs to.
type BucketRef struct {
	Bank string        `bson:"b"` // the bucket's BankId
	ID   bson.ObjectID `bson:"id"`
}

// TransactionMonthSchema marks a store whose every transaction is in a
// bucket (collection transaction_months, _id TxMonthSchemaID): written when
// a store without transactions is opened, or once the buckets of a store
// from before the buckets existed are built.
type TransactionMonthSchema struct {
	ID      bson.ObjectID `bson:"_id"`
	Version int           `bson:"Version"`
	Since   time.Time     `bson:"Since"`
}
