package bench

import (
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// median of the samples (0 for none).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// heapInUse is the live heap and the goroutine stacks after two
// collections, as the SSH server's own memory benchmark counts them.
func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// procStatus reads a "VmXXX:  N kB" line of /proc/self/status, in bytes
// (0 where there is no /proc).
func procStatus(field string) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, field+":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}

// peakRSS is the process's high-water resident set size.
func peakRSS() uint64 {
	if v := procStatus("VmHWM"); v > 0 {
		return v
	}
	return maxRSS()
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

// repeatBudget is how long a measurement may take before it stops being
// repeated: a few runs where cheap, one where a run alone takes long.
const repeatBudget = 10 * time.Second

// repeat runs fn up to runs times, fewer once repeatBudget is spent
// (always once).
func repeat(runs int, fn func() error) error {
	t0 := time.Now()
	for i := 0; i < runs; i++ {
		if i > 0 && time.Since(t0) > repeatBudget {
			return nil
		}
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}
