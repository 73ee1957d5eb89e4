package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/cmd/openfinance/bench"
	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// tiny is a preset that runs in seconds: one customer with one account of
// about 40 transactions at each bank, two SSH sessions, one run each.
func tiny() bench.Config {
	return bench.Config{Preset: bench.Preset{
		Name:     "tiny",
		Heavy:    mockbank.Size{Customers: 1, AccountsPerCustomer: 1, TxPerAccount: 40, Months: 3},
		Bulk:     mockbank.Size{Customers: 1, AccountsPerCustomer: 1, TxPerAccount: 60, Months: 3},
		Sessions: 2, Runs: 1,
	}}
}

// The harness runs end to end on a tiny preset: every budget line is in
// the report (whatever the verdicts, which depend on the machine), the
// measurements behind them are real, and the JSON has the shape scripts
// rely on.
func TestTinyPresetReportsEveryBudget(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var progress bytes.Buffer
	cfg := tiny()
	cfg.Progress = &progress
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	r, err := bench.Run(ctx, cfg)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, progress.String())
	}

	// The data: two users, the bulk one the largest, every bank linked.
	if r.Data.Users != 2 || r.Data.BanksPerUser != 4 || r.Data.HeavyUser != "bench-10k" || r.Data.LargestUser != "bench-bulk-001" {
		t.Errorf("data: %+v", r.Data)
	}
	if r.Data.HeavyTx < 4*20 || r.Data.LargestTx <= r.Data.HeavyTx || r.Data.Transactions != r.Data.HeavyTx+r.Data.LargestTx {
		t.Errorf("transactions: %+v", r.Data)
	}
	// The measurements behind the budgets.
	if g := r.Ingest; g.Transactions != r.Data.Transactions || g.DataSetTxPerSec <= 0 || g.SyncTxPerSec <= 0 || g.RawTxPerSec <= 0 ||
		g.RawBatches < 4 || g.Ratio <= 0 || g.RawDocs != r.Data.HeavyTx || g.RawIndexes < 1 ||
		g.Pairs != 1 || len(g.SyncRuns) != 1 || len(g.RawRuns) != 1 || len(g.PairRatios) != 1 {
		t.Errorf("ingest: %+v", g)
	}
	if in := r.Insights; in.Transactions != r.Data.HeavyTx || in.RecomputeMS <= 0 || in.ScanMS <= 0 || in.ReadMS <= 0 || len(in.RecomputeRun) != 1 {
		t.Errorf("insights: %+v", in)
	}
	if r.TUI.FirstFrame.MS <= 0 || r.TUI.ViewUser != "bench-bulk-001" || len(r.TUI.Panes) != 7 {
		t.Errorf("tui: %+v", r.TUI)
	}
	if r.SSH.Sessions != 2 || r.SSH.Up != 2 || r.SSH.HeapAfterMB <= 0 || r.PeakRSSMB <= 0 {
		t.Errorf("ssh %+v, peak RSS %v", r.SSH, r.PeakRSSMB)
	}

	want := []string{"ingest_vs_raw_insert", "insights_recompute", "insights_recompute_vs_scan", "insights_read",
		"tui_view_overview", "tui_view_accounts", "tui_view_loans", "tui_view_transactions", "tui_view_insights",
		"tui_view_consents", "tui_view_activity", "tui_first_frame", "ssh_idle_session_memory"}
	if len(r.Budgets) != len(want) {
		t.Fatalf("%d budget lines, want %d: %+v", len(r.Budgets), len(want), r.Budgets)
	}
	for i, b := range r.Budgets {
		if b.Name != want[i] || b.Unit == "" || b.Budget <= 0 || (b.Cmp != "<=" && b.Cmp != ">=") {
			t.Errorf("budget %d: %+v, want name %s", i, b, want[i])
		}
		if pass := (b.Cmp == "<=" && b.Value <= b.Budget) || (b.Cmp == ">=" && b.Value >= b.Budget); pass != b.Pass {
			t.Errorf("budget %s: pass %v for %v %s %v", b.Name, b.Pass, b.Value, b.Cmp, b.Budget)
		}
	}

	// The table: one PASS or FAIL line per budget.
	var table bytes.Buffer
	if err := r.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, b := range r.Budgets {
		verdict := map[bool]string{true: "PASS", false: "FAIL"}[b.Pass]
		if !strings.Contains(table.String(), verdict+"  "+b.Name) {
			t.Errorf("the table has no %s line for %s:\n%s", verdict, b.Name, table.String())
		}
	}

	// The JSON: a budgets array of {name, value, unit, budget, pass}, and
	// no other object anywhere with a "budget" key.
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	bs, ok := doc["budgets"].([]any)
	if !ok || len(bs) != len(want) {
		t.Fatalf("budgets in JSON: %v", doc["budgets"])
	}
	for _, b := range bs {
		m := b.(map[string]any)
		for k, kind := range map[string]string{"name": "string", "value": "number", "unit": "string", "budget": "number", "pass": "bool"} {
			if got := jsonKind(m[k]); got != kind {
				t.Errorf("budget %v: %s is %s, want %s", m["name"], k, got, kind)
			}
		}
	}
	if n := countBudgetObjects(doc); n != len(want) {
		t.Errorf("%d objects carry a budget key, want %d", n, len(want))
	}
	// The data directory was the caller's: kept, with the store in it,
	// and the ingest pairs left it as they found it: the data set's
	// transactions back in place, no throwaway user's documents.
	a, err := app.Open(ctx, app.Config{DataDir: cfg.DataDir})
	if err != nil {
		t.Fatalf("data dir: %v", err)
	}
	defer a.Close(context.Background())
	if n, err := a.Store.C(model.CollTransactions).CountDocuments(ctx, bson.D{}); err != nil || int(n) != r.Data.Transactions {
		t.Errorf("%d transactions stored after the bench (%v), want the data set's %d", n, err, r.Data.Transactions)
	}
	if names, err := a.Store.DB().ListCollectionNames(ctx, bson.D{{Key: "name", Value: bson.D{{Key: "$regex", Value: "bench"}}}}); err != nil || len(names) > 0 {
		t.Errorf("collections left by the bench: %v (%v)", names, err)
	}
	for _, coll := range store.UserCollections() {
		f := store.UserFilters(model.UserRef{UserName: "bench-ingest-1"})[coll]
		if n, err := a.Store.C(coll).CountDocuments(ctx, f); err != nil || n != 0 {
			t.Errorf("%s holds %d documents of the throwaway user (%v)", coll, n, err)
		}
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	}
	return "missing"
}

func countBudgetObjects(v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["budget"]; ok {
			n++
		}
		for _, x := range v {
			n += countBudgetObjects(x)
		}
	case []any:
		for _, x := range v {
			n += countBudgetObjects(x)
		}
	}
	return n
}

// A data directory with something in it is refused before anything runs:
// the bench must never add users to real data.
func TestRefusesANonEmptyDataDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := tiny()
	cfg.DataDir = dir
	_, err := bench.Run(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("err = %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		mod  func(*bench.Config)
		want string
	}{
		{func(c *bench.Config) { c.Sessions = 0 }, "--sessions"},
		{func(c *bench.Config) { c.Bulk.Customers = -1 }, "customers"},
		{func(c *bench.Config) { c.Bulk.TxPerAccount = 0 }, "--transactions"},
		{func(c *bench.Config) { c.Bulk.Months = 500 }, "months"},
		{func(c *bench.Config) { c.Heavy.Customers = 2 }, "exactly one customer"},
	} {
		cfg := tiny()
		c.mod(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", cfg.Preset, err, c.want)
		}
	}
	for _, name := range bench.PresetNames() {
		p, err := bench.LookupPreset(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg := bench.Config{Preset: p}
		if err := cfg.Validate(); err != nil {
			t.Errorf("preset %s: %v", name, err)
		}
		// Every preset holds the 10k user the insights budgets speak of,
		// and the volume issue 8 names.
		wantTotal := map[string]int64{"small": 10_000, "medium": 100_000, "large": 1_000_000}[name]
		if n := cfg.Nominal(); n != wantTotal || bench.HeavyTransactions != 10_000 {
			t.Errorf("preset %s: %d transactions, want %d", name, n, wantTotal)
		}
	}
	if _, err := bench.LookupPreset("huge"); err == nil || !strings.Contains(err.Error(), "small, medium, large") {
		t.Errorf("huge: %v", err)
	}
}
