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

// original speaks the original Open Finance Data Store shape (Green Bank,
// MongoDB Bank): PascalCase documents, numbers as numbers, ?page=N paging.
type original struct{}

// txPageSize is asked of banks that let the client choose (original: max 500).
const txPageSize = 500

type originalConsent struct {
	ConsentID               string   `json:"ConsentId"`
	Status                  string   `json:"Status"`
	Permissions             []string `json:"Permissions"`
	ExpirationDateTime      string   `json:"ExpirationDateTime"`
	TransactionFromDateTime string   `json:"TransactionFromDateTime"`
	TransactionToDateTime   string   `json:"TransactionToDateTime"`
}

func (original) CreateConsent(ctx context.Context, c *Client, r ConsentRequest) (ConsentInfo, error) {
	body, _ := json.Marshal(map[string]any{
		"Permissions":             r.Permissions,
		"ExpirationDateTime":      r.Expires.UTC().Format(time.RFC3339),
		"TransactionFromDateTime": r.From.UTC().Format(time.RFC3339),
		"TransactionToDateTime":   r.To.UTC().Format(time.RFC3339),
	})
	data, status, err := c.clientCall(ctx, "consent", http.MethodPost, c.Meta.ConsentEndpoint, "application/json", body)
	if err != nil {
		return ConsentInfo{}, err
	}
	if status != http.StatusCreated && status != http.StatusOK {
		return ConsentInfo{}, &CallError{Bank: c.Bank.Name, Resource: "consent", Status: status, Err: bankMessage(data)}
	}
	return parseOriginalConsent(c.Bank.Name, data)
}

func parseOriginalConsent(bank string, data []byte) (ConsentInfo, error) {
	var oc originalConsent
	if err := json.Unmarshal(data, &oc); err != nil {
		return ConsentInfo{}, &DecodeError{Bank: bank, Resource: "consent", Err: err}
	}
	return oc.info(bank)
}

func (oc originalConsent) info(bank string) (ConsentInfo, error) {
	if oc.ConsentID == "" {
		return ConsentInfo{}, &DecodeError{Bank: bank, Resource: "consent", Err: fmt.Errorf("no ConsentId")}
	}
	exp, err := parseTime(oc.ExpirationDateTime)
	if err != nil {
		return ConsentInfo{}, &DecodeError{Bank: bank, Resource: "consent", Err: err}
	}
	from, err1 := optTime(oc.TransactionFromDateTime)
	to, err2 := optTime(oc.TransactionToDateTime)
	if err1 != nil || err2 != nil {
		return ConsentInfo{}, &DecodeError{Bank: bank, Resource: "consent", Err: fmt.Errorf("bad transaction window")}
	}
	return ConsentInfo{ID: oc.ConsentID, Status: oc.Status, Permissions: oc.Permissions, Expires: exp, From: from, To: to}, nil
}

func (original) DeleteConsent(ctx context.Context, c *Client, id string) error {
	return deleteConsent(ctx, c, id)
}

// deleteConsent is DELETE {consent endpoint}/{id}, the same in every style.
func deleteConsent(ctx context.Context, c *Client, id string) error {
	data, status, err := c.clientCall(ctx, "consent", http.MethodDelete, c.Meta.ConsentEndpoint+"/"+url.PathEscape(id), "", nil)
	if err != nil {
		return err
	}
	if status != http.StatusNoContent && status != http.StatusOK && status != http.StatusNotFound {
		return &CallError{Bank: c.Bank.Name, Resource: "consent", Status: status, Err: bankMessage(data)}
	}
	return nil
}

// originalPage is one page of any original-style list.
type originalPage struct {
	Accounts     objects `json:"Accounts"`
	Products     objects `json:"Products"`
	Transactions objects `json:"Transactions"`
	Page         int     `json:"Page"`
	TotalPages   int     `json:"TotalPages"`
}

func (original) Fetch(ctx context.Context, k *Conn, sc Scope, sink Sink) error {
	base := strings.TrimSuffix(sc.Bank.BaseURL, "/")
	var accs []model.ExternalAccount
	if sc.canAccounts() {
		err := walkPages(ctx, k, "accounts", func(n int) string { return fmt.Sprintf("%s/accounts?page=%d", base, n) },
			func(p originalPage) (int, error) {
				for _, e := range p.Accounts {
					raw, err := asObject(e)
					if err != nil {
						return 0, &DecodeError{Bank: sc.Bank.Name, Resource: "accounts", Err: err}
					}
					a, err := MapOriginalAccount(sc, raw)
					if err != nil {
						return 0, &DecodeError{Bank: sc.Bank.Name, Resource: "accounts", Err: err}
					}
					accs = append(accs, a)
				}
				sink.Progress("accounts", p.Page, p.TotalPages, len(accs), false)
				return len(p.Accounts), nil
			})
		if err != nil {
			return err
		}
		if err := sink.Accounts(ctx, accs); err != nil {
			return err
		}
		sink.Progress("accounts", 1, 1, len(accs), true)
	}
	if sc.canProducts() {
		var ps []model.ExternalProduct
		err := walkPages(ctx, k, "products", func(n int) string { return fmt.Sprintf("%s/products?page=%d", base, n) },
			func(p originalPage) (int, error) {
				for _, e := range p.Products {
					raw, err := asObject(e)
					if err != nil {
						return 0, &DecodeError{Bank: sc.Bank.Name, Resource: "products", Err: err}
					}
					x, err := MapOriginalProduct(sc, raw)
					if err != nil {
						return 0, &DecodeError{Bank: sc.Bank.Name, Resource: "products", Err: err}
					}
					ps = append(ps, x)
				}
				return len(p.Products), nil
			})
		if err != nil {
			return err
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
		res := "transactions of account " + a.AccountId
		pageURL := func(n int) string {
			return fmt.Sprintf("%s/accounts/%s/transactions?page=%d&pageSize=%d", base, url.PathEscape(a.AccountId), n, txPageSize)
		}
		err := walkPages(ctx, k, res, pageURL, func(p originalPage) (int, error) {
			txs := make([]model.Transaction, 0, len(p.Transactions))
			for _, e := range p.Transactions {
				raw, err := asObject(e)
				if err != nil {
					return 0, &DecodeError{Bank: sc.Bank.Name, Resource: res, Err: err}
				}
				t, err := MapOriginalTransaction(sc, a.AccountId, raw)
				if err != nil {
					return 0, &DecodeError{Bank: sc.Bank.Name, Resource: res, Err: err}
				}
				txs = append(txs, t)
			}
			count += len(txs)
			last := p.Page >= p.TotalPages
			if err := sink.Transactions(ctx, a, Page{N: p.Page, Total: p.TotalPages, Last: last}, txs); err != nil {
				return 0, err
			}
			sink.Progress("transactions", i, len(accs), count, false)
			return len(txs), nil
		})
		if err != nil {
			return err
		}
	}
	sink.Progress("transactions", len(accs), len(accs), count, true)
	return nil
}

// walkPages reads ?page=1..TotalPages. fn maps one page.
func walkPages(ctx context.Context, k *Conn, resource string, pageURL func(int) string, fn func(originalPage) (int, error)) error {
	for n := 1; ; n++ {
		var p originalPage
		if err := k.GetJSON(ctx, Call{Resource: resource, Page: n, URL: pageURL(n)}, &p); err != nil {
			return err
		}
		if err := checkPage(n, p.TotalPages, resource); err != nil {
			return &DecodeError{Bank: k.Bank(), Resource: resource, Err: err}
		}
		if p.Page == 0 {
			p.Page = n
		}
		if _, err := fn(p); err != nil {
			return err
		}
		if n >= p.TotalPages {
			return nil
		}
	}
}

var (
	accountFields = bsonNames(model.ExternalAccount{})
	productFields = bsonNames(model.ExternalProduct{})
	txFields      = bsonNames(model.Transaction{})
)

// MapOriginalAccount maps one original-style account; unknown fields such
// as GreenAccountNarrative go to Extra.
func MapOriginalAccount(sc Scope, raw map[string]any) (model.ExternalAccount, error) {
	f := &fields{m: raw}
	id := f.str("AccountId")
	if id == "" {
		return model.ExternalAccount{}, fmt.Errorf("an account has no AccountId")
	}
	a := sc.newAccount(id)
	delete(f.m, "AccountBank") // the directory's name, so revoke and filters find it
	a.AccountStatus = f.str("AccountStatus")
	a.AccountType = f.str("AccountType")
	a.AccountBalance = f.num("AccountBalance")
	a.AccountCurrency = f.str("AccountCurrency")
	if a.AccountCurrency == "" {
		a.AccountCurrency = sc.Bank.Currency
	}
	if d := f.obj("AccountDate").date("OpeningDate"); !d.IsZero() {
		a.AccountDate = &model.OpeningDate{OpeningDate: d}
	}
	if f.err != nil {
		return model.ExternalAccount{}, fmt.Errorf("account %s: %w", id, f.err)
	}
	if _, err := finite(a.AccountBalance, "AccountBalance"); err != nil {
		return model.ExternalAccount{}, err
	}
	a.Extra = f.rest(accountFields)
	return a, nil
}

// MapOriginalProduct maps one original-style loan or mortgage.
func MapOriginalProduct(sc Scope, raw map[string]any) (model.ExternalProduct, error) {
	f := &fields{m: raw}
	id := f.str("ProductId")
	if id == "" {
		return model.ExternalProduct{}, fmt.Errorf("a product has no ProductId")
	}
	p := sc.newProduct(id)
	delete(f.m, "ProductBank")
	p.ProductStatus = f.str("ProductStatus")
	p.ProductType = f.str("ProductType")
	p.ProductAmount = f.num("ProductAmount")
	p.ProductCurrency = f.str("ProductCurrency")
	if p.ProductCurrency == "" {
		p.ProductCurrency = sc.Bank.Currency
	}
	p.ProductInterestRate = f.num("ProductInterestRate")
	if d := f.obj("ProductDate").date("OpeningDate"); !d.IsZero() {
		p.ProductDate = &model.OpeningDate{OpeningDate: d}
	}
	p.RepaymentPeriod = f.num("RepaymentPeriod")
	p.LoanCollateral = f.str("LoanCollateral")
	p.AmortizationPeriod = f.num("AmortizationPeriod")
	if f.has("PropertyDetails") {
		pd := f.obj("PropertyDetails")
		p.PropertyDetails = &model.PropertyDetails{Address: pd.str("Address"), PropertyValue: pd.num("PropertyValue")}
		p.PropertyDetails.Extra = pd.rest(reservedOf("Address", "PropertyValue"))
	}
	if f.err != nil {
		return model.ExternalProduct{}, fmt.Errorf("product %s: %w", id, f.err)
	}
	for _, v := range []float64{p.ProductAmount, p.ProductInterestRate, p.RepaymentPeriod, p.AmortizationPeriod} {
		if _, err := finite(v, "a product number"); err != nil {
			return model.ExternalProduct{}, err
		}
	}
	p.Extra = f.rest(productFields)
	return p, nil
}

// MapOriginalTransaction maps one original-style transaction (GreenCarbonKg,
// MDBTags and any other extra field kept).
func MapOriginalTransaction(sc Scope, accountID string, raw map[string]any) (model.Transaction, error) {
	f := &fields{m: raw}
	id := f.str("TransactionId")
	booked := f.date("BookingDate")
	value := f.date("ValueDate")
	amount := f.num("Amount")
	cur := f.str("Currency")
	merchant := f.str("Merchant")
	category := f.str("Category")
	desc := f.str("Description")
	status := f.str("Status")
	if f.err != nil {
		return model.Transaction{}, fmt.Errorf("transaction %s: %w", id, f.err)
	}
	if booked.IsZero() && status == model.StatusPending {
		booked = value
	}
	t, err := sc.newTx(accountID, id, booked, amount, cur, category, "transactions", f.rest(txFields))
	if err != nil {
		return model.Transaction{}, err
	}
	if !value.IsZero() {
		t.ValueDate = &value
	}
	t.Merchant, t.Description = merchant, desc
	t.Status = txStatus(status)
	return t, nil
}

func txStatus(s string) string {
	if strings.EqualFold(s, model.StatusPending) {
		return model.StatusPending
	}
	return model.StatusBooked
}
