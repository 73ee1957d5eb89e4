package common

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Money formats an amount with thousands separators and two decimals,
// followed by the currency: "-12,345.67 USD".
func Money(v float64, currency string) string {
	s := Amount(v)
	if currency != "" {
		s += " " + currency
	}
	return s
}

// Amount formats a number with thousands separators and two decimals.
func Amount(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	neg := v < 0
	if neg {
		v = -v
	}
	cents := int64(math.Round(v * 100))
	whole, frac := cents/100, cents%100
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	if neg && cents != 0 {
		b.WriteByte('-')
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	fmt.Fprintf(&b, ".%02d", frac)
	return b.String()
}

// Compact formats a large amount briefly: 1.2k, 3.4M.
func Compact(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// Mask hides all but the last four characters of an account number.
func Mask(id string) string {
	if len(id) <= 4 {
		return id
	}
	return "••••" + id[len(id)-4:]
}

// Until says how long until t, briefly: "in 89 days", "in 5 h", "expired".
func Until(now, t time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "expired"
	case d >= 48*time.Hour:
		return fmt.Sprintf("in %d days", int(d.Hours()/24))
	case d >= time.Hour:
		return fmt.Sprintf("in %d h", int(d.Hours()))
	}
	return fmt.Sprintf("in %d min", int(math.Ceil(d.Minutes())))
}

// Ago says how long ago t was, briefly.
func Ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

// Fit pads or truncates s (which may hold ANSI styles) to exactly w cells.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}

// FitRight is Fit aligned to the right.
func FitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}

// Frame crops or pads a block of text to exactly w×h cells, so a pane can
// never spill over the layout whatever its content.
func Frame(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(Fit(lines[i], w))
		} else {
			b.WriteString(strings.Repeat(" ", w))
		}
	}
	return b.String()
}

// Center places s in the middle of a w×h area.
func Center(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	return Frame(lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, s), w, h)
}

// Clamp keeps v within [lo, hi] (lo wins when hi < lo).
func Clamp(v, lo, hi int) int {
	if v > hi {
		v = hi
	}
	if v < lo {
		v = lo
	}
	return v
}

// Loading is what a pane shows before its first data arrives.
func (c *Common) Loading(w, h int) string {
	return Center(c.Styles.Muted.Render("Loading…"), w, h)
}

// Failed is what a pane shows when its data could not be read; the error
// itself is in the root's error slot.
func (c *Common) Failed(w, h int, what string) string {
	return Center(c.Styles.Muted.Render("Could not load "+what+". Press r to sync and try again."), w, h)
}

// Count formats a whole number with thousands separators.
func Count(n int) string {
	s := Amount(float64(n))
	return s[:len(s)-3]
}

// Squeeze drops the blank lines of s when it has more than h lines, so a
// form keeps its last line (the action) on small terminals.
func Squeeze(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= h {
		return s
	}
	kept := lines[:0]
	for _, l := range lines {
		if strings.TrimSpace(ansi.Strip(l)) != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}
