// Package banks is the directory of banks openfinance can link: who they
// are, how to reach them and which API shape they speak. It holds plain data
// only; the clients that talk to the banks live in core/bankapi.
//
// The directory is filled at start-up: offline, from the emulated banks the
// process starts itself (mockbank.Directory); otherwise from wherever the
// operator points it. Nothing here is package-level mutable state.
package banks

import (
	"fmt"
	"slices"
	"strings"
)

// Style names a bank API shape. Each style has one adapter in core/bankapi.
type Style string

// The API shapes openfinance speaks.
const (
	// StyleOriginal is the original Open Finance Data Store shape:
	// PascalCase documents like external_accounts/external_products.
	StyleOriginal Style = "original"
	// StyleUKOB is UK Open Banking Account and Transaction API v3.1.
	StyleUKOB Style = "ukob"
	// StyleBerlinGroup is Berlin Group NextGenPSD2 XS2A.
	StyleBerlinGroup Style = "berlingroup"
)

// Permissions a consent can carry (UK Open Banking names; the adapters map
// them onto each bank's own vocabulary).
const (
	PermAccountsBasic      = "ReadAccountsBasic"
	PermAccountsDetail     = "ReadAccountsDetail"
	PermBalances           = "ReadBalances"
	PermProducts           = "ReadProducts"
	PermTransactionsBasic  = "ReadTransactionsBasic"
	PermTransactionsDetail = "ReadTransactionsDetail"
	PermTransactionsCredit = "ReadTransactionsCredits"
	PermTransactionsDebit  = "ReadTransactionsDebits"
)

// DefaultPermissions are asked for when the user does not narrow them.
func DefaultPermissions() []string {
	return []string{PermAccountsDetail, PermBalances, PermProducts, PermTransactionsDetail}
}

// Describe says in plain words what a permission shares.
func Describe(p string) string {
	switch p {
	case PermAccountsBasic:
		return "your accounts (type and currency)"
	case PermAccountsDetail:
		return "your accounts, with their numbers and names"
	case PermBalances:
		return "your account balances"
	case PermProducts:
		return "your loans and mortgages (amount, rate, term)"
	case PermTransactionsBasic:
		return "your transactions (amounts and dates)"
	case PermTransactionsDetail:
		return "your transactions, with merchants and descriptions"
	case PermTransactionsCredit:
		return "money coming into your accounts"
	case PermTransactionsDebit:
		return "money going out of your accounts"
	}
	return p
}

// Credentials are what a customer types on the bank's login page.
type Credentials struct {
	User     string
	Password string
	OTP      string // one-time code, only at banks that ask for one
}

// Bank is one linkable bank.
type Bank struct {
	ID          string // slug, e.g. "green-bank"
	Name        string // as stored in AccountBank/ProductBank, e.g. "Green Bank"
	Style       Style
	Color       string // brand colour "#RRGGBB"
	Description string // one line for the UI
	Currency    string // the bank's home currency

	// BaseURL is where the bank's API and authorization server live,
	// e.g. http://127.0.0.1:8003/green-bank (no trailing slash). The
	// authorization server metadata is at BaseURL/.well-known/oauth-authorization-server.
	BaseURL string

	// The client registration of openfinance at this bank.
	ClientID     string
	ClientSecret string
	RedirectURI  string

	// Published sandbox credentials. Every customer in DemoUsers logs in
	// with DemoPassword (and DemoOTP where NeedsOTP); DefaultDemoUser is the
	// login for app users who are not customers of the bank.
	DemoUsers       []string
	DefaultDemoUser string
	DemoPassword    string
	NeedsOTP        bool
	DemoOTP         string

	// Permissions the bank understands; DefaultPermissions is a subset.
	Permissions []string
}

// DemoCredentials are the published sandbox credentials for an app user:
// the user's own login when the bank knows that customer, else the bank's
// default demo customer.
func (b Bank) DemoCredentials(appUser string) Credentials {
	login := b.DefaultDemoUser
	if slices.Contains(b.DemoUsers, strings.ToLower(appUser)) {
		login = strings.ToLower(appUser)
	}
	c := Credentials{User: login, Password: b.DemoPassword}
	if b.NeedsOTP {
		c.OTP = b.DemoOTP
	}
	return c
}

// Directory is the set of linkable banks, in display order.
type Directory struct {
	banks []Bank
}

// NewDirectory builds a directory; ids and names must be unique.
func NewDirectory(bs []Bank) (*Directory, error) {
	seen := map[string]bool{}
	for _, b := range bs {
		for _, k := range []string{strings.ToLower(b.ID), strings.ToLower(b.Name)} {
			if seen[k] {
				return nil, fmt.Errorf("bank %q appears twice in the directory", k)
			}
			seen[k] = true
		}
	}
	return &Directory{banks: slices.Clone(bs)}, nil
}

// All returns the banks in display order (a copy).
func (d *Directory) All() []Bank {
	if d == nil {
		return nil
	}
	return slices.Clone(d.banks)
}

// Lookup finds a bank by id or by name, ignoring case.
func (d *Directory) Lookup(idOrName string) (Bank, bool) {
	if d == nil {
		return Bank{}, false
	}
	k := strings.ToLower(strings.TrimSpace(idOrName))
	for _, b := range d.banks {
		if strings.ToLower(b.ID) == k || strings.ToLower(b.Name) == k {
			return b, true
		}
	}
	return Bank{}, false
}

// ErrUnknownBank is wrapped by Resolve for a bank nobody knows.
var ErrUnknownBank = fmt.Errorf("unknown bank")

// Resolve is Lookup with an error that lists the known banks.
func (d *Directory) Resolve(idOrName string) (Bank, error) {
	if b, ok := d.Lookup(idOrName); ok {
		return b, nil
	}
	var ids []string
	for _, b := range d.All() {
		ids = append(ids, b.ID)
	}
	return Bank{}, fmt.Errorf("%w %q: known banks are %s", ErrUnknownBank, idOrName, strings.Join(ids, ", "))
}

// Name turns a bank id or name into the name stored in AccountBank,
// ProductBank and TransactionBank; values the directory does not know pass
// unchanged (documents imported from another system may name other banks).
func (d *Directory) Name(idOrName string) string {
	if b, ok := d.Lookup(idOrName); ok {
		return b.Name
	}
	return idOrName
}
