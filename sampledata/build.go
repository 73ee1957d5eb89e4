package sampledata

import (
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/mockbank/demo"
)

// Build produces the sample collections from the demo table of the mock
// banks, in the original system's document shapes. The embedded files are
// its output (see TestEmbeddedFilesAreCurrent), so the seeded documents and
// what the banks serve can never drift apart.
func Build() map[string][]bson.D {
	out := map[string][]bson.D{}
	bankName := map[string]string{"green-bank": "Green Bank", "mongodb-bank": "MongoDB Bank"}
	narrative := map[string]string{"green-bank": "Green", "mongodb-bank": "MDB"}
	created := time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)
	for _, c := range demo.Customers() {
		uid := model.DemoUserID(c.UserName)
		out[model.CollUsers] = append(out[model.CollUsers], bson.D{
			{Key: "_id", Value: uid}, {Key: "UserName", Value: c.UserName}, {Key: "FullName", Value: c.FullName},
			{Key: "Email", Value: c.Email}, {Key: "Demo", Value: true}, {Key: "Source", Value: "demo"},
			{Key: "CreatedAt", Value: bson.NewDateTimeFromTime(created)},
		})
		out[model.CollTokens] = append(out[model.CollTokens], bson.D{
			{Key: "_id", Value: model.DeterministicID(model.KindToken, uid.Hex(), "api")},
			{Key: "UserName", Value: c.UserName},
			{Key: "BearerToken", Value: "demo-api-token-" + c.UserName},
			{Key: "TokenDates", Value: bson.D{
				{Key: "CreationDate", Value: bson.NewDateTimeFromTime(created)},
				{Key: "LastUseDate", Value: bson.NewDateTimeFromTime(created)},
			}},
			{Key: "TokenType", Value: "api"},
		})
	}
	for _, a := range demo.Accounts() {
		uid := model.DemoUserID(a.UserName)
		out[model.CollAccounts] = append(out[model.CollAccounts], bson.D{
			{Key: "_id", Value: model.AccountID(uid, a.BankID, a.AccountID)},
			{Key: "AccountId", Value: a.AccountID},
			{Key: "AccountBank", Value: bankName[a.BankID]},
			{Key: "AccountStatus", Value: a.Status},
			{Key: "AccountType", Value: a.AccountType},
			{Key: "AccountBalance", Value: a.Balance},
			{Key: "AccountCurrency", Value: a.Currency},
			{Key: "AccountDate", Value: bson.D{{Key: "OpeningDate", Value: date(a.OpeningDate)}}},
			{Key: "AccountUser", Value: bson.D{{Key: "UserName", Value: a.UserName}, {Key: "UserId", Value: uid}}},
			{Key: narrative[a.BankID] + "AccountNarrative", Value: a.Narrative},
		})
	}
	for _, p := range demo.Products() {
		uid := model.DemoUserID(p.UserName)
		d := bson.D{
			{Key: "_id", Value: model.ProductID(uid, p.BankID, p.ProductID)},
			{Key: "ProductId", Value: p.ProductID},
			{Key: "ProductBank", Value: bankName[p.BankID]},
			{Key: "ProductStatus", Value: p.Status},
			{Key: "ProductType", Value: p.ProductType},
			{Key: "ProductAmount", Value: p.Amount},
			{Key: "ProductCurrency", Value: p.Currency},
			{Key: "ProductInterestRate", Value: p.Rate},
			{Key: "ProductDate", Value: bson.D{{Key: "OpeningDate", Value: date(p.OpeningDate)}}},
			{Key: "ProductCustomer", Value: bson.D{{Key: "UserName", Value: p.UserName}, {Key: "UserId", Value: uid}}},
			{Key: narrative[p.BankID] + "ProductNarrative", Value: p.Narrative},
		}
		if p.ProductType == model.ProductMortgage {
			d = append(d,
				bson.E{Key: "AmortizationPeriod", Value: int32(p.AmortizationPeriod)},
				bson.E{Key: "PropertyDetails", Value: bson.D{{Key: "Address", Value: p.PropertyAddress}, {Key: "PropertyValue", Value: p.PropertyValue}}})
		} else {
			d = append(d,
				bson.E{Key: "RepaymentPeriod", Value: int32(p.RepaymentPeriod)},
				bson.E{Key: "LoanCollateral", Value: p.LoanCollateral})
		}
		out[model.CollProducts] = append(out[model.CollProducts], d)
	}
	asOf := bson.NewDateTimeFromTime(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	for _, r := range FXRates() {
		out[model.CollFXRates] = append(out[model.CollFXRates], bson.D{
			{Key: "_id", Value: r.Currency}, {Key: "Currency", Value: r.Currency},
			{Key: "RateToUSD", Value: r.RateToUSD}, {Key: "AsOf", Value: asOf}, {Key: "Source", Value: "openfinance demo rates"},
		})
	}
	return out
}

// FXRate is a demo exchange rate: one unit of Currency in US dollars.
type FXRate struct {
	Currency  string
	RateToUSD float64
}

// FXRates are the demo rates seeded into fx_rates (fixed, for reproducible
// demos; import your own open_finance.fx_rates.json to replace them).
func FXRates() []FXRate {
	return []FXRate{{"USD", 1}, {"EUR", 1.08}, {"GBP", 1.27}, {"CHF", 1.13}, {"JPY", 0.0066}}
}

func date(s string) bson.DateTime {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(fmt.Sprintf("demo table: bad date %q", s))
	}
	return bson.NewDateTimeFromTime(t)
}

// FileName is the mongoexport-style name of a collection's sample file.
func FileName(coll string) string { return model.DefaultDB + "." + coll + ".json" }

// Marshal renders documents as the sample files store them.
func Marshal(docs []bson.D) ([]byte, error) {
	var b strings.Builder
	b.WriteString("[")
	for i, d := range docs {
		js, err := bson.MarshalExtJSON(d, false, false)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		b.Write(js)
	}
	b.WriteString("\n]\n")
	return []byte(b.String()), nil
}
