package buckets

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Rebuild makes the buckets of users from the transactions collection (one
// scan) and replaces their indexes: for data that did not come through the
// sync (an import, a test that inserts documents) and as a repair. With no
// users it rebuilds everyone's.
func Rebuild(ctx context.Context, s *store.Store, users []model.UserRef) error {
	users, err := canonical(ctx, s, users)
	if err != nil {
		return err
	}
	if len(users) > 0 { // (with none, Covered holds the lock)
		defer s.Lock(model.CollTxMonths)()
	}
	filter := bson.D{}
	if len(users) == 1 {
		filter = store.OwnerFilter("TransactionUser", users[0])
	} else if len(users) > 1 {
		or := bson.A{}
		for _, u := range users {
			or = append(or, store.OwnerFilter("TransactionUser", u))
		}
		filter = bson.D{{Key: "$or", Value: or}}
	}
	owner, err := resolver(ctx, s, users)
	if err != nil {
		return err
	}
	cur, err := s.C(model.CollTransactions).Aggregate(ctx, pipelines.TxBucketRows(filter))
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", model.CollTransactions, err)
	}
	defer cur.Close(ctx)
	type ukey = string
	per := map[ukey]map[bson.ObjectID]*Bucket{}
	refs := map[ukey]model.UserRef{}
	for _, u := range users {
		k := model.UserKey(u)
		per[k], refs[k] = map[bson.ObjectID]*Bucket{}, u
	}
	for cur.Next(ctx) {
		var r pipelines.TxBucketRow
		if err := cur.Decode(&r); err != nil {
			return fmt.Errorf("cannot read %s: %w", model.CollTransactions, err)
		}
		u := owner(r.User)
		k := model.UserKey(u)
		if per[k] == nil {
			per[k], refs[k] = map[bson.ObjectID]*Bucket{}, u
		}
		bankKey := r.BankID
		if bankKey == "" {
			bankKey = r.Bank
		}
		id := model.TxMonthID(u, bankKey, r.AccountID, r.MonthKey)
		b := per[k][id]
		if b == nil {
			b = New(u, bankKey, r.Bank, r.AccountID, r.MonthKey)
			per[k][id] = b
		}
		txID := r.TxID
		if _, dup := b.entries[txID]; dup {
			txID += "\x00" + r.ID.Hex() // not the bank's: keep both
		}
		b.Put(txID, Entry{Key: Key{Category: r.Category, Direction: r.Direction, Merchant: r.Merchant, Status: r.Status}, Amount: r.AmountBase,
			Doc: r.ID, Booked: r.BookingDate.UnixMilli(), Native: r.Amount, Currency: r.Currency, Description: r.Description})
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("cannot read %s: %w", model.CollTransactions, err)
	}
	for k, bs := range per {
		if err := replaceUser(ctx, s, refs[k], bs); err != nil {
			return err
		}
	}
	return nil
}

// canonical completes each user as the app resolves them (imported
// documents may carry only the name or only the id), so that the buckets
// are filed under the key the user's reads will use.
func canonical(ctx context.Context, s *store.Store, users []model.UserRef) ([]model.UserRef, error) {
	out := make([]model.UserRef, len(users))
	for i, u := range users {
		ident := u.UserName
		if ident == "" {
			ident = u.UserId.Hex()
		}
		r, err := s.ResolveUser(ctx, ident)
		switch {
		case errors.Is(err, store.ErrUnknownUser):
			out[i] = u
		case err != nil:
			return nil, err
		default:
			if r.UserName == "" {
				r.UserName = u.UserName
			}
			if r.UserId.IsZero() {
				r.UserId = u.UserId
			}
			out[i] = r
		}
	}
	return out, nil
}

// replaceUser writes a user's rebuilt buckets, removes the ones that no
// longer have transactions and replaces the index.
func replaceUser(ctx context.Context, s *store.Store, u model.UserRef, bs map[bson.ObjectID]*Bucket) error {
	old, _, err := readIndex(ctx, s, u)
	if err != nil {
		return err
	}
	list := make([]*Bucket, 0, len(bs))
	ix := model.TransactionMonthIndex{ID: model.TxMonthIndexID(u), MonthUser: u, Buckets: []model.BucketRef{}}
	for id, b := range bs {
		list = append(list, b)
		ix.Buckets = append(ix.Buckets, model.BucketRef{Bank: b.BankKey, ID: id})
	}
	// Index first: a reader skips a listed bucket not written yet, while a
	// written bucket missing from the index would go unseen.
	if err := writeIndex(ctx, s, ix); err != nil {
		return err
	}
	if err := Write(ctx, s, list); err != nil {
		return err
	}
	for _, r := range old.Buckets {
		if bs[r.ID] != nil {
			continue
		}
		// One by _id: the only delete the embedded engine runs on an index.
		if _, err := s.C(model.CollTxMonths).DeleteOne(ctx, bson.D{{Key: "_id", Value: r.ID}}); err != nil {
			return fmt.Errorf("cannot remove an old transaction bucket: %w", err)
		}
	}
	return nil
}

// resolver maps the owner of a transaction to the user its buckets belong
// to: the one user asked for, or else the owner, completed with the id of
// a user known by that name (documents imported from the original system
// may carry only the name).
func resolver(ctx context.Context, s *store.Store, users []model.UserRef) (func(model.UserRef) model.UserRef, error) {
	if len(users) == 1 {
		return func(model.UserRef) model.UserRef { return users[0] }, nil
	}
	byName := map[string]model.UserRef{}
	byID := map[bson.ObjectID]model.UserRef{}
	for _, u := range users {
		byName[strings.ToLower(u.UserName)], byID[u.UserId] = u, u
	}
	if len(users) == 0 {
		known, err := s.ListUsers(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range known {
			r := model.UserRef{UserName: u.UserName, UserId: u.ID}
			byName[strings.ToLower(u.UserName)], byID[u.ID] = r, r
		}
	}
	return func(o model.UserRef) model.UserRef {
		if u, ok := byID[o.UserId]; ok && !o.UserId.IsZero() {
			return u
		}
		if u, ok := byName[strings.ToLower(o.UserName)]; ok && o.UserName != "" {
			return u
		}
		return o
	}, nil
}
