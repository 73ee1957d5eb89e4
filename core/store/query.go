package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/model"
)

// FindAll decodes every document matching filter.
func FindAll[T any](ctx context.Context, s *Store, coll string, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := s.C(coll).Find(ctx, filter, opts...)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", coll, err)
	}
	out := []T{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", coll, err)
	}
	return out, nil
}

// OwnerFilter matches the documents of one user in a collection whose owner
// sub-document is field (AccountUser, ProductCustomer, ...). Documents
// imported from the original system may carry only one of UserId and
// UserName reliably, so either matches.
func OwnerFilter(field string, u model.UserRef) bson.D {
	var or bson.A
	if !u.UserId.IsZero() {
		or = append(or, bson.D{{Key: field + ".UserId", Value: u.UserId}})
	}
	if u.UserName != "" {
		or = append(or, bson.D{{Key: field + ".UserName", Value: u.UserName}})
	}
	if len(or) == 1 {
		return or[0].(bson.D)
	}
	return bson.D{{Key: "$or", Value: or}}
}

// AccountFilter selects a user's accounts, optionally at one bank (by name).
func AccountFilter(u model.UserRef, bank string) bson.D {
	f := bson.D{{Key: "$and", Value: bson.A{OwnerFilter("AccountUser", u)}}}
	if bank != "" {
		f = bson.D{{Key: "$and", Value: bson.A{OwnerFilter("AccountUser", u), bson.D{{Key: "AccountBank", Value: bank}}}}}
	}
	return f
}

// ProductFilter selects a user's products, optionally at one bank and of one type.
func ProductFilter(u model.UserRef, bank, productType string) bson.D {
	and := bson.A{OwnerFilter("ProductCustomer", u)}
	if bank != "" {
		and = append(and, bson.D{{Key: "ProductBank", Value: bank}})
	}
	if productType != "" {
		and = append(and, bson.D{{Key: "ProductType", Value: productType}})
	}
	return bson.D{{Key: "$and", Value: and}}
}

// Accounts returns a user's external accounts, by bank then account id.
func (s *Store) Accounts(ctx context.Context, u model.UserRef, bank string) ([]model.ExternalAccount, error) {
	return FindAll[model.ExternalAccount](ctx, s, model.CollAccounts, AccountFilter(u, bank),
		options.Find().SetSort(bson.D{{Key: "AccountBank", Value: 1}, {Key: "AccountId", Value: 1}}))
}

// Products returns a user's external products, by bank then product id.
func (s *Store) Products(ctx context.Context, u model.UserRef, bank, productType string) ([]model.ExternalProduct, error) {
	return FindAll[model.ExternalProduct](ctx, s, model.CollProducts, ProductFilter(u, bank, productType),
		options.Find().SetSort(bson.D{{Key: "ProductBank", Value: 1}, {Key: "ProductId", Value: 1}}))
}

// RawDocs returns documents as bson.D, field order and types untouched, for
// printing stored documents as they are.
func (s *Store) RawDocs(ctx context.Context, coll string, filter any, sort bson.D) ([]bson.D, error) {
	opts := options.Find()
	if sort != nil {
		opts.SetSort(sort)
	}
	return FindAll[bson.D](ctx, s, coll, filter, opts)
}

// Aggregate runs a pipeline and decodes every result.
func Aggregate[T any](ctx context.Context, s *Store, coll string, p mongo.Pipeline) ([]T, error) {
	cur, err := s.C(coll).Aggregate(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("cannot aggregate %s: %w", coll, err)
	}
	out := []T{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("cannot aggregate %s: %w", coll, err)
	}
	return out, nil
}
