// Package app wires openfinance's parts for one process: the locked data
// directory, the store, the secret box and the logger. The CLI, the TUI, the
// SSH server and the REST API all start from an App.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"charm.land/log/v2"

	"github.com/openfinance-tui/openfinance/core/datadir"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Config is everything an App needs, from flags and environment.
type Config struct {
	MongoURI string // MONGODB_URI / --mongo-uri; empty = embedded FerretDB
	DBName   string // OPENFINANCE_DB_NAME / --db
	DataDir  string // OPENFINANCE_DATA_DIR / --data-dir
	LogFile  string // --log-file; empty = no log
	// DBTimeout bounds reaching the database (default 5 s).
	DBTimeout time.Duration
}

// App is an opened data directory, store and secret box.
type App struct {
	Cfg     Config
	Dir     *datadir.Dir
	Store   *store.Store
	Secrets *secrets.Box
	Log     *log.Logger
	// Runtime is what this process publishes in the data directory, or,
	// when attached, what the holding process published.
	Runtime datadir.Runtime
	logFile io.Closer
}

// Open locks the data directory, opens the log, the key and the store.
func Open(ctx context.Context, cfg Config) (*App, error) {
	if cfg.DBName == "" {
		cfg.DBName = model.DefaultDB
	}
	logger, closer, err := OpenLog(cfg.LogFile)
	if err != nil {
		return nil, err
	}
	a := &App{Cfg: cfg, Log: logger, logFile: closer}
	uri := cfg.MongoURI
	a.Dir, err = datadir.Open(cfg.DataDir)
	if errors.Is(err, datadir.ErrLocked) {
		// Another openfinance (the TUI, a server) holds the directory: talk
		// to its database instead of opening the same files twice.
		d, rt, aerr := datadir.Attach(cfg.DataDir, 2*time.Second)
		if aerr != nil || (uri == "" && rt.MongoURI == "") {
			_ = a.Close(ctx)
			return nil, err
		}
		a.Dir, a.Runtime, err = d, rt, nil
		if uri == "" {
			uri = rt.MongoURI
		}
		logger.Info("attached to the process holding the data directory", "pid", rt.PID)
	}
	if err != nil {
		_ = a.Close(ctx)
		return nil, err
	}
	a.Secrets, err = secrets.Load(a.Dir.Path)
	if err != nil {
		_ = a.Close(ctx)
		return nil, fmt.Errorf("cannot load the secret key: %w", err)
	}
	a.Store, err = store.Open(ctx, store.Config{
		URI:          uri,
		DBName:       cfg.DBName,
		EmbeddedDir:  store.EmbeddedDir(a.Dir.Path),
		Timeout:      cfg.DBTimeout,
		Logger:       logger.WithPrefix("store"),
		SingleServer: a.Dir.Attached() && cfg.MongoURI == "",
	})
	if err != nil {
		_ = a.Close(ctx)
		return nil, err
	}
	if !a.Dir.Attached() {
		a.Runtime = datadir.Runtime{MongoURI: a.Store.EmbeddedURI()}
		if err := a.Dir.WriteRuntime(a.Runtime); err != nil {
			logger.Warn("cannot publish the runtime file; other processes cannot attach", "err", err)
		}
	}
	return a, nil
}

// Attached reports whether this App talks to the database of another
// process that holds the data directory.
func (a *App) Attached() bool { return a.Dir.Attached() }

// PublishBanks records the root URL of the emulated banks this process
// serves, so that processes attaching to it use them instead of starting
// their own over the same state files.
func (a *App) PublishBanks(url string) {
	if a.Dir.Attached() {
		return
	}
	a.Runtime.BanksURL = url
	if err := a.Dir.WriteRuntime(a.Runtime); err != nil {
		a.Log.Warn("cannot publish the banks' address", "err", err)
	}
}

// Close stops everything the App started, in reverse order.
func (a *App) Close(ctx context.Context) error {
	var errs []error
	if a.Store != nil {
		errs = append(errs, a.Store.Close(ctx))
		a.Store = nil
	}
	if a.Dir != nil {
		errs = append(errs, a.Dir.Close())
		a.Dir = nil
	}
	if a.logFile != nil {
		errs = append(errs, a.logFile.Close())
		a.logFile = nil
	}
	return errors.Join(errs...)
}

// OpenLog opens a charm logger writing to path (created 0600, appended), or
// a logger that discards everything when path is empty. Logs never go to
// stdout: that belongs to the TUI and to command output.
func OpenLog(path string) (*log.Logger, io.Closer, error) {
	if path == "" {
		return log.New(io.Discard), nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("cannot create the log directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open log file %s: %w", path, err)
	}
	l := log.NewWithOptions(f, log.Options{ReportTimestamp: true, Level: log.DebugLevel})
	return l, f, nil
}
