package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/mockbank"
	"github.com/openfinance-tui/openfinance/sampledata"
)

// world is the product the harness runs: an App over a fresh store, the
// emulated banks (one server per size) and a hub over each.
type world struct {
	cfg     Config
	start   time.Time
	app     *app.App
	tmpDir  string // removed on close; "" when the caller chose the directory
	dropDB  bool   // a scratch database on a MongoDB server
	servers []*mockbank.Server
	heavy   *hub.Hub
	bulk    *hub.Hub // nil without bulk customers
	users   []*benchUser
}

// benchUser is one app user and the customer they link at every bank.
type benchUser struct {
	ref   model.UserRef
	hub   *hub.Hub
	login string
	tx    int // transactions stored by the sync
}

// open starts everything on a fresh store.
func open(ctx context.Context, cfg Config) (*world, error) {
	w := &world{cfg: cfg, start: time.Now()}
	dir := cfg.DataDir
	if dir == "" {
		d, err := os.MkdirTemp("", "openfinance-bench-")
		if err != nil {
			return nil, fmt.Errorf("cannot create a temporary data directory: %w", err)
		}
		dir, w.tmpDir = d, d
	} else if err := CheckDataDir(dir); err != nil {
		return nil, err
	}
	db := model.DefaultDB
	if cfg.MongoURI != "" {
		// Never the user's own database: a scratch one, dropped at the end.
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		db, w.dropDB = "openfinance_bench_"+hex.EncodeToString(b), true
	}
	octx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	a, err := app.Open(octx, app.Config{MongoURI: cfg.MongoURI, DBName: db, DataDir: dir, LogFile: cfg.LogFile})
	if err != nil {
		w.close()
		return nil, err
	}
	w.app = a
	if a.Attached() {
		w.close()
		return nil, fmt.Errorf("the data directory %s is held by another openfinance process; the bench needs its own", dir)
	}
	if err := w.seedRates(octx); err != nil {
		w.close()
		return nil, err
	}
	if w.heavy, err = w.startBanks(octx, cfg.Heavy); err != nil {
		w.close()
		return nil, err
	}
	if cfg.Bulk.Customers > 0 {
		if w.bulk, err = w.startBanks(octx, cfg.Bulk); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

// CheckDataDir accepts a data directory that is absent or empty: the
// bench's figures assume a fresh store, and it must not add users to real
// data.
func CheckDataDir(dir string) error {
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("cannot read --data-dir %s: %w", dir, err)
	case len(ents) > 0:
		return fmt.Errorf("--data-dir %s is not empty: the bench needs a fresh directory (it must not add users to real data)", dir)
	}
	return nil
}

// seedRates stores the demo exchange rates: insights of the GBP and EUR
// banks need them, and a fresh store has none.
func (w *world) seedRates(ctx context.Context) error {
	var docs []any
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range sampledata.FXRates() {
		docs = append(docs, model.FXRate{ID: r.Currency, Currency: r.Currency, RateToUSD: r.RateToUSD, AsOf: asOf, Source: "openfinance demo rates"})
	}
	if _, err := w.app.Store.InsertNew(ctx, model.CollFXRates, docs); err != nil {
		return fmt.Errorf("cannot store the exchange rates: %w", err)
	}
	return nil
}

func (w *world) startBanks(ctx context.Context, size mockbank.Size) (*hub.Hub, error) {
	srv, err := mockbank.Start(ctx, "127.0.0.1:0", mockbank.Options{Size: size, Seed: w.cfg.Seed, Logger: w.app.Log.WithPrefix("mockbank")})
	if err != nil {
		return nil, fmt.Errorf("cannot start the emulated banks: %w", err)
	}
	w.servers = append(w.servers, srv)
	return hub.New(w.app, srv.Directory(), hub.Options{}), nil
}

// close stops everything open started and removes what it created.
func (w *world) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range w.servers {
		_ = s.Close(ctx)
	}
	if w.app != nil {
		if w.dropDB && w.app.Store != nil {
			if err := w.app.Store.DB().Drop(ctx); err != nil {
				w.say("could not drop the scratch database %s: %v", w.app.Store.DB().Name(), err)
			}
		}
		_ = w.app.Close(ctx)
	}
	if w.tmpDir != "" {
		_ = os.RemoveAll(w.tmpDir)
	}
}

// storeName describes the store for the report, without credentials.
func (w *world) storeName() string {
	if w.app.Store.Embedded() {
		return "embedded FerretDB"
	}
	return "MongoDB " + w.app.Store.Where()
}

// say writes one progress line.
func (w *world) say(format string, a ...any) {
	if w.cfg.Progress != nil {
		fmt.Fprintf(w.cfg.Progress, "bench: %5.1fs  %s\n", time.Since(w.start).Seconds(), fmt.Sprintf(format, a...))
	}
}

// heavyUser is the user with about 10k transactions.
func (w *world) heavyUser() *benchUser { return w.users[0] }

// largestUser is the user with the most transactions.
func (w *world) largestUser() *benchUser {
	best := w.users[0]
	for _, u := range w.users[1:] {
		if u.tx > best.tx {
			best = u
		}
	}
	return best
}
