package mockbank

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// berlinRoot is where the NextGenPSD2 XS2A interface lives.
const berlinRoot = "/v1"

const berlinTxPage = 100

func (b *bank) berlinRoutes() {
	b.handle("POST "+berlinRoot+"/consents", kindConsent, b.bgCreateConsent)
	b.handle("GET "+berlinRoot+"/consents/{id}", kindConsent, b.bgGetConsent)
	b.handle("GET "+berlinRoot+"/consents/{id}/status", kindConsent, b.bgConsentStatus)
	b.handle("DELETE "+berlinRoot+"/consents/{id}", kindConsent, b.deleteConsent)
	b.handle("GET "+berlinRoot+"/accounts", kindData, b.bgAccounts)
	b.handle("GET "+berlinRoot+"/accounts/{id}/balances", kindData, b.bgBalances)
	b.handle("GET "+berlinRoot+"/accounts/{id}/transactions", kindData, b.bgTransactions)
	b.handle("GET "+berlinRoot+"/loans", kindData, b.bgLoans)
}

// bgStatus is the NextGenPSD2 name of a consent status.
func bgStatus(c authz.Consent) string {
	switch c.Status {
	case authz.Awaiting:
		return "received"
	case authz.Authorised:
		return "valid"
	case authz.Rejected:
		return "rejected"
	case authz.Revoked:
		if c.RevokedBy == authz.ByPSU {
			return "revokedByPsu"
		}
		return "terminatedByTpp"
	}
	return "expired"
}

func bgDate(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func bgAmount(v float64, cur string) map[string]string {
	return map[string]string{"currency": cur, "amount": strconv.FormatFloat(v, 'f', 2, 64)}
}

func href(u string) map[string]string { return map[string]string{"href": u} }

func (b *bank) bgCreateConsent(w http.ResponseWriter, r *http.Request) {
	if !b.consentCall(w, r) {
		return
	}
	var q bgConsentRequest
	if !b.consentBody(w, r, &q) {
		return
	}
	c, err := q.parse(b.s.opts.Now())
	stored, ok := b.createConsent(w, c, err, b.consentPrefix())
	if !ok {
		return
	}
	self := b.base(r) + berlinRoot + "/consents/" + stored.ID
	w.Header().Set("Location", self)
	writeJSON(w, http.StatusCreated, map[string]any{"consentStatus": bgStatus(stored), "consentId": stored.ID,
		"_links": map[string]any{"self": href(self), "status": href(self + "/status"),
			"scaOAuth": href(b.base(r) + "/.well-known/oauth-authorization-server")}})
}

func (b *bank) bgGetConsent(w http.ResponseWriter, r *http.Request) {
	if !b.consentCall(w, r) {
		return
	}
	c, ok := b.lookupConsent(w, r)
	if !ok {
		return
	}
	var t bgTerms
	_ = json.Unmarshal(c.Terms, &t) // stored by bgCreateConsent; zero values if absent
	access := t.Access
	if len(access) == 0 {
		access = json.RawMessage(`{}`)
	}
	writeJSON(w, http.StatusOK, map[string]any{"access": access, "recurringIndicator": t.Recurring,
		"validUntil": bgDate(c.Expires.Add(-24 * time.Hour)), "frequencyPerDay": t.FrequencyPerDay,
		"lastActionDate": bgDate(c.LastAction), "consentStatus": bgStatus(c)})
}

func (b *bank) bgConsentStatus(w http.ResponseWriter, r *http.Request) {
	if !b.consentCall(w, r) {
		return
	}
	if c, ok := b.lookupConsent(w, r); ok {
		writeJSON(w, http.StatusOK, map[string]string{"consentStatus": bgStatus(c)})
	}
}

// bgAccountDoc renders an account, with balances when asked.
func (b *bank) bgAccountDoc(r *http.Request, acc gen.Account, withBalance bool) map[string]any {
	self := b.base(r) + berlinRoot + "/accounts/" + acc.ID
	cash := "CACC"
	if acc.Type == gen.Savings {
		cash = "SVGS"
	}
	doc := map[string]any{"resourceId": acc.ID, "iban": acc.Number, "currency": acc.Currency, "name": acc.Holder,
		"product": acc.Name, "cashAccountType": cash, "status": "enabled",
		"_links": map[string]any{"balances": href(self + "/balances"), "transactions": href(self + "/transactions")}}
	if withBalance {
		doc["balances"] = b.bgBalanceList(acc)
	}
	return doc
}

func (b *bank) bgBalanceList(acc gen.Account) []map[string]any {
	today := gen.Day(b.s.opts.Now())
	return []map[string]any{
		{"balanceAmount": bgAmount(acc.Balance, acc.Currency), "balanceType": "closingBooked", "referenceDate": bgDate(today.AddDate(0, 0, -1))},
		{"balanceAmount": bgAmount(acc.Balance, acc.Currency), "balanceType": "interimAvailable", "referenceDate": bgDate(today)},
	}
}

func (b *bank) bgAccounts(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, banks.PermAccountsDetail)
	if !ok {
		return
	}
	withBalance, ok := boolParam(r, "withBalance")
	if !ok {
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, "withBalance must be true or false")
		return
	}
	if withBalance && !a.c.Has(banks.PermBalances) {
		b.fail(w, http.StatusForbidden, codeInsufficient, "the consent does not allow this: withBalance needs balances access")
		return
	}
	list := []map[string]any{}
	for _, acc := range a.accounts() {
		list = append(list, b.bgAccountDoc(r, acc, withBalance))
	}
	b.reply(w, http.StatusOK, map[string]any{"accounts": list})
}

func (b *bank) bgBalances(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, banks.PermBalances)
	if !ok {
		return
	}
	acc, ok := a.account(r.PathValue("id"))
	if !ok {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such account")
		return
	}
	b.reply(w, http.StatusOK, map[string]any{"account": map[string]string{"iban": acc.Number}, "balances": b.bgBalanceList(acc)})
}

func (b *bank) bgTransactions(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, permsTx()...)
	if !ok {
		return
	}
	acc, ok := a.account(r.PathValue("id"))
	if !ok {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such account")
		return
	}
	q := r.URL.Query()
	status := q.Get("bookingStatus")
	p, okPage := page(r)
	from, okFrom := dateTimeParam(r, "dateFrom", false)
	to, okTo := dateTimeParam(r, "dateTo", true)
	if len(q["bookingStatus"]) != 1 || (status != "booked" && status != "pending" && status != "both") {
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, "bookingStatus must be booked, pending or both")
		return
	}
	if !okPage || !okFrom || !okTo {
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, "page must be at least 1 and dateFrom/dateTo dates (YYYY-MM-DD)")
		return
	}
	if b.failPage(w, p) {
		return
	}
	all := a.filter(b.transactions(a.cust, acc.ID), from, to)
	txs := all[:0:0]
	for _, t := range all {
		if status == "both" || (status == "booked") == (t.Status == gen.StatusBooked) {
			txs = append(txs, t)
		}
	}
	booked, pending := []bgTx{}, []bgTx{}
	for _, t := range slice(txs, p, berlinTxPage) {
		doc := bgTx{ID: t.ID, Value: bgDate(t.Value), Amount: bgMoney{t.Currency, strconv.FormatFloat(t.Amount, 'f', 2, 64)},
			Remittance: t.Description, Code: berlinCategory(t.Category), MCC: t.MCC}
		if t.Credit() {
			doc.Debtor = t.Merchant
		} else {
			doc.Creditor = t.Merchant
		}
		if t.Status == gen.StatusBooked {
			doc.Booking = bgDate(t.Booking)
			booked = append(booked, doc)
		} else {
			pending = append(pending, doc)
		}
	}
	links := map[string]any{}
	if p < pages(len(txs), berlinTxPage) {
		links["next"] = href(b.pageURL(r, p+1))
	}
	b.reply(w, http.StatusOK, map[string]any{"account": map[string]string{"iban": acc.Number},
		"transactions": map[string]any{"booked": booked, "pending": pending, "_links": links}})
}

// bgTx is a transaction in the NextGenPSD2 shape.
type bgTx struct {
	ID         string  `json:"transactionId"`
	Booking    string  `json:"bookingDate,omitempty"`
	Value      string  `json:"valueDate"`
	Amount     bgMoney `json:"transactionAmount"`
	Creditor   string  `json:"creditorName,omitempty"`
	Debtor     string  `json:"debtorName,omitempty"`
	Remittance string  `json:"remittanceInformationUnstructured"`
	Code       string  `json:"proprietaryBankTransactionCode"`
	MCC        string  `json:"merchantCategoryCode,omitempty"`
}

type bgMoney struct {
	Currency string `json:"currency"`
	Amount   string `json:"amount"`
}

// berlinCategory is Rheinbank's own code of a category (upper snake case).
func berlinCategory(cat string) string {
	out := make([]byte, 0, len(cat))
	for i := 0; i < len(cat); i++ {
		c := cat[i]
		switch {
		case c == ' ':
			out = append(out, '_')
		case c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

func (b *bank) bgLoans(w http.ResponseWriter, r *http.Request) {
	a, ok := b.gate(w, r, banks.PermProducts)
	if !ok {
		return
	}
	list := []map[string]any{}
	for _, p := range a.products() {
		typ := "consumer"
		if p.Type == gen.Mortgage {
			typ = "mortgage"
		}
		doc := map[string]any{"resourceId": p.ID, "currency": p.Currency, "product": p.Name, "loanType": typ,
			"outstandingAmount": bgAmount(p.Amount, p.Currency), "interestRate": strconv.FormatFloat(p.Rate, 'f', 2, 64),
			"startDate": bgDate(p.OpeningDate), "termMonths": p.TermMonths, "originalAmount": bgAmount(p.OriginalAmount, p.Currency)}
		if p.Type == gen.Mortgage {
			doc["propertyAddress"] = p.PropertyAddress
			doc["propertyValue"] = bgAmount(p.PropertyValue, p.Currency)
		} else if p.Collateral != "" {
			doc["collateral"] = p.Collateral
		}
		list = append(list, doc)
	}
	b.reply(w, http.StatusOK, map[string]any{"loans": list})
}

// boolParam parses an optional true/false query parameter.
func boolParam(r *http.Request, name string) (bool, bool) {
	vs := r.URL.Query()[name]
	switch {
	case len(vs) == 0:
		return false, true
	case len(vs) > 1:
		return false, false
	}
	v, err := strconv.ParseBool(vs[0])
	return v, err == nil
}
