package insights

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
	"github.com/openfinance-tui/openfinance/core/store"
)

// ErrNotComputed is returned by Load when a user's insights were never
// computed.
var ErrNotComputed = errors.New("insights have not been computed yet")

// Options tune a recomputation.
type Options struct {
	Currency string    // base currency, default USD
	Now      time.Time // the clock: "the last 12 months" end here; zero = time.Now()
	// Rates fill in currencies that fx_rates lacks (the stored rates win);
	// nil = fx_rates only, and a currency without a rate is an error.
	Rates fx.Rates
}

// DocID is the _id of a user's insights document: the user's id, or for a
// user known only by name (imported data without ids) an id derived from
// the name.
func DocID(u model.UserRef) bson.ObjectID {
	if !u.UserId.IsZero() {
		return u.UserId
	}
	return model.DeterministicID("insights", strings.ToLower(u.UserName))
}

// Recompute runs every insight pipeline for u, finishes the results in Go,
// stores them as the user's document in the insights collection (_id = the
// user's id) and returns them.
//
// It costs one scan of each of external_accounts and external_products,
// the user's transaction buckets read by _id (see package buckets: no scan
// of the transactions), run concurrently, and one replace. Writing by _id
// makes it idempotent: recomputing replaces the one document.
func Recompute(ctx context.Context, s *store.Store, u model.UserRef, opts Options) (Insights, error) {
	ins, err := Compute(ctx, s, u, opts)
	if err != nil {
		return Insights{}, err
	}
	if err := save(ctx, s, ins); err != nil {
		return Insights{}, fmt.Errorf("cannot store the insights of %s: %w", u.UserName, err)
	}
	return ins, nil
}

// save replaces the user's document. Two first recomputations at once (a
// sync finishing while a session opens the insights) both try to insert it
// and one gets a duplicate key; the document exists by then, so that one
// simply replaces it.
func save(ctx context.Context, s *store.Store, ins Insights) error {
	id := func(i Insights) any { return i.ID }
	_, err := store.ReplaceByID(ctx, s, model.CollInsights, []Insights{ins}, id)
	if err != nil && isDuplicateKey(err) {
		_, err = store.ReplaceByID(ctx, s, model.CollInsights, []Insights{ins}, id)
	}
	return err
}

func isDuplicateKey(err error) bool {
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	// store.PartialWriteError keeps the server's message, not its code.
	var pw *store.PartialWriteError
	return errors.As(err, &pw) && strings.Contains(pw.Err.Error(), "E11000")
}

// Compute is Recompute without storing the result.
func Compute(ctx context.Context, s *store.Store, u model.UserRef, opts Options) (Insights, error) {
	return compute(ctx, s, u, opts, cubeBuckets)
}

func compute(ctx context.Context, s *store.Store, u model.UserRef, opts Options, how cubeStrategy) (Insights, error) {
	cur := normCurrency(opts.Currency)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	in, err := gather(ctx, s, u, how)
	if err != nil {
		return Insights{}, fmt.Errorf("cannot compute the insights of %s: %w", u.UserName, err)
	}
	for c, r := range opts.Rates {
		if !in.rates.Has(c) && r > 0 {
			in.rates[strings.ToUpper(c)] = r
		}
	}
	return finish(u, cur, now, in)
}

// inputs are the pipelines' raw results.
type inputs struct {
	rates           fx.Rates
	balances        []pipelines.GroupRow[pipelines.BalanceKey]
	loans           []pipelines.GroupRow[pipelines.LoanKey]
	amounts, counts []pipelines.GroupRow[pipelines.TxKey]
}

// gather runs the scans concurrently: each is a full collection scan on
// FerretDB, and they are independent.
func gather(ctx context.Context, s *store.Store, u model.UserRef, how cubeStrategy) (inputs, error) {
	var in inputs
	jobs := []func() error{
		func() (err error) { in.rates, err = fx.Load(ctx, s); return },
		func() (err error) { in.balances, err = balanceRows(ctx, s, u); return },
		func() (err error) { in.loans, err = loanRows(ctx, s, u); return },
		func() (err error) { in.amounts, in.counts, err = txCube(ctx, s, u, how); return },
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { errs[i] = job() })
	}
	wg.Wait()
	return in, errors.Join(errs...)
}

// finish turns the pipelines' rows into the insights document.
func finish(u model.UserRef, cur string, now time.Time, in inputs) (Insights, error) {
	factor, err := in.rates.Convert(1, "USD", cur)
	if err != nil {
		return Insights{}, err
	}
	pos, err := finishPosition(u.UserName, cur, in.rates, in.balances, in.loans)
	if err != nil {
		return Insights{}, err
	}
	plans, monthly, err := buildPlans(in.loans, now, cur, in.rates)
	if err != nil {
		return Insights{}, err
	}
	nowM := monthOf(now)
	cells := newCube(in.amounts, in.counts, factor)
	hist, err := rebuildHistory(cells, plans, pos.TotalBalance, nowM, cur, in.rates)
	if err != nil {
		return Insights{}, err
	}
	n, months := activity(cells)
	return Insights{
		ID:             DocID(u),
		User:           u.UserName,
		ComputedAt:     now.Truncate(time.Millisecond), // what BSON keeps, so Load returns the same
		Currency:       cur,
		Position:       pos,
		Loans:          loansOf(plans),
		MonthlyDebt:    monthly,
		CashFlow:       cashFlow(cells, nowM),
		Spending:       spendingRows(cells),
		TopMerchants:   topMerchants(cells, nowM),
		NetWorth:       hist.netWorth,
		Recurring:      detectRecurring(cells, nowM),
		Transactions:   n,
		Months:         months,
		BalanceHistory: hist.balance,
		DebtHistory:    hist.debt,
	}, nil
}

// Load reads a user's materialized insights (one small document).
func Load(ctx context.Context, s *store.Store, u model.UserRef) (Insights, error) {
	var ins Insights
	err := s.C(model.CollInsights).FindOne(ctx, bson.D{{Key: "_id", Value: DocID(u)}}).Decode(&ins)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return Insights{}, ErrNotComputed
	}
	if err != nil {
		return Insights{}, fmt.Errorf("cannot read the insights of %s: %w", u.UserName, err)
	}
	ins.ComputedAt = ins.ComputedAt.UTC()
	ins.normalize()
	return ins, nil
}

// normalize makes every list non-nil, so JSON shows [] and never null, even
// for a document written by an older version without a field.
func (i *Insights) normalize() {
	nonNil(&i.Loans)
	nonNil(&i.CashFlow)
	nonNil(&i.Spending)
	nonNil(&i.TopMerchants)
	nonNil(&i.NetWorth)
	nonNil(&i.Recurring)
	nonNil(&i.Months)
	nonNil(&i.BalanceHistory)
	nonNil(&i.DebtHistory)
	nonNil(&i.Position.ByBank)
	nonNil(&i.Position.ByCurrency)
	nonNil(&i.Position.ByType)
	nonNil(&i.Position.DebtByType)
	for k := range i.Loans {
		if i.Loans[k].Schedule == nil {
			i.Loans[k].Schedule = MonthSeries{}
		}
		if t := i.Loans[k].OpeningDate; t != nil {
			u := t.UTC()
			i.Loans[k].OpeningDate = &u
		}
	}
}

func nonNil[S ~[]T, T any](s *S) {
	if *s == nil {
		*s = S{}
	}
}
