// Package sync pulls what a consent permits from each bank and stores it,
// idempotently: deterministic _ids, bulk inserts where duplicates count as
// already stored, small replace batches. Running it twice, or again after
// it was killed halfway, ends with the documents of one clean run; a failed
// sync never deletes what an earlier one stored.
//
// Banks sync concurrently (bounded); each bank's calls are sequential, each
// with its own deadline, through a bankapi.Conn (one refresh on a 401,
// Retry-After on a 429, backoff on 5xx).
package sync

import (
	"context"
	"errors"
	"fmt"
	gosync "sync"
	"time"

	"charm.land/log/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Engine syncs banks into a store.
type Engine struct {
	Store   *store.Store
	Secrets *secrets.Box
	Log     *log.Logger      // nil discards
	Now     func() time.Time // consent expiry is judged by this clock; nil = time.Now
	Policy  bankapi.Policy
	// Parallel bounds how many banks sync at once; default 4.
	Parallel int

	// indexMu serializes the writes of the user's bucket index by the
	// banks syncing at once (read, merge, write).
	indexMu gosync.Mutex
	// bookTimeout replaces bookkeepingTimeout in tests.
	bookTimeout time.Duration
}

func (e *Engine) lockIndex() func() {
	e.indexMu.Lock()
	return e.indexMu.Unlock
}

// Target is one bank to sync under one consent.
type Target struct {
	Bank    banks.Bank
	Consent model.Consent
}

// Progress reports one step of a bank's sync.
type Progress struct {
	BankID   string
	Resource string // accounts | balances | products | transactions
	Done     int
	Total    int
	Count    int
	Finished bool
}

// Report is the outcome of one bank's sync.
type Report struct {
	BankID       string
	Bank         string
	State        string // ok | failed | expired | reauth | inactive
	Accounts     int
	Products     int
	Transactions int // fetched
	New          int // transactions not stored before
	Calls        int // HTTP requests made to the bank's resource API
	Duration     time.Duration
	Err          error
}

// Report states besides model.SyncOK and model.SyncFailed.
const (
	StateExpired  = "expired"
	StateReauth   = "reauth"
	StateInactive = "inactive"
)

// ErrConsentExpired is wrapped when a consent has run out: no call is made.
var ErrConsentExpired = errors.New("the consent has expired")

// ErrConsentInactive is wrapped when a consent is revoked, rejected or
// waiting: no call is made.
var ErrConsentInactive = errors.New("the consent is not active")

// bookkeepingTimeout bounds the writes that record a sync (state, audit,
// the last gathered transactions and buckets), whatever became of ctx.
const bookkeepingTimeout = 15 * time.Second

// bookkeeping is the context of those writes: ctx's values, not its end.
func (e *Engine) bookkeeping(ctx context.Context) (context.Context, context.CancelFunc) {
	d := e.bookTimeout
	if d <= 0 {
		d = bookkeepingTimeout
	}
	return context.WithTimeout(context.WithoutCancel(ctx), d)
}

func (e *Engine) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e *Engine) log() *log.Logger {
	if e.Log == nil {
		return log.New(discard{})
	}
	return e.Log
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Run syncs every target, at most Parallel at once, and returns one report
// per target in the targets' order. One bank failing does not stop the
// others. rates converts amounts to the base currency (USD).
func (e *Engine) Run(ctx context.Context, u model.UserRef, targets []Target, rates fx.Rates, progress func(Progress)) []Report {
	par := e.Parallel
	if par <= 0 {
		par = 4
	}
	reports := make([]Report, len(targets))
	sem := make(chan struct{}, par)
	var wg gosync.WaitGroup
	var mu gosync.Mutex // progress callbacks arrive one at a time
	safe := func(p Progress) {
		if progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		progress(p)
	}
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				reports[i] = Report{BankID: t.Bank.ID, Bank: t.Bank.Name, State: model.SyncFailed, Err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			reports[i] = e.One(ctx, u, t, rates, safe)
		}()
	}
	wg.Wait()
	return reports
}

// One syncs one bank. An expired, revoked or reauth-needing consent makes
// no call at all.
func (e *Engine) One(ctx context.Context, u model.UserRef, t Target, rates fx.Rates, progress func(Progress)) Report {
	start := time.Now()
	rep := Report{BankID: t.Bank.ID, Bank: t.Bank.Name}
	c := t.Consent
	now := e.now()
	// Bookkeeping must land even when ctx was cancelled (a killed sync
	// still records that it failed).
	bctx, bcancel := e.bookkeeping(ctx)
	defer func() { bcancel() }()
	if c.Status == model.ConsentAuthorised && !now.Before(c.ExpiresAt) {
		e.markExpired(bctx, u, c, now)
		c.Status = model.ConsentExpired
	}
	switch c.Status {
	case model.ConsentAuthorised:
	case model.ConsentExpired:
		rep.State = StateExpired
		rep.Err = fmt.Errorf("%s: %w on %s; link the bank again to renew it", t.Bank.Name, ErrConsentExpired, c.ExpiresAt.UTC().Format("2006-01-02"))
		return rep
	case model.ConsentReauthRequired:
		rep.State = StateReauth
		rep.Err = fmt.Errorf("%s: %w", t.Bank.Name, bankapi.ErrReauth)
		return rep
	default:
		rep.State = StateInactive
		rep.Err = fmt.Errorf("%s: %w (it is %s)", t.Bank.Name, ErrConsentInactive, c.Status)
		return rep
	}

	e.audit(bctx, u, model.AuditSyncStarted, t.Bank.ID, model.OutcomeOK, "", nil)
	e.setLastSync(bctx, c, model.SyncState{At: now.UTC(), State: model.SyncRunning})
	sink, err := newStoreSink(ctx, e.Store, u, t.Bank.ID, t.Bank.Name, e.lockIndex, progress)
	var conn *bankapi.Conn
	if err == nil {
		conn, err = e.fetch(ctx, u, t, rates, sink)
	}
	if err == nil {
		_, err = sink.dropVanishedPending(ctx)
	}
	// What follows the fetch gets a deadline of its own: a bank with a
	// long history (90k transactions take half a minute) used to spend the
	// one given at the start, and the end of its sync was never recorded.
	bcancel()
	bctx, bcancel = e.bookkeeping(ctx)
	if sink != nil {
		// Even after a failure: the buckets must hold what was stored.
		if ferr := sink.flush(bctx); ferr != nil && err == nil {
			err = ferr
		}
	}
	if conn != nil {
		rep.Calls = conn.Calls()
	}
	if sink != nil {
		rep.Accounts, rep.Products, rep.Transactions, rep.New = sink.accounts, sink.products, sink.fetched, sink.inserted
	}
	rep.Duration = time.Since(start)
	state := model.SyncState{At: now.UTC(), State: model.SyncOK, Duration: rep.Duration}
	if sink != nil {
		state.Counts = sink.counts()
	}
	if err != nil {
		rep.State, rep.Err = model.SyncFailed, err
		if errors.Is(err, bankapi.ErrReauth) {
			rep.State = StateReauth
			rep.Err = fmt.Errorf("%s: %w", t.Bank.Name, err)
			e.setStatus(bctx, c, model.ConsentReauthRequired)
		}
		state.State, state.Error = model.SyncFailed, rep.Err.Error()
		e.setLastSync(bctx, c, state)
		e.audit(bctx, u, model.AuditSyncFailed, t.Bank.ID, model.OutcomeFailed, rep.Err.Error(), state.Counts)
		e.log().Warn("sync failed", "bank", t.Bank.ID, "err", rep.Err)
		return rep
	}
	rep.State = model.SyncOK
	e.setLastSync(bctx, c, state)
	_ = TouchTokens(bctx, e.Store, u, t.Bank.ID, e.now())
	e.audit(bctx, u, model.AuditSyncFinished, t.Bank.ID, model.OutcomeOK, "", state.Counts)
	e.log().Info("sync finished", "bank", t.Bank.ID, "accounts", rep.Accounts, "products", rep.Products,
		"transactions", rep.Transactions, "new", rep.New, "calls", rep.Calls)
	return rep
}

func (e *Engine) fetch(ctx context.Context, u model.UserRef, t Target, rates fx.Rates, sink *storeSink) (*bankapi.Conn, error) {
	toks, err := LoadTokens(ctx, e.Store, e.Secrets, u, t.Bank.ID)
	if errors.Is(err, ErrNoTokens) {
		return nil, bankapi.ErrReauth
	}
	if err != nil {
		return nil, err
	}
	ad, err := bankapi.For(t.Bank.Style)
	if err != nil {
		return nil, err
	}
	cl, err := bankapi.Discover(ctx, t.Bank, e.Policy)
	if err != nil {
		return nil, err
	}
	onRefresh := func(ctx context.Context, nt bankapi.Tokens) error {
		return UpdateAccessToken(ctx, e.Store, e.Secrets, u, t.Bank.ID, nt, e.now())
	}
	conn := cl.Connect(t.Consent.ConsentId, toks, onRefresh)
	sc := bankapi.Scope{
		User: u, Bank: t.Bank, ConsentID: t.Consent.ConsentId, Permissions: t.Consent.Permissions,
		FetchedAt: e.now(), Rates: rates, Base: "USD",
	}
	// Only the window's start is sent: its end is the consent's expiry,
	// and the bank knows both.
	if t.Consent.TransactionFrom != nil {
		sc.From = *t.Consent.TransactionFrom
	}
	return conn, ad.Fetch(ctx, conn, sc, sink)
}

func (e *Engine) markExpired(ctx context.Context, u model.UserRef, c model.Consent, now time.Time) {
	// Only the first sync that sees the expiry flips the status and audits.
	r, err := e.Store.C(model.CollConsents).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: c.ID}, {Key: "Status", Value: model.ConsentAuthorised}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "Status", Value: model.ConsentExpired}}}})
	if err != nil {
		e.log().Error("cannot mark a consent expired", "bank", c.BankId, "err", err)
		return
	}
	if r.ModifiedCount > 0 {
		e.audit(ctx, u, model.AuditConsentExpired, c.BankId, model.OutcomeOK,
			"consent expired on "+c.ExpiresAt.UTC().Format(time.RFC3339), nil)
	}
}

func (e *Engine) setStatus(ctx context.Context, c model.Consent, status string) {
	_, err := e.Store.C(model.CollConsents).UpdateOne(ctx, bson.D{{Key: "_id", Value: c.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "Status", Value: status}}}})
	if err != nil {
		e.log().Error("cannot update a consent", "bank", c.BankId, "err", err)
	}
}

func (e *Engine) setLastSync(ctx context.Context, c model.Consent, st model.SyncState) {
	_, err := e.Store.C(model.CollConsents).UpdateOne(ctx, bson.D{{Key: "_id", Value: c.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "LastSync", Value: st}}}})
	if err != nil {
		e.log().Error("cannot record the sync state", "bank", c.BankId, "err", err)
	}
}

func (e *Engine) audit(ctx context.Context, u model.UserRef, action, bankID, outcome, detail string, counts map[string]int) {
	err := e.Store.AppendAudit(ctx, model.AuditEvent{
		Time: e.now().UTC(), UserId: u.UserId, UserName: u.UserName, Action: action,
		BankId: bankID, Outcome: outcome, Detail: detail, Counts: counts,
	})
	if err != nil {
		e.log().Error("cannot write the audit trail", "action", action, "err", err)
	}
}
