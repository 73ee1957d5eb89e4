package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
)

// measureIngest is the ingest budget: the sync's rate next to the engine's
// floor, a raw unordered InsertMany of the same unified documents, measured
// like for like.
//
// The method. After the data set is synced (syncAll), its transactions
// collection is set aside under another name (a rename: nothing is copied)
// and the harness runs pairs of runs:
//
//   - a sync: a fresh app user linked to the 10k user's customer at every
//     bank (about 10k new transactions), synced through hub.Sync; its time
//     is the banks' part (see syncOne);
//   - a raw insert: the same documents as a sync stored (read back once,
//     after the first pair's sync), cut as the sync cuts them (per
//     account, at most rawBatch at a time), inserted with unordered
//     InsertMany into the transactions collection; only the InsertMany
//     calls are timed.
//
// Every run, sync or raw, starts from the same collection state: an empty
// transactions collection with the store's indexes (created again as the
// store creates them, the _id path index included), in the same database
// of the same store, and after a garbage collection, so that neither pays
// for the other's garbage. Deleting the 10k documents instead would cost
// more than a pair (5 s or more on the embedded engine, growing with the
// data set), and letting the collection grow would hand each run a bigger
// B-tree than the one before.
//
// Odd pairs run the sync first, even pairs the raw insert (ABBA), so
// whatever else the machine does falls on both sides alike. Each pair's
// ratio compares two runs made back to back, under the same load; the
// budget is the median of the pair ratios, and the report lists them all
// (the spread) with the median rate of each side. The ratio of the two
// medians is not used: when the machine gets busier during the pairs (it
// does, on a shared machine), it divides a sync from one pair by a raw
// insert from another. At the end the data set is put back.
func (w *world) measureIngest(ctx context.Context, r *Report) (err error) {
	g := &r.Ingest
	pairs := w.cfg.ingestPairs()
	g.Pairs = pairs
	tx, err := w.setAside(ctx)
	if err != nil {
		return err
	}
	g.RawIndexes = len(tx.indexes)
	defer func() {
		// Put the data set back even after a failure: the later steps read it.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		err = errors.Join(err, w.putBack(rctx, tx))
	}()
	var raw *rawDocs
	var syncRates, rawRates, ratios []float64
	for k := 1; k <= pairs; k++ {
		syncRun := func() error {
			if err := w.emptyTransactions(ctx, tx); err != nil {
				return err
			}
			u, own, err := w.throwawaySync(ctx, k)
			if err != nil {
				return err
			}
			syncRates = append(syncRates, float64(u.tx)/own.Seconds())
			if raw == nil {
				if raw, err = w.readBack(ctx); err != nil {
					return err
				}
				g.RawDocs, g.RawBatches = raw.n, len(raw.batches)
			}
			return w.eraseRest(ctx, u.ref)
		}
		rawRun := func() error {
			if err := w.emptyTransactions(ctx, tx); err != nil {
				return err
			}
			runtime.GC()
			spent, err := w.rawOnce(ctx, raw.batches)
			if err != nil {
				return err
			}
			rawRates = append(rawRates, float64(raw.n)/max(spent.Seconds(), 1e-9))
			return nil
		}
		// Odd pairs sync first, even pairs insert raw first, so that a
		// machine getting busier or quieter over a pair favours neither.
		first, second := syncRun, rawRun
		if k%2 == 0 {
			first, second = rawRun, syncRun
		}
		if err := first(); err != nil {
			return err
		}
		if err := second(); err != nil {
			return err
		}
		sr, rr := syncRates[k-1], rawRates[k-1]
		g.SyncRuns = append(g.SyncRuns, round3(sr))
		g.RawRuns = append(g.RawRuns, round3(rr))
		ratios = append(ratios, sr/rr)
		g.PairRatios = append(g.PairRatios, round3(sr/rr))
		w.say("ingest pair %d of %d: sync %s tx/s, raw InsertMany of the same %s documents %s tx/s: %.2f",
			k, pairs, count(int(sr)), count(raw.n), count(int(rr)), sr/rr)
	}
	g.SyncTxPerSec, g.RawTxPerSec = round3(median(syncRates)), round3(median(rawRates))
	if g.RawTxPerSec > 0 {
		g.RawSeconds = round3(float64(g.Transactions) / g.RawTxPerSec)
	}
	g.Ratio = round3(median(ratios))
	w.say("sync / raw InsertMany = %.2f (median of %d pair ratios %s)", g.Ratio, pairs, spread(g.PairRatios))
	return nil
}

// throwawaySync creates and links another app user to the 10k user's
// customer and syncs it (after a garbage collection, as the raw runs),
// returning the user and the banks' part of the sync.
func (w *world) throwawaySync(ctx context.Context, k int) (*benchUser, time.Duration, error) {
	ref, err := w.heavy.EnsureUser(ctx, fmt.Sprintf("bench-ingest-%d", k), "openfinance bench", "bench")
	if err != nil {
		return nil, 0, err
	}
	u := &benchUser{ref: ref, hub: w.heavy, login: w.heavyUser().login}
	if err := w.link(ctx, u, w.cfg.Heavy); err != nil {
		return nil, 0, err
	}
	runtime.GC()
	own, _, err := w.syncOne(ctx, u)
	if err != nil {
		return nil, 0, err
	}
	return u, own, nil
}

// spread lists pair ratios as "min–max (a, b, c)".
func spread(xs []float64) string {
	if len(xs) == 0 {
		return "none"
	}
	lo, hi := xs[0], xs[0]
	for _, x := range xs {
		lo, hi = min(lo, x), max(hi, x)
	}
	return fmt.Sprintf("%.2f–%.2f (%s)", lo, hi, runs2(xs))
}
