// Package pipelines holds every aggregation pipeline openfinance runs.
//
// They are kept in one place because they must stay inside the subset that
// both MongoDB and the embedded FerretDB v1 run correctly (see Check): one
// accumulator per $group, no field paths inside $project/$addFields/$set, no
// computed expressions. What a pipeline cannot compute (products, averages,
// conversions) is either stored when writing (the Computed Pattern) or
// finished in Go from the small grouped results these pipelines return.
package pipelines

import (
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Named is a pipeline with the collection it runs on, for the subset test.
type Named struct {
	Name       string
	Collection string
	Pipeline   mongo.Pipeline
}

func match(f bson.D) bson.D { return bson.D{{Key: "$match", Value: f}} }

func group(id any, acc string, expr any) bson.D {
	return bson.D{{Key: "$group", Value: bson.D{
		{Key: "_id", Value: id},
		{Key: "v", Value: bson.D{{Key: acc, Value: expr}}},
	}}}
}

// GroupRow is the shape every grouping pipeline here returns: a key and one
// value (the only accumulator FerretDB v1 computes correctly).
type GroupRow[K any] struct {
	Key K       `bson:"_id"`
	V   float64 `bson:"v"`
}

// BalanceKey keys account balances.
type BalanceKey struct {
	Bank     string `bson:"bank"`
	Currency string `bson:"currency"`
	Type     string `bson:"type"`
}

// Balances sums a user's account balances by bank, currency and account type:
// every position breakdown (overall, by bank, by currency, by type) follows
// from these few rows.
func Balances(owner bson.D) mongo.Pipeline {
	return mongo.Pipeline{
		match(owner),
		group(bson.D{
			{Key: "bank", Value: "$AccountBank"},
			{Key: "currency", Value: "$AccountCurrency"},
			{Key: "type", Value: "$AccountType"},
		}, "$sum", "$AccountBalance"),
	}
}

// SelectedSum sums field over the documents of a user whose _id is in ids;
// the original API's calculate-total-balance/-debt endpoints.
func SelectedSum(owner bson.D, ids []bson.ObjectID, extra bson.D, field string) mongo.Pipeline {
	and := bson.A{owner, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}}
	if len(extra) > 0 {
		and = append(and, extra)
	}
	return mongo.Pipeline{
		match(bson.D{{Key: "$and", Value: and}}),
		group(nil, "$sum", "$"+field),
	}
}

// Owners counts documents per owner user name in a collection whose owner
// sub-document is field (AccountUser, ProductCustomer): the users known only
// through imported documents. (Distinct is avoided: driver v2 cannot decode
// FerretDB v1's reply to it.)
func Owners(field string) mongo.Pipeline {
	return mongo.Pipeline{
		group(bson.D{{Key: "name", Value: "$" + field + ".UserName"}}, "$sum", 1),
	}
}

// OwnerKey keys Owners rows.
type OwnerKey struct {
	Name string `bson:"name"`
}
