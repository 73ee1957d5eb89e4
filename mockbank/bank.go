package mockbank

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// kind is what a request is counted as.
type kind int

const (
	kindAuthorization kind = iota
	kindToken
	kindConsent
	kindData
	kindOther
	numKinds
)

// bank is one emulated bank: its authorization state, data cache, faults
// and counters, and the routes of its API style.
type bank struct {
	s     *Server
	info  Info
	store *authz.Store
	mux   *http.ServeMux
	data  *dataCache
	count [numKinds]atomic.Int64

	mu     sync.Mutex // guards f, rng and rate
	f      Faults
	rng    *rand.Rand
	rate   map[string]*window
	rateAt int64
}

// window counts one token's requests in one second.
type window struct {
	sec int64
	n   int
}

func newBank(s *Server, info Info, st *authz.Store) *bank {
	seed := uint64(s.opts.Seed)
	for _, c := range info.ID {
		seed = seed*31 + uint64(c)
	}
	b := &bank{s: s, info: info, store: st, mux: http.NewServeMux(), data: newDataCache(),
		rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), rate: map[string]*window{}}
	b.handle("GET /.well-known/oauth-authorization-server", kindOther, b.metadata)
	b.handle("GET /oauth/authorize", kindAuthorization, b.authorizeGet)
	b.handle("POST /oauth/authorize", kindAuthorization, b.authorizePost)
	b.handle("POST /oauth/token", kindToken, b.token)
	b.handle("POST /oauth/revoke", kindToken, b.revoke)
	switch info.Style {
	case banks.StyleUKOB:
		b.ukobRoutes()
	case banks.StyleBerlinGroup:
		b.berlinRoutes()
	default:
		b.originalRoutes()
	}
	// Only GET falls through to a JSON 404, so that another method on a
	// known path still gets the mux's 405.
	b.handle("GET /", kindOther, func(w http.ResponseWriter, r *http.Request) {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such resource at "+b.info.Name)
	})
	return b
}

// handle registers a route that is counted, delayed by the latency fault
// and logged (method, path and status only: queries and bodies may carry
// codes and tokens).
func (b *bank) handle(pattern string, k kind, h http.HandlerFunc) {
	b.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		b.count[k].Add(1)
		if d := b.faults().Latency; d > 0 {
			if !sleep(r.Context(), d) {
				return
			}
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h(sw, r)
		b.s.opts.Logger.Debug("request", "bank", b.info.ID, "method", r.Method, "path", r.URL.Path, "status", sw.status)
	})
}

// statusWriter remembers the status of an answer for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (b *bank) stats() Stats {
	return Stats{
		Authorization: int(b.count[kindAuthorization].Load()),
		Token:         int(b.count[kindToken].Load()),
		Consent:       int(b.count[kindConsent].Load()),
		Data:          int(b.count[kindData].Load()),
		Other:         int(b.count[kindOther].Load()),
	}
}

func (b *bank) faults() Faults {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.f
}

func (b *bank) setFaults(f Faults) {
	b.mu.Lock()
	b.f = f
	b.mu.Unlock()
}

// roll draws true with probability p from the bank's fault source.
func (b *bank) roll(p float64) bool {
	if p <= 0 {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rng.Float64() < p
}

// throttled counts a request of a token and reports whether it is over
// the rate limit, with the Retry-After to announce.
func (b *bank) throttled(tokenKey string) (bool, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	limit := b.f.RateLimit
	if limit <= 0 {
		return false, 0
	}
	retry := b.f.RetryAfter
	if retry <= 0 {
		retry = 1
	}
	sec := b.s.opts.Now().Unix()
	if sec != b.rateAt {
		clear(b.rate) // a new second: old windows are over
		b.rateAt = sec
	}
	w, ok := b.rate[tokenKey]
	if !ok {
		w = &window{sec: sec}
		b.rate[tokenKey] = w
	}
	w.n++
	return w.n > limit, retry
}

// accessTTL is the lifetime of new access tokens.
func (b *bank) accessTTL() time.Duration {
	if ttl := b.faults().TokenTTL; ttl > 0 {
		return ttl
	}
	return authz.AccessTTL
}

// base is the bank's base URL: the server's root, or (when the handler
// is served without SetRoot) the request's own host.
func (b *bank) base(r *http.Request) string {
	root := b.s.URL()
	if root == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		root = scheme + "://" + r.Host
	}
	return root + "/" + b.info.ID
}

// customer is a customer as the bank serves them today.
func (b *bank) customer(login string) (*gen.Customer, error) {
	now := b.s.opts.Now()
	return b.data.customer(gen.NormalizeLogin(login), gen.Day(now), func() (*gen.Customer, error) {
		return gen.NewCustomer(b.s.opts.Seed, b.info.ID, login, now, b.s.opts.Size)
	})
}

// transactions is an account's whole history today, newest first (shared:
// callers must not modify it).
func (b *bank) transactions(c *gen.Customer, accountID string) []gen.Transaction {
	return b.data.transactions(c, accountID)
}

// clientAuth checks HTTP Basic client authentication (client_secret_basic;
// RFC 6749 §2.3.1 form-encodes both parts).
func clientAuth(r *http.Request) bool {
	u, p, ok := r.BasicAuth()
	if !ok {
		return false
	}
	u, p = formUnescape(u), formUnescape(p)
	idOK := authz.Equal(u, ClientID)
	secretOK := authz.Equal(p, ClientSecret)
	return idOK && secretOK
}

func formUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	out, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return out
}
