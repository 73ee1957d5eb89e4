// Package chart wraps asciigraph for the TUI: it always passes a width and
// height (asciigraph draws one column per point otherwise), guards empty,
// single-point and NaN series, and crops the result to the area given.
package chart

import (
	"math"
	"strconv"
	"strings"

	"github.com/guptarohit/asciigraph"

	"github.com/openfinance-tui/openfinance/tui/common"
)

// Series is one line of a chart.
type Series struct {
	Values []float64
	Color  asciigraph.AnsiColor // 0 = the terminal's default colour
}

// Line plots one series in a width×height area; caption goes underneath.
func Line(values []float64, width, height int, caption string) string {
	return Lines([]Series{{Values: values}}, width, height, caption)
}

// Lines plots several series (of equal length) in a width×height area.
func Lines(series []Series, width, height int, caption string) string {
	if width < 16 || height < 3 {
		return ""
	}
	var data [][]float64
	var colors []asciigraph.AnsiColor
	colored := false
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		if len(s.Values) == 0 {
			continue
		}
		v := clean(s.Values)
		for _, x := range v {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		data = append(data, v)
		colors = append(colors, s.Color)
		colored = colored || s.Color != 0
	}
	if len(data) == 0 {
		return common.Center("no data yet", width, height)
	}
	plotH := height - 1 // the bottom axis line
	if caption != "" {
		plotH--
	}
	labelW := max(len(label(lo)), len(label(hi)))
	plotW := width - labelW - 3
	if plotW < 4 || plotH < 1 {
		return ""
	}
	opts := []asciigraph.Option{asciigraph.Width(plotW), asciigraph.Height(plotH), asciigraph.Precision(0)}
	if caption != "" {
		opts = append(opts, asciigraph.Caption(caption))
	}
	if colored {
		opts = append(opts, asciigraph.SeriesColors(colors...))
	}
	out := asciigraph.PlotMany(data, opts...)
	return common.Frame(strings.TrimRight(out, "\n"), width, height)
}

// clean replaces NaN and infinities with 0 and repeats a single point, so
// asciigraph always has a line to draw.
func clean(v []float64) []float64 {
	out := make([]float64, 0, max(len(v), 2))
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			x = 0
		}
		out = append(out, x)
	}
	if len(out) == 1 {
		out = append(out, out[0])
	}
	return out
}

func label(v float64) string {
	if math.IsInf(v, 0) {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}
