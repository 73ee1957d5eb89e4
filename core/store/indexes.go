package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/model"
)

// indexes are the per-user access paths. On MongoDB they make every view an
// index scan; FerretDB v1 accepts and keeps them (so a later move to MongoDB
// needs no migration) even though it scans anyway.
func indexes() map[string][]mongo.IndexModel {
	asc := func(keys ...string) bson.D {
		d := bson.D{}
		for _, k := range keys {
			d = append(d, bson.E{Key: k, Value: 1})
		}
		return d
	}
	return map[string][]mongo.IndexModel{
		model.CollUsers: {
			{Keys: asc("UserName"), Options: options.Index().SetUnique(true).SetName("user_name_unique")},
		},
		model.CollTokens: {
			{Keys: asc("UserName")},
			{Keys: asc("TokenHash"), Options: options.Index().SetSparse(true)},
		},
		model.CollAccounts: {
			{Keys: asc("AccountUser.UserId", "AccountBank")},
			{Keys: asc("AccountUser.UserName")},
		},
		model.CollProducts: {
			{Keys: asc("ProductCustomer.UserId", "ProductBank")},
			{Keys: asc("ProductCustomer.UserName")},
		},
		model.CollTransactions: {
			{Keys: bson.D{{Key: "TransactionUser.UserId", Value: 1}, {Key: "BookingDate", Value: -1}}},
			// The natural key: a second copy of a bank record cannot exist
			// even if an _id were ever derived differently.
			{
				Keys:    asc("TransactionUser.UserId", "BankId", "TransactionAccountId", "TransactionId"),
				Options: options.Index().SetUnique(true).SetName("natural_key_unique"),
			},
		},
		model.CollConsents: {
			{Keys: asc("ConsentUser.UserId", "BankId")},
		},
		model.CollAudit: {
			{Keys: bson.D{{Key: "UserId", Value: 1}, {Key: "Time", Value: -1}}},
		},
	}
}

func (s *Store) ensureIndexes(ctx context.Context) error {
	for coll, models := range indexes() {
		// One index per command: FerretDB v1 panics (and drops the
		// connection) on a createIndexes with several indexes that exist.
		for _, m := range models {
			if _, err := s.C(coll).Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("cannot create the indexes of %s: %w", coll, err)
			}
		}
	}
	return nil
}
