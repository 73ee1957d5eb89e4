package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// createAndLink creates the app users and links each at every bank of its
// server with its customer's login, sharing the whole generated history.
func (w *world) createAndLink(ctx context.Context, r *Report) error {
	t0 := time.Now()
	add := func(h *hub.Hub, name, login string, size mockbank.Size) error {
		u, err := h.EnsureUser(ctx, name, "openfinance bench", "bench")
		if err != nil {
			return err
		}
		bu := &benchUser{ref: u, hub: h, login: login}
		w.users = append(w.users, bu)
		return w.link(ctx, bu, size)
	}
	if err := add(w.heavy, "bench-10k", login(1), w.cfg.Heavy); err != nil {
		return err
	}
	for i := 1; i <= w.cfg.Bulk.Customers; i++ {
		if err := add(w.bulk, fmt.Sprintf("bench-bulk-%03d", i), login(i), w.cfg.Bulk); err != nil {
			return err
		}
	}
	r.Data.Users = len(w.users)
	r.Data.BanksPerUser = len(w.heavy.Banks())
	r.Data.LinkSeconds = round3(time.Since(t0).Seconds())
	r.Data.Nominal = w.cfg.Nominal()
	w.say("%d users linked at %d banks each in %.2f s", len(w.users), r.Data.BanksPerUser, r.Data.LinkSeconds)
	return nil
}

// link approves a consent at every bank for the user's customer. The
// consent reaches back over the whole generated history (a day more, so
// that its first day is in).
func (w *world) link(ctx context.Context, u *benchUser, size mockbank.Size) error {
	months := size.Normalize().Months
	from := u.hub.Now().AddDate(0, -months, -1)
	for _, b := range u.hub.Banks() {
		ls, err := u.hub.StartLink(ctx, u.ref, hub.LinkRequest{BankID: b.ID, HistoryFrom: from})
		if err != nil {
			return fmt.Errorf("cannot start linking %s for %s: %w", b.Name, u.ref.UserName, err)
		}
		cred := b.DemoCredentials("")
		cred.User = u.login
		if ls.AsksOTP && cred.OTP == "" {
			cred.OTP = b.DemoOTP
		}
		if _, err := u.hub.CompleteLink(ctx, ls, cred, true); err != nil {
			return fmt.Errorf("cannot link %s for %s as %s: %w", b.Name, u.ref.UserName, u.login, err)
		}
	}
	return nil
}

// syncAll syncs every user, one after the other, through hub.Sync (every
// bank of a user at once, as the product does): the data every later step
// measures. Its rate is reported as the data set's; the ingest budget is
// measured afterwards, on pairs (see measureIngest).
func (w *world) syncAll(ctx context.Context, r *Report) error {
	g := &r.Ingest
	var banks, whole time.Duration
	for _, u := range w.users {
		own, took, err := w.syncOne(ctx, u)
		if err != nil {
			return err
		}
		banks, whole = banks+own, whole+took
		g.Transactions += u.tx
	}
	g.SyncSeconds, g.SyncWithInsightsSeconds = round3(banks.Seconds()), round3(whole.Seconds())
	g.DataSetTxPerSec = round3(float64(g.Transactions) / banks.Seconds())
	d := &r.Data
	d.Transactions = g.Transactions
	h, l := w.heavyUser(), w.largestUser()
	d.HeavyUser, d.HeavyTx = h.ref.UserName, h.tx
	d.LargestUser, d.LargestTx = l.ref.UserName, l.tx
	return nil
}

// syncOne syncs u and returns the sync's own part and the whole hub.Sync.
// hub.Sync ends by recomputing the user's insights, which is not ingest:
// they are recomputed once more right after (same data, same cost) and
// the banks' part is the whole sync minus that. The recompute at the end
// of a sync follows heavy writes and is, if anything, slower than the one
// after it, so the figure errs against the sync.
func (w *world) syncOne(ctx context.Context, u *benchUser) (own, took time.Duration, err error) {
	t0 := time.Now()
	reps, err := u.hub.Sync(ctx, u.ref, "", nil)
	took = time.Since(t0)
	var ie *hub.InsightsError
	if err != nil && !errors.As(err, &ie) {
		return 0, 0, fmt.Errorf("the sync of %s failed: %w", u.ref.UserName, err)
	}
	for _, rep := range reps {
		if rep.Err != nil {
			return 0, 0, fmt.Errorf("the sync of %s at %s failed: %w", u.ref.UserName, rep.Bank, rep.Err)
		}
		u.tx += rep.New
	}
	if err != nil {
		return 0, 0, fmt.Errorf("the sync of %s: %w", u.ref.UserName, err)
	}
	t1 := time.Now()
	if _, err := u.hub.RecomputeInsights(ctx, u.ref); err != nil {
		return 0, 0, fmt.Errorf("cannot recompute the insights of %s: %w", u.ref.UserName, err)
	}
	recompute := time.Since(t1)
	own = max(took-recompute, time.Millisecond)
	w.say("synced %s: %s transactions in %.1f s (%.1f s with the insights; they take %.2f s alone)",
		u.ref.UserName, count(u.tx), own.Seconds(), took.Seconds(), recompute.Seconds())
	return own, took, nil
}
