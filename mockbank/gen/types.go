package gen

import (
	"math"
	"time"
)

// Account is a deposit account in neutral terms; each bank style renders
// it in its own shape.
type Account struct {
	ID           string
	Type         string // Checking | Savings
	Status       string // Active
	Balance      float64
	Currency     string
	OpeningDate  time.Time
	Name         string  // the account's own name ("Everyday Checking")
	Holder       string  // the customer's full name
	Number       string  // US: account number; GB: sort code + account number (14 digits); DE: IBAN
	Narrative    string  // the bank's marketing line (GreenAccountNarrative, MDBAccountNarrative)
	InterestRate float64 // yearly %, savings only
	// Primary accounts receive the salary and pay rent, bills, loans and
	// subscriptions.
	Primary bool
}

// Product is a loan or mortgage. Amount is the outstanding principal today.
type Product struct {
	ID             string
	Type           string // Loan | Mortgage
	Status         string // Active | Closed
	Amount         float64
	OriginalAmount float64
	Currency       string
	Rate           float64 // yearly %
	OpeningDate    time.Time
	TermMonths     int
	Name           string
	Number         string // the loan account's number, in the scheme of Account.Number
	Narrative      string
	// Loans.
	Collateral string
	// Mortgages.
	PropertyAddress string
	PropertyValue   float64
}

// TermYears is a mortgage's amortization period in whole years.
func (p Product) TermYears() int { return (p.TermMonths + 11) / 12 }

// MonthlyPayment is the annuity paying OriginalAmount off over TermMonths.
func (p Product) MonthlyPayment() float64 {
	return Payment(p.OriginalAmount, p.Rate, p.TermMonths)
}

// Transaction is one movement on an account. Amount is signed (negative =
// money out) in the account's currency.
type Transaction struct {
	ID          string
	AccountID   string
	Booking     time.Time // booking date and time, UTC
	Value       time.Time // value date (UTC midnight)
	Amount      float64
	Currency    string
	Merchant    string // counterparty: shop, employer, landlord
	Category    string // one of Categories()
	Description string
	MCC         string // merchant category code (ISO 18245)
	Status      string // Booked | Pending
	Reference   string
	CarbonKg    float64  // estimated footprint (Green Bank)
	Tags        []string // labels (MongoDB Bank)
}

// Credit reports whether money came in.
func (t Transaction) Credit() bool { return t.Amount > 0 }

// Payment is the monthly annuity for principal at a yearly rate (%) over
// months, rounded to cents.
func Payment(principal, ratePct float64, months int) float64 {
	if months <= 0 || principal <= 0 {
		return 0
	}
	r := ratePct / 100 / 12
	if r == 0 {
		return Round2(principal / float64(months))
	}
	f := math.Pow(1+r, float64(months))
	return Round2(principal * r * f / (f - 1))
}

// Outstanding is the principal left after paid monthly payments of the
// annuity for principal at ratePct over months (0 once paid off).
func Outstanding(principal, ratePct float64, months, paid int) float64 {
	switch {
	case paid <= 0:
		return Round2(principal)
	case paid >= months:
		return 0
	}
	r := ratePct / 100 / 12
	if r == 0 {
		return Round2(principal * float64(months-paid) / float64(months))
	}
	fn := math.Pow(1+r, float64(months))
	fk := math.Pow(1+r, float64(paid))
	return Round2(principal * (fn - fk) / (fn - 1))
}

// originalFor inverts Outstanding: the principal that leaves outstanding
// after paid of months payments.
func originalFor(outstanding, ratePct float64, months, paid int) float64 {
	if paid <= 0 || paid >= months {
		return outstanding
	}
	r := ratePct / 100 / 12
	if r == 0 {
		return Round2(outstanding * float64(months) / float64(months-paid))
	}
	fn := math.Pow(1+r, float64(months))
	fk := math.Pow(1+r, float64(paid))
	return Round2(outstanding * (fn - 1) / (fn - fk))
}

// MonthsBetween counts whole months from a to b (0 if b is before a).
func MonthsBetween(a, b time.Time) int {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	n := (by-ay)*12 + int(bm-am)
	if bd < ad {
		n--
	}
	return max(n, 0)
}

// Round2 rounds to cents.
func Round2(v float64) float64 { return math.Round(v*100) / 100 }
