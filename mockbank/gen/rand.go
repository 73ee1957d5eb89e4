package gen

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
)

// key hashes a seed and names into a 64-bit key (FNV-1a, then mixed).
func key(seed int64, parts ...string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(strconv.FormatInt(seed, 10)))
	for _, p := range parts {
		_, _ = h.Write([]byte{0})
		_, _ = h.Write([]byte(p))
	}
	return mix(h.Sum64())
}

// mix is the splitmix64 finalizer: nearby inputs give unrelated outputs.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// newRand is a random source for a key.
func newRand(k uint64) *rand.Rand {
	return rand.New(rand.NewPCG(k, mix(k^0x5851f42d4c957f2d)))
}

// between draws uniformly in [lo, hi).
func between(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// skewed draws in [lo, hi) with small values more likely (as purchases are).
func skewed(r *rand.Rand, lo, hi float64) float64 {
	u := r.Float64()
	return lo + (hi-lo)*u*u
}

// roundTo rounds v to a multiple of step.
func roundTo(v, step float64) float64 { return math.Round(v/step) * step }

// uniform draws in [0, 1) straight from a PCG (as rand.Rand.Float64 does).
func uniform(src *rand.PCG) float64 { return float64(src.Uint64()<<11>>11) / (1 << 53) }

// poisson draws a Poisson count with mean lambda from src (a normal
// approximation above 30). It reads the source directly, so that counting
// a day's transactions costs no allocation.
func poisson(src *rand.PCG, lambda float64) int {
	switch {
	case lambda <= 0:
		return 0
	case lambda > 30:
		u1, u2 := uniform(src), uniform(src)
		z := math.Sqrt(-2*math.Log(1-u1)) * math.Cos(2*math.Pi*u2)
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*z)))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= uniform(src)
		if p <= l {
			return k
		}
		k++
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
