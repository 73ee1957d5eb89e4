// Package gen is the emulated banks' data generator: customers, their
// deposit accounts, loans and mortgages, and a transaction history over a
// chosen number of months ending at the bank's "today".
//
// Everything is a pure function of (seed, bank id, login, today, size), so
// tests in any package can compute the values a bank serves independently
// of the bank. Transactions are generated day by day with a random source
// seeded by (seed, bank, account, day): a transaction's id and content
// depend only on its own day, so a later sync sees the same ids for past
// days, and an account's history is produced on demand, never held for
// every customer at once.
//
// At Green Bank and MongoDB Bank the demo people of package
// mockbank/demo hold exactly the accounts and products of that table; every
// other customer (and the demo people at the other banks) is generated.
package gen

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultSeed is the seed used when none is given.
const DefaultSeed int64 = 20260115

// Defaults and limits of the size knobs.
const (
	DefaultMonths   = 13
	DefaultAccounts = 2
	MaxCustomers    = 89999
	MaxAccounts     = 20
	MaxTxPerAccount = 200000
	MaxMonths       = 120
)

// SandboxLogin is the public sandbox customer every bank has.
const SandboxLogin = "demo"

// Size are the generator's knobs. Zero values take the demo defaults.
type Size struct {
	Customers           int // generated customers besides the demo people (customer-00001...)
	AccountsPerCustomer int // deposit accounts per generated customer
	TxPerAccount        int // transactions per account over the period (approximate)
	Months              int // length of the transaction history
}

// Normalize fills defaults and clamps every knob to its limits.
func (s Size) Normalize() Size {
	s.Customers = clamp(s.Customers, 0, MaxCustomers)
	if s.AccountsPerCustomer <= 0 {
		s.AccountsPerCustomer = DefaultAccounts
	}
	s.AccountsPerCustomer = clamp(s.AccountsPerCustomer, 1, MaxAccounts)
	s.TxPerAccount = clamp(s.TxPerAccount, 0, MaxTxPerAccount)
	if s.Months <= 0 {
		s.Months = DefaultMonths
	}
	s.Months = clamp(s.Months, 1, MaxMonths)
	return s
}

// Validate reports a knob out of range, in words a user can act on.
func (s Size) Validate() error {
	switch {
	case s.Customers < 0 || s.Customers > MaxCustomers:
		return fmt.Errorf("the number of generated customers must be between 0 and %d, not %d", MaxCustomers, s.Customers)
	case s.AccountsPerCustomer < 0 || s.AccountsPerCustomer > MaxAccounts:
		return fmt.Errorf("accounts per customer must be between 1 and %d, not %d", MaxAccounts, s.AccountsPerCustomer)
	case s.TxPerAccount < 0 || s.TxPerAccount > MaxTxPerAccount:
		return fmt.Errorf("transactions per account must be between 0 (the default mix) and %d, not %d", MaxTxPerAccount, s.TxPerAccount)
	case s.Months < 0 || s.Months > MaxMonths:
		return fmt.Errorf("months of history must be between 1 and %d, not %d", MaxMonths, s.Months)
	}
	return nil
}

// Nominal is the number of transactions the knobs ask for across the
// generated customers (customers x accounts x transactions per account);
// 0 when TxPerAccount is left to the default mix.
func (s Size) Nominal() int64 {
	s = s.Normalize()
	return int64(s.Customers) * int64(s.AccountsPerCustomer) * int64(s.TxPerAccount)
}

// MillionSize is the benchmark configuration: 2,500 generated customers
// with two accounts of about 210 transactions each, about 1.05 million
// transactions in all (counted, not estimated, by the size test).
func MillionSize() Size {
	return Size{Customers: 2500, AccountsPerCustomer: 2, TxPerAccount: 210, Months: DefaultMonths}
}

// ErrUnknownCustomer is returned for a login the bank does not know.
var ErrUnknownCustomer = errors.New("no such customer at this bank")

// Logins returns every customer login of a bank for a size, in order: the
// demo people, the sandbox customer, then customer-00001...
func Logins(size Size) []string {
	size = size.Normalize()
	out := demoLogins()
	for i := 1; i <= size.Customers; i++ {
		out = append(out, GeneratedLogin(i))
	}
	return out
}

// GeneratedLogin is the login of the i-th generated customer (1-based).
func GeneratedLogin(i int) string { return fmt.Sprintf("customer-%05d", i) }

// NormalizeLogin is how logins compare: trimmed, lower case.
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// IsCustomer reports whether login is a customer of every bank for size.
func IsCustomer(login string, size Size) bool {
	_, ok := customerIndex(NormalizeLogin(login), size.Normalize())
	return ok
}

// customerIndex numbers customers: generated ones 1..N, the sandbox
// customer 90000, the demo people 90001... It feeds account numbers.
func customerIndex(login string, size Size) (int, bool) {
	for i, l := range demoLogins() {
		if l == login {
			if l == SandboxLogin {
				return 90000, true
			}
			return 90001 + i, true
		}
	}
	rest, ok := strings.CutPrefix(login, "customer-")
	if !ok || len(rest) != 5 {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || n > size.Customers {
		return 0, false
	}
	return n, true
}

// Window is the span of an account history ending today: the first and
// the last day (both UTC midnights, both included).
func Window(now time.Time, months int) (first, last time.Time) {
	if months <= 0 {
		months = DefaultMonths
	}
	last = Day(now)
	first = last.AddDate(0, -months, 1)
	return first, last
}

// Day is the UTC midnight of t's day.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// PendingDays is how many of the last days hold Pending transactions.
const PendingDays = 2

// Transaction statuses.
const (
	StatusBooked  = "Booked"
	StatusPending = "Pending"
)

// Account and product types, in the original shape's words.
const (
	Checking = "Checking"
	Savings  = "Savings"
	Loan     = "Loan"
	Mortgage = "Mortgage"
)

// Categories every bank uses: a subset of the common list of core/bankapi,
// so the client's normalisation is the identity on them.
const (
	CatIncome        = "Income"
	CatHousing       = "Housing"
	CatUtilities     = "Utilities"
	CatGroceries     = "Groceries"
	CatDining        = "Dining"
	CatTransport     = "Transport"
	CatShopping      = "Shopping"
	CatEntertainment = "Entertainment"
	CatSubscriptions = "Subscriptions"
	CatHealth        = "Health"
	CatTravel        = "Travel"
	CatTransfers     = "Transfers"
	CatCash          = "Cash"
	CatLoanRepayment = "Loan Repayment"
	CatSavings       = "Savings"
)

// Categories returns the fixed category list (a fresh slice).
func Categories() []string {
	return []string{
		CatIncome, CatHousing, CatUtilities, CatGroceries, CatDining, CatTransport, CatShopping,
		CatEntertainment, CatSubscriptions, CatHealth, CatTravel, CatTransfers, CatCash,
		CatLoanRepayment, CatSavings,
	}
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}
