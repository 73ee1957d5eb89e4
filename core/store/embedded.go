package store

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// embeddedServer is an in-process FerretDB v1 with the SQLite backend,
// listening on a random loopback port.
type embeddedServer struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
}

// startEmbedded starts FerretDB over the SQLite files in dir. The caller
// must hold the data directory's lock: SQLite files shared by two FerretDB
// processes would not be corrupted, but the two would not see one state.
func startEmbedded(dir string, logger *slog.Logger) (*embeddedServer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the embedded database directory %s: %w", dir, err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
		Logger:    logger,
	})
	if err != nil {
		return nil, fmt.Errorf("cannot start the embedded database in %s: %w", dir, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	return &embeddedServer{uri: f.MongoDBURI(), cancel: cancel, done: done}, nil
}

// stop shuts the server down and waits (bounded) for its files to be closed.
func (e *embeddedServer) stop(timeout time.Duration) error {
	e.cancel()
	select {
	case <-e.done:
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("the embedded database did not stop within %s", timeout)
	}
}
