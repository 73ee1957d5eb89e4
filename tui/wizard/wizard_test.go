package wizard

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/mockbank"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/keys"
	"github.com/openfinance-tui/openfinance/tui/styles"
)

// The state machine is driven by hand here: keys and the results the hub's
// Cmds would deliver, none of the Cmds run (no I/O).

func testCommon() *common.Common {
	var bs []hub.Bank
	for _, i := range mockbank.Catalog() {
		bs = append(bs, i.DirectoryEntry("http://127.0.0.1:1/"+i.ID))
	}
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	return &common.Common{
		Ctx: context.Background(), Banks: bs, Clock: func() time.Time { return now },
		User: model.UserRef{UserName: "alice"}, Styles: styles.New(true), Keys: keys.New(),
		Timeout: time.Second, SyncTimeout: time.Second,
	}
}

func press(m *Model, names ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, n := range names {
		var k tea.KeyPressMsg
		switch n {
		case "enter":
			k = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			k = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "down":
			k = tea.KeyPressMsg{Code: tea.KeyDown}
		case "right":
			k = tea.KeyPressMsg{Code: tea.KeyRight}
		case "space":
			k = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
		case "tab":
			k = tea.KeyPressMsg{Code: tea.KeyTab}
		case "ctrl+f":
			k = tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl}
		default:
			k = tea.KeyPressMsg{Code: []rune(n)[0], Text: n}
		}
		cmd = m.Update(k)
	}
	return cmd
}

func want(t *testing.T, m *Model, s Step) {
	t.Helper()
	if m.Step() != s {
		t.Fatalf("step %d, want %d (failure %q)", m.Step(), s, m.failure)
	}
}

func TestWizardHappyPathAndBackSteps(t *testing.T) {
	m := New(testCommon(), "")
	m.SetSize(100, 26)
	want(t, m, StepBank)
	press(m, "down", "enter")
	want(t, m, StepReview)
	if b := m.Bank(); b.ID != "mongodb-bank" {
		t.Fatalf("chose %s", b.ID)
	}
	req := m.Request()
	if len(req.Permissions) != 4 || req.ValidFor != 90*24*time.Hour || req.HistoryFrom.Format("2006-01-02") != "2025-03-15" {
		t.Fatalf("defaults: %+v", req)
	}
	press(m, "space") // row 0: add basic account details
	for range 8 {
		press(m, "down")
	}
	press(m, "right", "down", "right") // 180 days, 24 months
	req = m.Request()
	if len(req.Permissions) != 5 || req.ValidFor != 180*24*time.Hour || req.HistoryFrom.Format("2006-01-02") != "2024-03-15" {
		t.Fatalf("adjusted: %+v", req)
	}
	press(m, "esc")
	want(t, m, StepBank)
	press(m, "enter")
	if cmd := press(m, "enter"); cmd == nil || m.busy == "" {
		t.Fatal("continuing from the review starts the link")
	}
	press(m, "esc") // cancel the call under way: its answer is ignored
	if m.busy != "" {
		t.Fatal("esc did not cancel the call")
	}
	stale := m.run - 1
	m.Update(startedMsg{run: stale, session: &hub.LinkSession{}})
	want(t, m, StepReview)

	press(m, "enter")
	m.Update(startedMsg{run: m.run, err: errors.New("bank down")})
	want(t, m, StepFailed)
	press(m, "enter") // retry goes back to the review
	want(t, m, StepReview)

	press(m, "enter")
	m.Update(startedMsg{run: m.run, session: &hub.LinkSession{Bank: m.Bank(), Permissions: req.Permissions}})
	want(t, m, StepLogin)
	if !m.Capturing() {
		t.Fatal("the login form owns the keys")
	}
	press(m, "enter")
	if m.form.err == "" {
		t.Fatal("an empty user name is explained")
	}
	press(m, "ctrl+f", "tab", "tab", "enter")
	want(t, m, StepApprove)
	if c := m.form.credentials(); c.User != "alice" || c.Password != "mongodb-demo" || c.OTP != "123456" {
		t.Fatalf("demo credentials: %+v", c)
	}
	press(m, "esc")
	want(t, m, StepLogin)
	press(m, "enter")
	want(t, m, StepApprove)

	press(m, "a")
	m.Update(completedMsg{run: m.run, approve: true, err: errors.New("wrong password")})
	want(t, m, StepFailed)
	press(m, "enter")
	want(t, m, StepLogin)
	press(m, "enter")
	press(m, "a")
	m.Update(completedMsg{run: m.run, approve: true, consent: model.Consent{Status: model.ConsentAuthorised}})
	want(t, m, StepSync)
	run := m.run
	m.Update(progressMsg{run: run, p: hub.SyncProgress{Resource: "transactions", Done: 1, Total: 4, Count: 250}})
	m.Update(progressMsg{run: run - 1, p: hub.SyncProgress{Resource: "transactions", Count: 999}})
	if r := m.sync.resources[3]; r.name != "transactions" || r.count != 250 || r.total != 4 {
		t.Fatalf("progress: %+v", r)
	}
	m.Update(syncDoneMsg{run: run, reports: []hub.SyncReport{{Bank: "MongoDB Bank", Accounts: 2, Transactions: 400, New: 400}}})
	want(t, m, StepDone)
	cmd := press(m, "enter")
	if msg, ok := cmd().(common.CloseWizardMsg); !ok || msg.Linked != "MongoDB Bank" {
		t.Fatalf("done closes with the bank linked: %#v", msg)
	}
}

func TestWizardRejectAndStoppedSync(t *testing.T) {
	m := New(testCommon(), "albion-bank") // renewing: straight to the review
	want(t, m, StepReview)
	if m.Bank().ID != "albion-bank" {
		t.Fatal("wrong bank")
	}
	press(m, "enter")
	m.Update(startedMsg{run: m.run, session: &hub.LinkSession{}})
	press(m, "ctrl+f", "tab", "enter", "x")
	m.Update(completedMsg{run: m.run, approve: false, consent: model.Consent{Status: model.ConsentRejected}})
	want(t, m, StepRejected)
	press(m, "enter")
	want(t, m, StepReview)

	press(m, "enter")
	m.Update(startedMsg{run: m.run, session: &hub.LinkSession{}})
	press(m, "ctrl+f", "tab", "enter", "a")
	m.Update(completedMsg{run: m.run, approve: true, consent: model.Consent{Status: model.ConsentAuthorised}})
	want(t, m, StepSync)
	press(m, "esc")
	want(t, m, StepFailed)
	cmd := press(m, "esc") // the bank stays linked: esc closes
	if msg, ok := cmd().(common.CloseWizardMsg); !ok || msg.Linked != "Albion Bank" {
		t.Fatalf("closing after a stopped sync: %#v", msg)
	}

	// A sync that fails is explained and can be retried.
	m2 := New(testCommon(), "green-bank")
	m2.startSync()
	m2.Update(syncDoneMsg{run: m2.run, reports: []hub.SyncReport{{Bank: "Green Bank", Err: errors.New("429 too many requests")}}})
	want(t, m2, StepFailed)
	if m2.failedAt != StepSync {
		t.Fatal("retry should sync again")
	}
	press(m2, "enter")
	want(t, m2, StepSync)
}

func TestWizardNeedsSomethingToShare(t *testing.T) {
	m := New(testCommon(), "green-bank")
	for i := range m.perms {
		m.chosen[m.perms[i]] = false
	}
	cmd := press(m, "enter")
	want(t, m, StepReview)
	if msg, ok := cmd().(common.StatusMsg); !ok || msg == "" {
		t.Fatalf("an empty request is explained, got %#v", cmd())
	}
}
