package bankapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/model"
)

// berlin speaks Berlin Group NextGenPSD2 XS2A v1.3 (Rheinbank): camelCase,
// signed string amounts, booked/pending lists, _links.next paging, and the
// Rheinbank /loans extension.
type berlin struct{}

const berlinPath = "/v1"

// berlinAccess turns permissions into the access object of a consent.
func berlinAccess(perms []string) map[string]any {
	access := map[string]any{}
	if has(perms, banks.PermAccountsBasic, banks.PermAccountsDetail) {
		access["accounts"] = []any{}
	}
	if has(perms, banks.PermBalances) {
		access["balances"] = []any{}
	}
	if has(perms, banks.PermTransactionsBasic, banks.PermTransactionsDetail, banks.PermTransactionsCredit, banks.PermTransactionsDebit) {
		access["transactions"] = []any{}
	}
	if has(perms, banks.PermProducts) {
		access["loans"] = []any{}
	}
	return access
}

// berlinPermissions is the inverse of berlinAccess (API.md's mapping).
func berlinPermissions(access map[string]any) []string {
	var out []string
	for _, p := range []struct{ key, perm string }{
		{"accounts", banks.PermAccountsDetail}, {"balances", banks.PermBalances},
		{"transactions", banks.PermTransactionsDetail}, {"loans", banks.PermProducts},
	} {
		if _, ok := access[p.key]; ok {
			out = append(out, p.perm)
		}
	}
	return out
}

// BerlinStatus maps a Berlin Group consent status onto the model's.
func BerlinStatus(s string) string {
	switch s {
	case "received", "partiallyAuthorised":
		return model.ConsentAwaiting
	case "valid":
		return model.ConsentAuthorised
	case "rejected":
		return model.ConsentRejected
	case "revokedByPsu", "terminatedByTpp":
		return model.ConsentRevoked
	case "expired":
		return model.ConsentExpired
	}
	return s
}

func (berlin) CreateConsent(ctx context.Context, c *Client, r ConsentRequest) (ConsentInfo, error) {
	access := berlinAccess(r.Permissions)
	req := map[string]any{
		"access": access, "recurringIndicator": true, "validUntil": r.Expires.UTC().Format("2006-01-02"),
		"frequencyPerDay": 4, "combinedServiceIndicator": false,
	}
	if !r.From.IsZero() {
		req["transactionsFrom"] = r.From.UTC().Format("2006-01-02")
	}
	body, _ := json.Marshal(req)
	data, status, err := c.clientCall(ctx, "consent", http.MethodPost, c.Meta.ConsentEndpoint, "application/json", body)
	if err != nil {
		return ConsentInfo{}, err
	}
	if status != http.StatusCreated && status != http.StatusOK {
		return ConsentInfo{}, &CallError{Bank: c.Bank.Name, Resource: "consent", Status: status, Err: bankMessage(data)}
	}
	info, err := parseBerlinConsent(c.Bank.Name, data)
	if err != nil {
		return ConsentInfo{}, err
	}
	// The creation answer carries only id and status: what was granted is
	// what was asked, in the bank's granularity.
	info.Permissions = berlinPermissions(access)
	info.Expires = r.Expires
	if !r.From.IsZero() {
		from := r.From
		info.From = &from
	}
	return info, nil
}

func parseBerlinConsent(bank string, data []byte) (ConsentInfo, error) {
	var bc struct {
		ConsentID string `json:"consentId"`
		Status    string `json:"consentStatus"`
	}
	if err := json.Unmarshal(data, &bc); err != nil {
		return ConsentInfo{}, &DecodeError{Bank: bank, Resource: "consent", Err: err}
	}
	if bc.ConsentID == "" {
		return ConsentInfo{}, &DecodeError{Bank: bank, Resource: "consent", Err: fmt.Errorf("no consentId")}
	}
	return ConsentInfo{ID: bc.ConsentID, Status: BerlinStatus(bc.Status)}, nil
}

func (berlin) DeleteConsent(ctx context.Context, c *Client, id string) error {
	return deleteConsent(ctx, c, id)
}

// berlinTxPage is one page of an account's transactions.
type berlinTxPage struct {
	Account      map[string]any `json:"account"`
	Transactions struct {
		Booked  objects     `json:"booked"`
		Pending objects     `json:"pending"`
		Links   berlinLinks `json:"_links"`
	} `json:"transactions"`
}

type berlinLinks struct {
	Next struct {
		Href string `json:"href"`
	} `json:"next"`
}

func (berlin) Fetch(ctx context.Context, k *Conn, sc Scope, sink Sink) error {
	base := strings.TrimSuffix(sc.Bank.BaseURL, "/")
	root := base + berlinPath
	var accs []model.ExternalAccount
	if sc.canAccounts() {
		var list struct {
			Accounts objects `json:"accounts"`
		}
		u := fmt.Sprintf("%s/accounts?withBalance=%t", root, sc.canBalances())
		if err := k.GetJSON(ctx, Call{Resource: "accounts", URL: u}, &list); err != nil {
			return err
		}
		for i, e := range list.Accounts {
			raw, err := asObject(e)
			if err != nil {
				return &DecodeError{Bank: sc.Bank.Name, Resource: "accounts", Err: err}
			}
			id, _ := raw["resourceId"].(string)
			if sc.canBalances() && raw["balances"] == nil && id != "" {
				// Not inline: ask the account's balances resource.
				var b struct {
					Balances []any `json:"balances"`
				}
				res := "balances of account " + id
				if err := k.GetJSON(ctx, Call{Resource: res, URL: root + "/accounts/" + url.PathEscape(id) + "/balances"}, &b); err != nil {
					return err
				}
				if raw == nil {
					raw = map[string]any{}
				}
				raw["balances"] = b.Balances
				sink.Progress("balances", i+1, len(list.Accounts), i+1, false)
			}
			a, err := MapBerlinAccount(sc, raw)
			if err != nil {
				return &DecodeError{Bank: sc.Bank.Name, Resource: "accounts", Err: err}
			}
			accs = append(accs, a)
		}
		if err := sink.Accounts(ctx, accs); err != nil {
			return err
		}
		sink.Progress("accounts", 1, 1, len(accs), true)
	}
	if sc.canProducts() {
		var list struct {
			Loans objects `json:"loans"`
		}
		if err := k.GetJSON(ctx, Call{Resource: "loans", URL: root + "/loans"}, &list); err != nil {
			return err
		}
		ps := make([]model.ExternalProduct, 0, len(list.Loans))
		for _, e := range list.Loans {
			raw, err := asObject(e)
			if err != nil {
				return &DecodeError{Bank: sc.Bank.Name, Resource: "loans", Err: err}
			}
			p, err := MapBerlinLoan(sc, raw)
			if err != nil {
				return &DecodeError{Bank: sc.Bank.Name, Resource: "loans", Err: err}
			}
			ps = append(ps, p)
		}
		if err := sink.Products(ctx, ps); err != nil {
			return err
		}
		sink.Progress("products", 1, 1, len(ps), true)
	}
	if !sc.canTransactions() {
		return nil
	}
	count := 0
	for i, a := range accs {
		q := url.Values{"bookingStatus": {"both"}, "page": {"1"}}
		if !sc.From.IsZero() {
			q.Set("dateFrom", sc.From.UTC().Format("2006-01-02"))
		}
		if !sc.To.IsZero() {
			q.Set("dateTo", sc.To.UTC().Format("2006-01-02"))
		}
		res := "transactions of account " + a.AccountId
		next := root + "/accounts/" + url.PathEscape(a.AccountId) + "/transactions?" + q.Encode()
		for n := 1; next != ""; n++ {
			if n > maxPages {
				return &DecodeError{Bank: sc.Bank.Name, Resource: res, Err: fmt.Errorf("more than %d pages", maxPages)}
			}
			var page berlinTxPage
			if err := k.GetJSON(ctx, Call{Resource: res, Page: n, URL: next}, &page); err != nil {
				return err
			}
			iban, _ := page.Account["iban"].(string)
			txs := make([]model.Transaction, 0, len(page.Transactions.Booked)+len(page.Transactions.Pending))
			for _, group := range []struct {
				raws   objects
				status string
			}{{page.Transactions.Booked, model.StatusBooked}, {page.Transactions.Pending, model.StatusPending}} {
				for _, e := range group.raws {
					raw, err := asObject(e)
					if err != nil {
						return &DecodeError{Bank: sc.Bank.Name, Resource: res, Err: err}
					}
					t, err := MapBerlinTransaction(sc, a.AccountId, iban, group.status, raw)
					if err != nil {
						return &DecodeError{Bank: sc.Bank.Name, Resource: res, Err: err}
					}
					txs = append(txs, t)
				}
			}
			nextHref := page.Transactions.Links.Next.Href
			if nextHref != "" {
				nu, err := resolve(base, nextHref)
				if err != nil || nu == next {
					return &DecodeError{Bank: sc.Bank.Name, Resource: res, Err: fmt.Errorf("page %d has a bad next link", n)}
				}
				nextHref = nu
			}
			count += len(txs)
			if err := sink.Transactions(ctx, a, Page{N: n, Last: nextHref == ""}, txs); err != nil {
				return err
			}
			sink.Progress("transactions", i, len(accs), count, false)
			next = nextHref
		}
	}
	sink.Progress("transactions", len(accs), len(accs), count, true)
	return nil
}

// resolve makes an href absolute against the bank's origin (Berlin Group
// links may be relative); GetJSON then checks it stays under the bank.
func resolve(base, href string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	h, err := url.Parse(href)
	if err != nil {
		return "", err
	}
	if !h.IsAbs() && !strings.HasPrefix(h.Path, "/") {
		return "", fmt.Errorf("relative link %q", href)
	}
	if !h.IsAbs() && !strings.HasPrefix(h.Path, strings.TrimSuffix(b.Path, "/")+"/") {
		h.Path = strings.TrimSuffix(b.Path, "/") + h.Path // relative to the bank, not the host
	}
	return b.ResolveReference(h).String(), nil
}
