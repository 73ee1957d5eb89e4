package model

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TransactionMonth is one bucket of collection transaction_months: a
// user's transactions on one account in one month, reduced to the cells of
// the insights' transaction cube (the Bucket and Computed patterns). The
// sync writes it with the transactions it stores, so that recomputing a
// user's insights reads a few small documents by _id instead of scanning
// every transaction.
type TransactionMonth struct {
	ID        bson.ObjectID `bson:"_id"` // TxMonthID(user, bank, account, month)
	MonthUser UserRef       `bson:"MonthUser"`
	BankId    string        `bson:"BankId"`    //nolint:revive // the bank's id, or its name for imported data without one
	Bank      string        `bson:"Bank"`      // the bank's name (TransactionBank)
	AccountId string        `bson:"AccountId"` //nolint:revive // the bank's account id
	MonthKey  string        `bson:"MonthKey"`
	Count     int           `bson:"Count"` // transactions in the bucket
	// Cells are the cube of the month: base-currency sum and count per
	// category, direction, merchant and status, sorted by those keys;
	// stored packed (see MonthCells).
	Cells MonthCells `bson:"Cells"`
	// Entries are the bucket's transactions packed into one string (the
	// bank's id, the cell and the amount of each, and what a list's row
	// shows: the document's _id, booking time, amount, currency and
	// description; see core/insights/buckets): what a later sync needs to
	// tell new transactions from stored ones and to move pending ones, and
	// what a transaction list reads instead of the transactions. One
	// string, because the embedded engine decodes every stored value on
	// each read.
	Entries string `bson:"Entries"`
}

// MonthCell is one cell of a month's cube.
type MonthCell struct {
	Category  string  `bson:"c"`
	Direction string  `bson:"d"`
	Merchant  string  `bson:"mer"`
	Status    string  `bson:"s"`
	Sum       float64 `bson:"v"` // Σ AmountBase, signed
	Count     int     `bson:"n"`
}

// MonthCells are a month's cube cells. In BSON they are one string, a cell
// per ";"-separated row of "category direction merchant status sum count"
// with the names query-escaped (so the string holds no quote, backslash or
// control character) and the sum printed as the shortest decimal that
// reads back the same float64:
//
//	"Dining out Caf%C3%A9+Rouge Booked -42.5 3;Income in  Booked 2500 1"
//
// The embedded engine decodes every stored value on each read at about
// 10 µs a value, so a month of card payments as documents (seven values a
// cell) cost more to read than everything else a recomputation does; and
// it decodes strings with escapes far slower than plain ones. An array of
// {c, d, mer, s, v, n} documents still reads.
type MonthCells []MonthCell

// MarshalBSONValue packs the cells into one string.
func (cs MonthCells) MarshalBSONValue() (byte, []byte, error) {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(';')
		}
		for _, f := range []string{c.Category, c.Direction, c.Merchant, c.Status} {
			b.WriteString(url.QueryEscape(f))
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(c.Sum, 'g', -1, 64))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(c.Count))
	}
	t, data, err := bson.MarshalValue(b.String())
	return byte(t), data, err
}

// UnmarshalBSONValue reads the packed string or an array of documents.
func (cs *MonthCells) UnmarshalBSONValue(typ byte, data []byte) error {
	switch bson.Type(typ) {
	case bson.TypeString:
		var packed string
		if err := bson.UnmarshalValue(bson.TypeString, data, &packed); err != nil {
			return err
		}
		out, err := unpackCells(packed)
		if err != nil {
			return err
		}
		*cs = out
	case bson.TypeArray:
		var rows []MonthCell
		if err := bson.UnmarshalValue(bson.TypeArray, data, &rows); err != nil {
			return err
		}
		*cs = rows
	case bson.TypeNull:
		*cs = nil
	default:
		return fmt.Errorf("cells stored as BSON type %#x", typ)
	}
	return nil
}

func unpackCells(packed string) (MonthCells, error) {
	if packed == "" {
		return MonthCells{}, nil
	}
	rows := strings.Split(packed, ";")
	out := make(MonthCells, len(rows))
	for i, r := range rows {
		f := strings.Split(r, " ")
		if len(f) != 6 {
			return nil, fmt.Errorf("packed cell %d has %d fields, want 6", i+1, len(f))
		}
		var names [4]string
		for j := range names {
			n, err := Unescape(f[j])
			if err != nil {
				return nil, fmt.Errorf("packed cell %d: %w", i+1, err)
			}
			names[j] = n
		}
		v, err1 := strconv.ParseFloat(f[4], 64)
		n, err2 := strconv.Atoi(f[5])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("packed cell %d has no sum or count", i+1)
		}
		out[i] = MonthCell{Category: names[0], Direction: names[1], Merchant: names[2], Status: names[3], Sum: v, Count: n}
	}
	return out, nil
}

// Unescape reads a query-escaped name of a packed string, without work
// for the common name that needed no escaping.
func Unescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	return url.QueryUnescape(s)
}

// TransactionMonthIndex lists a user's buckets (collection
// transaction_months, _id TxMonthIndexID), so they are read by _id.
type TransactionMonthIndex struct {
	ID        bson.ObjectID `bson:"_id"`
	MonthUser UserRef       `bson:"MonthUser"`
	Buckets   []BucketRef   `bson:"Buckets"`
}

// BucketRef names one bucket of an index and the bank it belongs to.
type BucketRef struct {
	Bank string        `bson:"b"` // the bucket's BankId
	ID   bson.ObjectID `bson:"id"`
}

// TransactionMonthSchema marks a store whose every transaction is in a
// bucket (collection transaction_months, _id TxMonthSchemaID): written when
// a store without transactions is opened, or once the buckets of a store
// from before the buckets existed are built.
type TransactionMonthSchema struct {
	ID      bson.ObjectID `bson:"_id"`
	Version int           `bson:"Version"`
	Since   time.Time     `bson:"Since"`
}
