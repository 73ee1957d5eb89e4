// Package hub is the application service every front end uses: the CLI,
// the TUI (one per SSH session), and the REST API. It answers for one user at
// a time, reading the store through core/store and core/insights, and drives
// linking, sync, revocation and erasure.
//
// A Hub is safe for concurrent use by many sessions.
package hub

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"charm.land/log/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/sampledata"
)

// Options tune a Hub.
type Options struct {
	// Now is the clock (tests move it); nil = time.Now.
	Now func() time.Time
	// BaseCurrency of insights; default USD.
	BaseCurrency string
	// BankPolicy bounds every call to a bank (deadlines, retries, backoff);
	// zero fields take bankapi's defaults.
	BankPolicy bankapi.Policy
	// SyncParallel bounds how many banks sync at once; default 4.
	SyncParallel int
}

// Hub serves one process's users.
type Hub struct {
	app      *app.App
	s        *store.Store
	banks    *banks.Directory
	now      func() time.Time
	base     string
	policy   bankapi.Policy
	parallel int

	mu        sync.Mutex
	userLocks map[string]chan struct{} // one slot per user: see lockUser
}

// New builds a Hub over an opened App and the directory of linkable banks.
func New(a *app.App, dir *banks.Directory, opts Options) *Hub {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BaseCurrency == "" {
		opts.BaseCurrency = "USD"
	}
	if a.Log == nil {
		a.Log = log.New(io.Discard)
	}
	return &Hub{app: a, s: a.Store, banks: dir, now: opts.Now, base: opts.BaseCurrency,
		policy: opts.BankPolicy, parallel: opts.SyncParallel}
}

// Banks lists the banks that can be linked, in display order.
func (h *Hub) Banks() []Bank { return h.banks.All() }

// Bank finds a bank by id or name.
func (h *Hub) Bank(idOrName string) (Bank, error) { return h.banks.Resolve(idOrName) }

// BankName turns a bank id or name into the name stored in the documents.
func (h *Hub) BankName(idOrName string) string { return h.banks.Name(idOrName) }

// App returns the App the hub runs on.
func (h *Hub) App() *app.App { return h.app }

// Now is the hub's clock.
func (h *Hub) Now() time.Time { return h.now() }

// Users lists every user.
func (h *Hub) Users(ctx context.Context) ([]model.User, error) { return h.s.ListUsers(ctx) }

// User resolves a user name or id.
func (h *Hub) User(ctx context.Context, ident string) (model.UserRef, error) {
	return h.s.ResolveUser(ctx, ident)
}

// EnsureUser returns the user named name, creating it (with nothing
// linked) when it does not exist yet.
func (h *Hub) EnsureUser(ctx context.Context, name, fullName, source string) (model.UserRef, error) {
	name = strings.TrimSpace(name)
	if err := ValidUserName(name); err != nil {
		return model.UserRef{}, err
	}
	if u, err := h.s.ResolveUser(ctx, name); err == nil {
		return u, nil
	}
	u := model.User{ID: bson.NewObjectID(), UserName: name, FullName: fullName, Source: source, CreatedAt: h.now().UTC()}
	res, err := h.s.InsertNew(ctx, model.CollUsers, []any{u})
	if err != nil {
		return model.UserRef{}, fmt.Errorf("cannot create user %s: %w", name, err)
	}
	if res.Existing > 0 { // created meanwhile by another session
		return h.s.ResolveUser(ctx, name)
	}
	return model.UserRef{UserName: u.UserName, UserId: u.ID}, nil
}

// ValidUserName accepts 2-40 letters, digits, dots, dashes and underscores.
func ValidUserName(name string) error {
	if len(name) < 2 || len(name) > 40 {
		return fmt.Errorf("a user name has 2 to 40 characters, %q has %d", name, len(name))
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return fmt.Errorf("a user name may only use letters, digits, '.', '-' and '_': %q", name)
		}
	}
	return nil
}

// SeedIfEmpty loads the demo data when the store has no users at all, so a
// newcomer's first start shows something to explore.
func (h *Hub) SeedIfEmpty(ctx context.Context) (bool, error) {
	n, err := h.s.C(model.CollUsers).CountDocuments(ctx, bson.D{})
	if err != nil {
		return false, fmt.Errorf("cannot count users: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := sampledata.Load(ctx, h.s, h.app.Secrets, false); err != nil {
		return false, fmt.Errorf("cannot load the demo data: %w", err)
	}
	return true, nil
}

// Accounts lists a user's accounts, optionally at one bank (id or name).
func (h *Hub) Accounts(ctx context.Context, u model.UserRef, bank string) ([]model.ExternalAccount, error) {
	return h.s.Accounts(ctx, u, h.BankName(bank))
}

// Products lists a user's products, optionally at one bank and of one type.
func (h *Hub) Products(ctx context.Context, u model.UserRef, bank, typ string) ([]model.ExternalProduct, error) {
	return h.s.Products(ctx, u, h.BankName(bank), typ)
}

// TxFilter narrows a transaction listing. Empty fields match everything.
type TxFilter struct {
	Bank     string // id or name
	Account  string // the bank's account id
	Month    string // YYYY-MM
	Category string
	// Text matches merchant, description or category, ignoring case.
	Text  string
	Limit int // 0 = all
}

// Transactions lists a user's transactions, newest first.
func (h *Hub) Transactions(ctx context.Context, u model.UserRef, f TxFilter) ([]model.Transaction, error) {
	and := bson.A{store.OwnerFilter("TransactionUser", u)}
	if f.Bank != "" {
		and = append(and, bson.D{{Key: "TransactionBank", Value: h.BankName(f.Bank)}})
	}
	if f.Account != "" {
		and = append(and, bson.D{{Key: "TransactionAccountId", Value: f.Account}})
	}
	if f.Month != "" {
		and = append(and, bson.D{{Key: "MonthKey", Value: f.Month}})
	}
	if f.Category != "" {
		and = append(and, bson.D{{Key: "Category", Value: f.Category}})
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		re := bson.Regex{Pattern: regexp.QuoteMeta(t), Options: "i"}
		and = append(and, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "Merchant", Value: re}}, bson.D{{Key: "Description", Value: re}}, bson.D{{Key: "Category", Value: re}},
		}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "BookingDate", Value: -1}, {Key: "_id", Value: 1}})
	if f.Limit > 0 {
		opts.SetLimit(int64(f.Limit))
	}
	return store.FindAll[model.Transaction](ctx, h.s, model.CollTransactions, bson.D{{Key: "$and", Value: and}}, opts)
}

// Position computes a user's position now, in currency (default USD).
func (h *Hub) Position(ctx context.Context, u model.UserRef, currency string) (insights.Position, error) {
	return insights.ComputePosition(ctx, h.s, u, currency)
}

// Consents lists a user's consents, newest first, with expired ones marked.
func (h *Hub) Consents(ctx context.Context, u model.UserRef) ([]model.Consent, error) {
	cs, err := store.FindAll[model.Consent](ctx, h.s, model.CollConsents, store.OwnerFilter("ConsentUser", u),
		options.Find().SetSort(bson.D{{Key: "CreatedAt", Value: -1}}))
	if err != nil {
		return nil, err
	}
	now := h.now()
	for i := range cs {
		if cs[i].Status == model.ConsentAuthorised && !now.Before(cs[i].ExpiresAt) {
			cs[i].Status = model.ConsentExpired
		}
	}
	return cs, nil
}

// Audit returns a user's audit trail, newest first (limit 0 = all).
func (h *Hub) Audit(ctx context.Context, u model.UserRef, limit int) ([]model.AuditEvent, error) {
	opts := options.Find().SetSort(bson.D{{Key: "Time", Value: -1}, {Key: "_id", Value: -1}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	f := bson.D{{Key: "UserId", Value: u.UserId}}
	if u.UserId.IsZero() {
		f = bson.D{{Key: "UserName", Value: u.UserName}}
	}
	return store.FindAll[model.AuditEvent](ctx, h.s, model.CollAudit, f, opts)
}
