package hub

// Small read-only queries the TUI needs and no other front end does yet.

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// DataCounts counts the user's documents per collection that Revoke (at
// one bank, id or name) or EraseUser (bank "") would erase, so a
// confirmation can say exactly what goes.
// Collections with nothing stored are left out.
func (h *Hub) DataCounts(ctx context.Context, u model.UserRef, bank string) (map[string]int, error) {
	name, id := "", ""
	if bank != "" {
		name, id = bank, bank // a bank only imported data names
		if b, err := h.Bank(bank); err == nil {
			name, id = b.Name, b.ID
		}
	}
	and := func(owner bson.D, field, v string) bson.D {
		if v == "" {
			return owner
		}
		return bson.D{{Key: "$and", Value: bson.A{owner, bson.D{{Key: field, Value: v}}}}}
	}
	topOwner := bson.D{{Key: "UserName", Value: u.UserName}}
	if !u.UserId.IsZero() {
		topOwner = bson.D{{Key: "$or", Value: bson.A{topOwner, bson.D{{Key: "UserId", Value: u.UserId}}}}}
	}
	type query struct {
		coll string
		f    bson.D
	}
	filters := []query{
		{model.CollAccounts, and(store.OwnerFilter("AccountUser", u), "AccountBank", name)},
		{model.CollProducts, and(store.OwnerFilter("ProductCustomer", u), "ProductBank", name)},
		{model.CollTransactions, and(store.OwnerFilter("TransactionUser", u), "TransactionBank", name)},
		{model.CollTokens, and(topOwner, "BankId", id)},
	}
	if bank == "" {
		// A revoked consent stays on record (marked Revoked); erasing the
		// user removes the records too.
		filters = append(filters,
			query{model.CollConsents, store.OwnerFilter("ConsentUser", u)},
			query{model.CollAudit, topOwner},
			query{model.CollInsights, bson.D{{Key: "UserName", Value: u.UserName}}},
			query{model.CollUsers, bson.D{{Key: "UserName", Value: u.UserName}}},
		)
	}
	out := map[string]int{}
	for _, q := range filters {
		n, err := h.s.C(q.coll).CountDocuments(ctx, q.f)
		if err != nil {
			return nil, fmt.Errorf("cannot count your %s: %w", q.coll, err)
		}
		if n > 0 {
			out[q.coll] = int(n)
		}
	}
	return out, nil
}
