package insights

import (
	"fmt"
	"time"
)

// A month index counts months since year 0 (year*12 + month-1), so month
// arithmetic across year boundaries is integer arithmetic.
type month int

func monthOf(t time.Time) month {
	t = t.UTC()
	return month(t.Year()*12 + int(t.Month()) - 1)
}

// parseMonth reads a stored MonthKey ("YYYY-MM").
func parseMonth(s string) (month, bool) {
	var y, m int
	if n, err := fmt.Sscanf(s, "%4d-%2d", &y, &m); err != nil || n != 2 || m < 1 || m > 12 || len(s) != 7 {
		return 0, false
	}
	return month(y*12 + m - 1), true
}

func (m month) String() string { return fmt.Sprintf("%04d-%02d", int(m)/12, int(m)%12+1) }

// monthsElapsed counts the whole months from since to now (0 when since is
// not before now): a loan opened on 15 March has one month elapsed on
// 15 April and still none on 14 April.
func monthsElapsed(since, now time.Time) int {
	since, now = since.UTC(), now.UTC()
	if !since.Before(now) {
		return 0
	}
	n := int(monthOf(now) - monthOf(since))
	if now.Day() < since.Day() {
		n--
	}
	return max(n, 0)
}
