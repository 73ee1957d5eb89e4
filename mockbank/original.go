package mockbank

import (
	"net/http"
	"strconv"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// Page sizes of the original style.
const (
	origListPage  = 25
	origTxPage    = 100
	origTxMaxPage = 500
)

func (b *bank) originalRoutes() {
	b.handle("POST /consents", kindConsent, b.origCreateConsent)
	b.handle("GET /consents/{id}", kindConsent, b.origGetConsent)
	b.handle("DELETE /consents/{id}", kindConsent, b.deleteConsent)
	b.handle("GET /accounts", kindData, b.origAccounts)
	b.handle("GET /products", kindData, b.origProducts)
	b.handle("GET /accounts/{id}/transactions", kindData, b.origTransactions)
}

// origConsentRequest is the body of POST /consents.
type origConsentRequest struct {
	Permissions             []string `json:"Permissions"`
	ExpirationDateTime      string   `json:"ExpirationDateTime"`
	TransactionFromDateTime string   `json:"TransactionFromDateTime"`
	TransactionToDateTime   string   `json:"TransactionToDateTime"`
}

// parse validates the request into a consent.
func (q origConsentRequest) parse(now func() time.Time) (authz.Consent, error) {
	exp, err := optTime("ExpirationDateTime", q.ExpirationDateTime)
	if err != nil {
		return authz.Consent{}, err
	}
	from, err := optTime("TransactionFromDateTime", q.TransactionFromDateTime)
	if err != nil {
		return authz.Consent{}, err
	}
	to, err := optTime("TransactionToDateTime", q.TransactionToDateTime)
	if err != nil {
		return authz.Consent{}, err
	}
	var expires time.Time
	if exp != nil {
		expires = *exp
	}
	return newConsent(q.Permissions, expires, from, to, now(), 0)
}

type origConsent struct {
	ConsentID               string   `json:"ConsentId"`
	Status                  string   `json:"Status"`
	Permissions             []string `json:"Permissions"`
	ExpirationDateTime      string   `json:"ExpirationDateTime"`
	TransactionFromDateTime string   `json:"TransactionFromDateTime,omitempty"`
	TransactionToDateTime   string   `json:"TransactionToDateTime,omitempty"`
	CreationDateTime        string   `json:"CreationDateTime"`
	StatusUpdateDateTime    string   `json:"StatusUpdateDateTime"`
}

func origConsentOf(c authz.Consent) origConsent {
	return origConsent{ConsentID: c.ID, Status: c.Status, Permissions: c.Permissions, ExpirationDateTime: rfc3339(c.Expires),
		TransactionFromDateTime: optRFC3339(c.From), TransactionToDateTime: optRFC3339(c.To),
		CreationDateTime: rfc3339(c.Created), StatusUpdateDateTime: rfc3339(c.Updated)}
}

func (b *bank) origCreateConsent(w http.ResponseWriter, r *http.Request) {
	if !b.consentCall(w, r) {
		return
	}
	var q origConsentRequest
	if !b.consentBody(w, r, &q) {
		return
	}
	c, err := q.parse(b.s.opts.Now)
	stored, ok := b.createConsent(w, c, err, b.consentPrefix())
	if !ok {
		return
	}
	w.Header().Set("Location", b.base(r)+"/consents/"+stored.ID)
	writeJSON(w, http.StatusCreated, origConsentOf(stored))
}

func (b *bank) origGetConsent(w http.ResponseWriter, r *http.Request) {
	if !b.consentCall(w, r) {
		return
	}
	if c, ok := b.lookupConsent(w, r); ok {
		writeJSON(w, http.StatusOK, origConsentOf(c))
	}
}

// consentPrefix starts the bank's consent ids.
func (b *bank) consentPrefix() string {
	switch b.info.Style {
	case banks.StyleUKOB:
		return "urn-" + b.info.ID + "-intent-"
	case banks.StyleBerlinGroup:
		return ""
	}
	return b.narrativeKey() + "-CNS-"
}

// narrativeKey is the prefix of the bank's own fields (GreenAccountNarrative).
func (b *bank) narrativeKey() string {
	if b.info.ID == "mongodb-bank" {
		return "MDB"
	}
	return "Green"
}

type origAccount struct {
	AccountID             string   `json:"AccountId"`
	AccountBank           string   `json:"AccountBank"`
	AccountStatus         string   `json:"AccountStatus"`
	AccountType           string   `json:"AccountType"`
	AccountBalance        *float64 `json:"AccountBalance,omitempty"`
	AccountCurrency       string   `json:"AccountCurrency"`
	AccountDate           origDate `json:"AccountDate"`
	GreenAccountNarrative string   `json:"GreenAccountNarrative,omitempty"`
	MDBAccountNarrative   string   `json:"MDBAccountNarrative,omitempty"`
}

type origDate struct {
	OpeningDate string `json:"OpeningDate"`
}

func (b *bank) origAccounts(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, permsAccounts()...)
	if !ok {
		return
	}
	p, ok := page(r)
	if !ok {
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, "page must be a whole number of at least 1")
		return
	}
	accs := a.accounts()
	detail := a.c.Has(banks.PermAccountsDetail)
	out := make([]origAccount, 0, origListPage)
	for _, acc := range slice(accs, p, origListPage) {
		o := origAccount{AccountID: acc.ID, AccountBank: b.info.Name, AccountStatus: acc.Status, AccountType: acc.Type,
			AccountCurrency: acc.Currency, AccountDate: origDate{rfc3339(acc.OpeningDate)}}
		if a.c.Has(banks.PermBalances) {
			bal := acc.Balance
			o.AccountBalance = &bal
		}
		if detail {
			o.GreenAccountNarrative, o.MDBAccountNarrative = b.narratives(acc.Narrative)
		}
		out = append(out, o)
	}
	b.reply(w, http.StatusOK, map[string]any{"Accounts": out, "Page": p, "TotalPages": pages(len(accs), origListPage)})
}

// narratives puts a narrative in the bank's own field.
func (b *bank) narratives(n string) (green, mdb string) {
	if b.narrativeKey() == "MDB" {
		return "", n
	}
	return n, ""
}

type origProduct struct {
	ProductID             string        `json:"ProductId"`
	ProductBank           string        `json:"ProductBank"`
	ProductStatus         string        `json:"ProductStatus"`
	ProductType           string        `json:"ProductType"`
	ProductAmount         float64       `json:"ProductAmount"`
	ProductCurrency       string        `json:"ProductCurrency"`
	ProductInterestRate   float64       `json:"ProductInterestRate"`
	ProductDate           origDate      `json:"ProductDate"`
	GreenProductNarrative string        `json:"GreenProductNarrative,omitempty"`
	MDBProductNarrative   string        `json:"MDBProductNarrative,omitempty"`
	RepaymentPeriod       *int          `json:"RepaymentPeriod,omitempty"`
	LoanCollateral        string        `json:"LoanCollateral,omitempty"`
	AmortizationPeriod    *int          `json:"AmortizationPeriod,omitempty"`
	PropertyDetails       *origProperty `json:"PropertyDetails,omitempty"`
}

type origProperty struct {
	Address       string  `json:"Address"`
	PropertyValue float64 `json:"PropertyValue"`
}

func origProductOf(b *bank, p gen.Product) origProduct {
	o := origProduct{ProductID: p.ID, ProductBank: b.info.Name, ProductStatus: p.Status, ProductType: p.Type,
		ProductAmount: p.Amount, ProductCurrency: p.Currency, ProductInterestRate: p.Rate,
		ProductDate: origDate{rfc3339(p.OpeningDate)}}
	o.GreenProductNarrative, o.MDBProductNarrative = b.narratives(p.Narrative)
	if p.Type == gen.Mortgage {
		years := p.TermYears()
		o.AmortizationPeriod = &years
		o.PropertyDetails = &origProperty{Address: p.PropertyAddress, PropertyValue: p.PropertyValue}
	} else {
		months := p.TermMonths
		o.RepaymentPeriod = &months
		o.LoanCollateral = p.Collateral
	}
	return o
}

func (b *bank) origProducts(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, banks.PermProducts)
	if !ok {
		return
	}
	p, ok := page(r)
	if !ok {
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, "page must be a whole number of at least 1")
		return
	}
	ps := a.products()
	out := make([]origProduct, 0, len(ps))
	for _, x := range slice(ps, p, origListPage) {
		out = append(out, origProductOf(b, x))
	}
	b.reply(w, http.StatusOK, map[string]any{"Products": out, "Page": p, "TotalPages": pages(len(ps), origListPage)})
}

type origTx struct {
	TransactionID string   `json:"TransactionId"`
	BookingDate   string   `json:"BookingDate"`
	ValueDate     string   `json:"ValueDate"`
	Amount        float64  `json:"Amount"`
	Currency      string   `json:"Currency"`
	Merchant      string   `json:"Merchant,omitempty"`
	Category      string   `json:"Category"`
	Description   string   `json:"Description,omitempty"`
	Status        string   `json:"Status"`
	GreenCarbonKg *float64 `json:"GreenCarbonKg,omitempty"`
	MDBTags       []string `json:"MDBTags,omitempty"`
}

func (b *bank) origTransactions(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, permsTx()...)
	if !ok {
		return
	}
	acc, ok := a.account(r.PathValue("id"))
	if !ok {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such account")
		return
	}
	p, okPage := page(r)
	size, okSize := pageSize(r, origTxPage, origTxMaxPage)
	if !okPage || !okSize {
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, "page must be at least 1 and pageSize between 1 and "+strconv.Itoa(origTxMaxPage))
		return
	}
	if b.failPage(w, p) {
		return
	}
	txs := a.filter(b.transactions(a.cust, acc.ID), time.Time{}, time.Time{})
	detail := a.txView().detail
	mdb := b.narrativeKey() == "MDB"
	out := make([]origTx, 0, size)
	for _, t := range slice(txs, p, size) {
		o := origTx{TransactionID: t.ID, BookingDate: rfc3339(t.Booking), ValueDate: rfc3339(t.Value), Amount: t.Amount,
			Currency: t.Currency, Category: t.Category, Status: t.Status}
		if detail {
			o.Merchant, o.Description = t.Merchant, t.Description
		}
		if mdb {
			o.MDBTags = t.Tags
		} else {
			kg := t.CarbonKg
			o.GreenCarbonKg = &kg
		}
		out = append(out, o)
	}
	b.reply(w, http.StatusOK, map[string]any{"Transactions": out, "Page": p, "TotalPages": pages(len(txs), size)})
}

// pageSize parses pageSize (absent = def, at most maxSize).
func pageSize(r *http.Request, def, maxSize int) (int, bool) {
	v := r.URL.Query()["pageSize"]
	if len(v) == 0 {
		return def, true
	}
	n, err := strconv.Atoi(v[0])
	if len(v) > 1 || err != nil || n < 1 || n > maxSize {
		return 0, false
	}
	return n, true
}
