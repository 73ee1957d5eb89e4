package mockbank

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// ukobRoot is where the UK Account and Transaction API lives.
const ukobRoot = "/open-banking/v3.1/aisp"

const ukobTxPage = 100

func (b *bank) ukobRoutes() {
	b.handle("POST "+ukobRoot+"/account-access-consents", kindConsent, b.ukCreateConsent)
	b.handle("GET "+ukobRoot+"/account-access-consents/{id}", kindConsent, b.ukGetConsent)
	b.handle("DELETE "+ukobRoot+"/account-access-consents/{id}", kindConsent, b.deleteConsent)
	b.handle("GET "+ukobRoot+"/accounts", kindData, b.ukAccounts)
	b.handle("GET "+ukobRoot+"/accounts/{id}", kindData, b.ukAccount)
	b.handle("GET "+ukobRoot+"/accounts/{id}/balances", kindData, b.ukBalances)
	b.handle("GET "+ukobRoot+"/accounts/{id}/product", kindData, b.ukProduct)
	b.handle("GET "+ukobRoot+"/accounts/{id}/transactions", kindData, b.ukTransactions)
}

// ukTime is ISO 8601 with an explicit offset, as the UK standard writes it.
func ukTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// ukAmount is an amount as the UK standard writes it: positive, two decimals.
func ukAmount(v float64) string { return strconv.FormatFloat(math.Abs(v), 'f', 2, 64) }

type ukMoney struct {
	Amount   string `json:"Amount"`
	Currency string `json:"Currency"`
}

// ukConsentRequest is the body of POST /account-access-consents.
type ukConsentRequest struct {
	Data struct {
		Permissions             []string `json:"Permissions"`
		ExpirationDateTime      string   `json:"ExpirationDateTime"`
		TransactionFromDateTime string   `json:"TransactionFromDateTime"`
		TransactionToDateTime   string   `json:"TransactionToDateTime"`
	} `json:"Data"`
	Risk map[string]any `json:"Risk"`
}

func (q ukConsentRequest) parse(now time.Time) (authz.Consent, error) {
	return origConsentRequest{Permissions: q.Data.Permissions, ExpirationDateTime: q.Data.ExpirationDateTime,
		TransactionFromDateTime: q.Data.TransactionFromDateTime, TransactionToDateTime: q.Data.TransactionToDateTime,
	}.parse(func() time.Time { return now })
}

func (b *bank) ukConsentDoc(r *http.Request, c authz.Consent) map[string]any {
	data := map[string]any{"ConsentId": c.ID, "Status": c.Status, "CreationDateTime": ukTime(c.Created),
		"StatusUpdateDateTime": ukTime(c.Updated), "Permissions": c.Permissions, "ExpirationDateTime": ukTime(c.Expires)}
	if c.From != nil {
		data["TransactionFromDateTime"] = ukTime(*c.From)
	}
	if c.To != nil {
		data["TransactionToDateTime"] = ukTime(*c.To)
	}
	return map[string]any{"Data": data, "Risk": map[string]any{},
		"Links": map[string]string{"Self": b.base(r) + ukobRoot + "/account-access-consents/" + c.ID},
		"Meta":  map[string]int{"TotalPages": 1}}
}

func (b *bank) ukCreateConsent(w http.ResponseWriter, r *http.Request) {
	if !b.consentCall(w, r) {
		return
	}
	var q ukConsentRequest
	if !b.consentBody(w, r, &q) {
		return
	}
	c, err := q.parse(b.s.opts.Now())
	stored, ok := b.createConsent(w, c, err, b.consentPrefix())
	if !ok {
		return
	}
	writeJSON(w, http.StatusCreated, b.ukConsentDoc(r, stored))
}

func (b *bank) ukGetConsent(w http.ResponseWriter, r *http.Request) {
	if !b.consentCall(w, r) {
		return
	}
	if c, ok := b.lookupConsent(w, r); ok {
		writeJSON(w, http.StatusOK, b.ukConsentDoc(r, c))
	}
}

// ukEnvelope wraps data in the standard's {Data, Links, Meta}.
func ukEnvelope(self string, data any, totalPages int, next string) map[string]any {
	links := map[string]string{"Self": self}
	if next != "" {
		links["Next"] = next
	}
	return map[string]any{"Data": data, "Links": links, "Meta": map[string]int{"TotalPages": totalPages}}
}

func (b *bank) self(r *http.Request) string {
	u := b.base(r) + r.URL.Path
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

// ukAccountDoc renders a deposit account or a loan account.
func (b *bank) ukAccountDoc(a *access, acc *gen.Account, p *gen.Product) map[string]any {
	var doc map[string]any
	var number, name string
	if acc != nil {
		sub := "CurrentAccount"
		if acc.Type == gen.Savings {
			sub = "Savings"
		}
		doc = map[string]any{"AccountId": acc.ID, "Status": "Enabled", "Currency": acc.Currency, "AccountType": "Personal",
			"AccountSubType": sub, "Nickname": acc.Name, "OpeningDate": ukTime(acc.OpeningDate)}
		number, name = acc.Number, acc.Holder
	} else {
		doc = map[string]any{"AccountId": p.ID, "Status": "Enabled", "Currency": p.Currency, "AccountType": "Personal",
			"AccountSubType": p.Type, "Nickname": p.Name, "OpeningDate": ukTime(p.OpeningDate)}
		number, name = p.Number, a.cust.FullName
	}
	if a.c.Has(banks.PermAccountsDetail) {
		doc["Account"] = []map[string]string{{"SchemeName": "UK.OBIE.SortCodeAccountNumber", "Identification": number, "Name": name}}
	}
	return doc
}

// ukFind finds a deposit account or a loan account of the customer.
func (a *access) ukFind(id string) (*gen.Account, *gen.Product, bool) {
	if acc, ok := a.account(id); ok {
		return &acc, nil, true
	}
	for _, p := range a.products() {
		if p.ID == id {
			return nil, &p, true
		}
	}
	return nil, nil, false
}

func (b *bank) ukAccounts(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, permsAccounts()...)
	if !ok {
		return
	}
	list := []map[string]any{}
	for _, acc := range a.accounts() {
		list = append(list, b.ukAccountDoc(a, &acc, nil))
	}
	for _, p := range a.products() {
		list = append(list, b.ukAccountDoc(a, nil, &p))
	}
	b.reply(w, http.StatusOK, ukEnvelope(b.self(r), map[string]any{"Account": list}, 1, ""))
}

func (b *bank) ukAccount(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, permsAccounts()...)
	if !ok {
		return
	}
	acc, p, ok := a.ukFind(r.PathValue("id"))
	if !ok {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such account")
		return
	}
	b.reply(w, http.StatusOK, ukEnvelope(b.self(r), map[string]any{"Account": []any{b.ukAccountDoc(a, acc, p)}}, 1, ""))
}

func (b *bank) ukBalances(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, banks.PermBalances)
	if !ok {
		return
	}
	acc, p, ok := a.ukFind(r.PathValue("id"))
	if !ok {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such account")
		return
	}
	at := ukTime(b.s.opts.Now())
	var list []map[string]any
	if acc != nil {
		ind := "Credit"
		if acc.Balance < 0 {
			ind = "Debit"
		}
		for _, typ := range []string{"InterimAvailable", "InterimBooked"} {
			list = append(list, map[string]any{"AccountId": acc.ID, "Amount": ukMoney{ukAmount(acc.Balance), acc.Currency},
				"CreditDebitIndicator": ind, "Type": typ, "DateTime": at})
		}
	} else {
		list = append(list, map[string]any{"AccountId": p.ID, "Amount": ukMoney{ukAmount(p.Amount), p.Currency},
			"CreditDebitIndicator": "Debit", "Type": "InterimBooked", "DateTime": at})
	}
	b.reply(w, http.StatusOK, ukEnvelope(b.self(r), map[string]any{"Balance": list}, 1, ""))
}

func (b *bank) ukProduct(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, banks.PermProducts)
	if !ok {
		return
	}
	acc, p, ok := a.ukFind(r.PathValue("id"))
	if !ok {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such account")
		return
	}
	var doc map[string]any
	if acc != nil {
		typ, pid := "PersonalCurrentAccount", "ALB-PCA-CLASSIC"
		if acc.Type == gen.Savings {
			typ, pid = "SavingsAccount", "ALB-SAV-INSTANT"
		}
		doc = map[string]any{"AccountId": acc.ID, "ProductId": pid, "ProductName": acc.Name, "ProductType": typ}
	} else {
		terms := map[string]any{"StartDate": ukTime(p.OpeningDate), "TermMonths": p.TermMonths,
			"OriginalAmount": ukMoney{ukAmount(p.OriginalAmount), p.Currency}}
		if p.Type == gen.Mortgage {
			terms["PropertyAddress"] = p.PropertyAddress
			terms["PropertyValue"] = ukMoney{ukAmount(p.PropertyValue), p.Currency}
		} else if p.Collateral != "" {
			terms["Collateral"] = p.Collateral
		}
		doc = map[string]any{"AccountId": p.ID, "ProductId": p.ID, "ProductName": p.Name, "ProductType": "Other",
			"OtherProductType": map[string]any{"Name": p.Type, "Description": p.Narrative,
				"LoanInterest": map[string]any{"LoanInterestTierBandSet": []any{map[string]any{"TierBandMethod": "Whole",
					"TierBand": []any{map[string]string{"TierValueMinimum": "0", "LoanProviderInterestRateType": "INFX",
						"LoanProviderInterestRate": strconv.FormatFloat(p.Rate, 'f', 2, 64)}}}}}},
			"LoanTerms": terms}
	}
	b.reply(w, http.StatusOK, ukEnvelope(b.self(r), map[string]any{"Product": []any{doc}}, 1, ""))
}

func (b *bank) ukTransactions(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, permsTx()...)
	if !ok {
		return
	}
	acc, _, ok := a.ukFind(r.PathValue("id"))
	if !ok {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such account")
		return
	}
	p, okPage := page(r)
	from, okFrom := dateTimeParam(r, "fromBookingDateTime", false)
	to, okTo := dateTimeParam(r, "toBookingDateTime", true)
	if !okPage || !okFrom || !okTo {
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, "page must be at least 1 and fromBookingDateTime/toBookingDateTime ISO 8601 date-times")
		return
	}
	if b.failPage(w, p) {
		return
	}
	var txs []gen.Transaction
	if acc != nil {
		txs = a.filter(b.transactions(a.cust, acc.ID), from, to)
	}
	detail := a.txView().detail
	list := make([]ukTx, 0, ukobTxPage)
	for _, t := range slice(txs, p, ukobTxPage) {
		ind := "Debit"
		if t.Credit() {
			ind = "Credit"
		}
		doc := ukTx{AccountID: t.AccountID, TransactionID: t.ID, Reference: t.Reference,
			Amount: ukMoney{ukAmount(t.Amount), t.Currency}, Indicator: ind, Status: t.Status,
			Booking: ukTime(t.Booking), Value: ukTime(t.Value), Code: ukCode{Code: t.Category, Issuer: "Albion"}}
		if detail {
			doc.Information = t.Description
			doc.Merchant = &ukMerchant{Name: t.Merchant, MCC: t.MCC}
		}
		list = append(list, doc)
	}
	total := pages(len(txs), ukobTxPage)
	next := ""
	if p < total {
		next = b.pageURL(r, p+1)
	}
	b.reply(w, http.StatusOK, ukEnvelope(b.self(r), map[string]any{"Transaction": list}, total, next))
}

// ukTx is a transaction in the UK shape.
type ukTx struct {
	AccountID     string      `json:"AccountId"`
	TransactionID string      `json:"TransactionId"`
	Reference     string      `json:"TransactionReference"`
	Amount        ukMoney     `json:"Amount"`
	Indicator     string      `json:"CreditDebitIndicator"`
	Status        string      `json:"Status"`
	Booking       string      `json:"BookingDateTime"`
	Value         string      `json:"ValueDateTime"`
	Information   string      `json:"TransactionInformation,omitempty"`
	Merchant      *ukMerchant `json:"MerchantDetails,omitempty"`
	Code          ukCode      `json:"ProprietaryBankTransactionCode"`
}

type ukMerchant struct {
	Name string `json:"MerchantName"`
	MCC  string `json:"MerchantCategoryCode"`
}

type ukCode struct {
	Code   string `json:"Code"`
	Issuer string `json:"Issuer"`
}

// pageURL is the request's absolute URL with another page number.
func (b *bank) pageURL(r *http.Request, p int) string {
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(p))
	return b.base(r) + r.URL.Path + "?" + q.Encode()
}
