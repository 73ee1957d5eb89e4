package tui

import (
	"strings"
	"testing"
)

// TestResyncDetailsRenewAndErase covers the rest of a linked user's day:
// r re-syncs, enter opens a loan's payoff chart and an account's bank
// fields, n renews a consent through the wizard, E erases everything.
func TestResyncDetailsRenewAndErase(t *testing.T) {
	newUser(t, "erin")
	link(t, "erin", "green-bank")
	s := start(t, options("erin"), goldenW, goldenH)
	s.waitFor("Net worth", "ok just now")
	t.Run("overview", func(t *testing.T) { s.golden(t) })
	s.press("r")
	s.waitFor("Synced 1 bank: 427 transactions, 0 new.")

	s.press("3")
	s.waitFor("loans and mortgages")
	s.press("enter")
	s.waitFor("remaining balance, month by month")
	t.Run("payoff", func(t *testing.T) { s.golden(t) })
	s.press("esc", "2")
	s.waitFor("2 accounts")
	s.press("enter")
	s.waitFor("Bank-specific fields")
	t.Run("account", func(t *testing.T) { s.golden(t) })
	s.press("esc", "4", "m")
	s.waitFor("m month: 2026-03")
	t.Run("transactions-march", func(t *testing.T) { s.golden(t) })

	s.press("5")
	s.waitFor("Spending by category in 2026-03", "Recurring payments")
	s.press("[")
	s.waitFor("Spending by category in 2026-02")
	t.Run("insights-february", func(t *testing.T) { s.golden(t) })

	s.press("6")
	s.waitFor("● Active")
	s.press("n")
	s.waitFor("to share, and nothing else", "Continue to Green Bank")
	s.press("esc", "esc")
	s.waitFor("1 Overview")

	s.press("E")
	s.waitFor("Erase all your data?", "user profile")
	t.Run("erase", func(t *testing.T) { s.golden(t) })
	s.press("y")
	s.waitFor("Who are you?", "Erased every trace of erin: 2 accounts")
	if txt := s.text(); strings.Contains(txt, "  erin ") {
		t.Fatalf("erin is still listed:\n%s", txt)
	}
}
