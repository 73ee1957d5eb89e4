package buckets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// readers bounds the concurrent _id lookups of one read: enough to keep
// the embedded engine busy on two cores, few enough not to starve others.
const readers = 4

// readDocs reads documents of transaction_months by _id, missing ones left
// out. The embedded engine reaches an index only for a filter of exactly
// one _id, so it gets one lookup each (a few at once); MongoDB gets one
// query.
func readDocs[T any](ctx context.Context, s *store.Store, ids []bson.ObjectID) ([]T, error) {
	return readEach(ctx, s, ids, func(f bson.D) ([]T, error) {
		return store.FindAll[T](ctx, s, model.CollTxMonths, f)
	})
}

// readEach runs get with a filter on the ids: one filter of all of them on
// MongoDB, one per id (a few at once) on the embedded engine.
func readEach[T any](ctx context.Context, s *store.Store, ids []bson.ObjectID, get func(filter bson.D) ([]T, error)) ([]T, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if !s.Embedded() {
		return get(bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	}
	out := make([][]T, len(ids))
	errs := make([]error, len(ids))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(readers, len(ids)) {
		wg.Go(func() {
			for i := range next {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					continue
				}
				out[i], errs[i] = get(bson.D{{Key: "_id", Value: ids[i]}})
			}
		})
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", model.CollTxMonths, err)
	}
	docs := make([]T, 0, len(ids))
	for _, d := range out {
		docs = append(docs, d...)
	}
	return docs, nil
}

// readOne reads one document by _id; found is false when there is none.
func readOne[T any](ctx context.Context, s *store.Store, id bson.ObjectID) (T, bool, error) {
	var d T
	err := s.C(model.CollTxMonths).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("cannot read %s: %w", model.CollTxMonths, err)
	}
	return d, true, nil
}

// writeAttempts bounds the retries of writeDocs.
const writeAttempts = 8

// writeDocs replaces documents by _id. Writers creating the same documents
// at once (recomputations rebuilding a user's buckets together) both try
// to insert some of them and one gets a duplicate key; those exist by
// then, so it writes again and replaces them.
func writeDocs[T any](ctx context.Context, s *store.Store, docs []T, id func(T) any) error {
	var err error
	for range writeAttempts {
		if _, err = store.ReplaceByID(ctx, s, model.CollTxMonths, docs, id); err == nil || !isDuplicateKey(err) {
			return err
		}
	}
	return err
}

func isDuplicateKey(err error) bool {
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	var pw *store.PartialWriteError
	return errors.As(err, &pw) && strings.Contains(pw.Err.Error(), "E11000")
}

// Write stores buckets: new ones bulk-inserted (a duplicate, written
// meanwhile by another writer, is replaced instead), the others replaced.
// On a first sync every bucket is new, and an insert costs the embedded
// engine less than an upsert.
func Write(ctx context.Context, s *store.Store, bs []*Bucket) error {
	var fresh []any
	var freshDocs, replace []model.TransactionMonth
	for _, b := range bs {
		d := b.Doc()
		if b.stored {
			replace = append(replace, d)
		} else {
			fresh = append(fresh, d)
			freshDocs = append(freshDocs, d)
		}
	}
	_, dups, err := s.InsertNewDups(ctx, model.CollTxMonths, fresh)
	if err != nil {
		return fmt.Errorf("cannot store the transaction buckets: %w", err)
	}
	for _, i := range dups {
		replace = append(replace, freshDocs[i])
	}
	if err := writeDocs(ctx, s, replace, func(d model.TransactionMonth) any { return d.ID }); err != nil {
		return fmt.Errorf("cannot store the transaction buckets: %w", err)
	}
	for _, b := range bs {
		b.dirty, b.stored = false, true
	}
	return nil
}

// Load reads the buckets with the given ids; missing ones are left out.
func Load(ctx context.Context, s *store.Store, ids []bson.ObjectID) ([]*Bucket, error) {
	docs, err := readDocs[model.TransactionMonth](ctx, s, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*Bucket, 0, len(docs))
	for _, d := range docs {
		b, err := FromDoc(d)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// readIndex reads a user's index; found is false when there is none.
func readIndex(ctx context.Context, s *store.Store, u model.UserRef) (model.TransactionMonthIndex, bool, error) {
	return readOne[model.TransactionMonthIndex](ctx, s, model.TxMonthIndexID(u))
}

func writeIndex(ctx context.Context, s *store.Store, ix model.TransactionMonthIndex) error {
	if ix.Buckets == nil {
		ix.Buckets = []model.BucketRef{}
	}
	err := writeDocs(ctx, s, []model.TransactionMonthIndex{ix}, func(d model.TransactionMonthIndex) any { return d.ID })
	if err != nil {
		return fmt.Errorf("cannot store the bucket index of %s: %w", ix.MonthUser.UserName, err)
	}
	return nil
}

// AddToIndex lists buckets in the user's index (read, merge, write). The
// caller keeps two writers of one user's index from interleaving.
func AddToIndex(ctx context.Context, s *store.Store, u model.UserRef, bs []*Bucket) error {
	if len(bs) == 0 {
		return nil
	}
	ix, _, err := readIndex(ctx, s, u)
	if err != nil {
		return err
	}
	have := map[bson.ObjectID]bool{}
	for _, r := range ix.Buckets {
		have[r.ID] = true
	}
	added := false
	for _, b := range bs {
		id := model.TxMonthID(b.User, b.BankKey, b.AccountID, b.Month)
		if !have[id] {
			have[id] = true
			ix.Buckets = append(ix.Buckets, model.BucketRef{Bank: b.BankKey, ID: id})
			added = true
		}
	}
	if !added {
		return nil
	}
	ix.ID, ix.MonthUser = model.TxMonthIndexID(u), u
	return writeIndex(ctx, s, ix)
}

// ForgetBank drops the buckets of one bank (by id or name) from the user's
// index, after they were erased (revoking the bank).
func ForgetBank(ctx context.Context, s *store.Store, u model.UserRef, bankKeys ...string) error {
	ix, found, err := readIndex(ctx, s, u)
	if err != nil || !found {
		return err
	}
	keep := ix.Buckets[:0]
	for _, r := range ix.Buckets {
		drop := false
		for _, k := range bankKeys {
			drop = drop || (k != "" && r.Bank == k)
		}
		if !drop {
			keep = append(keep, r)
		}
	}
	ix.Buckets = keep
	return writeIndex(ctx, s, ix)
}

// Covered makes sure every transaction of the store is in a bucket, and
// reports it. A store is marked once: when it has no transactions yet, or
// once the buckets of the transactions written before the buckets existed
// were built from them (one scan of the transactions, once per store).
func Covered(ctx context.Context, s *store.Store) error {
	_, found, err := readOne[model.TransactionMonthSchema](ctx, s, model.TxMonthSchemaID())
	if err != nil || found {
		return err
	}
	// Once: the others wait, then find the mark.
	defer s.Lock(model.CollTxMonths)()
	if _, found, err = readOne[model.TransactionMonthSchema](ctx, s, model.TxMonthSchemaID()); err != nil || found {
		return err
	}
	// FindOne without a filter reads one row (the engine pushes the limit
	// down): no scan.
	err = s.C(model.CollTransactions).FindOne(ctx, bson.D{}).Err()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
	case err != nil:
		return fmt.Errorf("cannot read %s: %w", model.CollTransactions, err)
	default:
		if err := Rebuild(ctx, s, nil); err != nil {
			return err
		}
	}
	mark := model.TransactionMonthSchema{ID: model.TxMonthSchemaID(), Version: 1, Since: time.Now().UTC().Truncate(time.Millisecond)}
	if _, err := s.InsertNew(ctx, model.CollTxMonths, []any{mark}); err != nil {
		return fmt.Errorf("cannot mark the transaction buckets built: %w", err)
	}
	return nil
}
