// Package grid lays out fixed and flexible columns for the TUI's tables and
// renders one row at a time, so a list renders only its visible rows.
package grid

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/openfinance-tui/openfinance/tui/common"
)

// Col is a column: a title, a width (the minimum when Flex) and alignment.
type Col struct {
	Title string
	Width int
	Flex  bool // takes a share of the width left over
	Right bool
}

// Layout returns the column widths for a total width: fixed columns keep
// their width, flexible ones share what remains; columns that do not fit
// at all get width 0 (dropped from the right).
func Layout(cols []Col, total int) []int {
	w := make([]int, len(cols))
	used, flex := 0, 0
	for i, c := range cols {
		need := c.Width + 1
		if used+need > total {
			break
		}
		w[i] = c.Width
		used += need
		if c.Flex {
			flex++
		}
	}
	if flex > 0 && used < total {
		extra := (total - used) / flex
		rest := (total - used) % flex
		for i, c := range cols {
			if c.Flex && w[i] > 0 {
				w[i] += extra
				if rest > 0 {
					w[i]++
					rest--
				}
			}
		}
	}
	return w
}

// Row renders cells in the widths given, one space apart.
func Row(cols []Col, widths []int, cells []string) string {
	var b strings.Builder
	for i, c := range cols {
		if i >= len(widths) || widths[i] == 0 {
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		if c.Right {
			b.WriteString(common.FitRight(cell, widths[i]))
		} else {
			b.WriteString(common.Fit(cell, widths[i]))
		}
	}
	return b.String()
}

// Header renders the column titles in style st.
func Header(cols []Col, widths []int, st lipgloss.Style) string {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	return st.Render(Row(cols, widths, titles))
}
