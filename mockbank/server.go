// Package mockbank runs emulated banks: each an OAuth2 authorization server
// with PSD2-style consents and a resource API in its own shape (see
// API.md). They are the external institutions of the offline demo and of the
// tests, so linking, consent and sync run real code paths over real HTTP.
//
// Starting the banks is cheap (no data is generated up front): customers
// and their histories are produced by package gen when a request needs
// them, and only a bounded number of account histories is cached.
package mockbank

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"charm.land/log/v2"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// Limits of every request (API.md).
const (
	MaxRequestBody = 64 << 10
	RequestTimeout = 10 * time.Second
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
type Size = gen.Size

// Stats counts the requests a bank received, by kind.
type Stats struct {
	Authorization int // GET and POST /oauth/authorize
	Token         int // token and revocation endpoints
	Consent       int // consent resources
	Data          int // accounts, balances, products, loans, transactions
	Other         int // metadata and unknown paths
}

// Server serves every emulated bank under one handler, a path prefix each.
type Server struct {
	opts    Options
	ln      net.Listener
	hs      *http.Server
	mu      sync.RWMutex
	root    string
	banks   []*bank
	byID    map[string]*bank
	handler http.Handler
	pages   *template.Template
}

// New builds the banks without listening; serve Handler yourself and call
// SetRoot with the URL it is reachable at.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Seed == 0 {
		opts.Seed = gen.DefaultSeed
	}
	if err := opts.Size.Validate(); err != nil {
		return nil, err
	}
	opts.Size = opts.Size.Normalize()
	if opts.Logger == nil {
		opts.Logger = log.New(discard{})
	}
	s := &Server{opts: opts, byID: map[string]*bank{}, pages: parsePages()}
	for id := range opts.Faults {
		if _, ok := bankID(id); !ok {
			return nil, fmt.Errorf("faults are set for %q, which is not one of the banks (%s)", id, strings.Join(bankIDs(), ", "))
		}
	}
	for _, info := range Catalog() {
		cfg := authz.Config{Now: opts.Now, OnCorrupt: func(err error) {
			opts.Logger.Warn("bank state unreadable", "bank", info.ID, "err", err)
		}}
		if opts.StateDir != "" {
			cfg.Path = filepath.Join(opts.StateDir, info.ID+".json")
		}
		st, err := authz.Open(cfg)
		if err != nil {
			return nil, fmt.Errorf("%s cannot load its state: %w", info.Name, err)
		}
		b := newBank(s, info, st)
		if f, ok := opts.Faults[info.ID]; ok {
			b.setFaults(f)
		}
		s.banks = append(s.banks, b)
		s.byID[info.ID] = b
	}
	s.handler = s.routes()
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
	s.hs = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          s.opts.Logger.StandardLog(log.StandardLogOptions{ForceLevel: log.DebugLevel}),
	}
	go func() { _ = s.hs.Serve(ln) }()
	return s, nil
}

// SetRoot sets the URL the handler is served at (no trailing slash).
func (s *Server) SetRoot(root string) {
	s.mu.Lock()
	s.root = strings.TrimSuffix(root, "/")
	s.mu.Unlock()
}

// Handler serves every bank under /{bank-id}/.
func (s *Server) Handler() http.Handler { return s.handler }

// URL is the root the banks are served at.
func (s *Server) URL() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.root
}

// BaseURL is a bank's base URL.
func (s *Server) BaseURL(bankID string) string { return s.URL() + "/" + bankID }

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

// Stats returns the request counts of a bank (zero for an unknown bank).
func (s *Server) Stats(bankID string) Stats {
	b, ok := s.byID[bankID]
	if !ok {
		return Stats{}
	}
	return b.stats()
}

// SetFaults changes a bank's faults at run time (tests, demos).
func (s *Server) SetFaults(bankID string, f Faults) error {
	b, ok := s.byID[bankID]
	if !ok {
		return fmt.Errorf("there is no bank %q (banks: %s)", bankID, strings.Join(bankIDs(), ", "))
	}
	b.setFaults(f)
	return nil
}

// Faults returns a bank's current faults.
func (s *Server) Faults(bankID string) Faults {
	if b, ok := s.byID[bankID]; ok {
		return b.faults()
	}
	return Faults{}
}

// Now is the banks' clock.
func (s *Server) Now() time.Time { return s.opts.Now() }

// Seed is the generator seed in use.
func (s *Server) Seed() int64 { return s.opts.Seed }

// Size is the generator size in use (normalized).
func (s *Server) Size() Size { return s.opts.Size }

// Dataset is a customer of a bank exactly as the bank serves them now:
// accounts, products and (through the result's Transactions) histories.
// Tests use it to compute expected values.
func (s *Server) Dataset(bankID, login string) (*gen.Customer, error) {
	b, ok := s.byID[bankID]
	if !ok {
		return nil, fmt.Errorf("there is no bank %q", bankID)
	}
	return b.customer(login)
}

// ConsentStatus is a consent's current status at a bank ("" if unknown);
// for tests that check what the bank recorded.
func (s *Server) ConsentStatus(bankID, consentID string) string {
	b, ok := s.byID[bankID]
	if !ok {
		return ""
	}
	c, ok := b.store.Get(consentID)
	if !ok {
		return ""
	}
	return c.Status
}

// Close stops serving (when started with Start). State is written as it
// changes, so nothing is left to save.
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

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
