// Package model is the unified domain model of openfinance.
//
// The documents keep the field names of MongoDB's Open Finance Data Store
// (collections tokens, external_accounts and external_products), so that data
// exported from that system with mongoexport imports as is. Fields that
// openfinance adds (lineage, computed fields) are PascalCase too, and every
// document type keeps the fields it does not know in Extra, so bank-specific
// fields such as GreenAccountNarrative survive a read-modify-write unchanged.
package model

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Collection names in database open_finance.
const (
	CollTokens       = "tokens"
	CollAccounts     = "external_accounts"
	CollProducts     = "external_products"
	CollUsers        = "users"
	CollFXRates      = "fx_rates"
	CollTransactions = "transactions"
	CollConsents     = "consents"
	CollAudit        = "audit"
	CollInsights     = "insights"
	// CollTxMonths holds the transaction buckets: per user, bank, account
	// and month, the precomputed cube cells of that month's transactions
	// (see TransactionMonth).
	CollTxMonths = "transaction_months"
)

// Collections lists every collection of openfinance.
func Collections() []string {
	return []string{
		CollUsers, CollTokens, CollAccounts, CollProducts, CollFXRates, CollTransactions,
		CollTxMonths, CollConsents, CollAudit, CollInsights,
	}
}

// DefaultDB is the database the original system uses.
const DefaultDB = "open_finance"

// Product types that count as debt.
const (
	ProductLoan     = "Loan"
	ProductMortgage = "Mortgage"
)

// DebtTypes are the product types summed into a user's total debt.
func DebtTypes() []string { return []string{ProductLoan, ProductMortgage} }

// UserRef is how the original system points from a document to its owner.
type UserRef struct {
	UserName string        `bson:"UserName" json:"UserName"`
	UserId   bson.ObjectID `bson:"UserId" json:"UserId"` //nolint:revive // seed field name
}

// Lineage says where a synced document came from. Seeded or imported
// documents have none.
type Lineage struct {
	BankId    string    `bson:"BankId"`    //nolint:revive // PascalCase like the seed
	ConsentId string    `bson:"ConsentId"` //nolint:revive
	SourceId  string    `bson:"SourceId"`  //nolint:revive
	FetchedAt time.Time `bson:"FetchedAt"`
}

// OpeningDate wraps the seed's {"OpeningDate": date} sub-documents.
type OpeningDate struct {
	OpeningDate time.Time `bson:"OpeningDate"`
}

// User is an openfinance user: a demo person, a local user or an SSH identity.
type User struct {
	ID        bson.ObjectID `bson:"_id"`
	UserName  string        `bson:"UserName"`
	FullName  string        `bson:"FullName,omitempty"`
	Email     string        `bson:"Email,omitempty"`
	Demo      bool          `bson:"Demo"`
	Source    string        `bson:"Source,omitempty"` // demo, local, ssh, api, imported
	CreatedAt time.Time     `bson:"CreatedAt"`
	Extra     bson.M        `bson:",inline"`
}

// ExternalAccount is a deposit account at an external bank
// (collection external_accounts).
type ExternalAccount struct {
	ID              bson.ObjectID `bson:"_id"`
	AccountId       string        `bson:"AccountId"` //nolint:revive
	AccountBank     string        `bson:"AccountBank"`
	AccountStatus   string        `bson:"AccountStatus,omitempty"`
	AccountType     string        `bson:"AccountType,omitempty"`
	AccountBalance  float64       `bson:"AccountBalance"`
	AccountCurrency string        `bson:"AccountCurrency,omitempty"`
	AccountDate     *OpeningDate  `bson:"AccountDate,omitempty"`
	AccountUser     UserRef       `bson:"AccountUser"`
	Lineage         *Lineage      `bson:"Lineage,omitempty"`
	Extra           bson.M        `bson:",inline"`
}

// Currency returns the account's currency, USD when the document has none
// (the original system only knew USD).
func (a ExternalAccount) Currency() string { return orUSD(a.AccountCurrency) }

// PropertyDetails describes the property behind a mortgage.
type PropertyDetails struct {
	Address       string  `bson:"Address,omitempty"`
	PropertyValue float64 `bson:"PropertyValue,omitempty"`
	Extra         bson.M  `bson:",inline"`
}

// ExternalProduct is a loan, mortgage or other product at an external bank
// (collection external_products). ProductAmount is the outstanding principal
// and ProductInterestRate a yearly percentage.
type ExternalProduct struct {
	ID                  bson.ObjectID    `bson:"_id"`
	ProductId           string           `bson:"ProductId"` //nolint:revive
	ProductBank         string           `bson:"ProductBank"`
	ProductStatus       string           `bson:"ProductStatus,omitempty"`
	ProductType         string           `bson:"ProductType"`
	ProductAmount       float64          `bson:"ProductAmount"`
	ProductCurrency     string           `bson:"ProductCurrency,omitempty"`
	ProductInterestRate float64          `bson:"ProductInterestRate"`
	ProductDate         *OpeningDate     `bson:"ProductDate,omitempty"`
	ProductCustomer     UserRef          `bson:"ProductCustomer"`
	RepaymentPeriod     float64          `bson:"RepaymentPeriod,omitempty"`    // loans: months
	LoanCollateral      string           `bson:"LoanCollateral,omitempty"`     // loans
	AmortizationPeriod  float64          `bson:"AmortizationPeriod,omitempty"` // mortgages: years
	PropertyDetails     *PropertyDetails `bson:"PropertyDetails,omitempty"`    // mortgages
	Lineage             *Lineage         `bson:"Lineage,omitempty"`
	Extra               bson.M           `bson:",inline"`
}

// Currency returns the product's currency, USD when the document has none.
func (p ExternalProduct) Currency() string { return orUSD(p.ProductCurrency) }

// IsDebt reports whether the product counts towards total debt.
func (p ExternalProduct) IsDebt() bool {
	return p.ProductType == ProductLoan || p.ProductType == ProductMortgage
}

// TermMonths is the full term of a loan or mortgage in months, 0 if unknown.
func (p ExternalProduct) TermMonths() int {
	if p.RepaymentPeriod > 0 {
		return int(p.RepaymentPeriod)
	}
	return int(p.AmortizationPeriod * 12)
}

// FXRate is the value of one unit of Currency in US dollars
// (collection fx_rates, _id = Currency).
type FXRate struct {
	ID        string    `bson:"_id"`
	Currency  string    `bson:"Currency"`
	RateToUSD float64   `bson:"RateToUSD"`
	AsOf      time.Time `bson:"AsOf"`
	Source    string    `bson:"Source,omitempty"`
}

func orUSD(c string) string {
	if c == "" {
		return "USD"
	}
	return c
}
