package sshserver

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Rate is N events per Per, with bursts of up to N.
type Rate struct {
	N   int
	Per time.Duration
}

// String prints a Rate the way ParseRate reads it.
func (r Rate) String() string {
	if r.N <= 0 {
		return "off"
	}
	switch r.Per {
	case time.Second:
		return fmt.Sprintf("%d/s", r.N)
	case time.Minute:
		return fmt.Sprintf("%d/m", r.N)
	case time.Hour:
		return fmt.Sprintf("%d/h", r.N)
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}

// ParseRate reads "N/s", "N/m", "N/h" or "N/DURATION" (e.g. "10/30s");
// "off" or "0" turns the limit off (Rate{N: -1}).
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		return Rate{N: -1}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	if !ok {
		return Rate{}, fmt.Errorf("a rate limit reads like 30/m (connections per minute), not %q", s)
	}
	count, err := strconv.Atoi(n)
	if err != nil || count <= 0 {
		return Rate{}, fmt.Errorf("a rate limit needs a positive count before the slash, not %q", s)
	}
	var d time.Duration
	switch per {
	case "s":
		d = time.Second
	case "m":
		d = time.Minute
	case "h":
		d = time.Hour
	default:
		if d, err = time.ParseDuration(per); err != nil || d <= 0 {
			return Rate{}, fmt.Errorf("a rate limit needs s, m, h or a duration after the slash, not %q", s)
		}
	}
	return Rate{N: count, Per: d}, nil
}

// rateLimiter is a token bucket per client IP address.
type rateLimiter struct {
	perSec float64
	burst  float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the limiter's memory; full buckets are dropped first.
const maxBuckets = 10000

func newRateLimiter(r Rate) *rateLimiter {
	return &rateLimiter{
		perSec:  float64(r.N) / r.Per.Seconds(),
		burst:   float64(r.N),
		buckets: map[string]*bucket{},
	}
}

// allow takes a token from key's bucket.
func (l *rateLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.perSec)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// prune forgets buckets that have refilled (they behave like new ones); if
// that frees nothing, it forgets them all rather than grow without bound.
func (l *rateLimiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// admitConn runs before the SSH handshake: it refuses connections while
// shutting down, beyond the connection cap, or over the client's rate,
// before they cost any cryptography.
func (s *Server) admitConn(_ ssh.Context, c net.Conn) net.Conn {
	ip := remoteIP(c.RemoteAddr())
	s.mu.Lock()
	closing, full := s.closing, s.conns >= 2*s.cfg.MaxSessions
	if !closing && !full && (s.rate == nil || s.rate.allow(ip, time.Now())) {
		s.conns++
		s.mu.Unlock()
		return &countedConn{Conn: c, release: s.releaseConn}
	}
	s.mu.Unlock()
	switch {
	case closing:
	case full:
		s.log.Warn("connection refused: too many connections", "addr", ip, "max", 2*s.cfg.MaxSessions)
	default:
		s.log.Warn("connection refused: rate limit", "addr", ip, "limit", s.cfg.RateLimit.String())
	}
	return nil
}

func (s *Server) releaseConn() {
	s.mu.Lock()
	s.conns--
	s.mu.Unlock()
}

// countedConn gives its slot back when closed (the ssh package closes every
// connection it was handed, whatever happens).
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

func remoteIP(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// connFailed logs handshakes that failed (wrong key, protocol errors).
func (s *Server) connFailed(c net.Conn, err error) {
	s.log.Debug("connection failed", "addr", remoteIP(c.RemoteAddr()), "err", err)
}

// Limits on what a client may send before its session starts: the ssh
// package keeps every env request, so a client could otherwise grow a
// session's memory without bound.
const (
	maxEnvVars = 64
	maxEnvSize = 4096
)

// sessionChannel is ssh.DefaultSessionHandler with the session's requests
// passed through a filter that refuses env requests beyond the limits.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	ssh.DefaultSessionHandler(srv, conn, &limitedChannel{NewChannel: nc}, ctx)
}

type limitedChannel struct{ gossh.NewChannel }

func (c *limitedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		envs := 0
		for r := range reqs {
			if r.Type == "env" {
				envs++
				if envs > maxEnvVars || len(r.Payload) > maxEnvSize {
					if r.WantReply {
						_ = r.Reply(false, nil)
					}
					continue
				}
			}
			out <- r
		}
	}()
	return ch, out, nil
}
