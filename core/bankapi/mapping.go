package bankapi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Categories is the common category list every bank's own codes are
// normalised to, so that spending by category adds up across banks.
func Categories() []string {
	return []string{
		"Income", "Housing", "Utilities", "Groceries", "Dining", "Transport", "Shopping",
		"Entertainment", "Subscriptions", "Health", "Travel", "Education", "Insurance",
		"Transfers", "Fees", "Cash", "Loan Repayment", "Savings", "Other",
	}
}

// categoryIndex is built once and only read: a lookup table, not state.
var categoryIndex = categoryAliases()

// categoryAliases maps a squashed (lower-case letters only) bank category to
// the common list.
func categoryAliases() map[string]string {
	m := map[string]string{}
	for _, c := range Categories() {
		m[squash(c)] = c
	}
	for k, v := range map[string]string{
		"salary": "Income", "payroll": "Income", "wages": "Income", "interest": "Income", "refund": "Income",
		"rent": "Housing", "mortgage": "Housing", "mortgagepayment": "Housing", "home": "Housing",
		"bills": "Utilities", "energy": "Utilities", "electricity": "Utilities", "water": "Utilities",
		"phone": "Utilities", "internet": "Utilities", "billsutilities": "Utilities",
		"grocery": "Groceries", "supermarket": "Groceries", "supermarkets": "Groceries", "food": "Groceries",
		"restaurant": "Dining", "restaurants": "Dining", "eatingout": "Dining", "cafe": "Dining",
		"coffee": "Dining", "foodanddrink": "Dining", "diningout": "Dining", "takeaway": "Dining",
		"transportation": "Transport", "fuel": "Transport", "taxi": "Transport", "publictransport": "Transport",
		"car": "Transport", "parking": "Transport",
		"retail": "Shopping", "clothing": "Shopping", "electronics": "Shopping", "general": "Shopping",
		"leisure": "Entertainment", "streaming": "Subscriptions", "subscription": "Subscriptions",
		"healthcare": "Health", "pharmacy": "Health", "medical": "Health", "fitness": "Health",
		"holiday": "Travel", "travelholidays": "Travel", "hotels": "Travel", "flights": "Travel", "airline": "Travel",
		"transfer": "Transfers", "banktransfer": "Transfers",
		"fee": "Fees", "charges": "Fees", "bankfees": "Fees",
		"atm": "Cash", "cashwithdrawal": "Cash",
		"loan": "Loan Repayment", "loanpayment": "Loan Repayment", "loanrepayment": "Loan Repayment",
		"repayment": "Loan Repayment", "debtrepayment": "Loan Repayment",
		"saving": "Savings", "investment": "Savings", "investments": "Savings",
		"misc": "Other", "miscellaneous": "Other", "uncategorized": "Other", "uncategorised": "Other",
	} {
		m[k] = v
	}
	return m
}

// NormalizeCategory maps a bank's category (any case, spacing or
// punctuation) to the common list; anything unknown is Other. The bank's own
// word is kept by the adapters in BankCategory when it differs.
func NormalizeCategory(raw string) string {
	s := squash(raw)
	if s == "" {
		return "Other"
	}
	if c, ok := categoryIndex[s]; ok {
		return c
	}
	return "Other"
}

func squash(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func trimmed(s string) string { return strings.TrimSpace(s) }

// parseAmount reads a decimal amount given as a string ("12.30", "-5").
func parseAmount(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty amount")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("amount %q is not a number", s)
	}
	return v, nil
}

// finite rejects NaN and infinities that a JSON number cannot carry but a
// hostile string could.
func finite(v float64, what string) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s is not a finite number", what)
	}
	return v, nil
}

// parseTime reads RFC 3339 timestamps and plain YYYY-MM-DD dates.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is not a date", s)
}

func optTime(s string) (*time.Time, error) {
	t, err := parseTime(s)
	if err != nil || t.IsZero() {
		return nil, err
	}
	return &t, nil
}

// pagesOK bounds a bank's page count: a hostile or broken bank must not make
// the client walk forever.
const maxPages = 100000

func checkPage(page, total int, resource string) error {
	if total < 0 || total > maxPages || page > maxPages {
		return fmt.Errorf("%s: page %d of %d is out of range", resource, page, total)
	}
	return nil
}
