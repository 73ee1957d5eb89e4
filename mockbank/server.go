// Package mockbank runs emulated banks: each an OAuth2 authorization server
// with PSD2-style consents and a resource API in its own shape (see
// API.md). They are the external institutions of the offline demo and of the
// tests, so linking, consent and sync run real code paths over real HTTP.
package mockbank

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"charm.land/log/v2"

	"github.com/openfinance-tui/openfinance/core/banks"
)

// Options configure a Server.
type Options struct {
	// StateDir keeps consents and tokens across restarts (one JSON file per
	// bank, written atomically); empty keeps them in memory only.
	StateDir string
	// Now is the banks' clock; nil = time.Now.
	Now func() time.Time
	// Seed makes the generated data reproducible; 0 = the default seed.
	Seed int64
	// Size sets how much data the generator produces.
	Size Size
	// Faults per bank id.
	Faults map[string]Faults
	// Logger receives request logs; nil discards them.
	Logger *log.Logger
}

// Size are the generator's knobs. Zero values take the demo defaults.
type Size struct {
	Customers           int // generated customers besides the demo people (customer-00001...)
	AccountsPerCustomer int // deposit accounts per generated customer
	TxPerAccount        int // transactions per account over the period (approximate)
	Months              int // length of the transaction history
}

// Faults are misbehaviours switched on per bank (API.md, "Throttling and faults").
type Faults struct {
	Latency       time.Duration
	ErrorRate     float64
	MalformedRate float64
	TokenTTL      time.Duration
	RateLimit     int
	RetryAfter    int
	FailPage      int
}

// Stats counts the requests a bank received, by kind.
type Stats struct {
	Authorization int
	Token         int
	Consent       int
	Data          int
}

// Server serves every emulated bank under one handler, a path prefix each.
type Server struct {
	opts Options
	ln   net.Listener
	hs   *http.Server
	root string
	mux  *http.ServeMux
}

// New builds the banks without listening; serve Handler yourself and call
// SetRoot with the URL it is reachable at.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, mux: http.NewServeMux()}
	return s, nil
}

// Start builds the banks and serves them on addr (e.g. 127.0.0.1:0).
func Start(ctx context.Context, addr string, opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("the emulated banks cannot listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.SetRoot("http://" + ln.Addr().String())
	s.hs = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.hs.Serve(ln) }()
	return s, nil
}

// SetRoot sets the URL the handler is served at (no trailing slash).
func (s *Server) SetRoot(root string) { s.root = strings.TrimSuffix(root, "/") }

// Handler serves every bank under /{bank-id}/.
func (s *Server) Handler() http.Handler { return s.mux }

// URL is the root the banks are served at.
func (s *Server) URL() string { return s.root }

// BaseURL is a bank's base URL.
func (s *Server) BaseURL(bankID string) string { return s.root + "/" + bankID }

// Directory lists the banks for core, with their base URLs.
func (s *Server) Directory() *banks.Directory {
	var bs []banks.Bank
	for _, i := range Catalog() {
		bs = append(bs, i.DirectoryEntry(s.BaseURL(i.ID)))
	}
	d, err := banks.NewDirectory(bs)
	if err != nil {
		panic(err) // the catalog is a constant table
	}
	return d
}

// Stats returns the request counts of a bank.
func (s *Server) Stats(bankID string) Stats { return Stats{} }

// Close stops serving (when started with Start) and saves state.
func (s *Server) Close(ctx context.Context) error {
	if s.hs == nil {
		return nil
	}
	err := s.hs.Shutdown(ctx)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// ParseFaults reads fault settings: "bank:key=value,key=value;bank2:..."
// (API.md, "Throttling and faults"). An empty string means no faults.
func ParseFaults(s string) (map[string]Faults, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return nil, fmt.Errorf("fault settings are not supported yet: %q", s)
}
