// Package styles holds every Lip Gloss style of the TUI, built once per
// program from a palette chosen for the terminal's background. Nothing here
// is package-level state: each SSH session builds its own Styles.
package styles

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Palette is the handful of colours the styles derive from.
type Palette struct {
	Fg, Muted, Subtle, Accent, AccentFg, Good, Bad, Warn, Border, Bar, BarDebt color.Color
}

// NewPalette picks colours that read well on a dark or a light background.
func NewPalette(dark bool) Palette {
	ld := lipgloss.LightDark(dark)
	c := lipgloss.Color
	return Palette{
		Fg:       ld(c("#1A1A1A"), c("#E8E8E8")),
		Muted:    ld(c("#6B6B6B"), c("#9A9A9A")),
		Subtle:   ld(c("#B8B8B8"), c("#4A4A4A")),
		Accent:   ld(c("#5A3FD1"), c("#8F7CFF")),
		AccentFg: c("#FFFFFF"),
		Good:     ld(c("#1E7B45"), c("#4CD685")),
		Bad:      ld(c("#B3261E"), c("#FF6B6B")),
		Warn:     ld(c("#946200"), c("#F2C14E")),
		Border:   ld(c("#C9C9C9"), c("#3A3A3A")),
		Bar:      ld(c("#3E7BD6"), c("#5FA8FF")),
		BarDebt:  ld(c("#C2552B"), c("#FF8F5E")),
	}
}

// Styles are the TUI's styles. Panes read them through common.Common.
type Styles struct {
	Dark    bool
	Palette Palette

	App, Header, Brand, User lipgloss.Style
	Tab, ActiveTab, TabSep   lipgloss.Style
	Title, Subtitle          lipgloss.Style
	Text, Muted, Faint, Bold lipgloss.Style
	Good, Bad, Warn          lipgloss.Style
	Selected, Cursor         lipgloss.Style
	TableHeader              lipgloss.Style
	Box, FocusBox            lipgloss.Style
	Error, ErrorTitle        lipgloss.Style
	Status                   lipgloss.Style
	Button, ActiveButton     lipgloss.Style
	Key                      lipgloss.Style
	Bar, BarDebt, BarEmpty   lipgloss.Style
	Help                     help.Styles

	// badges caches rendered bank badges: lists draw one per row per frame.
	// Only the program's own goroutine renders, so no lock is needed.
	badges map[string]string
}

// New builds the styles for a dark or light background.
func New(dark bool) *Styles {
	p := NewPalette(dark)
	n := lipgloss.NewStyle
	s := &Styles{Dark: dark, Palette: p, badges: map[string]string{}}
	s.App = n()
	s.Header = n().Foreground(p.Fg)
	s.Brand = n().Bold(true).Foreground(p.Accent)
	s.User = n().Foreground(p.Muted)
	s.Tab = n().Foreground(p.Muted).Padding(0, 1)
	s.ActiveTab = n().Bold(true).Foreground(p.AccentFg).Background(p.Accent).Padding(0, 1)
	s.TabSep = n().Foreground(p.Subtle)
	s.Title = n().Bold(true).Foreground(p.Accent)
	s.Subtitle = n().Bold(true).Foreground(p.Fg)
	s.Text = n().Foreground(p.Fg)
	s.Muted = n().Foreground(p.Muted)
	s.Faint = n().Foreground(p.Subtle)
	s.Bold = n().Bold(true)
	s.Good = n().Foreground(p.Good)
	s.Bad = n().Foreground(p.Bad)
	s.Warn = n().Foreground(p.Warn)
	// Reverse keeps the selection visible when colours are stripped (NO_COLOR).
	s.Selected = n().Reverse(true)
	s.Cursor = n().Foreground(p.Accent).Bold(true)
	s.TableHeader = n().Bold(true).Foreground(p.Muted)
	s.Box = n().Border(lipgloss.RoundedBorder()).BorderForeground(p.Border).Padding(0, 1)
	s.FocusBox = s.Box.BorderForeground(p.Accent)
	s.Error = n().Foreground(p.Bad)
	s.ErrorTitle = n().Bold(true).Foreground(p.Bad)
	s.Status = n().Foreground(p.Muted)
	s.Button = n().Padding(0, 1).Foreground(p.Fg).Border(lipgloss.NormalBorder(), false, false, false, false)
	s.ActiveButton = n().Padding(0, 1).Bold(true).Reverse(true)
	s.Key = n().Bold(true).Foreground(p.Accent)
	s.Bar = n().Foreground(p.Bar)
	s.BarDebt = n().Foreground(p.BarDebt)
	s.BarEmpty = n().Foreground(p.Subtle)
	s.Help = help.DefaultStyles(dark)
	return s
}

// Badge renders a bank's name on its brand colour, with a text colour that
// stays readable on it.
func (s *Styles) Badge(name, hex string) string {
	k := name + "\x00" + hex
	if b, ok := s.badges[k]; ok {
		return b
	}
	b := s.badge(name, hex)
	if s.badges != nil && len(s.badges) < 256 {
		s.badges[k] = b
	}
	return b
}

func (s *Styles) badge(name, hex string) string {
	if hex == "" {
		return s.Bold.Render(name)
	}
	bg := lipgloss.Color(hex)
	fg := lipgloss.Color("#FFFFFF")
	if !isDark(hex) {
		fg = lipgloss.Color("#000000")
	}
	return lipgloss.NewStyle().Background(bg).Foreground(fg).Bold(true).Padding(0, 1).Render(name)
}

// Swatch renders a small block in a bank's colour (for bars and lists).
func (s *Styles) Swatch(hex string) lipgloss.Style {
	if hex == "" {
		return s.Bar
	}
	return lipgloss.NewStyle().Foreground(lipgloss.Color(hex))
}

// isDark reports whether a #RRGGBB colour is dark enough for white text.
func isDark(hex string) bool {
	if len(hex) != 7 || hex[0] != '#' {
		return true
	}
	v := func(i int) int {
		h := func(b byte) int {
			switch {
			case b >= '0' && b <= '9':
				return int(b - '0')
			case b >= 'a' && b <= 'f':
				return int(b-'a') + 10
			case b >= 'A' && b <= 'F':
				return int(b-'A') + 10
			}
			return 0
		}
		return h(hex[i])*16 + h(hex[i+1])
	}
	r, g, b := v(1), v(3), v(5)
	return (299*r+587*g+114*b)/1000 < 150
}
