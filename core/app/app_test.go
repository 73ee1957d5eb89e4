package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/datadir"
)

// A second process on a held data directory talks to the holder's engine
// instead of opening the same files: it sees the holder's writes, and its
// own writes land in the one store.
func TestSecondAppAttachesToTheHolder(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	first, err := Open(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close(ctx)
	if first.Attached() || first.Runtime.MongoURI == "" {
		t.Fatalf("holder: attached %v, runtime %+v", first.Attached(), first.Runtime)
	}
	if _, err := first.Store.C("probe").InsertOne(ctx, bson.D{{Key: "_id", Value: "from-first"}}); err != nil {
		t.Fatal(err)
	}
	first.PublishBanks("http://127.0.0.1:1")

	second, err := Open(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	if !second.Attached() || second.Store.Embedded() || second.Runtime.BanksURL != "http://127.0.0.1:1" {
		t.Fatalf("second: attached %v, embedded %v, runtime %+v", second.Attached(), second.Store.Embedded(), second.Runtime)
	}
	if n, err := second.Store.C("probe").CountDocuments(ctx, bson.D{{Key: "_id", Value: "from-first"}}); err != nil || n != 1 {
		t.Fatalf("second sees %d of the holder's documents (%v)", n, err)
	}
	if _, err := second.Store.C("probe").InsertOne(ctx, bson.D{{Key: "_id", Value: "from-second"}}); err != nil {
		t.Fatal(err)
	}
	if err := second.Close(ctx); err != nil {
		t.Fatalf("closing the attached app: %v", err)
	}
	// The holder is unaffected and has the second's write.
	if n, err := first.Store.C("probe").CountDocuments(ctx, bson.D{}); err != nil || n != 2 {
		t.Fatalf("holder sees %d documents after the second closed (%v)", n, err)
	}
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// With the holder gone the directory opens normally again.
	third, err := Open(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close(ctx)
	if third.Attached() {
		t.Fatal("third open attached to a holder that has exited")
	}
}

// A holder that publishes nothing (here: a bare lock) still turns a second
// process away with the lock's message.
func TestLockedWithoutRuntimeIsRefused(t *testing.T) {
	dir := t.TempDir()
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = Open(ctx, Config{DataDir: dir})
	if !errors.Is(err, datadir.ErrLocked) {
		t.Fatalf("open of a locked dir without runtime: %v", err)
	}
}
