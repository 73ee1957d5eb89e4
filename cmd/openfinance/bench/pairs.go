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
// and the harness runs pairs, one after the other: a sync, then a raw
// insert.
//
//   - The sync: a fresh app user linked to the 10k user's customer at every
//     bank (about 10k new transactions), synced through hub.Sync; its time
//     is the banks' part (see syncOne).
//   - The raw insert: the same documents as that sync stored (read back
//     once, after the first pair's sync), cut as the sync cuts them (per
//     account, at most rawBatch at a time), inserted with unordered
//     InsertMany into the transactions collection; only the InsertMany
//     calls are timed.
//
// Every run, sync or raw, starts from the same collection state: an empty
// transactions collection with the store's indexes (created again as the
// store creates them, the _id path index included), in the same database
// of the same store. Deleting 10k documents instead would cost more than
// a pair (on the embedded engine, 5 s or more, growing with the data set),
// and letting the collection grow would hand each later run a bigger
// B-tree than the one before. Each timed run starts after a garbage
// collection, so neither pays for the other's garbage. Interleaving the
// two puts whatever else the machine does on both sides alike; the report
// keeps the median of each side's rates (the same statistic for both) and
// their ratio, and lists every pair's own ratio as the spread. At the end
// the data set is put back.
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
	var syncRates, rawRates []float64
	for k := 1; k <= pairs; k++ {
		if err := w.emptyTransactions(ctx, tx); err != nil {
			return err
		}
		u, own, err := w.throwawaySync(ctx, k)
		if err != nil {
			return err
		}
		syncRate := float64(u.tx) / own.Seconds()
		if raw == nil {
			if raw, err = w.readBack(ctx); err != nil {
				return err
			}
			g.RawDocs, g.RawBatches = raw.n, len(raw.batches)
		}
		if err := w.eraseRest(ctx, u.ref); err != nil {
			return err
		}
		if err := w.emptyTransactions(ctx, tx); err != nil {
			return err
		}
		runtime.GC()
		spent, err := w.rawOnce(ctx, raw.batches)
		if err != nil {
			return err
		}
		rawRate := float64(raw.n) / max(spent.Seconds(), 1e-9)
		syncRates, rawRates = append(syncRates, syncRate), append(rawRates, rawRate)
		g.SyncRuns = append(g.SyncRuns, round3(syncRate))
		g.RawRuns = append(g.RawRuns, round3(rawRate))
		g.PairRatios = append(g.PairRatios, round3(syncRate/rawRate))
		w.say("ingest pair %d of %d: sync %s tx/s, raw InsertMany of the same %s documents %.1f s (%s tx/s): %.2f",
			k, pairs, count(int(syncRate)), count(raw.n), spent.Seconds(), count(int(rawRate)), syncRate/rawRate)
	}
	g.SyncTxPerSec, g.RawTxPerSec = round3(median(syncRates)), round3(median(rawRates))
	if g.RawTxPerSec > 0 {
		g.RawSeconds = round3(float64(g.Transactions) / g.RawTxPerSec)
		g.Ratio = round3(g.SyncTxPerSec / g.RawTxPerSec)
	}
	w.say("sync / raw InsertMany = %.2f (medians of %d pairs; pair ratios %s)", g.Ratio, pairs, spread(g.PairRatios))
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
