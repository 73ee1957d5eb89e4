package bankapi

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
)

// ConsentRequest is what the app asks a bank to let it read.
type ConsentRequest struct {
	Permissions []string
	Expires     time.Time
	From, To    time.Time // transaction window
}

// ConsentInfo is a consent as the bank describes it, in model terms.
type ConsentInfo struct {
	ID          string
	Status      string // model.Consent* status
	Permissions []string
	Expires     time.Time
	From, To    *time.Time
}

// Scope is what a fetch maps documents for: whose, from which bank, under
// which consent, and how to convert amounts.
type Scope struct {
	User        model.UserRef
	Bank        banks.Bank
	ConsentID   string
	Permissions []string
	From, To    time.Time // transaction window asked for; zero = the bank's default
	FetchedAt   time.Time
	Rates       fx.Rates
	Base        string // base currency of AmountBase; default USD
}

// Page says where a page of transactions sits in its account's walk.
type Page struct {
	N     int  // 1-based
	Total int  // 0 if the bank does not say
	Last  bool // no page follows
}

// Sink receives the mapped documents as the fetch goes, so that what was
// read is stored before the next call (a sync killed halfway keeps it).
type Sink interface {
	Accounts(ctx context.Context, accs []model.ExternalAccount) error
	Products(ctx context.Context, ps []model.ExternalProduct) error
	// Transactions receives one page of one account; page.Last marks the
	// account's walk as complete.
	Transactions(ctx context.Context, acc model.ExternalAccount, page Page, txs []model.Transaction) error
	// Progress reports a step (resource name, units done and expected).
	Progress(resource string, done, total, count int, finished bool)
}

// Adapter speaks one API style.
type Adapter interface {
	// CreateConsent creates a consent waiting for the customer's approval.
	CreateConsent(ctx context.Context, c *Client, r ConsentRequest) (ConsentInfo, error)
	// DeleteConsent revokes a consent at the bank.
	DeleteConsent(ctx context.Context, c *Client, id string) error
	// Fetch reads every resource the scope's permissions allow and hands
	// the mapped documents to sink.
	Fetch(ctx context.Context, k *Conn, sc Scope, sink Sink) error
}

// For returns the adapter of a style.
func For(s banks.Style) (Adapter, error) {
	switch s {
	case banks.StyleOriginal:
		return original{}, nil
	case banks.StyleUKOB:
		return ukob{}, nil
	case banks.StyleBerlinGroup:
		return berlin{}, nil
	}
	return nil, fmt.Errorf("no client for the API style %q", s)
}

func has(perms []string, any ...string) bool {
	for _, p := range any {
		if slices.Contains(perms, p) {
			return true
		}
	}
	return false
}

func (sc Scope) canAccounts() bool {
	return has(sc.Permissions, banks.PermAccountsBasic, banks.PermAccountsDetail)
}
func (sc Scope) canBalances() bool { return has(sc.Permissions, banks.PermBalances) }
func (sc Scope) canProducts() bool { return has(sc.Permissions, banks.PermProducts) }
func (sc Scope) canTransactions() bool {
	return sc.canAccounts() && has(sc.Permissions, banks.PermTransactionsBasic, banks.PermTransactionsDetail,
		banks.PermTransactionsCredit, banks.PermTransactionsDebit)
}

func (sc Scope) base() string {
	if sc.Base == "" {
		return "USD"
	}
	return sc.Base
}

func (sc Scope) lineage(sourceID string) *model.Lineage {
	return &model.Lineage{BankId: sc.Bank.ID, ConsentId: sc.ConsentID, SourceId: sourceID, FetchedAt: sc.FetchedAt.UTC()}
}

// newAccount starts an account document with its deterministic id, owner
// and lineage.
func (sc Scope) newAccount(id string) model.ExternalAccount {
	return model.ExternalAccount{
		ID: model.AccountID(sc.User.UserId, sc.Bank.ID, id), AccountId: id, AccountBank: sc.Bank.Name,
		AccountUser: sc.User, Lineage: sc.lineage(id),
	}
}

func (sc Scope) newProduct(id string) model.ExternalProduct {
	return model.ExternalProduct{
		ID: model.ProductID(sc.User.UserId, sc.Bank.ID, id), ProductId: id, ProductBank: sc.Bank.Name,
		ProductCustomer: sc.User, Lineage: sc.lineage(id),
	}
}

// newTx builds a transaction with its computed fields (month key, base
// amount, direction). extra is what the adapter keeps of the bank's own
// fields (it may be nil); the bank's category is added to it when it
// differs from the common one.
func (sc Scope) newTx(accountID, txID string, booked time.Time, amount float64, cur, category, resource string, extra bson.M) (model.Transaction, error) {
	if txID == "" {
		return model.Transaction{}, fmt.Errorf("%s: a transaction of account %s has no id", resource, accountID)
	}
	if booked.IsZero() {
		return model.Transaction{}, fmt.Errorf("%s: transaction %s has no booking date", resource, txID)
	}
	if cur == "" {
		cur = sc.Bank.Currency
	}
	baseAmt, err := sc.Rates.Convert(amount, cur, sc.base())
	if err != nil {
		return model.Transaction{}, err
	}
	dir := model.DirectionIn
	if amount < 0 {
		dir = model.DirectionOut
	}
	t := model.Transaction{
		ID:            model.TransactionID(sc.User.UserId, sc.Bank.ID, accountID, txID),
		TransactionId: txID, TransactionBank: sc.Bank.Name, BankId: sc.Bank.ID,
		TransactionAccountId: accountID, AccountRef: model.AccountID(sc.User.UserId, sc.Bank.ID, accountID),
		TransactionUser: sc.User, BookingDate: booked.UTC(), Amount: amount, Currency: cur,
		AmountBase: baseAmt, BaseCurrency: sc.base(), MonthKey: model.MonthKey(booked), Direction: dir,
		Category: NormalizeCategory(category), Status: model.StatusBooked, Lineage: sc.lineage(txID),
		Extra: extra,
	}
	if raw := trimmed(category); raw != "" && raw != t.Category {
		putExtra(&t.Extra, "BankCategory", raw)
	}
	return t, nil
}

func putExtra(m *bson.M, k string, v any) {
	if v == nil {
		return
	}
	if s, ok := v.(string); ok && s == "" {
		return
	}
	if *m == nil {
		*m = bson.M{}
	}
	(*m)[k] = v
}
