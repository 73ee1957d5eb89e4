package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
)

// AppendAudit inserts one audit record. The audit trail is append-only:
// nothing in openfinance updates or deletes a record, except erasing a
// user's own records on their request (EraseUser).
func (s *Store) AppendAudit(ctx context.Context, ev model.AuditEvent) error {
	if ev.ID.IsZero() {
		ev.ID = bson.NewObjectID()
	}
	if _, err := s.C(model.CollAudit).InsertOne(ctx, ev); err != nil {
		return fmt.Errorf("cannot write the audit trail: %w", err)
	}
	return nil
}

// userFieldFilter matches documents owned through plain UserId/UserName
// fields (tokens, audit).
func userFieldFilter(u model.UserRef) bson.D {
	var or bson.A
	if !u.UserId.IsZero() {
		or = append(or, bson.D{{Key: "UserId", Value: u.UserId}})
	}
	if u.UserName != "" {
		or = append(or, bson.D{{Key: "UserName", Value: u.UserName}})
	}
	return bson.D{{Key: "$or", Value: or}}
}

// BankDataFilters are the filters of a user's documents from one bank, per
// collection: synced documents by lineage, seeded or imported ones by the
// bank's name.
func BankDataFilters(u model.UserRef, bankID, bankName string) map[string]bson.D {
	byBank := func(nameField string) bson.D {
		return bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: nameField, Value: bankName}},
			bson.D{{Key: "Lineage.BankId", Value: bankID}},
		}}}
	}
	and := func(a, b bson.D) bson.D { return bson.D{{Key: "$and", Value: bson.A{a, b}}} }
	return map[string]bson.D{
		model.CollAccounts: and(OwnerFilter("AccountUser", u), byBank("AccountBank")),
		model.CollProducts: and(OwnerFilter("ProductCustomer", u), byBank("ProductBank")),
		model.CollTransactions: and(OwnerFilter("TransactionUser", u), bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "BankId", Value: bankID}}, bson.D{{Key: "TransactionBank", Value: bankName}},
		}}}),
		model.CollTokens: and(userFieldFilter(u), bson.D{{Key: "BankId", Value: bankID}}),
		model.CollTxMonths: and(OwnerFilter("MonthUser", u), bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "BankId", Value: bankID}}, bson.D{{Key: "Bank", Value: bankName}},
		}}}),
	}
}

// DeleteBankData removes a user's accounts, products, transactions (and
// their buckets) and tokens of one bank and returns the count per
// collection.
func (s *Store) DeleteBankData(ctx context.Context, u model.UserRef, bankID, bankName string) (map[string]int, error) {
	out := map[string]int{}
	for _, coll := range []string{model.CollTokens, model.CollTransactions, model.CollTxMonths, model.CollProducts, model.CollAccounts} {
		r, err := s.C(coll).DeleteMany(ctx, BankDataFilters(u, bankID, bankName)[coll])
		if err != nil {
			return out, fmt.Errorf("cannot erase %s's %s data in %s: %w", u.UserName, bankName, coll, err)
		}
		if coll != model.CollTxMonths { // derived from the transactions: counted in them
			out[coll] = int(r.DeletedCount)
		}
	}
	return out, nil
}

// UserFilters are the filters of every document of a user, per collection.
func UserFilters(u model.UserRef) map[string]bson.D {
	users := bson.D{{Key: "UserName", Value: u.UserName}}
	insightsF := bson.D{{Key: "UserName", Value: u.UserName}}
	if !u.UserId.IsZero() {
		users = bson.D{{Key: "$or", Value: bson.A{bson.D{{Key: "_id", Value: u.UserId}}, users}}}
		insightsF = bson.D{{Key: "$or", Value: bson.A{bson.D{{Key: "_id", Value: u.UserId}}, insightsF}}}
	}
	return map[string]bson.D{
		model.CollUsers:        users,
		model.CollTokens:       userFieldFilter(u),
		model.CollConsents:     OwnerFilter("ConsentUser", u),
		model.CollAccounts:     OwnerFilter("AccountUser", u),
		model.CollProducts:     OwnerFilter("ProductCustomer", u),
		model.CollTransactions: OwnerFilter("TransactionUser", u),
		model.CollTxMonths:     OwnerFilter("MonthUser", u),
		model.CollInsights:     insightsF,
		model.CollAudit:        userFieldFilter(u),
	}
}

// UserCollections lists the collections that hold a user's documents, in
// the order they are erased (the user record last, so an interrupted erase
// can be run again by name).
func UserCollections() []string {
	return []string{
		model.CollTokens, model.CollConsents, model.CollTransactions, model.CollTxMonths, model.CollProducts,
		model.CollAccounts, model.CollInsights, model.CollAudit, model.CollUsers,
	}
}

// DeleteUserData removes every document of a user in every collection and
// returns the count per collection.
func (s *Store) DeleteUserData(ctx context.Context, u model.UserRef) (map[string]int, error) {
	if u.UserName == "" && u.UserId.IsZero() {
		return nil, fmt.Errorf("no user to erase")
	}
	filters := UserFilters(u)
	out := map[string]int{}
	for _, coll := range UserCollections() {
		r, err := s.C(coll).DeleteMany(ctx, filters[coll])
		if err != nil {
			return out, fmt.Errorf("cannot erase %s's documents in %s: %w", u.UserName, coll, err)
		}
		if coll != model.CollTxMonths { // derived from the transactions: counted in them
			out[coll] = int(r.DeletedCount)
		}
	}
	return out, nil
}
