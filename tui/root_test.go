package tui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/panes/accounts"
)

// signedIn is a root model on the dashboard, built by hand: messages are
// fed directly and the Cmds they return are not run.
func signedIn(t *testing.T) *Model {
	t.Helper()
	m := New(options(""))
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(common.UserChosenMsg{User: model.UserRef{UserName: "alice"}})
	if m.state != stateDashboard || len(m.panes) != common.NumPanes {
		t.Fatalf("state %d with %d panes", m.state, len(m.panes))
	}
	return m
}

func TestRootRoutesKeys(t *testing.T) {
	m := signedIn(t)
	m.Update(keyMsg("tab"))
	m.Update(keyMsg("tab"))
	if m.active != int(common.Loans) {
		t.Fatalf("tab tab: pane %d", m.active)
	}
	m.Update(keyMsg("shift+tab"))
	m.Update(keyMsg("shift+tab"))
	m.Update(keyMsg("shift+tab"))
	if m.active != int(common.Activity) {
		t.Fatalf("shift+tab wraps around: pane %d", m.active)
	}
	m.Update(keyMsg("2"))
	if m.active != int(common.Accounts) {
		t.Fatalf("2: pane %d", m.active)
	}
	// The filter owns the keys: q and digits are text, not commands.
	m.panes[common.Accounts].(*accounts.Pane).Set(nil)
	m.Update(keyMsg("/"))
	for _, k := range []string{"q", "4"} {
		if _, cmd := m.Update(keyMsg(k)); cmd != nil {
			if _, quit := cmd().(tea.QuitMsg); quit {
				t.Fatalf("%s quit from inside a text input", k)
			}
		}
	}
	if m.active != int(common.Accounts) || !strings.Contains(ansi.Strip(m.render()), "/ q4") {
		t.Fatalf("typing into the filter: pane %d\n%s", m.active, m.render())
	}
	m.Update(keyMsg("esc"))
	if _, cmd := m.Update(keyMsg("q")); cmd == nil {
		t.Fatal("q outside a text input quits")
	} else if _, quit := cmd().(tea.QuitMsg); !quit {
		t.Fatal("q outside a text input quits")
	}
}

func TestRootErrorsHelpAndEnvelopes(t *testing.T) {
	m := signedIn(t)
	m.Update(common.ErrorMsg{From: common.Loans, Err: errors.New("the bank is down")})
	if !strings.Contains(ansi.Strip(m.render()), "the bank is down") {
		t.Fatal("the error is not shown")
	}
	m.Update(keyMsg("esc"))
	if strings.Contains(ansi.Strip(m.render()), "the bank is down") {
		t.Fatal("esc does not dismiss the error")
	}
	m.Update(keyMsg("?"))
	if v := ansi.Strip(m.render()); !strings.Contains(v, "quit") || !strings.Contains(v, "go to pane") {
		t.Fatalf("full help:\n%s", v)
	}
	m.Update(keyMsg("3")) // swallowed by the help screen
	m.Update(keyMsg("?"))
	if m.showHelp || m.active != 0 {
		t.Fatalf("help open %v, pane %d", m.showHelp, m.active)
	}
	// A result for a pane that is not shown reaches it anyway.
	m.Update(common.Envelope{To: common.Activity, Msg: common.DataChangedMsg{}})
	m.Update(common.OpenWizardMsg{BankID: "green-bank"})
	if m.state != stateWizard {
		t.Fatal("the wizard did not open")
	}
	m.Update(common.CloseWizardMsg{Linked: "Green Bank"})
	if m.state != stateDashboard || m.active != int(common.Accounts) || m.status != "Linked Green Bank." {
		t.Fatalf("after linking: state %d pane %d status %q", m.state, m.active, m.status)
	}
}

func TestRootBackgroundColourRebuildsStyles(t *testing.T) {
	m := signedIn(t)
	st := m.c.Styles
	m.Update(tea.BackgroundColorMsg{Color: colorWhite{}})
	if m.c.Styles != st || m.c.Styles.Dark {
		t.Fatal("a light background should switch the shared styles to the light palette in place")
	}
}

type colorWhite struct{}

func (colorWhite) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }
