package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// readRuns is how many times the materialized insights are read (cheap).
const readRuns = 15

// measureInsights times, for the 10k user, recomputing every insight
// (hub.RecomputeInsights, as a sync ends), one plain Find of all their
// transactions (the floor: on FerretDB every query is a scan), and reading
// the materialized insights (hub.Insights, what the TUI does). Recomputes
// and scans alternate, so both see the same conditions, and repeat while
// cheap (see repeat).
func (w *world) measureInsights(ctx context.Context, r *Report) error {
	u := w.heavyUser()
	in := &r.Insights
	in.User = u.ref.UserName
	err := repeat(w.cfg.Runs, func() error {
		t0 := time.Now()
		txs, err := store.FindAll[model.Transaction](ctx, w.app.Store, model.CollTransactions, store.OwnerFilter("TransactionUser", u.ref))
		if err != nil {
			return fmt.Errorf("cannot scan the transactions of %s: %w", u.ref.UserName, err)
		}
		in.ScanRuns = append(in.ScanRuns, round3(ms(time.Since(t0))))
		in.Transactions = len(txs)

		t0 = time.Now()
		ins, err := u.hub.RecomputeInsights(ctx, u.ref)
		if err != nil {
			return fmt.Errorf("cannot recompute the insights of %s: %w", u.ref.UserName, err)
		}
		in.RecomputeRun = append(in.RecomputeRun, round3(ms(time.Since(t0))))
		if ins.Transactions != in.Transactions {
			w.say("note: the insights count %d transactions, the scan %d", ins.Transactions, in.Transactions)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for range readRuns {
		t0 := time.Now()
		if _, err := u.hub.Insights(ctx, u.ref); err != nil {
			return fmt.Errorf("cannot read the insights of %s: %w", u.ref.UserName, err)
		}
		in.ReadRuns = append(in.ReadRuns, round3(ms(time.Since(t0))))
	}
	in.RecomputeMS, in.ScanMS, in.ReadMS = round3(median(in.RecomputeRun)), round3(median(in.ScanRuns)), round3(median(in.ReadRuns))
	if in.ScanMS > 0 {
		in.RecomputeVsScan = round3(in.RecomputeMS / in.ScanMS)
	}
	w.say("insights of %s (%s tx): recompute %.0f ms, scan %.0f ms, read %.2f ms", in.User, count(in.Transactions), in.RecomputeMS, in.ScanMS, in.ReadMS)
	return nil
}
