package store

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
)

// ErrUnknownUser is returned when a user name or id matches nobody.
var ErrUnknownUser = errors.New("unknown user")

// ResolveUser finds a user by UserName or by the hex of its _id, as the
// original system's user_identifier does. Users known only from imported
// documents (the original system kept its users elsewhere) are found through
// their accounts, products or tokens.
func (s *Store) ResolveUser(ctx context.Context, ident string) (model.UserRef, error) {
	if ident == "" {
		return model.UserRef{}, fmt.Errorf("%w: no user given", ErrUnknownUser)
	}
	oid, idErr := bson.ObjectIDFromHex(ident)
	byID := idErr == nil
	var u model.User
	filter := bson.D{{Key: "UserName", Value: ident}}
	if byID {
		filter = bson.D{{Key: "$or", Value: bson.A{bson.D{{Key: "_id", Value: oid}}, filter}}}
	}
	err := s.C(model.CollUsers).FindOne(ctx, filter).Decode(&u)
	if err == nil {
		return model.UserRef{UserName: u.UserName, UserId: u.ID}, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return model.UserRef{}, fmt.Errorf("cannot look up user %s: %w", ident, err)
	}
	for _, src := range []struct{ coll, field string }{
		{model.CollAccounts, "AccountUser"},
		{model.CollProducts, "ProductCustomer"},
	} {
		f := bson.D{{Key: src.field + ".UserName", Value: ident}}
		if byID {
			f = bson.D{{Key: "$or", Value: bson.A{bson.D{{Key: src.field + ".UserId", Value: oid}}, f}}}
		}
		raw, err := s.C(src.coll).FindOne(ctx, f).Raw()
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return model.UserRef{}, fmt.Errorf("cannot look up user %s: %w", ident, err)
		}
		var ref model.UserRef
		if v, err := raw.LookupErr(src.field); err == nil {
			_ = v.Unmarshal(&ref)
		}
		if ref.UserName == "" && !byID {
			ref.UserName = ident
		}
		return ref, nil
	}
	if !byID {
		n, err := s.C(model.CollTokens).CountDocuments(ctx, bson.D{{Key: "UserName", Value: ident}})
		if err != nil {
			return model.UserRef{}, fmt.Errorf("cannot look up user %s: %w", ident, err)
		}
		if n > 0 {
			return model.UserRef{UserName: ident}, nil
		}
	}
	return model.UserRef{}, fmt.Errorf("%w %s", ErrUnknownUser, ident)
}

// ListUsers returns the users collection plus users that exist only through
// imported documents (marked Source "imported"), sorted by UserName.
func (s *Store) ListUsers(ctx context.Context) ([]model.User, error) {
	users, err := FindAll[model.User](ctx, s, model.CollUsers, bson.D{})
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, u := range users {
		known[u.UserName] = true
	}
	for _, src := range []struct{ coll, field string }{
		{model.CollAccounts, "AccountUser"},
		{model.CollProducts, "ProductCustomer"},
	} {
		rows, err := Aggregate[pipelines.GroupRow[pipelines.OwnerKey]](ctx, s, src.coll, pipelines.Owners(src.field))
		if err != nil {
			return nil, fmt.Errorf("cannot list the users of %s: %w", src.coll, err)
		}
		for _, r := range rows {
			n := r.Key.Name
			if n == "" || known[n] {
				continue
			}
			known[n] = true
			ref, err := s.ResolveUser(ctx, n)
			if err != nil {
				return nil, err
			}
			users = append(users, model.User{ID: ref.UserId, UserName: n, Source: "imported"})
		}
	}
	sort.Slice(users, func(i, j int) bool { return users[i].UserName < users[j].UserName })
	return users, nil
}
