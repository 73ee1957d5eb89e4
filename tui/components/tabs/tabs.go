// Package tabs draws the pane bar and tells which tab a mouse click hit.
package tabs

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/openfinance-tui/openfinance/tui/styles"
)

// Bar is a rendered tab bar and where each tab sits.
type Bar struct {
	View   string
	starts []int // x of each tab's first cell
	ends   []int // x one past each tab's last cell
}

// Render draws titles with active highlighted in at most width cells. It
// drops to short titles, then to numbers (the active title kept), when the
// full bar does not fit.
func Render(st *styles.Styles, titles []string, active, width int) Bar {
	for _, mode := range []int{0, 1, 2} {
		b := render(st, titles, active, mode)
		if ansi.StringWidth(b.View) <= width || mode == 2 {
			if ansi.StringWidth(b.View) > width {
				b.View = ansi.Truncate(b.View, max(width, 0), "")
			}
			return b
		}
	}
	return Bar{}
}

func render(st *styles.Styles, titles []string, active, mode int) Bar {
	var b strings.Builder
	var bar Bar
	x := 0
	for i, t := range titles {
		label := strconv.Itoa(i+1) + " " + t
		switch {
		case mode == 1 && len(t) > 5 && i != active:
			label = strconv.Itoa(i+1) + " " + t[:4] + "."
		case mode == 2 && i != active:
			label = strconv.Itoa(i + 1)
		}
		s := st.Tab
		if i == active {
			s = st.ActiveTab
		}
		r := s.Render(label)
		bar.starts = append(bar.starts, x)
		b.WriteString(r)
		x += ansi.StringWidth(r)
		bar.ends = append(bar.ends, x)
	}
	bar.View = b.String()
	return bar
}

// Hit returns the tab at column x, or -1.
func (b Bar) Hit(x int) int {
	for i := range b.starts {
		if x >= b.starts[i] && x < b.ends[i] {
			return i
		}
	}
	return -1
}
