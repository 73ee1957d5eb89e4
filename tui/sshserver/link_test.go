package sshserver_test

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/tui"
	"github.com/openfinance-tui/openfinance/tui/sshserver"
)

// realTUI is the model `openfinance serve` gives each session.
func realTUI(s sshserver.Session) tea.Model {
	return tui.New(tui.Options{
		Hub: s.Hub, User: s.User.UserName, LockUser: true,
		Width: s.Width, Height: s.Height, Profile: s.Profile,
		HasDarkBackground: s.HasDarkBackground, Logger: s.Logger, Context: s.Ctx,
		Timeout: 30 * time.Second, SyncTimeout: 5 * time.Minute,
	})
}

// Two keys link two different banks over SSH commands; each sees only its
// own accounts, through commands and in the real TUI.
func TestTwoKeysLinkDifferentBanks(t *testing.T) {
	e := startEnv(t, sshserver.Config{Model: realTUI})
	if _, err := e.hub.SeedIfEmpty(t.Context()); err != nil { // as serve does: exchange rates
		t.Fatal(err)
	}
	for i, c := range []struct {
		bank, own, other string
	}{{"green-bank", "Green Bank", "Albion Bank"}, {"albion-bank", "Albion Bank", "Green Bank"}} {
		cl := e.mustDial(newKey(t))
		if out, errs, code := run(t, cl, "link --bank "+c.bank+" --yes"); code != 0 {
			t.Fatalf("key %d: link: exit %d\n%s\n%s", i+1, code, out, errs)
		}
		out, errs, code := run(t, cl, "accounts")
		if code != 0 || !strings.Contains(out, c.own) || strings.Contains(out, c.other) {
			t.Errorf("key %d: accounts: exit %d (%s)\n%s", i+1, code, errs, out)
		}
		ts := openTUI(t, cl, 80, 24)
		ts.waitText(c.own)
		ts.press("2") // the accounts pane
		if scr := ts.waitText("accounts"); strings.Contains(scr, c.other) {
			t.Errorf("key %d sees %s in the TUI:\n%s", i+1, c.other, scr)
		}
	}
}
