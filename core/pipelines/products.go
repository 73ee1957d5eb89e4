package pipelines

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/openfinance-tui/openfinance/core/model"
)

// LoanKey keys one loan or mortgage: everything its repayment plan needs.
type LoanKey struct {
	ID                 any        `bson:"id"`  // the document's _id
	ProductID          string     `bson:"pid"` // the bank's own id
	Bank               string     `bson:"bank"`
	Currency           string     `bson:"currency"`
	Type               string     `bson:"type"`
	Rate               float64    `bson:"rate"`  // yearly percent
	RepaymentPeriod    float64    `bson:"repay"` // loans: months
	AmortizationPeriod float64    `bson:"amort"` // mortgages: years
	Opened             *time.Time `bson:"opened"`
}

// Loans returns one row per Loan or Mortgage of a user, its outstanding
// principal (ProductAmount) summed under a key that carries the fields its
// repayment plan needs. Grouping by _id makes the sum the amount itself, so
// a single scan of the products gives both the per-loan plans and, summed
// in Go, the debt by bank, currency and type and the amount-weighted
// average rate.
func Loans(owner bson.D) mongo.Pipeline {
	return mongo.Pipeline{
		match(bson.D{{Key: "$and", Value: bson.A{
			owner,
			bson.D{{Key: "ProductType", Value: bson.D{{Key: "$in", Value: model.DebtTypes()}}}},
		}}}),
		group(bson.D{
			{Key: "id", Value: "$_id"},
			{Key: "pid", Value: "$ProductId"},
			{Key: "bank", Value: "$ProductBank"},
			{Key: "currency", Value: "$ProductCurrency"},
			{Key: "type", Value: "$ProductType"},
			{Key: "rate", Value: "$ProductInterestRate"},
			{Key: "repay", Value: "$RepaymentPeriod"},
			{Key: "amort", Value: "$AmortizationPeriod"},
			{Key: "opened", Value: "$ProductDate.OpeningDate"},
		}, "$sum", "$ProductAmount"),
	}
}
