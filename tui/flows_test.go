package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestResyncDetailsRenewAndErase covers the rest of a linked user's day:
// r re-syncs, enter opens a loan's payoff chart and an account's bank
// fields, n renews a consent through the wizard, E erases everything.
func TestResyncDetailsRenewAndErase(t *testing.T) {
	newUser(t, "erin")
	t.Cleanup(func() { eraseLeftUsers(t, "erin") }) // if the test stopped before E did it
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
	s.press("esc", "4")
	// The list loads when the pane is first shown: a month can be chosen
	// once it is there (m before cycles through no months).
	s.waitFor("427 of 427 transactions")
	s.press("m")
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

// eraseLeftUsers erases the users named (every user but the demo ones
// when none is named) that are still stored: the tests share one store,
// and the picker's golden lists every user.
func eraseLeftUsers(t *testing.T, names ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	users, err := shared.hub.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Demo || len(names) > 0 && !slices.Contains(names, u.UserName) {
			continue
		}
		ref, err := shared.hub.User(ctx, u.UserName)
		if err == nil {
			_, err = shared.hub.EraseUser(ctx, ref)
		}
		if err != nil {
			t.Fatalf("cannot erase %s, left by another test: %v", u.UserName, err)
		}
	}
}
