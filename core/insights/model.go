package insights

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Insights is a user's materialized view (collection insights, _id = the
// user's id): everything the overview, loans and insight panes show, computed
// after each sync so a view reads one small document instead of scanning
// transactions.
type Insights struct {
	ID           bson.ObjectID `json:"-" bson:"_id"`
	User         string        `json:"user" bson:"UserName"`
	ComputedAt   time.Time     `json:"computed_at" bson:"ComputedAt"`
	Currency     string        `json:"currency" bson:"Currency"`
	Position     Position      `json:"position" bson:"Position"`
	Loans        []Loan        `json:"loans" bson:"Loans"`
	MonthlyDebt  float64       `json:"total_monthly_repayment" bson:"TotalMonthlyRepayment"`
	CashFlow     []MonthFlow   `json:"cash_flow" bson:"CashFlow"`            // last 12 months, oldest first
	Spending     SpendingRows  `json:"spending_by_category" bson:"Spending"` // every month × category
	TopMerchants []MerchantAmt `json:"top_merchants" bson:"TopMerchants"`    // last 12 months
	NetWorth     MonthSeries   `json:"net_worth_over_time" bson:"NetWorth"`  // month-end, oldest first
	Recurring    []Recurring   `json:"recurring_payments" bson:"Recurring"`
	Transactions int           `json:"transaction_count" bson:"TransactionCount"`
	Months       []string      `json:"months" bson:"Months"` // months with transactions, oldest first
	// BalanceHistory and DebtHistory are the two sides of NetWorth
	// (net worth = balance − debt) at the same month ends.
	BalanceHistory MonthSeries `json:"balance_over_time" bson:"BalanceHistory"`
	DebtHistory    MonthSeries `json:"debt_over_time" bson:"DebtHistory"`
}

// Loan is one loan or mortgage with its repayment plan.
type Loan struct {
	ID              string      `json:"id" bson:"Id"` // the external_products _id (hex)
	ProductID       string      `json:"product_id" bson:"ProductId"`
	Bank            string      `json:"bank" bson:"Bank"`
	Type            string      `json:"type" bson:"Type"`
	Currency        string      `json:"currency" bson:"Currency"`
	Balance         float64     `json:"remaining_balance" bson:"Balance"` // outstanding principal
	Rate            float64     `json:"interest_rate" bson:"Rate"`        // yearly percent
	OpeningDate     *time.Time  `json:"opening_date,omitempty" bson:"OpeningDate,omitempty"`
	TermMonths      int         `json:"term_months" bson:"TermMonths"` // 0 = unknown: no plan
	RemainingMonths int         `json:"remaining_months" bson:"RemainingMonths"`
	MonthlyPayment  float64     `json:"monthly_payment" bson:"MonthlyPayment"`
	MonthlyBase     float64     `json:"monthly_payment_base" bson:"MonthlyBase"` // in the insights currency
	TotalInterest   float64     `json:"total_interest" bson:"TotalInterest"`
	PayoffMonth     string      `json:"payoff_month" bson:"PayoffMonth"`
	Schedule        MonthSeries `json:"schedule" bson:"Schedule"` // remaining balance at each month end
}

// MonthFlow is one month's income and spending in the insights currency.
type MonthFlow struct {
	Month    string  `json:"month" bson:"Month"`
	Income   float64 `json:"income" bson:"Income"`
	Spending float64 `json:"spending" bson:"Spending"` // positive
	Net      float64 `json:"net" bson:"Net"`
}

// CategoryAmt is spending in a category during a month.
type CategoryAmt struct {
	Month    string  `json:"month" bson:"Month"`
	Category string  `json:"category" bson:"Category"`
	Amount   float64 `json:"amount" bson:"Amount"` // positive
}

// MerchantAmt is spending at a merchant.
type MerchantAmt struct {
	Merchant string  `json:"merchant" bson:"Merchant"`
	Amount   float64 `json:"amount" bson:"Amount"`
	Count    int     `json:"count" bson:"Count"`
}

// MonthValue is a value at the end of a month.
type MonthValue struct {
	Month string  `json:"month" bson:"Month"`
	Value float64 `json:"value" bson:"Value"`
}

// Recurring is a payment (or income) seen every month at a similar amount.
type Recurring struct {
	Merchant  string  `json:"merchant" bson:"Merchant"`
	Category  string  `json:"category" bson:"Category"`
	Direction string  `json:"direction" bson:"Direction"`
	Amount    float64 `json:"average_amount" bson:"Amount"` // positive, in the insights currency
	Months    int     `json:"months_seen" bson:"Months"`
	LastMonth string  `json:"last_month" bson:"LastMonth"`
}

// SpendingIn returns the spending rows of one month ("YYYY-MM"), largest
// first; an empty list when the month has none.
func (i Insights) SpendingIn(month string) []CategoryAmt {
	out := []CategoryAmt{}
	for _, r := range i.Spending {
		if r.Month == month {
			out = append(out, r)
		}
	}
	return out
}
