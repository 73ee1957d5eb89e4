package tui

import (
	"context"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/hub"
)

func newUser(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := shared.hub.EnsureUser(ctx, name, "", "local"); err != nil {
		t.Fatal(err)
	}
}

// TestWizardLinksGreenBank walks the whole consent wizard against the
// embedded banks, as a newcomer would, and ends on the accounts it linked.
func TestWizardLinksGreenBank(t *testing.T) {
	newUser(t, "wendy")
	s := start(t, options("wendy"), goldenW, goldenH)
	s.waitFor("Welcome to openfinance, wendy")
	s.press("enter")
	s.waitFor("Choose the bank to link", "Rheinbank")
	t.Run("bank", func(t *testing.T) { s.golden(t) })
	s.press("enter")
	s.waitFor("to share, and nothing else", "For how long")
	s.press("space") // also the basic account details
	for range 8 {
		s.press("down")
	}
	s.press("right") // 180 days instead of 90
	s.waitFor("◀ 180 days ▶")
	t.Run("review", func(t *testing.T) { s.golden(t) })
	s.press("enter")
	s.waitFor("Sign in", "Demo credentials: user demo · password green-demo")
	t.Run("login", func(t *testing.T) { s.golden(t) })
	s.press("enter")
	s.waitFor("Please fill in user name")
	s.press("ctrl+f") // the demo credentials, as the hint offers
	s.press("tab")
	s.press("enter")
	s.waitFor("Consent request", "Approve")
	t.Run("approve", func(t *testing.T) { s.golden(t) })
	s.press("a")
	s.waitFor("Green Bank is linked.", "See your accounts")
	t.Run("done", func(t *testing.T) { s.golden(t) })
	s.press("enter")
	s.waitFor("Linked Green Bank.", "Checking")
	t.Run("accounts", func(t *testing.T) { s.golden(t) })
}

// TestWizardRejectAndWrongPassword shows the two ways a link ends without
// data, each explained with a way to retry.
func TestWizardRejectAndWrongPassword(t *testing.T) {
	newUser(t, "rob")
	s := start(t, options("rob"), goldenW, goldenH)
	s.waitFor("Welcome to openfinance, rob")
	s.press("enter")
	s.waitFor("Choose the bank to link")
	s.press("down", "enter") // MongoDB Bank asks for a one-time code
	s.waitFor("to share, and nothing else")
	s.press("enter")
	s.waitFor("One-time code")
	s.typeText("demo")
	s.press("tab")
	s.typeText("wrong-password")
	s.press("tab")
	s.typeText("123456")
	s.press("enter")
	s.waitFor("Consent request")
	s.press("a")
	s.waitFor("did not let you in", "try again")
	s.press("enter") // retry: back to the login, fields kept
	s.waitFor("One-time code")
	s.press("esc") // and back again to the review
	s.waitFor("to share, and nothing else")
	s.press("enter")
	s.waitFor("One-time code")
	s.press("ctrl+f", "tab", "tab", "enter")
	s.waitFor("Consent request")
	s.press("x")
	s.waitFor("You rejected the consent", "review the request again")
	t.Run("rejected", func(t *testing.T) { s.golden(t) })
	s.press("esc")
	s.waitFor("Choose the bank to link")
	s.press("esc")
	s.waitFor("1 Overview")
}

// TestRevokeWithConfirmation revokes a consent from the Consents pane: the
// dialog says exactly what will be erased, and the data is gone after.
func TestRevokeWithConfirmation(t *testing.T) {
	newUser(t, "rita")
	link(t, "rita", "green-bank")
	s := start(t, options("rita"), goldenW, goldenH)
	s.waitFor("Net worth")
	s.press("6")
	s.waitFor("Active", "may share")
	t.Run("consents", func(t *testing.T) { s.golden(t) })
	s.press("d")
	s.waitFor("Revoke your consent at Green Bank?", "transactions")
	t.Run("confirm", func(t *testing.T) { s.golden(t) })
	s.press("n")
	s.waitGone("Revoke your consent at Green Bank?")
	s.press("d")
	s.waitFor("Revoke your consent at Green Bank?")
	s.press("y")
	s.waitFor("Revoked Green Bank: erased", "○ Revoked")
	t.Run("revoked", func(t *testing.T) { s.golden(t) })
	s.press("2")
	s.waitFor("0 accounts", "No accounts yet")
}

// link links a bank for a user through the hub, as the wizard does.
func link(t *testing.T, user, bankID string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	h := shared.hub
	u, err := h.User(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Bank(bankID)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := h.StartLink(ctx, u, hub.LinkRequest{BankID: bankID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CompleteLink(ctx, ls, b.DemoCredentials(user), true); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Sync(ctx, u, bankID, nil); err != nil {
		t.Fatal(err)
	}
}
