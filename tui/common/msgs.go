package common

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/model"
)

// ID names a component, so asynchronous results reach their owner even when
// the user has moved to another pane meanwhile.
type ID int

// Component ids. The panes come first, in tab order.
const (
	Overview ID = iota
	Accounts
	Loans
	Transactions
	Insights
	Consents
	Activity
	Picker
	Welcome
	Wizard
	Root
)

// NumPanes is how many dashboard panes there are.
const NumPanes = int(Activity) + 1

// Envelope carries a message to one component.
type Envelope struct {
	To  ID
	Msg tea.Msg
}

// Send returns a Cmd that delivers msg to component to.
func Send(to ID, msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return Envelope{To: to, Msg: msg} }
}

// Do runs fn as a Cmd with a context bounded by c.Timeout and delivers its
// result to component to. All UI I/O goes through here or DoFor.
func (c *Common) Do(to ID, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	return c.DoFor(to, c.Timeout, fn)
}

// DoFor is Do with an explicit deadline.
func (c *Common) DoFor(to ID, d time.Duration, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	parent := c.Ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, d)
		defer cancel()
		return Envelope{To: to, Msg: fn(ctx)}
	}
}

// ErrorMsg reports a failure to the root, which shows it in the one error
// slot until the user dismisses it.
type ErrorMsg struct {
	From ID
	Err  error
}

// ErrorCmd returns a Cmd that reports err.
func ErrorCmd(from ID, err error) tea.Cmd {
	return func() tea.Msg { return ErrorMsg{From: from, Err: err} }
}

// Sentence turns an error into a line a person can act on.
func Sentence(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the request took too long and was stopped; press r to try again"
	}
	s := err.Error()
	if s == "" {
		return "something went wrong"
	}
	return s
}

// DataChangedMsg tells every pane to reload: a link, sync, revoke or
// erase changed what is stored.
type DataChangedMsg struct{}

// DataChanged is a Cmd that broadcasts DataChangedMsg.
func DataChanged() tea.Msg { return DataChangedMsg{} }

// OpenWizardMsg asks the root to start the consent wizard, at the bank
// chooser (BankID "") or for one bank (renewing its consent).
type OpenWizardMsg struct{ BankID string }

// OpenWizard returns a Cmd asking for the wizard.
func OpenWizard(bankID string) tea.Cmd {
	return func() tea.Msg { return OpenWizardMsg{BankID: bankID} }
}

// CloseWizardMsg tells the root the wizard is finished (Linked = a bank was
// linked, show its accounts).
type CloseWizardMsg struct{ Linked string }

// UserChosenMsg tells the root which user signed in, and whether anything
// is linked for them yet.
type UserChosenMsg struct {
	User  model.UserRef
	Empty bool
}

// StatusMsg sets the transient status line (e.g. "Revoked Green Bank").
type StatusMsg string

// Status returns a Cmd that sets the status line.
func Status(format string, a ...any) tea.Cmd {
	s := StatusMsg(fmt.Sprintf(format, a...))
	return func() tea.Msg { return s }
}

// ShowDashboardMsg asks the root to show the panes (at pane To).
type ShowDashboardMsg struct{ To ID }

// Tag wraps the message cmd produces in an Envelope for component to, so
// ticks and other self-addressed messages reach their owner.
func Tag(to ID, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		if msg == nil {
			return nil
		}
		return Envelope{To: to, Msg: msg}
	}
}
