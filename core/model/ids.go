package model

import (
	"crypto/sha256"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Kinds of documents with deterministic ids.
const (
	KindUser        = "user"
	KindAccount     = "account"
	KindProduct     = "product"
	KindTransaction = "transaction"
	KindConsent     = "consent"
	KindToken       = "token"
)

// DeterministicID derives an ObjectID from a document's natural key.
//
// Synced documents get their _id this way so that every write is idempotent
// without server-side transactions: writing the same bank record twice hits
// the same _id and is counted as already stored. The same function builds the
// ids of the embedded sample data, which is why a seeded demo user who then
// links a bank ends up with one copy of each account, not two.
func DeterministicID(kind string, parts ...string) bson.ObjectID {
	h := sha256.New()
	h.Write([]byte("openfinance/v1|" + kind))
	for _, p := range parts {
		// Length-prefix each part so ("ab","c") and ("a","bc") differ.
		h.Write([]byte{'|', byte(len(p) >> 8), byte(len(p))})
		h.Write([]byte(p))
	}
	var id bson.ObjectID
	copy(id[:], h.Sum(nil))
	return id
}

// DemoUserID is the fixed id of a demo user, derived from the user name.
func DemoUserID(userName string) bson.ObjectID {
	return DeterministicID(KindUser, strings.ToLower(userName))
}

// AccountID is the _id of a user's account at a bank.
func AccountID(userID bson.ObjectID, bankID, accountID string) bson.ObjectID {
	return DeterministicID(KindAccount, userID.Hex(), bankID, accountID)
}

// ProductID is the _id of a user's product at a bank.
func ProductID(userID bson.ObjectID, bankID, productID string) bson.ObjectID {
	return DeterministicID(KindProduct, userID.Hex(), bankID, productID)
}

// TransactionID is the _id of a transaction on a user's account at a bank.
func TransactionID(userID bson.ObjectID, bankID, accountID, txID string) bson.ObjectID {
	return DeterministicID(KindTransaction, userID.Hex(), bankID, accountID, txID)
}

// ConsentDocID is the _id of a consent record.
func ConsentDocID(userID bson.ObjectID, bankID, consentID string) bson.ObjectID {
	return DeterministicID(KindConsent, userID.Hex(), bankID, consentID)
}

// Kinds of the transaction buckets' ids.
const (
	KindTxMonth       = "txmonth"
	KindTxMonthIndex  = "txmonth-index"
	KindTxMonthSchema = "txmonth-schema"
)

// UserKey identifies a user in derived ids: the user's id, or for a user
// known only by name (imported data without ids) the lower-cased name.
func UserKey(u UserRef) string {
	if !u.UserId.IsZero() {
		return u.UserId.Hex()
	}
	return "name:" + strings.ToLower(u.UserName)
}

// TxMonthID is the _id of the bucket of a user's transactions on one
// account of one bank (its id, or its name for imported data without one)
// in one month (YYYY-MM).
func TxMonthID(u UserRef, bankKey, accountID, month string) bson.ObjectID {
	return DeterministicID(KindTxMonth, UserKey(u), bankKey, accountID, month)
}

// TxMonthIndexID is the _id of a user's bucket index.
func TxMonthIndexID(u UserRef) bson.ObjectID {
	return DeterministicID(KindTxMonthIndex, UserKey(u))
}

// TxMonthSchemaID is the _id of the store's bucket marker (see
// TxMonthSchema).
func TxMonthSchemaID() bson.ObjectID { return DeterministicID(KindTxMonthSchema) }
