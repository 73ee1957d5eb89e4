package tui

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// One seeded store and one set of emulated banks per test binary: opening
// the embedded database is the slow part, and tests use different users
// when they change data.
var shared struct {
	hub *hub.Hub
	err error
}

// clock is the fixed time of every test: goldens do not move with the date.
var clock = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return clock }

func TestMain(m *testing.M) {
	flag.Parse()
	time.Local = time.UTC // timestamps in goldens
	code := func() int {
		dir, err := os.MkdirTemp("", "tui-test-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		a, err := app.Open(ctx, app.Config{DataDir: dir})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer func() { _ = a.Close(context.Background()) }()
		srv, err := mockbank.Start(ctx, "127.0.0.1:0", mockbank.Options{Now: fixedNow})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer func() { _ = srv.Close(context.Background()) }()
		shared.hub = hub.New(a, srv.Directory(), hub.Options{Now: fixedNow})
		if _, err := shared.hub.SeedIfEmpty(ctx); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// screen runs one program under teatest and mirrors its output into a
// terminal emulator, so tests assert on what a person would see.
type screen struct {
	t    testing.TB
	tm   *teatest.TestModel
	emu  *vt.Emulator
	w, h int
}

func options(user string) Options {
	return Options{Hub: shared.hub, User: user, HasDarkBackground: true, Timeout: time.Minute, SyncTimeout: 2 * time.Minute}
}

func start(t testing.TB, o Options, w, h int) *screen {
	t.Helper()
	tm := teatest.NewTestModel(t, New(o),
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	emu := vt.NewEmulator(w, h)
	go func() { _, _ = io.Copy(io.Discard, emu) }() // answers to queries nobody reads
	s := &screen{t: t, tm: tm, emu: emu, w: w, h: h}
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
		// Closing the input pipe ends the reader above (emu.Close would race with it).
		_ = emu.InputPipe().(io.Closer).Close()
	})
	return s
}

// pump copies what the program wrote so far into the emulator. A real
// terminal's line discipline turns \n into \r\n (the renderer counts on
// it, as the output is not put in raw mode); the emulator does not, so
// pump does.
func (s *screen) pump() {
	b, _ := io.ReadAll(s.tm.Output())
	if len(b) > 0 {
		_, _ = s.emu.Write(bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")))
	}
}

// text is the screen as plain text, trailing blanks trimmed.
func (s *screen) text() string {
	s.pump()
	lines := strings.Split(s.emu.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
}

// waitFor waits until the screen shows every one of want, and returns it.
func (s *screen) waitFor(want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		txt := s.text()
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(txt, w)
		}
		if ok {
			return txt
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; last screen:\n%s", want, txt)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitGone waits until the screen no longer shows s.
func (s *screen) waitGone(gone string) string {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		txt := s.text()
		if !strings.Contains(txt, gone) {
			return txt
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen kept showing %q:\n%s", gone, txt)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// settle waits until the screen has not changed for a quarter of a second
// (the last frame is drawn), then returns it.
func (s *screen) settle() string {
	prev, same := s.text(), 0
	for i := 0; i < 200 && same < 5; i++ {
		time.Sleep(50 * time.Millisecond)
		cur := s.text()
		if cur == prev {
			same++
		} else {
			prev, same = cur, 0
		}
	}
	return prev
}

// press sends keys by name ("enter", "esc", "tab", "ctrl+f", or a single
// character).
func (s *screen) press(names ...string) {
	for _, n := range names {
		s.tm.Send(keyMsg(n))
	}
}

// typeText types text one key at a time.
func (s *screen) typeText(txt string) { s.tm.Type(txt) }

func (s *screen) resize(w, h int) {
	s.settle() // frames drawn for the old size go to the old-size emulator
	s.w, s.h = w, h
	s.emu.Resize(max(w, 1), max(h, 1))
	s.tm.Send(tea.WindowSizeMsg{Width: w, Height: h})
}

// golden compares the settled screen with testdata/<test name>.golden.
func (s *screen) golden(t *testing.T) {
	t.Helper()
	golden.RequireEqual(t, []byte(s.settle()))
}

func keyMsg(n string) tea.KeyPressMsg {
	switch n {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+f":
		return tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl}
	case "ctrl+x":
		return tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl}
	}
	r := []rune(n)[0]
	return tea.KeyPressMsg{Code: r, Text: n}
}
