// Package bars draws horizontal bar charts with Lip Gloss, sized to the
// width they are given: a label column, a bar scaled to the largest value,
// and the value itself.
package bars

import (
	"math"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/openfinance-tui/openfinance/tui/common"
)

// Item is one bar.
type Item struct {
	Label string
	Value float64
	Text  string         // the value as shown; empty = common.Amount(Value)
	Style lipgloss.Style // the bar's colour
}

// Render draws items in width cells, one line each. Negative values are
// drawn by their size. It returns "" when width is too small for any bar.
func Render(items []Item, width int, empty lipgloss.Style) string {
	if width < 12 || len(items) == 0 {
		return ""
	}
	labelW, valueW := 0, 0
	maxV := 0.0
	texts := make([]string, len(items))
	for i, it := range items {
		labelW = max(labelW, ansi.StringWidth(it.Label))
		texts[i] = it.Text
		if texts[i] == "" {
			texts[i] = common.Amount(it.Value)
		}
		valueW = max(valueW, ansi.StringWidth(texts[i]))
		if v := math.Abs(it.Value); v > maxV && !math.IsInf(v, 0) {
			maxV = v
		}
	}
	labelW = min(labelW, max(6, width/3))
	barW := width - labelW - valueW - 2
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(common.Fit(it.Label, labelW))
		b.WriteByte(' ')
		if barW >= 1 {
			n := 0
			if maxV > 0 && !math.IsNaN(it.Value) {
				n = int(math.Round(math.Abs(it.Value) / maxV * float64(barW)))
			}
			if n == 0 && it.Value != 0 {
				n = 1 // a non-zero value stays visible
			}
			n = min(n, barW)
			b.WriteString(it.Style.Render(strings.Repeat("█", n)))
			b.WriteString(empty.Render(strings.Repeat("·", barW-n)))
			b.WriteByte(' ')
		}
		b.WriteString(common.FitRight(texts[i], valueW))
	}
	return b.String()
}

// Progress draws a progress bar of width cells filled to pct (0..1).
func Progress(pct float64, width int, fill, empty lipgloss.Style) string {
	if width < 1 {
		return ""
	}
	if math.IsNaN(pct) {
		pct = 0
	}
	n := int(math.Round(math.Max(0, math.Min(1, pct)) * float64(width)))
	return fill.Render(strings.Repeat("█", n)) + empty.Render(strings.Repeat("░", width-n))
}
