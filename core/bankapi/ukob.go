package bankapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openfinance-tui/openfinance/core/model"
)

// ukob speaks UK Open Banking Account and Transaction API v3.1 (Albion
// Bank): {Data, Links, Meta} envelopes, string amounts with a
// CreditDebitIndicator, Links.Next paging. Loan and mortgage accounts
// become products.
type ukob struct{}

const ukobPath = "/open-banking/v3.1/aisp"

// ukobEnvelope is every UK answer: Data is mapped by the caller.
type ukobEnvelope struct {
	Data  map[string]any `json:"Data"`
	Links struct {
		Self string `json:"Self"`
		Next string `json:"Next"`
	} `json:"Links"`
	Meta struct {
		TotalPages int `json:"TotalPages"`
	} `json:"Meta"`
}

func (ukob) CreateConsent(ctx context.Context, c *Client, r ConsentRequest) (ConsentInfo, error) {
	body, _ := json.Marshal(map[string]any{
		"Data": map[string]any{
			"Permissions":             r.Permissions,
			"ExpirationDateTime":      r.Expires.UTC().Format(time.RFC3339),
			"TransactionFromDateTime": r.From.UTC().Format(time.RFC3339),
			"TransactionToDateTime":   r.To.UTC().Format(time.RFC3339),
		},
		"Risk": map[string]any{},
	})
	data, status, err := c.clientCall(ctx, "consent", http.MethodPost, c.Meta.ConsentEndpoint, "application/json", body)
	if err != nil {
		return ConsentInfo{}, err
	}
	if status != http.StatusCreated && status != http.StatusOK {
		return ConsentInfo{}, &CallError{Bank: c.Bank.Name, Resource: "consent", Status: status, Err: bankMessage(data)}
	}
	return parseUKOBConsent(c.Bank.Name, data)
}

func parseUKOBConsent(bank string, data []byte) (ConsentInfo, error) {
	var env struct {
		Data originalConsent `json:"Data"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return ConsentInfo{}, &DecodeError{Bank: bank, Resource: "consent", Err: err}
	}
	return env.Data.info(bank)
}

func (ukob) DeleteConsent(ctx context.Context, c *Client, id string) error {
	return deleteConsent(ctx, c, id)
}

func (ukob) Fetch(ctx context.Context, k *Conn, sc Scope, sink Sink) error {
	if !sc.canAccounts() {
		return nil
	}
	root := strings.TrimSuffix(sc.Bank.BaseURL, "/") + ukobPath
	var rawAccs []*fields
	err := ukobWalk(ctx, k, "accounts", root+"/accounts", func(env ukobEnvelope, _ int) error {
		d := &fields{m: env.Data}
		rawAccs = append(rawAccs, d.objs("Account")...)
		if d.err != nil {
			return &DecodeError{Bank: sc.Bank.Name, Resource: "accounts", Err: d.err}
		}
		return nil
	})
	if err != nil {
		return err
	}
	var accs []model.ExternalAccount
	var ps []model.ExternalProduct
	for i, raw := range rawAccs {
		id, _ := raw.m["AccountId"].(string)
		sub, _ := raw.m["AccountSubType"].(string)
		isLoan := sub == model.ProductLoan || sub == model.ProductMortgage
		if isLoan && !sc.canProducts() {
			continue // a loan account is a product, and products were not shared
		}
		var bal []*fields
		if sc.canBalances() && id != "" {
			var env ukobEnvelope
			if err := k.GetJSON(ctx, Call{Resource: "balances of account " + id, URL: root + "/accounts/" + url.PathEscape(id) + "/balances"}, &env); err != nil {
				return err
			}
			d := &fields{m: env.Data}
			bal = d.objs("Balance")
			if d.err != nil {
				return &DecodeError{Bank: sc.Bank.Name, Resource: "balances of account " + id, Err: d.err}
			}
			sink.Progress("balances", i+1, len(rawAccs), i+1, false)
		}
		if !isLoan {
			a, err := MapUKOBAccount(sc, raw.m, bal)
			if err != nil {
				return &DecodeError{Bank: sc.Bank.Name, Resource: "accounts", Err: err}
			}
			accs = append(accs, a)
			continue
		}
		var env ukobEnvelope
		if err := k.GetJSON(ctx, Call{Resource: "product of account " + id, URL: root + "/accounts/" + url.PathEscape(id) + "/product"}, &env); err != nil {
			return err
		}
		d := &fields{m: env.Data}
		prods := d.objs("Product")
		if d.err != nil {
			return &DecodeError{Bank: sc.Bank.Name, Resource: "product of account " + id, Err: d.err}
		}
		p, err := MapUKOBLoan(sc, raw.m, bal, prods)
		if err != nil {
			return &DecodeError{Bank: sc.Bank.Name, Resource: "product of account " + id, Err: err}
		}
		ps = append(ps, p)
	}
	if err := sink.Accounts(ctx, accs); err != nil {
		return err
	}
	sink.Progress("accounts", 1, 1, len(accs), true)
	if sc.canProducts() {
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
		q := url.Values{}
		if !sc.From.IsZero() {
			q.Set("fromBookingDateTime", sc.From.UTC().Format(time.RFC3339))
		}
		if !sc.To.IsZero() {
			q.Set("toBookingDateTime", sc.To.UTC().Format(time.RFC3339))
		}
		q.Set("page", "1")
		res := "transactions of account " + a.AccountId
		first := root + "/accounts/" + url.PathEscape(a.AccountId) + "/transactions?" + q.Encode()
		err := ukobWalk(ctx, k, res, first, func(env ukobEnvelope, n int) error {
			d := &fields{m: env.Data}
			raws := d.objs("Transaction")
			if d.err != nil {
				return &DecodeError{Bank: sc.Bank.Name, Resource: res, Err: d.err}
			}
			txs := make([]model.Transaction, 0, len(raws))
			for _, r := range raws {
				t, err := MapUKOBTransaction(sc, a.AccountId, r.m)
				if err != nil {
					return &DecodeError{Bank: sc.Bank.Name, Resource: res, Err: err}
				}
				txs = append(txs, t)
			}
			count += len(txs)
			if err := sink.Transactions(ctx, a, Page{N: n, Total: env.Meta.TotalPages, Last: env.Links.Next == ""}, txs); err != nil {
				return err
			}
			sink.Progress("transactions", i, len(accs), count, false)
			return nil
		})
		if err != nil {
			return err
		}
	}
	sink.Progress("transactions", len(accs), len(accs), count, true)
	return nil
}

// ukobWalk follows Links.Next from first, one page at a time.
func ukobWalk(ctx context.Context, k *Conn, resource, first string, fn func(ukobEnvelope, int) error) error {
	next := first
	for n := 1; next != ""; n++ {
		var env ukobEnvelope
		if err := k.GetJSON(ctx, Call{Resource: resource, Page: n, URL: next}, &env); err != nil {
			return err
		}
		if err := checkPage(n, env.Meta.TotalPages, resource); err != nil {
			return &DecodeError{Bank: k.Bank(), Resource: resource, Err: err}
		}
		if err := fn(env, n); err != nil {
			return err
		}
		if env.Links.Next == next {
			return &DecodeError{Bank: k.Bank(), Resource: resource, Err: fmt.Errorf("page %d links to itself", n)}
		}
		next = env.Links.Next
	}
	return nil
}
