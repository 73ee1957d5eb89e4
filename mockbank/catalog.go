package mockbank

import (
	"github.com/openfinance-tui/openfinance/core/banks"
)

// Client registration of openfinance at every emulated bank (published
// sandbox values, see API.md).
const (
	ClientID     = "openfinance"
	ClientSecret = "openfinance-demo-secret"
	RedirectURI  = "http://127.0.0.1/openfinance/callback"
)

// DefaultDemoCustomer is the public sandbox customer every bank has, used
// for app users who are not one of the demo people.
const DefaultDemoCustomer = "demo"

// Info describes one emulated bank: identity, API shape and published
// sandbox credentials.
type Info struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Style       banks.Style `json:"api_style"`
	Description string      `json:"description"`
	Color       string      `json:"color"`
	Currency    string      `json:"currency"`
	Password    string      `json:"-"`
	NeedsOTP    bool        `json:"needs_otp"`
	OTP         string      `json:"-"`
}

// Catalog returns the emulated banks in display order (a fresh slice).
func Catalog() []Info {
	return []Info{
		{ID: "green-bank", Name: "Green Bank", Style: banks.StyleOriginal, Currency: "USD", Color: "#2E8B57",
			Description: "Sustainable everyday banking; the original Open Finance API shape.", Password: "green-demo"},
		{ID: "mongodb-bank", Name: "MongoDB Bank", Style: banks.StyleOriginal, Currency: "USD", Color: "#00ED64",
			Description: "The developer's bank; asks for a one-time code at login.", Password: "mongodb-demo", NeedsOTP: true, OTP: "123456"},
		{ID: "albion-bank", Name: "Albion Bank", Style: banks.StyleUKOB, Currency: "GBP", Color: "#1F3A93",
			Description: "A British high-street bank speaking UK Open Banking v3.1.", Password: "albion-demo"},
		{ID: "rhein-bank", Name: "Rheinbank", Style: banks.StyleBerlinGroup, Currency: "EUR", Color: "#C8102E",
			Description: "A German savings bank speaking Berlin Group NextGenPSD2.", Password: "rhein-demo"},
	}
}

// DemoCustomers are the logins every bank knows besides generated ones:
// the app's demo people and the public sandbox customer.
func DemoCustomers() []string {
	return []string{"alice", "bob", "carmen", "dmitri", DefaultDemoCustomer}
}

// DirectoryEntry turns a catalog entry into the directory entry for a bank
// served at baseURL.
func (i Info) DirectoryEntry(baseURL string) banks.Bank {
	var perms []string
	switch i.Style {
	case banks.StyleBerlinGroup:
		perms = banks.DefaultPermissions()
	default:
		perms = []string{
			banks.PermAccountsBasic, banks.PermAccountsDetail, banks.PermBalances, banks.PermProducts,
			banks.PermTransactionsBasic, banks.PermTransactionsDetail, banks.PermTransactionsCredit, banks.PermTransactionsDebit,
		}
	}
	return banks.Bank{
		ID: i.ID, Name: i.Name, Style: i.Style, Color: i.Color, Description: i.Description, Currency: i.Currency,
		BaseURL: baseURL, ClientID: ClientID, ClientSecret: ClientSecret, RedirectURI: RedirectURI,
		DemoUsers: DemoCustomers(), DefaultDemoUser: DefaultDemoCustomer, DemoPassword: i.Password,
		NeedsOTP: i.NeedsOTP, DemoOTP: i.OTP, Permissions: perms,
	}
}
