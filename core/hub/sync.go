package hub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	banksync "github.com/openfinance-tui/openfinance/core/sync"
	"github.com/openfinance-tui/openfinance/sampledata"
)

// SyncProgress reports one step of a sync, for live progress. Calls come
// from several goroutines (banks sync concurrently) but never at once.
type SyncProgress struct {
	BankID   string
	Resource string // accounts | balances | products | transactions | insights
	Done     int    // units finished (accounts walked, pages read)
	Total    int    // units expected, 0 if unknown
	Count    int    // documents fetched so far for this resource
	Finished bool   // this resource is complete
}

// SyncReport is the outcome of syncing one bank.
type SyncReport struct {
	BankID       string
	Bank         string
	State        string // ok | failed | expired (renew) | reauth (link again) | inactive (revoked)
	Accounts     int
	Products     int
	Transactions int // fetched
	New          int // transactions not stored before
	Calls        int // requests sent to the bank's resource API
	Duration     time.Duration
	Err          error
	Next         time.Time // when State is StateDeferred: the earliest time the bank may be synced unattended
}

// InsightsError is returned by Sync when every bank was handled but the
// insights could not be recomputed: the synced data is stored; the insights
// pane shows the previous figures until the next recompute.
type InsightsError struct{ Err error }

func (e *InsightsError) Error() string {
	return "the data is synced, but the insights could not be recomputed: " + e.Err.Error()
}

func (e *InsightsError) Unwrap() error { return e.Err }

// Sync pulls everything the consent at bankID permits ("" = every bank the
// user linked) and recomputes the user's insights.
//
// Per-bank failures are in the reports (Err, State), not in the returned
// error, which is for not being able to start (unknown bank, not linked,
// database down) or an *InsightsError. A sync for a user waits for that
// user's previous sync, revoke or erase to finish.
func (h *Hub) Sync(ctx context.Context, u model.UserRef, bankID string, progress func(SyncProgress)) ([]SyncReport, error) {
	targets, err := h.targets(ctx, u, bankID)
	if err != nil {
		return nil, err
	}
	unlock, err := h.lockUser(ctx, u)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return h.syncTargets(ctx, u, targets, progress)
}

// syncTargets runs the sync of targets for u, who is locked, and recomputes
// the insights.
func (h *Hub) syncTargets(ctx context.Context, u model.UserRef, targets []banksync.Target, progress func(SyncProgress)) ([]SyncReport, error) {
	rates, err := h.rates(ctx)
	if err != nil {
		return nil, err
	}
	var pf func(banksync.Progress)
	if progress != nil {
		pf = func(p banksync.Progress) { progress(SyncProgress(p)) }
	}
	reps := h.engine().Run(ctx, u, targets, rates, pf)
	out := make([]SyncReport, len(reps))
	for i, r := range reps {
		out[i] = SyncReport{
			BankID: r.BankID, Bank: r.Bank, State: r.State, Accounts: r.Accounts, Products: r.Products,
			Transactions: r.Transactions, New: r.New, Calls: r.Calls, Duration: r.Duration, Err: r.Err,
		}
	}
	if ctx.Err() != nil {
		return out, ctx.Err()
	}
	if _, err := h.RecomputeInsights(ctx, u); err != nil {
		h.app.Log.Warn("insights not recomputed after sync", "user", u.UserName, "err", err)
		return out, &InsightsError{Err: err}
	}
	if progress != nil {
		progress(SyncProgress{Resource: "insights", Done: 1, Total: 1, Finished: true})
	}
	return out, nil
}

// targets picks, per bank, the consent a sync runs under: the newest one.
// With bankID "", banks whose newest consent was revoked or rejected are
// no longer linked and are left out.
func (h *Hub) targets(ctx context.Context, u model.UserRef, bankID string) ([]banksync.Target, error) {
	linked, err := h.Linked(ctx, u)
	if err != nil {
		return nil, err
	}
	if bankID != "" {
		b, err := h.banks.Resolve(bankID)
		if err != nil {
			return nil, reqErr(ErrBadRequest, err)
		}
		for _, l := range linked {
			if l.Bank.ID == b.ID {
				return []banksync.Target{{Bank: l.Bank, Consent: l.Consent}}, nil
			}
		}
		return nil, reqErr(ErrNotLinked, fmt.Errorf("%s has not linked %s yet", u.UserName, b.Name))
	}
	var out []banksync.Target
	for _, l := range linked {
		if l.Consent.Status == model.ConsentRevoked || l.Consent.Status == model.ConsentRejected {
			continue
		}
		out = append(out, banksync.Target{Bank: l.Bank, Consent: l.Consent})
	}
	return out, nil
}

// LinkedBank is a bank the user gave a consent to, with the newest consent
// (whatever its status) as the Consents view shows it.
type LinkedBank struct {
	Bank    Bank
	Consent model.Consent
	// Active is true when data may be fetched now.
	Active bool
}

// Linked lists the banks the user has consents at, in directory order,
// each with its current consent: the live one, else the newest (awaiting
// ones are ignored).
func (h *Hub) Linked(ctx context.Context, u model.UserRef) ([]LinkedBank, error) {
	cs, err := h.Consents(ctx, u) // newest first
	if err != nil {
		return nil, err
	}
	// The live consent (at most one per bank: completing a link revokes
	// the others) else the newest one.
	newest := map[string]model.Consent{}
	for _, c := range cs {
		if c.Status == model.ConsentAwaiting {
			continue
		}
		if cur, ok := newest[c.BankId]; !ok || (!live(cur.Status) && live(c.Status)) {
			newest[c.BankId] = c
		}
	}
	now := h.now()
	var out []LinkedBank
	for _, b := range h.banks.All() {
		if c, ok := newest[b.ID]; ok {
			out = append(out, LinkedBank{Bank: b, Consent: c, Active: c.Active(now)})
		}
	}
	return out, nil
}

// Insights returns the user's materialized insights, computing them first
// when there are none yet.
func (h *Hub) Insights(ctx context.Context, u model.UserRef) (insights.Insights, error) {
	in, err := insights.Load(ctx, h.s, u)
	if errors.Is(err, insights.ErrNotComputed) {
		return h.RecomputeInsights(ctx, u)
	}
	return in, err
}

// RecomputeInsights recomputes and stores the user's insights.
func (h *Hub) RecomputeInsights(ctx context.Context, u model.UserRef) (insights.Insights, error) {
	return insights.Recompute(ctx, h.s, u, insights.Options{Currency: h.base, Now: h.now()})
}

// RebuildInsights rebuilds the user's transaction buckets from the
// transactions collection (one scan), then recomputes and stores the
// insights: a repair for data written around the sync (an import by hand,
// an older version). Serialized with the user's syncs.
func (h *Hub) RebuildInsights(ctx context.Context, u model.UserRef) (insights.Insights, error) {
	unlock, err := h.lockUser(ctx, u)
	if err != nil {
		return insights.Insights{}, err
	}
	defer unlock()
	if err := buckets.Rebuild(ctx, h.s, []model.UserRef{u}); err != nil {
		return insights.Insights{}, err
	}
	return h.RecomputeInsights(ctx, u)
}

// rates are the stored exchange rates, completed with the demo rates for
// any currency fx_rates lacks, so a sync never fails for want of a rate.
func (h *Hub) rates(ctx context.Context) (fx.Rates, error) {
	r, err := fx.Load(ctx, h.s)
	if err != nil {
		return nil, err
	}
	for _, d := range sampledata.FXRates() {
		if !r.Has(d.Currency) {
			r[d.Currency] = d.RateToUSD
		}
	}
	return r, nil
}

func (h *Hub) engine() *banksync.Engine {
	return &banksync.Engine{
		Store: h.s, Secrets: h.app.Secrets, Log: h.app.Log.WithPrefix("sync"), Now: h.now,
		Policy: h.policy, Parallel: h.parallel,
	}
}

// lockUser serializes syncs, revokes and erasures of one user: they would
// be correct concurrently (every write is idempotent) but would do the work
// twice and interleave their progress.
func (h *Hub) lockUser(ctx context.Context, u model.UserRef) (func(), error) {
	key := u.UserId.Hex() + "|" + u.UserName
	h.mu.Lock()
	if h.userLocks == nil {
		h.userLocks = map[string]chan struct{}{}
	}
	ch, ok := h.userLocks[key]
	if !ok {
		ch = make(chan struct{}, 1)
		h.userLocks[key] = ch
	}
	h.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waited too long for %s's previous sync to finish: %w", u.UserName, ctx.Err())
	}
}
