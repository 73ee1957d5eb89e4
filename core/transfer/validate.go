package transfer

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
)

type kind int

const (
	kString kind = iota
	kNumber
	kDate
	kObjectID
	kDoc
	kArray
	kBool
)

func (k kind) String() string {
	return [...]string{"a string", "a number", "a date", "an ObjectId", "a document", "an array", "a boolean"}[k]
}

type field struct {
	path     string
	kind     kind
	required bool
}

// schema lists the fields whose type the rest of openfinance relies on.
// Other fields are kept as they are: every bank has its own.
func schema(coll string) []field {
	req := func(p string, k kind) field { return field{p, k, true} }
	opt := func(p string, k kind) field { return field{p, k, false} }
	switch coll {
	case model.CollAccounts:
		return []field{
			req("AccountBank", kString), req("AccountBalance", kNumber), opt("AccountId", kString),
			opt("AccountStatus", kString), opt("AccountType", kString), opt("AccountCurrency", kString),
			opt("AccountDate", kDoc), opt("AccountDate.OpeningDate", kDate),
			req("AccountUser", kDoc), opt("AccountUser.UserName", kString), opt("AccountUser.UserId", kObjectID),
		}
	case model.CollProducts:
		return []field{
			req("ProductBank", kString), req("ProductType", kString), req("ProductAmount", kNumber),
			opt("ProductId", kString), opt("ProductStatus", kString), opt("ProductCurrency", kString),
			opt("ProductInterestRate", kNumber), opt("ProductDate", kDoc), opt("ProductDate.OpeningDate", kDate),
			req("ProductCustomer", kDoc), opt("ProductCustomer.UserName", kString), opt("ProductCustomer.UserId", kObjectID),
			opt("RepaymentPeriod", kNumber), opt("AmortizationPeriod", kNumber), opt("LoanCollateral", kString),
			opt("PropertyDetails", kDoc), opt("PropertyDetails.PropertyValue", kNumber), opt("PropertyDetails.Address", kString),
		}
	case model.CollTokens:
		return []field{
			req("UserName", kString), req("BearerToken", kString),
			opt("TokenDates", kDoc), opt("TokenDates.CreationDate", kDate), opt("TokenDates.LastUseDate", kDate),
		}
	case model.CollUsers:
		return []field{req("UserName", kString), opt("Demo", kBool)}
	case model.CollFXRates:
		return []field{req("Currency", kString), req("RateToUSD", kNumber)}
	case model.CollTransactions:
		return []field{
			req("TransactionId", kString), req("Amount", kNumber), opt("AmountBase", kNumber), opt("Currency", kString),
			req("BookingDate", kDate), opt("MonthKey", kString),
			req("TransactionUser", kDoc), opt("TransactionUser.UserName", kString), opt("TransactionUser.UserId", kObjectID),
		}
	case model.CollConsents:
		return []field{req("ConsentId", kString), req("BankId", kString), opt("Permissions", kArray), opt("ConsentUser", kDoc)}
	}
	return nil
}

// KnownCollection reports whether openfinance knows the collection.
func KnownCollection(c string) bool {
	switch c {
	case model.CollAccounts, model.CollProducts, model.CollTokens, model.CollUsers, model.CollFXRates,
		model.CollTransactions, model.CollTxMonths, model.CollConsents, model.CollAudit, model.CollInsights:
		return true
	}
	return false
}

// normalize converts every Decimal128 in d to a double (FerretDB v1 has no
// decimal type and drops the connection on one) and reports the count.
func normalize(d bson.D) (bson.D, int, error) {
	n := 0
	var walk func(v any) (any, error)
	walk = func(v any) (any, error) {
		switch t := v.(type) {
		case bson.Decimal128:
			f, err := strconv.ParseFloat(t.String(), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("decimal %s is not a finite number", t.String())
			}
			n++
			return f, nil
		case bson.D:
			for i := range t {
				nv, err := walk(t[i].Value)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", t[i].Key, err)
				}
				t[i].Value = nv
			}
			return t, nil
		case bson.A:
			for i := range t {
				nv, err := walk(t[i])
				if err != nil {
					return nil, err
				}
				t[i] = nv
			}
			return t, nil
		}
		return v, nil
	}
	out, err := walk(d)
	if err != nil {
		return nil, 0, err
	}
	return out.(bson.D), n, nil
}

// validate checks one document against the collection's schema.
func validate(coll string, d bson.D) error {
	for _, f := range schema(coll) {
		v, ok := lookup(d, f.path)
		if !ok || v == nil {
			if f.required {
				if ok {
					return fmt.Errorf("%s is null, want %s", f.path, f.kind)
				}
				return fmt.Errorf("missing field %s (%s)", f.path, f.kind)
			}
			continue
		}
		if err := check(f, v); err != nil {
			return err
		}
	}
	return nil
}

func check(f field, v any) error {
	ok := false
	switch f.kind {
	case kString:
		_, ok = v.(string)
	case kNumber:
		switch n := v.(type) {
		case int32, int64:
			ok = true
		case float64:
			if math.IsNaN(n) || math.IsInf(n, 0) {
				return fmt.Errorf("%s is %v, want a finite number", f.path, n)
			}
			ok = true
		}
	case kDate:
		_, ok = v.(bson.DateTime)
	case kObjectID:
		_, ok = v.(bson.ObjectID)
	case kDoc:
		_, ok = v.(bson.D)
	case kArray:
		_, ok = v.(bson.A)
	case kBool:
		_, ok = v.(bool)
	}
	if !ok {
		return fmt.Errorf("%s is %s, want %s", f.path, describe(v), f.kind)
	}
	return nil
}

func describe(v any) string {
	switch t := v.(type) {
	case string:
		if len(t) > 40 {
			t = t[:40] + "..."
		}
		return fmt.Sprintf("the string %q", t)
	case int32, int64, float64:
		return "a number"
	case bson.DateTime:
		return "a date"
	case bson.ObjectID:
		return "an ObjectId"
	case bson.D:
		return "a document"
	case bson.A:
		return "an array"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("a %T", v)
}

func lookup(d bson.D, path string) (any, bool) {
	head, rest, nested := strings.Cut(path, ".")
	for _, e := range d {
		if e.Key != head {
			continue
		}
		if !nested {
			return e.Value, true
		}
		sub, ok := e.Value.(bson.D)
		if !ok {
			return nil, false
		}
		return lookup(sub, rest)
	}
	return nil, false
}
