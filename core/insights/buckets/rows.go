package buckets

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Row is one transaction of a list as its bucket keeps it: what the
// transactions pane and `openfinance transactions` show, and the _id of
// its document for everything else. Fields are named as in
// model.Transaction.
type Row struct {
	ID                   bson.ObjectID // the transaction document's _id
	TransactionId        string        //nolint:revive // the bank's id
	BankId               string        //nolint:revive // the bank's id, or its name for imported data without one
	TransactionBank      string
	TransactionAccountId string //nolint:revive
	MonthKey             string
	BookingDate          time.Time // UTC
	Amount               float64   // signed, in Currency
	Currency             string
	AmountBase           float64 // signed, in the base currency
	Category             string
	Direction            string
	Merchant             string
	Status               string
	Description          string
}

// rowOf is the row of one entry of bucket d.
func rowOf(d *model.TransactionMonth, id string, e Entry) Row {
	if i := strings.IndexByte(id, 0); i >= 0 {
		id = id[:i] // a second transaction with that bank id (see Rebuild)
	}
	return Row{
		ID: e.Doc, TransactionId: id, BankId: d.BankId, TransactionBank: d.Bank, TransactionAccountId: d.AccountId,
		MonthKey: d.MonthKey, BookingDate: time.UnixMilli(e.Booked).UTC(), Amount: e.Native, Currency: e.Currency,
		AmountBase: e.Amount, Category: e.Category, Direction: e.Direction, Merchant: e.Merchant, Status: e.Status,
		Description: e.Description,
	}
}

// Rows reads a user's transactions from the buckets (the index by _id,
// then each bucket by _id), newest first, ties by document _id: the order
// of a Find sorted by BookingDate descending and _id. Its cost grows with
// the user's buckets, not with anyone's transactions.
//
// complete is false when a bucket written before entries carried their
// rows holds some of the user's transactions: those are left out, and the
// caller rebuilds the user's buckets (Rebuild) and reads again.
func Rows(ctx context.Context, s *store.Store, u model.UserRef) (rows []Row, complete bool, err error) {
	ids, err := userBuckets(ctx, s, u)
	if err != nil || len(ids) == 0 {
		return []Row{}, err == nil, err
	}
	docs, err := readDocs[model.TransactionMonth](ctx, s, ids)
	if err != nil {
		return nil, false, fmt.Errorf("cannot read the transaction buckets of %s: %w", u.UserName, err)
	}
	n := 0
	for i := range docs {
		n += docs[i].Count
	}
	rows, complete = make([]Row, 0, n), true
	for i := range docs {
		d := &docs[i]
		err := eachEntry(*d, func(id string, e Entry) {
			if !e.Complete() {
				complete = false
				return
			}
			rows = append(rows, rowOf(d, id, e))
		})
		if err != nil {
			return nil, false, err
		}
	}
	SortRows(rows)
	return rows, complete, nil
}

// SortRows orders rows newest first, ties by document _id.
func SortRows(rows []Row) {
	slices.SortFunc(rows, func(a, b Row) int {
		if c := b.BookingDate.Compare(a.BookingDate); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
}
