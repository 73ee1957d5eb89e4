package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

const goldenW, goldenH = 100, 30

func TestPicker(t *testing.T) {
	// The golden lists the demo users: users another test left behind (it
	// failed before erasing them, or ran first under -shuffle) go first.
	eraseLeftUsers(t)
	s := start(t, options(""), goldenW, goldenH)
	s.waitFor("Who are you?", "alice", "dmitri")
	s.golden(t)
}

func TestPickerCreatesUserAndWelcomes(t *testing.T) {
	s := start(t, options(""), goldenW, goldenH)
	s.waitFor("dmitri")
	s.press("n")
	s.waitFor("Create a user")
	s.typeText("x") // too short: explained, nothing created
	s.press("enter")
	s.waitFor("2 to 40 characters")
	s.typeText("ena")
	s.press("enter")
	s.waitFor("Welcome to openfinance, xena", "Link a bank")
	s.golden(t)
}

func TestPanes(t *testing.T) {
	s := start(t, options("alice"), goldenW, goldenH)
	s.waitFor("Net worth", "Green Bank")
	for _, p := range []struct {
		key, name string
		want      []string
	}{
		{"1", "overview", []string{"Total debt", "Last sync"}},
		{"2", "accounts", []string{"3 accounts", "••••0001"}},
		{"3", "loans", []string{"loans and mortgages", "Mortgage"}},
		{"4", "transactions", []string{"transactions"}},
		{"5", "insights", []string{"Net worth over time", "Recurring payments"}},
		{"6", "consents", []string{"consents"}},
		{"7", "activity", []string{"events"}},
	} {
		t.Run(p.name, func(t *testing.T) {
			s.press(p.key)
			s.waitFor(p.want...)
			s.golden(t)
		})
	}
}

func TestFullHelp(t *testing.T) {
	s := start(t, options("alice"), goldenW, goldenH)
	s.waitFor("Net worth")
	s.press("?")
	s.waitFor("quit", "next pane", "esc or ? closes this help")
	s.golden(t)
	s.press("esc")
	s.waitGone("closes this help")
}

func TestResize(t *testing.T) {
	s := start(t, options("alice"), goldenW, goldenH)
	s.waitFor("Net worth")
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {20, 5}} {
		s.resize(sz[0], sz[1])
		time.Sleep(50 * time.Millisecond)
	}
	s.waitFor("Terminal")
	t.Run("tiny", func(t *testing.T) { s.golden(t) })
	s.resize(500, 200)
	s.waitFor("Net worth", "7 Activity")
	t.Run("huge", func(t *testing.T) { s.golden(t) })
	s.resize(60, 20)
	s.waitFor("Net worth")
	t.Run("minimum", func(t *testing.T) { s.golden(t) })
}

func TestQuitExitsCleanly(t *testing.T) {
	s := start(t, options("alice"), goldenW, goldenH)
	s.waitFor("Net worth")
	s.press("2", "/") // q typed into a filter is text, not quit
	s.typeText("q")
	s.waitFor("/ q")
	s.press("esc", "q")
	m := s.tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if m.User().UserName != "alice" {
		t.Fatalf("final model is signed in as %q", m.User().UserName)
	}
}

// TestTinySizesDoNotPanic renders the root directly at sizes a terminal can
// report, before and after sign-in.
func TestTinySizesDoNotPanic(t *testing.T) {
	m := New(options(""))
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {2, 1}, {20, 5}, {59, 19}, {60, 20}, {500, 200}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		v := m.View().Content
		if n := strings.Count(v, "\n") + 1; sz[1] > 0 && n > sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], n)
		}
		if sz[0] >= 20 && sz[0] < minWidth && !strings.Contains(v, "too") {
			t.Errorf("%dx%d: no 'too small' note:\n%s", sz[0], sz[1], v)
		}
	}
}
