package hub

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	banksync "github.com/openfinance-tui/openfinance/core/sync"
)

// StateDeferred is the report state of a bank an unattended sync left out
// because its consent's unattended accesses for the day are used up.
const StateDeferred = "deferred"

// SyncUnattended is the sync a schedule runs (cron, a systemd timer) rather
// than a person. PSD2 lets a provider reach an account without its holder
// present only a few times a day (model.DefaultFrequencyPerDay, or the
// consent's own FrequencyPerDay), so each linked bank is synced only while
// its consent has such accesses left in the last 24 hours; the others are
// reported with State StateDeferred and Next, the earliest time one may run.
// Each access is recorded before the bank is called, so a sync that dies
// still counts against the cap. What a person asks for (Sync) is never
// capped.
func (h *Hub) SyncUnattended(ctx context.Context, u model.UserRef, progress func(SyncProgress)) ([]SyncReport, error) {
	unlock, err := h.lockUser(ctx, u)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Read under the user's lock, so that two schedules of one process see
	// each other's accesses.
	targets, err := h.targets(ctx, u, "")
	if err != nil {
		return nil, err
	}
	now := h.now()
	var run []banksync.Target
	deferred := map[string]SyncReport{}
	for _, t := range targets {
		c := t.Consent
		if !c.Active(now) {
			run = append(run, t) // the sync records the expiry and calls nobody
			continue
		}
		if ok, next := c.UnattendedBudget(now); !ok {
			deferred[t.Bank.ID] = SyncReport{BankID: t.Bank.ID, Bank: t.Bank.Name, State: StateDeferred, Next: next}
			continue
		}
		if err := h.recordUnattended(ctx, c, now); err != nil {
			return nil, err
		}
		run = append(run, t)
	}
	var reps []SyncReport
	if len(run) > 0 {
		reps, err = h.syncTargets(ctx, u, run, progress)
	}
	// One report per linked bank, in the directory's order.
	out := make([]SyncReport, 0, len(targets))
	for _, t := range targets {
		if r, ok := deferred[t.Bank.ID]; ok {
			out = append(out, r)
			continue
		}
		for _, r := range reps {
			if r.BankID == t.Bank.ID {
				out = append(out, r)
			}
		}
	}
	return out, err
}

// recordUnattended adds an unattended access at now to the consent's
// record of the last 24 hours.
func (h *Hub) recordUnattended(ctx context.Context, c model.Consent, now time.Time) error {
	times := append(c.RecentUnattended(now), now.UTC())
	_, err := h.s.C(model.CollConsents).UpdateOne(ctx, bson.D{{Key: "_id", Value: c.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "UnattendedAccess", Value: times}}}})
	if err != nil {
		return fmt.Errorf("cannot record the unattended access to %s, so it was not made: %w", c.Bank, err)
	}
	return nil
}
