package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// Run builds the data, measures everything and returns the report with
// its budget lines. An error means the harness could not run; a budget
// that fails is in the report, not an error.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	seed := cfg.Seed
	if seed == 0 {
		seed = gen.DefaultSeed
	}
	w, err := open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer w.close()
	r := &Report{Preset: cfg.Name, Store: w.storeName(), Seed: seed}
	w.say("preset %s on %s: %s transactions asked for", r.Preset, r.Store, count(int(cfg.Nominal())))
	// Each step has its own deadline, generous for the large preset.
	steps := []struct {
		what    string
		timeout time.Duration
		fn      func(context.Context, *Report) error
	}{
		{"link", 10 * time.Minute, w.createAndLink},
		{"sync", 3 * time.Hour, w.syncAll},
		{"ingest", time.Hour, w.measureIngest},
		{"insights", time.Hour, w.measureInsights},
		{"first frame", 30 * time.Minute, w.measureFirstFrame},
		{"panes", time.Hour, w.measurePanes},
		{"ssh", 10 * time.Minute, w.measureSSH},
	}
	for _, s := range steps {
		sctx, cancel := context.WithTimeout(ctx, s.timeout)
		err := s.fn(sctx, r)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("the bench could not run (%s): %w", s.what, err)
		}
	}
	r.PeakRSSMB = round3(mb(peakRSS()))
	r.Seconds = round3(time.Since(start).Seconds())
	r.budgets()
	w.say("done in %.0f s: %d of %d budgets pass", r.Seconds, len(r.Budgets)-r.Failed(), len(r.Budgets))
	return r, nil
}
