package hub_test

import (
	"errors"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

// A schedule that syncs every hour for 48 hours reaches each bank at most
// 4 times in any 24 hours (8 in all), and the bank sees no data call in
// the deferred hours; a sync the user asks for is never capped.
func TestUnattendedSyncsAreCappedAtFourPerConsentPerDay(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "carmen")
	banks := []string{"green-bank", "albion-bank"}
	for _, b := range banks {
		e.link(t, u, b)
	}
	ctx := storetest.Ctx(t)
	ran := map[string][]time.Time{}
	for hour := 0; hour < 48; hour++ {
		before := map[string]int{}
		for _, b := range banks {
			before[b] = e.srv.Stats(b).Data
		}
		reps, err := e.h.SyncUnattended(ctx, u, nil)
		var ie *hub.InsightsError // no GBP rate in this store; the data is synced
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("hour %d: %v", hour, err)
		}
		if len(reps) != len(banks) {
			t.Fatalf("hour %d: %d reports, want one per bank: %+v", hour, len(reps), reps)
		}
		for _, r := range reps {
			calls := e.srv.Stats(r.BankID).Data - before[r.BankID]
			switch r.State {
			case model.SyncOK:
				ran[r.BankID] = append(ran[r.BankID], e.clock())
				if calls == 0 {
					t.Fatalf("hour %d: %s synced without calling the bank", hour, r.Bank)
				}
			case hub.StateDeferred:
				if calls != 0 {
					t.Fatalf("hour %d: %s deferred but the bank saw %d data calls", hour, r.Bank, calls)
				}
				if !r.Next.After(e.clock()) || r.Next.Sub(e.clock()) > 24*time.Hour {
					t.Fatalf("hour %d: %s deferred until %v", hour, r.Bank, r.Next)
				}
			default:
				t.Fatalf("hour %d: %+v", hour, r)
			}
		}
		e.advance(time.Hour)
	}
	for _, b := range banks {
		times := ran[b]
		if len(times) != 8 {
			t.Fatalf("%s was synced unattended %d times in 48 h, want 8 (4 a day): %v", b, len(times), times)
		}
		for i := range times {
			n := 0
			for _, x := range times {
				if !x.Before(times[i]) && x.Sub(times[i]) < 24*time.Hour {
					n++
				}
			}
			if n > model.DefaultFrequencyPerDay {
				t.Fatalf("%s: %d unattended syncs in the 24 h from %v", b, n, times[i])
			}
		}
	}
	// The budget is used up now; the user asking is not capped.
	for i := 0; i < 3; i++ {
		before := e.srv.Stats("green-bank").Data
		reps := e.sync(t, u, "green-bank")
		if reps[0].State != model.SyncOK || e.srv.Stats("green-bank").Data == before {
			t.Fatalf("attended sync %d: %+v", i, reps[0])
		}
	}
	cs, err := e.h.Consents(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if n := len(c.Unattended); n > model.DefaultFrequencyPerDay {
			t.Fatalf("%s keeps %d access times; only the last 24 hours' are needed", c.Bank, n)
		}
	}
}

func TestUnattendedBudget(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	h := func(d float64) time.Time { return now.Add(time.Duration(d * float64(time.Hour))) }
	cases := []struct {
		name  string
		c     model.Consent
		ok    bool
		next  time.Time
		count int
	}{
		{"none yet", model.Consent{}, true, now, 0},
		{"three in the day", model.Consent{Unattended: []time.Time{h(-23), h(-2), h(-1)}}, true, now, 3},
		{"four in the day", model.Consent{Unattended: []time.Time{h(-1), h(-20), h(-3), h(-2)}}, false, h(4), 4},
		{"old ones drop out", model.Consent{Unattended: []time.Time{h(-30), h(-25), h(-24), h(-1)}}, true, now, 1},
		{"own frequency", model.Consent{FrequencyPerDay: 2, Unattended: []time.Time{h(-5), h(-1)}}, false, h(19), 2},
		{"a clock ahead counts", model.Consent{FrequencyPerDay: 1, Unattended: []time.Time{h(2)}}, false, h(26), 1},
	}
	for _, tc := range cases {
		ok, next := tc.c.UnattendedBudget(now)
		if ok != tc.ok || !next.Equal(tc.next) || len(tc.c.RecentUnattended(now)) != tc.count {
			t.Errorf("%s: ok %v next %v recent %d, want %v %v %d", tc.name, ok, next, len(tc.c.RecentUnattended(now)), tc.ok, tc.next, tc.count)
		}
	}
}
