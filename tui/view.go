package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/openfinance-tui/openfinance/tui/common"
)

// View implements tea.Model.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "openfinance"
	return v
}

// render lays the screen out; it never writes outside w×h.
func (m *Model) render() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	if m.tooSmall() {
		note := fmt.Sprintf("Terminal too small (%d×%d): openfinance needs %d×%d. Enlarge the window, or press q to quit.",
			m.w, m.h, minWidth, minHeight)
		return common.Frame(wrap(note, m.w), m.w, m.h)
	}
	bh := m.h - headerHeight - footerHeight
	var body string
	if m.showHelp {
		body = m.fullHelp(bh)
	} else {
		body = m.current().View()
	}
	parts := []string{m.header(), common.Frame(body, m.w, bh), m.statusLine(), m.shortHelp()}
	return common.Frame(strings.Join(parts, "\n"), m.w, m.h)
}

func (m *Model) header() string {
	st := m.c.Styles
	left := st.Brand.Render("openfinance")
	if m.c.User.UserName != "" {
		left += st.User.Render("  " + m.c.User.UserName)
	}
	if m.syncing {
		left += "  " + st.Warn.Render("⟳ syncing")
	}
	second := ""
	switch m.state {
	case stateDashboard:
		second = m.tabBar.View
	case stateWizard:
		second = st.Muted.Render("Linking a bank · esc goes back a step")
	case stateWelcome:
		second = st.Muted.Render("Getting started")
	default:
		second = st.Muted.Render("Sign in")
	}
	return common.Fit(left, m.w) + "\n" + common.Fit(second, m.w)
}

// shortHelp is the help line: the current keys, cut to fit, and always
// "? help" and "q quit" at the end.
func (m *Model) shortHelp() string {
	km := m.c.Keys
	always := []key.Binding{km.Help, km.Quit}
	if m.capturing() {
		always = []key.Binding{km.ForceQuit}
	}
	tail := m.help.ShortHelpView(always)
	h := m.help
	h.SetWidth(max(m.w-lipgloss.Width(tail)-3, 0))
	head := h.ShortHelpView(m.current().ShortHelp())
	if m.state == stateDashboard && !m.capturing() {
		head = h.ShortHelpView(append(m.current().ShortHelp(), km.NextPane, km.GoPane, km.Sync))
	}
	if head == "" {
		return common.Fit(tail, m.w)
	}
	return common.Fit(head+m.help.Styles.ShortSeparator.Render(" • ")+tail, m.w)
}

func (m *Model) statusLine() string {
	st := m.c.Styles
	if m.errMsg != nil {
		return common.Fit(st.ErrorTitle.Render("✗ ")+st.Error.Render(common.Sentence(m.errMsg.Err))+st.Muted.Render("  (esc dismisses)"), m.w)
	}
	return common.Fit(st.Status.Render(m.status), m.w)
}

func (m *Model) fullHelp(h int) string {
	st := m.c.Styles
	out := st.Title.Render("Keys") + st.Muted.Render("  (esc or ? closes this help; q quits)") + "\n\n" +
		m.help.FullHelpView(m.FullHelp()) + "\n\n" +
		st.Muted.Render("Mouse: click a tab to open it; the wheel scrolls lists.")
	return common.Frame(out, m.w, h)
}

// wrap folds plain text to width w on spaces.
func wrap(s string, w int) string {
	if w < 1 {
		return ""
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) <= w:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return strings.Join(append(lines, line), "\n")
}
