// Package wizard is the consent wizard, the heart of the demo: choose a
// bank, review and adjust what openfinance asks for, log in on the bank's
// own screen, approve or reject, watch the first sync arrive, done. Every
// step goes back with esc; a rejected or failed step says why and offers a
// retry. All bank and database calls run in Cmds through the hub.
package wizard

import (
	"context"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
)

// Step is where the wizard is.
type Step int

// The steps, in order.
const (
	StepBank     Step = iota // choose a bank
	StepReview               // what will be shared, adjustable
	StepLogin                // the bank's login screen
	StepApprove              // the bank's consent screen: approve or reject
	StepSync                 // the first sync, live
	StepDone                 // what was linked
	StepRejected             // the user rejected at the bank
	StepFailed               // a call failed; retry goes back to failedAt
)

// Choices for how long a consent lasts and how far back history goes.
var (
	durations = []int{30, 90, 180, 365} // days
	histories = []int{3, 6, 12, 24}     // months
)

// Model is the wizard.
type Model struct {
	c    *common.Common
	w, h int
	step Step
	run  int // generation: results of an abandoned run are ignored

	banks  []hub.Bank
	linked map[string]bool // bank id -> has an active consent
	bank   int             // cursor in banks

	// Review.
	perms    []string        // what the bank offers
	chosen   map[string]bool // what the user keeps
	duration int             // index into durations
	history  int             // index into histories
	row      int             // cursor: perms, then duration, then history

	session *hub.LinkSession
	form    form
	consent model.Consent

	busy     string // a call is running: what it does
	failure  string // why the failed step failed
	failedAt Step   // the step retry returns to
	spin     spinner.Model
	sync     syncState
}

// New builds the wizard at the bank chooser, or for one bank when bankID
// is set (renewing its consent).
func New(c *common.Common, bankID string) *Model {
	m := &Model{c: c, banks: c.Banks, linked: map[string]bool{}, duration: 1, history: 2}
	m.spin = spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(c.Styles.Cursor))
	for i, b := range m.banks {
		if b.ID == bankID {
			m.bank = i
			m.review()
		}
	}
	return m
}

// Step returns the current step (for tests and the root's help).
func (m *Model) Step() Step { return m.step }

// Bank is the bank being linked.
func (m *Model) Bank() hub.Bank {
	if len(m.banks) == 0 {
		return hub.Bank{}
	}
	return m.banks[m.bank]
}

type consentsMsg struct{ linked map[string]bool }

// Init implements common.Component: it learns which banks are linked.
func (m *Model) Init() tea.Cmd {
	c := m.c
	return c.Do(common.Wizard, func(ctx context.Context) tea.Msg {
		cs, err := c.Hub.Consents(ctx, c.User)
		linked := map[string]bool{}
		if err == nil {
			now := c.Now()
			for _, x := range cs {
				linked[x.BankId] = linked[x.BankId] || x.Active(now)
			}
		}
		return consentsMsg{linked: linked}
	})
}

// review moves to the review step with the bank's defaults.
func (m *Model) review() {
	b := m.Bank()
	m.perms = slices.Clone(b.Permissions)
	m.chosen = map[string]bool{}
	for _, p := range defaults(b) {
		m.chosen[p] = true
	}
	m.row, m.step = 0, StepReview
}

func defaults(b hub.Bank) []string {
	var out []string
	for _, p := range []string{"ReadAccountsDetail", "ReadBalances", "ReadProducts", "ReadTransactionsDetail"} {
		if slices.Contains(b.Permissions, p) {
			out = append(out, p)
		}
	}
	return out
}

// Request is what the user agreed to on the review step.
func (m *Model) Request() hub.LinkRequest {
	var perms []string
	for _, p := range m.perms {
		if m.chosen[p] {
			perms = append(perms, p)
		}
	}
	now := m.c.Now()
	return hub.LinkRequest{
		BankID:      m.Bank().ID,
		Permissions: perms,
		ValidFor:    time.Duration(durations[m.duration]) * 24 * time.Hour,
		HistoryFrom: now.AddDate(0, -histories[m.history], 0).Truncate(24 * time.Hour),
	}
}

// Capturing implements common.Capturer: the login form owns the keys.
func (m *Model) Capturing() bool { return m.step == StepLogin }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.form.setWidth(min(40, max(w-20, 8)))
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	km := m.c.Keys
	back := km.Back
	enter := km.Submit
	switch m.step {
	case StepBank:
		back.SetHelp("esc", "close")
		enter.SetHelp("enter", "choose")
		return []key.Binding{enter, km.Up, km.Down, back}
	case StepReview:
		adjust := km.Right
		adjust.SetHelp("←/→", "change")
		return []key.Binding{enter, km.Toggle, adjust, km.Up, km.Down, back}
	case StepLogin:
		enter.SetHelp("enter", "sign in")
		return []key.Binding{km.NextField, enter, km.FillDemo, back}
	case StepApprove:
		return []key.Binding{km.Approve, km.Reject, back}
	case StepSync:
		back.SetHelp("esc", "stop the sync")
		return []key.Binding{back}
	case StepDone:
		enter.SetHelp("enter", "see your accounts")
		return []key.Binding{enter}
	}
	retry := km.Retry
	return []key.Binding{retry, back}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
