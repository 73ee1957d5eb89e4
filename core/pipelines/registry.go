package pipelines

import (
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
)

// All returns every pipeline of the package built with sample arguments, so
// a test can hold each one to the supported subset. A new pipeline is added
// here in the same change that adds it.
func All() []Named {
	owner := bson.D{{Key: "AccountUser.UserId", Value: bson.NewObjectID()}}
	powner := bson.D{{Key: "ProductCustomer.UserId", Value: bson.NewObjectID()}}
	return []Named{
		{"balances", model.CollAccounts, Balances(owner)},
		{"loans", model.CollProducts, Loans(powner)},
		{"selected-balance", model.CollAccounts, SelectedSum(owner, []bson.ObjectID{bson.NewObjectID()}, nil, "AccountBalance")},
		{"selected-debt", model.CollProducts, SelectedSum(powner, []bson.ObjectID{bson.NewObjectID()},
			bson.D{{Key: "ProductType", Value: bson.D{{Key: "$in", Value: model.DebtTypes()}}}}, "ProductAmount")},
		{"owners", model.CollAccounts, Owners("AccountUser")},
		{"tx-amounts", model.CollTransactions, TxAmounts(bson.D{{Key: "TransactionUser.UserId", Value: bson.NewObjectID()}})},
		{"tx-counts", model.CollTransactions, TxCounts(bson.D{{Key: "TransactionUser.UserId", Value: bson.NewObjectID()}})},
		{"tx-rows", model.CollTransactions, TxRows(bson.D{{Key: "TransactionUser.UserId", Value: bson.NewObjectID()}})},
		{"tx-bucket-rows", model.CollTransactions, TxBucketRows(bson.D{{Key: "TransactionUser.UserId", Value: bson.NewObjectID()}})},
		{"bucket-cells", model.CollTxMonths, BucketCells(bson.D{{Key: "_id", Value: bson.NewObjectID()}})},
		{"bucket-cells-in", model.CollTxMonths, BucketCells(bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{bson.NewObjectID()}}}}})},
	}
}
