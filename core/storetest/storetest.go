// Package storetest starts a real store for tests: the embedded FerretDB in
// a temporary directory, or the MongoDB given by OPENFINANCE_TEST_MONGODB_URI
// (each test then gets its own database).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/store"
)

// Open returns a fresh, empty store that is closed when the test ends.
func Open(tb testing.TB) *store.Store {
	tb.Helper()
	cfg := store.Config{EmbeddedDir: store.EmbeddedDir(tb.TempDir())}
	if uri := os.Getenv("OPENFINANCE_TEST_MONGODB_URI"); uri != "" {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		cfg = store.Config{URI: uri, DBName: "openfinance_test_" + hex.EncodeToString(b)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if !s.Embedded() {
			_ = s.DB().Drop(ctx)
		}
		if err := s.Close(ctx); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return s
}

// Ctx returns a context with a deadline for one test step.
func Ctx(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	tb.Cleanup(cancel)
	return ctx
}
