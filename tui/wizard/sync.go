package wizard

import (
	"context"
	"errors"
	"fmt"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/tui/common"
)

// resource is one row of the live progress.
type resource struct {
	name               string
	done, total, count int
	finished           bool
}

type syncState struct {
	resources []resource
	cancel    context.CancelFunc
	reports   []hub.SyncReport
}

type (
	// progressMsg is one progress report, read from the sync's channel.
	progressMsg struct {
		run int
		p   hub.SyncProgress
		ch  <-chan hub.SyncProgress
	}
	syncDoneMsg struct {
		run     int
		reports []hub.SyncReport
		err     error
	}
)

func newSyncState(cancel context.CancelFunc) syncState {
	s := syncState{cancel: cancel}
	for _, n := range []string{"accounts", "balances", "products", "transactions", "insights"} {
		s.resources = append(s.resources, resource{name: n})
	}
	return s
}

func (s *syncState) apply(p hub.SyncProgress) {
	for i := range s.resources {
		r := &s.resources[i]
		if r.name == p.Resource {
			r.done, r.total, r.count, r.finished = p.Done, p.Total, p.Count, r.finished || p.Finished
			return
		}
	}
	s.resources = append(s.resources, resource{name: p.Resource, done: p.Done, total: p.Total, count: p.Count, finished: p.Finished})
}

// startSync runs the first sync of the bank in a Cmd; its progress
// callback feeds a channel that another Cmd reads one report at a time, so
// the UI updates live without sharing memory with the sync.
func (m *Model) startSync() tea.Cmd {
	c, u, bankID, run := m.c, m.c.User, m.Bank().ID, m.next()
	ctx, cancel := context.WithTimeout(c.Ctx, c.SyncTimeout)
	ch := make(chan hub.SyncProgress, 256)
	m.sync = newSyncState(cancel)
	m.step = StepSync
	runSync := func() tea.Msg {
		defer cancel()
		var mu sync.Mutex
		closed := false
		reports, err := c.Hub.Sync(ctx, u, bankID, func(p hub.SyncProgress) {
			mu.Lock()
			defer mu.Unlock()
			if closed {
				return
			}
			select {
			case ch <- p:
			case <-ctx.Done():
			}
		})
		mu.Lock()
		closed = true
		close(ch)
		mu.Unlock()
		return common.Envelope{To: common.Wizard, Msg: syncDoneMsg{run: run, reports: reports, err: err}}
	}
	return tea.Batch(m.spin.Tick, runSync, waitProgress(run, ch))
}

func waitProgress(run int, ch <-chan hub.SyncProgress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return common.Envelope{To: common.Wizard, Msg: progressMsg{run: run, p: p, ch: ch}}
	}
}

func (m *Model) updateSync(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case progressMsg:
		if msg.run != m.run || m.step != StepSync {
			return nil
		}
		m.sync.apply(msg.p)
		return waitProgress(msg.run, msg.ch)
	case syncDoneMsg:
		if msg.run != m.run {
			return nil
		}
		m.sync.reports = msg.reports
		err := msg.err
		for _, r := range msg.reports {
			if r.Err != nil {
				err = errors.Join(err, fmt.Errorf("%s: %w", r.Bank, r.Err))
			}
		}
		if err != nil {
			return m.fail(StepSync, fmt.Errorf("%s is linked, but the first sync failed: %w", m.Bank().Name, err))
		}
		for i := range m.sync.resources {
			m.sync.resources[i].finished = true
		}
		m.step = StepDone
	}
	return nil
}
