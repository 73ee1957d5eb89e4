// Package demo declares the demo customers that exist at the emulated banks.
//
// It is the single source of truth for the demo people: the mock banks serve
// these accounts and products to whoever logs in with the customer's user
// name, and the embedded sample data (package sampledata) is generated from
// the same table, so a demo user who was seeded and then links Green Bank or
// MongoDB Bank ends up with the same documents, not copies.
//
// Everything here is plain data: no I/O and no package-level mutable state
// (callers get fresh slices).
package demo

// Customer is a demo person. UserName is both the app's user name and the
// customer's login at every emulated bank.
type Customer struct {
	UserName string
	FullName string
	Email    string
}

// Account is a deposit account held by a demo customer at a bank in the
// original system's shape (PascalCase, USD for Green Bank and MongoDB Bank).
type Account struct {
	UserName    string
	BankID      string // bank slug, e.g. "green-bank"
	AccountID   string // the bank's own account number
	AccountType string // Checking or Savings
	Status      string // Active
	Balance     float64
	Currency    string
	OpeningDate string // YYYY-MM-DD
	Narrative   string // GreenAccountNarrative / MDBAccountNarrative
}

// Product is a loan or mortgage held by a demo customer. Amount is the
// outstanding principal today; Rate is a yearly percentage.
type Product struct {
	UserName    string
	BankID      string
	ProductID   string
	ProductType string // Loan or Mortgage
	Status      string
	Amount      float64
	Currency    string
	Rate        float64
	OpeningDate string // YYYY-MM-DD
	Narrative   string // GreenProductNarrative / MDBProductNarrative

	// Loans.
	RepaymentPeriod int    // months, from OpeningDate
	LoanCollateral  string // e.g. "Vehicle", "None"

	// Mortgages.
	AmortizationPeriod int // years, from OpeningDate
	PropertyAddress    string
	PropertyValue      float64
}

// Customers returns the demo customers.
func Customers() []Customer {
	return []Customer{
		{UserName: "alice", FullName: "Alice Martin", Email: "alice@example.com"},
		{UserName: "bob", FullName: "Bob Nguyen", Email: "bob@example.com"},
		{UserName: "carmen", FullName: "Carmen Ruiz", Email: "carmen@example.com"},
		{UserName: "dmitri", FullName: "Dmitri Volkov", Email: "dmitri@example.com"},
	}
}

// Accounts returns the demo customers' accounts at Green Bank and MongoDB Bank.
func Accounts() []Account {
	return []Account{
		{"alice", "green-bank", "GRN-4411-0001", "Checking", "Active", 4210.55, "USD", "2019-03-14", "Everyday account with carbon-footprint tracking on every card payment."},
		{"alice", "green-bank", "GRN-4411-0002", "Savings", "Active", 18250.00, "USD", "2020-07-01", "Green Savings: deposits fund certified renewable-energy projects."},
		{"alice", "mongodb-bank", "MDB-7730-1001", "Checking", "Active", 1375.20, "USD", "2021-11-22", "Developer Checking: no fees on international transfers."},

		{"bob", "green-bank", "GRN-4411-0101", "Checking", "Active", 2890.10, "USD", "2018-05-09", "Everyday account with carbon-footprint tracking on every card payment."},
		{"bob", "mongodb-bank", "MDB-7730-1101", "Checking", "Active", 6120.75, "USD", "2017-02-17", "Developer Checking: no fees on international transfers."},
		{"bob", "mongodb-bank", "MDB-7730-1102", "Savings", "Active", 32400.00, "USD", "2017-02-17", "Atlas Savings: interest compounds daily, withdraw any time."},

		{"carmen", "green-bank", "GRN-4411-0201", "Checking", "Active", 950.40, "USD", "2022-01-10", "Everyday account with carbon-footprint tracking on every card payment."},
		{"carmen", "green-bank", "GRN-4411-0202", "Savings", "Active", 5600.00, "USD", "2022-01-10", "Green Savings: deposits fund certified renewable-energy projects."},
		{"carmen", "mongodb-bank", "MDB-7730-1201", "Checking", "Active", 2235.65, "USD", "2023-06-05", "Developer Checking: no fees on international transfers."},

		{"dmitri", "green-bank", "GRN-4411-0301", "Checking", "Active", 7345.90, "USD", "2016-09-30", "Everyday account with carbon-footprint tracking on every card payment."},
		{"dmitri", "mongodb-bank", "MDB-7730-1301", "Checking", "Active", 3010.00, "USD", "2019-12-12", "Developer Checking: no fees on international transfers."},
		{"dmitri", "mongodb-bank", "MDB-7730-1302", "Savings", "Active", 54800.25, "USD", "2019-12-12", "Atlas Savings: interest compounds daily, withdraw any time."},
	}
}

// Products returns the demo customers' loans and mortgages at Green Bank and
// MongoDB Bank.
func Products() []Product {
	return []Product{
		{UserName: "alice", BankID: "green-bank", ProductID: "GRN-LN-5001", ProductType: "Loan", Status: "Active", Amount: 12400, Currency: "USD", Rate: 6.9, OpeningDate: "2024-04-15",
			Narrative: "Green Auto Loan: lower rate for electric vehicles.", RepaymentPeriod: 60, LoanCollateral: "Vehicle"},
		{UserName: "alice", BankID: "mongodb-bank", ProductID: "MDB-MG-8001", ProductType: "Mortgage", Status: "Active", Amount: 286000, Currency: "USD", Rate: 5.25, OpeningDate: "2021-08-01",
			Narrative: "Fixed-rate home mortgage.", AmortizationPeriod: 30, PropertyAddress: "18 Elm Street, Springfield", PropertyValue: 410000},

		{UserName: "bob", BankID: "green-bank", ProductID: "GRN-MG-5101", ProductType: "Mortgage", Status: "Active", Amount: 198500, Currency: "USD", Rate: 4.75, OpeningDate: "2019-10-01",
			Narrative: "Green Mortgage: rate discount for A-rated energy homes.", AmortizationPeriod: 25, PropertyAddress: "7 Harbor View, Portland", PropertyValue: 355000},
		{UserName: "bob", BankID: "mongodb-bank", ProductID: "MDB-LN-8101", ProductType: "Loan", Status: "Active", Amount: 8200, Currency: "USD", Rate: 9.4, OpeningDate: "2025-02-20",
			Narrative: "Personal loan for home office equipment.", RepaymentPeriod: 36, LoanCollateral: "None"},

		{UserName: "carmen", BankID: "green-bank", ProductID: "GRN-LN-5201", ProductType: "Loan", Status: "Active", Amount: 4300, Currency: "USD", Rate: 7.5, OpeningDate: "2025-06-01",
			Narrative: "Green Home Improvement Loan for solar panels.", RepaymentPeriod: 24, LoanCollateral: "Solar installation"},
		{UserName: "carmen", BankID: "mongodb-bank", ProductID: "MDB-LN-8201", ProductType: "Loan", Status: "Active", Amount: 15750, Currency: "USD", Rate: 5.9, OpeningDate: "2023-09-15",
			Narrative: "Student loan refinance.", RepaymentPeriod: 120, LoanCollateral: "None"},

		{UserName: "dmitri", BankID: "green-bank", ProductID: "GRN-LN-5301", ProductType: "Loan", Status: "Active", Amount: 21000, Currency: "USD", Rate: 6.2, OpeningDate: "2024-11-01",
			Narrative: "Green Auto Loan: lower rate for electric vehicles.", RepaymentPeriod: 72, LoanCollateral: "Vehicle"},
		{UserName: "dmitri", BankID: "mongodb-bank", ProductID: "MDB-MG-8301", ProductType: "Mortgage", Status: "Active", Amount: 412000, Currency: "USD", Rate: 5.6, OpeningDate: "2022-03-01",
			Narrative: "Fixed-rate home mortgage.", AmortizationPeriod: 30, PropertyAddress: "55 Lakeshore Drive, Chicago", PropertyValue: 640000},
	}
}
