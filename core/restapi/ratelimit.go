package restapi

import (
	"math"
	"net"
	"net/http"
	"sync"
	"time"
)

// limiter is a token bucket per client: perMinute requests a minute, with
// bursts of up to perMinute. Buckets that have refilled are forgotten, so
// memory follows the clients active in the last minute or so.
type limiter struct {
	perMinute int
	now       func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the map even under a flood of distinct addresses:
// past it, the oldest state is dropped by a sweep.
const maxBuckets = 100_000

func newLimiter(perMinute int, now func() time.Time) *limiter {
	return &limiter{perMinute: perMinute, now: now, buckets: map[string]*bucket{}}
}

// allow takes one token from the client's bucket. When it is empty it
// reports how long until the next token.
func (l *limiter) allow(client string) (bool, time.Duration) {
	if l == nil || l.perMinute <= 0 {
		return true, 0
	}
	now := l.now()
	rate := float64(l.perMinute) / 60 // tokens per second
	burst := float64(l.perMinute)
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute || len(l.buckets) >= maxBuckets {
		l.sweep(now, rate, burst)
	}
	b, ok := l.buckets[client]
	if !ok {
		b = &bucket{tokens: burst, last: now}
		l.buckets[client] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(burst, b.tokens+el*rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / rate * float64(time.Second))
	return false, wait
}

// sweep forgets buckets that are full again (their clients have been idle
// long enough that they would start afresh anyway); when the map is still
// at its bound, it is emptied, which only ever errs towards allowing.
func (l *limiter) sweep(now time.Time, rate, burst float64) {
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*rate >= burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		l.buckets = map[string]*bucket{}
	}
}

// clientKey identifies the client by its IP address. Forwarding headers are
// ignored on purpose: any client can set them, and a limit keyed on them
// would be no limit at all. Behind a proxy, run one limit at the proxy.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
