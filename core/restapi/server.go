// Package restapi serves the REST API of MongoDB's Open Finance demo service
// (the FastAPI backend its web UI, leafy-bank-ui, calls on port 8003) over
// openfinance's store, so that UI and scripts written for that service keep
// working. It is a front end over core, like the TUI: it reads through
// core/store, computes totals with the pipelines of core/pipelines and
// pulls bank data through core/hub.
//
// The routes, request fields, JSON shapes and messages are the original's;
// what the original got wrong is fixed: a token belongs to one user and
// expires, tokens are handed out only for demo users, bad input is a 4xx
// and never a 500, every client is rate limited, CORS is opt-in, bodies are
// capped and every request has a deadline.
package restapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"charm.land/log/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Config tunes a Server. Zero values take the defaults.
type Config struct {
	// Hub is the application service the API runs on (required).
	Hub *hub.Hub
	// Demo lets get-authorization hand out tokens for users that are not
	// demo users (created through create-user or imported); users created
	// by linking banks or over SSH never get one.
	Demo bool
	// Origins are the browser origins allowed by CORS; none = no CORS.
	Origins []string
	// RatePerMinute is each client's request budget (default 60, the
	// original's limit on its data routes); negative = no limit.
	RatePerMinute int
	// CreateUserPerMinute limits create-user per client (default 5, as the
	// original).
	CreateUserPerMinute int
	// TokenTTL is how long an issued token lives (default 24 h).
	TokenTTL time.Duration
	// RequestTimeout bounds each request, its database calls included
	// (default 30 s).
	RequestTimeout time.Duration
	// SyncTimeout bounds the retrieve-external-* routes, which pull from a
	// bank (default 2 min).
	SyncTimeout time.Duration
	// MaxBodyBytes caps request bodies (default 64 KiB).
	MaxBodyBytes int64
	// Logger receives one line per request (never a token); default the
	// App's logger.
	Logger *log.Logger
}

// Server is the REST API. It is an http.Handler.
type Server struct {
	cfg     Config
	hub     *hub.Hub
	store   *store.Store
	box     *secrets.Box
	log     *log.Logger
	limit   *limiter
	create  *limiter
	routes  map[string]map[string]route
	issueMu sync.Mutex
}

// route is one endpoint.
type route struct {
	timeout time.Duration
	limit   *limiter // extra per-route limit, may be nil
	h       func(w http.ResponseWriter, r *http.Request) error
}

// New builds the API over a hub.
func New(cfg Config) (*Server, error) {
	if cfg.Hub == nil || cfg.Hub.App() == nil || cfg.Hub.App().Store == nil || cfg.Hub.App().Secrets == nil {
		return nil, errors.New("the REST API needs an opened app (store and secret key)")
	}
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = 60
	}
	if cfg.CreateUserPerMinute == 0 {
		cfg.CreateUserPerMinute = 5
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 24 * time.Hour
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.SyncTimeout <= 0 {
		cfg.SyncTimeout = 2 * time.Minute
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 10
	}
	if cfg.Logger == nil {
		cfg.Logger = cfg.Hub.App().Log
	}
	cfg.Origins = cleanOrigins(cfg.Origins)
	a := cfg.Hub.App()
	s := &Server{
		cfg: cfg, hub: cfg.Hub, store: a.Store, box: a.Secrets, log: cfg.Logger,
		limit:  newLimiter(cfg.RatePerMinute, time.Now),
		create: newLimiter(cfg.CreateUserPerMinute, time.Now),
	}
	s.routes = s.table()
	return s, nil
}

func (s *Server) now() time.Time { return s.hub.Now() }

const (
	prefixPublic = "/api/v1/openfinance/public"
	prefixSecure = "/api/v1/openfinance/secure"
)

// table lists every route. Paths are matched with or without their
// trailing slash (the original declared some with one and FastAPI
// redirected the other form; answering both directly saves the round trip).
func (s *Server) table() map[string]map[string]route {
	t := map[string]map[string]route{}
	add := func(method, path string, timeout time.Duration, lim *limiter, h func(http.ResponseWriter, *http.Request) error) {
		p := normPath(path)
		if t[p] == nil {
			t[p] = map[string]route{}
		}
		t[p][method] = route{timeout: timeout, limit: lim, h: h}
	}
	rt, st := s.cfg.RequestTimeout, s.cfg.SyncTimeout
	add(http.MethodGet, "/", rt, nil, s.handleRoot)
	add(http.MethodGet, prefixPublic+"/get-authorization", rt, nil, s.handleGetAuthorization)
	add(http.MethodPost, prefixPublic+"/create-user", rt, s.create, s.handleCreateUser)
	add(http.MethodPost, prefixSecure+"/validate-token", rt, nil, s.handleValidateToken)
	add(http.MethodGet, prefixSecure+"/fetch-external-accounts-for-user/", rt, nil, s.handleFetch(accountsKind, false))
	add(http.MethodGet, prefixSecure+"/fetch-external-products-for-user/", rt, nil, s.handleFetch(productsKind, false))
	add(http.MethodGet, prefixSecure+"/fetch-external-accounts-for-user-and-institution/", rt, nil, s.handleFetch(accountsKind, true))
	add(http.MethodGet, prefixSecure+"/fetch-external-products-for-user-and-institution/", rt, nil, s.handleFetch(productsKind, true))
	add(http.MethodPost, prefixSecure+"/calculate-total-balance-for-user/", rt, nil, s.handleTotal(accountsKind))
	add(http.MethodPost, prefixSecure+"/calculate-total-debt-for-user/", rt, nil, s.handleTotal(productsKind))
	add(http.MethodPost, prefixSecure+"/retrieve-external-account-for-user", st, nil, s.handleRetrieve(accountsKind))
	add(http.MethodPost, prefixSecure+"/retrieve-external-product-for-user", st, nil, s.handleRetrieve(productsKind))
	return t
}

func normPath(p string) string {
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return p
}

// ServeHTTP runs a request through recovery, logging, CORS, the rate
// limits, the body cap and the deadline, in that order, then the route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	var cause error
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic serving a request", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
			if !sw.wrote {
				writeError(sw, &apiError{Status: http.StatusInternalServerError, Detail: msgInternal})
			}
		}
		kv := []any{"method", r.Method, "path", r.URL.Path, "status", sw.status, "client", clientKey(r), "took", time.Since(start).Round(time.Microsecond)}
		if cause != nil {
			kv = append(kv, "error", cause.Error())
		}
		s.log.Info("api request", kv...)
	}()
	if s.cors(sw, r) {
		return
	}
	if ok, wait := s.limit.allow(clientKey(r)); !ok {
		writeError(sw, rateLimited(wait))
		return
	}
	methods, ok := s.routes[normPath(r.URL.Path)]
	if !ok {
		writeError(sw, fail(http.StatusNotFound, msgNotFound))
		return
	}
	rt, ok := methods[r.Method]
	if !ok {
		allow := make([]string, 0, len(methods))
		for m := range methods {
			allow = append(allow, m)
		}
		slices.Sort(allow)
		writeError(sw, &apiError{Status: http.StatusMethodNotAllowed, Detail: msgMethodNotAllowed,
			Header: http.Header{"Allow": {strings.Join(allow, ", ")}}})
		return
	}
	if ok, wait := rt.limit.allow(clientKey(r)); !ok {
		writeError(sw, rateLimited(wait))
		return
	}
	r.Body = http.MaxBytesReader(sw, r.Body, s.cfg.MaxBodyBytes)
	ctx, cancel := context.WithTimeout(r.Context(), rt.timeout)
	defer cancel()
	if err := rt.h(sw, r.WithContext(ctx)); err != nil {
		ae := errorAnswer(err)
		if ae.Status >= 500 || ae.cause != nil {
			cause = err
		}
		if !sw.wrote {
			writeError(sw, ae)
		}
	}
}

func rateLimited(wait time.Duration) *apiError {
	secs := int(wait.Seconds() + 0.999)
	if secs < 1 {
		secs = 1
	}
	return &apiError{Status: http.StatusTooManyRequests, Detail: msgRateLimited,
		Header: http.Header{"Retry-After": {strconv.Itoa(secs)}}}
}

// statusWriter remembers the status for the log and whether anything was
// written.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Serve answers on ln until ctx ends, then shuts down gracefully: requests
// in flight get up to 10 s to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      s.cfg.SyncTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("the REST API stopped: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close()
		return fmt.Errorf("the REST API did not shut down cleanly: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Listen opens the listening socket for addr (host:port).
func Listen(ctx context.Context, addr string) (net.Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("the REST API cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}
