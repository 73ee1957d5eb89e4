package wizard

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
)

type (
	startedMsg struct {
		run     int
		session *hub.LinkSession
		err     error
	}
	completedMsg struct {
		run     int
		approve bool
		consent model.Consent
		err     error
	}
)

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case consentsMsg:
		m.linked = msg.linked
		return nil
	case spinner.TickMsg:
		if m.busy == "" && m.step != StepSync {
			return nil // let the spinner stop
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return common.Tag(common.Wizard, cmd)
	case startedMsg:
		if msg.run != m.run {
			return nil
		}
		m.busy = ""
		if msg.err != nil {
			return m.fail(StepReview, fmt.Errorf("%s did not accept the consent request: %w", m.Bank().Name, msg.err))
		}
		m.session = msg.session
		m.form = newForm(m.c, m.Bank())
		m.form.setWidth(min(40, max(m.w-20, 8)))
		m.step = StepLogin
		return m.form.focus()
	case completedMsg:
		return m.completed(msg)
	case progressMsg, syncDoneMsg:
		return m.updateSync(msg)
	case tea.KeyPressMsg:
		if m.busy != "" {
			if key.Matches(msg, m.c.Keys.Back) {
				m.run++ // forget the call under way
				m.busy = ""
			}
			return nil
		}
		return m.key(msg)
	}
	if m.step == StepLogin {
		return m.form.update(msg)
	}
	return nil
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	km := m.c.Keys
	switch m.step {
	case StepBank:
		switch {
		case key.Matches(k, km.Back):
			return closeCmd("")
		case key.Matches(k, km.Up):
			m.bank = max(0, m.bank-1)
		case key.Matches(k, km.Down):
			m.bank = min(len(m.banks)-1, m.bank+1)
		case key.Matches(k, km.Enter) && len(m.banks) > 0:
			m.review()
		}
	case StepReview:
		return m.keyReview(k)
	case StepLogin:
		switch {
		case key.Matches(k, km.Back):
			m.step = StepReview
			return nil
		case key.Matches(k, km.FillDemo):
			m.form.fill(m.Bank().DemoCredentials(m.c.User.UserName))
			return nil
		case key.Matches(k, km.Submit):
			if p := m.form.emptyHere(); p != "" {
				m.form.err = p
				return nil
			}
			// Every field filled (typed, or ctrl+f): sign in from wherever
			// the cursor is; otherwise enter walks to the next field.
			if p := m.form.problem(); p == "" || m.form.last() {
				if p != "" {
					m.form.err = p
					return nil
				}
				m.form.blur()
				m.step = StepApprove
				return nil
			}
			return m.form.next()
		}
		return m.form.update(k)
	case StepApprove:
		switch {
		case key.Matches(k, km.Back):
			m.step = StepLogin
			return m.form.focus()
		case key.Matches(k, km.Approve):
			return m.complete(true)
		case key.Matches(k, km.Reject):
			return m.complete(false)
		}
	case StepSync:
		if key.Matches(k, km.Back) {
			m.sync.cancel()
			m.run++
			return m.fail(StepSync, fmt.Errorf("you stopped the first sync; %s stays linked and syncs again when you press r", m.Bank().Name))
		}
	case StepDone:
		if key.Matches(k, km.Enter, km.Back) {
			return closeCmd(m.Bank().Name)
		}
	case StepRejected, StepFailed:
		switch {
		case key.Matches(k, km.Retry):
			return m.retry()
		case key.Matches(k, km.Back):
			if m.step == StepFailed && m.failedAt == StepSync {
				return closeCmd(m.Bank().Name) // linked, only the sync failed
			}
			m.step = StepBank
		}
	}
	return nil
}

func (m *Model) keyReview(k tea.KeyPressMsg) tea.Cmd {
	km := m.c.Keys
	rows := len(m.perms) + 2
	switch {
	case key.Matches(k, km.Back):
		m.step = StepBank
	case key.Matches(k, km.Up):
		m.row = max(0, m.row-1)
	case key.Matches(k, km.Down):
		m.row = min(rows-1, m.row+1)
	case key.Matches(k, km.Toggle) && m.row < len(m.perms):
		p := m.perms[m.row]
		m.chosen[p] = !m.chosen[p]
	case key.Matches(k, km.Left), key.Matches(k, km.Right):
		d := 1
		if key.Matches(k, km.Left) {
			d = -1
		}
		switch m.row - len(m.perms) {
		case 0:
			m.duration = common.Clamp(m.duration+d, 0, len(durations)-1)
		case 1:
			m.history = common.Clamp(m.history+d, 0, len(histories)-1)
		}
	case key.Matches(k, km.Submit):
		if len(m.Request().Permissions) == 0 {
			return common.Status("Choose at least one thing to share (space toggles), or press esc to go back.")
		}
		return m.start()
	}
	return nil
}

// start creates the consent at the bank.
func (m *Model) start() tea.Cmd {
	c, req, run := m.c, m.Request(), m.next()
	m.busy = "Asking " + m.Bank().Name + " for a consent…"
	return tea.Batch(m.spin.Tick, c.Do(common.Wizard, func(ctx context.Context) tea.Msg {
		s, err := c.Hub.StartLink(ctx, c.User, req)
		return startedMsg{run: run, session: s, err: err}
	}))
}

// complete logs in at the bank and approves or rejects the consent.
func (m *Model) complete(approve bool) tea.Cmd {
	c, s, cred, run := m.c, m.session, m.form.credentials(), m.next()
	m.busy = "Signing in at " + m.Bank().Name + "…"
	return tea.Batch(m.spin.Tick, c.Do(common.Wizard, func(ctx context.Context) tea.Msg {
		cons, err := c.Hub.CompleteLink(ctx, s, cred, approve)
		return completedMsg{run: run, approve: approve, consent: cons, err: err}
	}))
}

func (m *Model) completed(msg completedMsg) tea.Cmd {
	if msg.run != m.run {
		return nil
	}
	m.busy = ""
	b := m.Bank().Name
	switch {
	case msg.err != nil && msg.approve:
		return m.fail(StepLogin, fmt.Errorf("%s did not let you in: %w", b, msg.err))
	case msg.err != nil:
		m.failure = fmt.Sprintf("You rejected the consent. %s said: %s", b, common.Sentence(msg.err))
		m.step = StepRejected
		return nil
	case !msg.approve || msg.consent.Status == model.ConsentRejected:
		m.failure = fmt.Sprintf("You rejected the consent: %s shares nothing with openfinance.", b)
		m.step = StepRejected
		return nil
	}
	m.consent = msg.consent
	m.linked[m.Bank().ID] = true
	return m.startSync()
}

func (m *Model) fail(at Step, err error) tea.Cmd {
	m.step, m.failedAt, m.failure = StepFailed, at, common.Sentence(err)
	return nil
}

// retry goes back to the step that failed (a rejected consent starts again
// at the review, since the bank's consent is spent).
func (m *Model) retry() tea.Cmd {
	if m.step == StepRejected {
		m.step = StepReview
		return nil
	}
	switch m.failedAt {
	case StepSync:
		return m.startSync()
	case StepLogin:
		m.step = StepLogin
		return m.form.focus()
	}
	m.step = m.failedAt
	return nil
}

func (m *Model) next() int {
	m.run++
	return m.run
}

func closeCmd(linked string) tea.Cmd {
	return func() tea.Msg { return common.CloseWizardMsg{Linked: linked} }
}
