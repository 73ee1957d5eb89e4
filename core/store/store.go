// Package store is openfinance's one door to MongoDB.
//
// A Store talks to a real MongoDB or Atlas when given a URI, and otherwise to
// an embedded FerretDB it starts itself; both through the same driver and the
// same code. Because the embedded engine (FerretDB v1) has no transactions and
// a single server has no retryable writes, every write helper here is
// idempotent: documents carry deterministic _ids and duplicates count as
// already stored.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"charm.land/log/v2"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/model"
)

// Config says which server to use.
type Config struct {
	// URI of a MongoDB server; empty starts the embedded FerretDB.
	URI string
	// DBName is the database, default open_finance.
	DBName string
	// EmbeddedDir holds the embedded engine's SQLite files (only used when
	// URI is empty). The caller must hold the data directory's lock.
	EmbeddedDir string
	// Timeout bounds connecting and the first ping (default 5 s): a server
	// that is down fails fast instead of after the driver's 30 s.
	Timeout time.Duration
	// Logger receives the store's own messages; nil discards them.
	Logger *log.Logger
	// SingleServer turns retryable reads and writes off, for a URI that
	// points at another process's embedded engine (one server, no replica set).
	SingleServer bool
}

// Store is a connected database.
type Store struct {
	client   *mongo.Client
	db       *mongo.Database
	embedded *embeddedServer
	// embeddedDir holds the embedded engine's SQLite files.
	embeddedDir string
	where       string
	log         *log.Logger
	locks       keyedLocks
	writeMu     sync.Mutex
}

// ErrUnreachable wraps every failure to reach the database server.
var ErrUnreachable = errors.New("cannot reach the database")

// Open connects, pings and creates the indexes.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.DBName == "" {
		cfg.DBName = model.DefaultDB
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	logger := cfg.Logger
	if logger == nil {
		logger = log.New(nopWriter{})
	}
	s := &Store{log: logger}
	uri := cfg.URI
	if uri == "" {
		if cfg.EmbeddedDir == "" {
			return nil, errors.New("no MongoDB URI and no directory for the embedded database")
		}
		e, err := startEmbedded(cfg.EmbeddedDir, slog.New(errorsOnly{logger.With("component", "ferretdb")}))
		if err != nil {
			return nil, err
		}
		s.embedded = e
		s.embeddedDir = cfg.EmbeddedDir
		uri = e.uri
		s.where = "embedded FerretDB in " + cfg.EmbeddedDir
	} else {
		s.where = redactURI(uri)
	}
	opts := options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(cfg.Timeout).
		SetConnectTimeout(cfg.Timeout).
		SetAppName("openfinance")
	if s.embedded != nil || cfg.SingleServer {
		// A single server: no retryable writes to negotiate.
		opts.SetRetryWrites(false).SetRetryReads(false)
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		s.stopEmbedded()
		return nil, fmt.Errorf("%w at %s: %w", ErrUnreachable, s.where, err)
	}
	s.client = client
	s.db = client.Database(cfg.DBName)
	pctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	if err := client.Ping(pctx, nil); err != nil {
		_ = s.Close(context.Background())
		return nil, fmt.Errorf("%w at %s within %s (is the server running, and is the URI right?): %w", ErrUnreachable, s.where, cfg.Timeout, err)
	}
	ictx, icancel := context.WithTimeout(ctx, 30*time.Second)
	defer icancel()
	if err := s.ensureIndexes(ictx); err != nil {
		_ = s.Close(context.Background())
		return nil, err
	}
	if s.embedded != nil {
		if err := s.createCollections(ictx); err != nil {
			_ = s.Close(context.Background())
			return nil, err
		}
		if err := ensureIDPathIndexes(ictx, cfg.EmbeddedDir, cfg.DBName); err != nil {
			_ = s.Close(context.Background())
			return nil, fmt.Errorf("cannot prepare the embedded database: %w", err)
		}
	}
	logger.Info("store open", "where", s.where, "db", cfg.DBName)
	return s, nil
}

// Where describes the server for humans, without credentials.
func (s *Store) Where() string { return s.where }

// Embedded reports whether the store runs the in-process FerretDB.
func (s *Store) Embedded() bool { return s.embedded != nil }

// EmbeddedURI is the loopback URI of the in-process FerretDB (it carries no
// credentials), for other processes on the same data directory to attach
// to; empty for an external server.
func (s *Store) EmbeddedURI() string {
	if s.embedded == nil {
		return ""
	}
	return s.embedded.uri
}

// DB returns the database.
func (s *Store) DB() *mongo.Database { return s.db }

// C returns a collection of the database.
func (s *Store) C(name string) *mongo.Collection { return s.db.Collection(name) }

// Close disconnects and stops the embedded server.
func (s *Store) Close(ctx context.Context) error {
	var errs []error
	if s.client != nil {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		errs = append(errs, s.client.Disconnect(cctx))
		cancel()
		s.client = nil
	}
	errs = append(errs, s.stopEmbedded())
	return errors.Join(errs...)
}

func (s *Store) stopEmbedded() error {
	if s.embedded == nil {
		return nil
	}
	err := s.embedded.stop(10 * time.Second)
	s.embedded = nil
	return err
}

// EmbeddedDir is where the embedded engine keeps its files inside a data dir.
func EmbeddedDir(dataDir string) string { return filepath.Join(dataDir, "db") }

// redactURI drops user info and query (which may hold secrets) from a URI.
func redactURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return "the MongoDB server given by the URI"
	}
	return u.Scheme + "://" + u.Host + strings.TrimSuffix(u.Path, "/")
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

// errorsOnly passes only errors on: FerretDB logs every error reply it sends
// at WARN with a full wire dump, which is noise for an embedded engine.
type errorsOnly struct{ slog.Handler }

func (h errorsOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError && h.Handler.Enabled(ctx, l)
}

func (h errorsOnly) WithAttrs(a []slog.Attr) slog.Handler { return errorsOnly{h.Handler.WithAttrs(a)} }

func (h errorsOnly) WithGroup(name string) slog.Handler { return errorsOnly{h.Handler.WithGroup(name)} }
