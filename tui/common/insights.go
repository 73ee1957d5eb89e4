package common

import (
	"context"
	"strings"
	"sync"

	"github.com/openfinance-tui/openfinance/core/insights"
)

// insightsGate serialises this program's insights reads: two panes ask at
// start, and when neither finds the document both would compute and upsert
// it at once, and the second upsert loses the race with a duplicate key.
type insightsGate struct{ mu sync.Mutex }

// Insights reads the user's materialized insights (computing them on first
// use). Another session may still win the upsert race; the document is
// then stored, so that one case is read again.
func (c *Common) Insights(ctx context.Context) (insights.Insights, error) {
	c.gate.mu.Lock()
	defer c.gate.mu.Unlock()
	ins, err := c.Hub.Insights(ctx, c.User)
	if err != nil && (strings.Contains(err.Error(), "E11000") || strings.Contains(err.Error(), "duplicate key")) {
		return c.Hub.Insights(ctx, c.User)
	}
	return ins, err
}
