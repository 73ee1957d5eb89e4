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
	r.Data.LinkSeconds = time.Since(t0).Seconds()
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
// bank of a user at once, as the product does). The banks' part of a sync
// ends with the last progress report of a bank; the insights the hub
// recomputes after it are timed separately (see measureInsights), so the
// ingest figure is the sync's own.
func (w *world) syncAll(ctx context.Context, r *Report) error {
	var banks, whole time.Duration
	total := 0
	for _, u := range w.users {
		var last time.Time
		progress := func(p hub.SyncProgress) {
			if p.Resource != "insights" {
				last = time.Now()
			}
		}
		t0 := time.Now()
		reps, err := u.hub.Sync(ctx, u.ref, "", progress)
		end := time.Now()
		var ie *hub.InsightsError
		if err != nil && !errors.As(err, &ie) {
			return fmt.Errorf("the sync of %s failed: %w", u.ref.UserName, err)
		}
		for _, rep := range reps {
			if rep.Err != nil {
				return fmt.Errorf("the sync of %s at %s failed: %w", u.ref.UserName, rep.Bank, rep.Err)
			}
			u.tx += rep.New
		}
		if err != nil {
			w.say("warning: %v", err)
		}
		if last.IsZero() || last.After(end) {
			last = end
		}
		banks += last.Sub(t0)
		whole += end.Sub(t0)
		total += u.tx
		w.say("synced %s: %s transactions in %.1f s (%.1f s with the insights)", u.ref.UserName, count(u.tx), last.Sub(t0).Seconds(), end.Sub(t0).Seconds())
	}
	g := &r.Ingest
	g.Transactions = total
	g.SyncSeconds = round3(banks.Seconds())
	g.SyncWithInsightsSeconds = round3(whole.Seconds())
	if banks > 0 {
		g.SyncTxPerSec = round3(float64(total) / banks.Seconds())
	}
	d := &r.Data
	d.Transactions = total
	h, l := w.heavyUser(), w.largestUser()
	d.HeavyUser, d.HeavyTx = h.ref.UserName, h.tx
	d.LargestUser, d.LargestTx = l.ref.UserName, l.tx
	return nil
}
