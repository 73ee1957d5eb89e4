package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Report is everything one run measured. Its JSON form is what
// `openfinance bench --json` prints; only the entries of Budgets carry a
// "budget" key, so a script can find them anywhere in the document.
type Report struct {
	Preset    string     `json:"preset"`
	Store     string     `json:"store"`
	Seed      int64      `json:"seed"`
	Data      DataReport `json:"data"`
	Ingest    Ingest     `json:"ingest"`
	Insights  Insights   `json:"insights"`
	TUI       TUI        `json:"tui"`
	SSH       SSH        `json:"ssh"`
	PeakRSSMB float64    `json:"peak_rss_mb"`
	Seconds   float64    `json:"seconds"`
	Budgets   []Budget   `json:"budgets"`
}

// DataReport is what was generated and synced.
type DataReport struct {
	Users        int     `json:"users"`
	Nominal      int64   `json:"nominal_transactions"`
	Transactions int     `json:"transactions"` // stored after the sync
	HeavyUser    string  `json:"heavy_user"`
	HeavyTx      int     `json:"heavy_user_transactions"`
	LargestUser  string  `json:"largest_user"`
	LargestTx    int     `json:"largest_user_transactions"`
	LinkSeconds  float64 `json:"link_seconds"`
	BanksPerUser int     `json:"banks_per_user"`
}

// Ingest compares the sync with the engine's floor (see measureIngest
// for the method).
type Ingest struct {
	// Transactions is the data set: what syncAll stored for every user.
	Transactions int `json:"transactions"`
	// SyncSeconds is the banks' part of the data set's syncs: hub.Sync
	// minus the insights recompute it ends with (timed right after it).
	SyncSeconds     float64 `json:"sync_seconds"`
	DataSetTxPerSec float64 `json:"data_set_sync_tx_per_s"`
	// SyncWithInsightsSeconds is the whole of every hub.Sync, including
	// the insights recomputed at its end.
	SyncWithInsightsSeconds float64 `json:"sync_with_insights_seconds"`

	// Pairs is how many sync/raw pairs ran, each run into an empty
	// transactions collection with the store's indexes.
	Pairs int `json:"pairs"`
	// SyncTxPerSec and RawTxPerSec are the medians of SyncRuns and
	// RawRuns, the pairs' rates.
	SyncTxPerSec float64   `json:"sync_tx_per_s"`
	SyncRuns     []float64 `json:"sync_runs_tx_per_s"`
	RawTxPerSec  float64   `json:"raw_insert_tx_per_s"`
	RawRuns      []float64 `json:"raw_insert_runs_tx_per_s"`
	// RawSeconds is Transactions at the median raw rate.
	RawSeconds float64 `json:"raw_insert_seconds"`
	RawDocs    int     `json:"raw_insert_documents"` // one throwaway sync's
	RawBatches int     `json:"raw_insert_batches"`
	RawIndexes int     `json:"raw_insert_indexes"` // secondary indexes of the transactions
	// Ratio is the median of PairRatios, each pair's sync rate over its
	// raw rate.
	Ratio      float64   `json:"ratio"`
	PairRatios []float64 `json:"pair_ratios"`
}

// Insights times the insights of the 10k user.
type Insights struct {
	User            string    `json:"user"`
	Transactions    int       `json:"transactions"`
	RecomputeMS     float64   `json:"recompute_ms"`
	RecomputeRun    []float64 `json:"recompute_runs_ms"`
	ScanMS          float64   `json:"scan_ms"`
	ScanRuns        []float64 `json:"scan_runs_ms"`
	RecomputeVsScan float64   `json:"recompute_vs_scan"`
	ReadMS          float64   `json:"read_ms"`
	ReadRuns        []float64 `json:"read_runs_ms"`
}

// TUI times the first frame and every pane's View.
type TUI struct {
	Width       int        `json:"width"`
	Height      int        `json:"height"`
	FirstFrame  FirstFrame `json:"first_frame"`
	ViewUser    string     `json:"view_user"`
	ViewTx      int        `json:"view_user_transactions"`
	LoadSeconds float64    `json:"load_seconds"` // every pane's data loaded
	Panes       []PaneView `json:"panes"`
}

// FirstFrame is program start to the dashboard's first frame with data.
type FirstFrame struct {
	User         string    `json:"user"`
	Transactions int       `json:"transactions"`
	MS           float64   `json:"ms"`
	Runs         []float64 `json:"runs_ms"`
}

// PaneView is the time of one full frame with a pane shown.
type PaneView struct {
	Pane     string  `json:"pane"`
	MedianMS float64 `json:"median_ms"`
	MaxMS    float64 `json:"max_ms"`
	Samples  int     `json:"samples"`
	// LoadSeconds is when the pane's data arrived after the program
	// started (all panes load at once).
	LoadSeconds float64 `json:"load_seconds"`
}

// SSH is the memory N idle sessions cost the server.
type SSH struct {
	Sessions int `json:"sessions"`
	Up       int `json:"up"` // showed their first screen and stayed open
	// Failure is why the sessions that were not up failed, with counts
	// ("2 × the server closed the session, saying …; 1 × …").
	Failure      string  `json:"failure,omitempty"`
	HeapBeforeMB float64 `json:"heap_before_mb"`
	HeapAfterMB  float64 `json:"heap_after_mb"`
	PerSessionMB float64 `json:"per_session_mb"`
	// RSS before and after: the process reuses the memory earlier steps
	// freed, so its growth understates the sessions' cost; the heap is
	// the measure.
	RSSBeforeMB float64 `json:"rss_before_mb"`
	RSSAfterMB  float64 `json:"rss_after_mb"`
	UpSeconds   float64 `json:"up_seconds"` // connect → every first frame
}

// Budget is one budget line: Value compared with Budget by Cmp.
type Budget struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Budget float64 `json:"budget"`
	Cmp    string  `json:"cmp"` // "<=" or ">="
	Pass   bool    `json:"pass"`
	Note   string  `json:"note,omitempty"`
}

func atMost(name string, v float64, unit string, budget float64, note string) Budget {
	return Budget{Name: name, Value: round3(v), Unit: unit, Budget: budget, Cmp: "<=", Pass: v <= budget, Note: note}
}

func atLeast(name string, v float64, unit string, budget float64, note string) Budget {
	return Budget{Name: name, Value: round3(v), Unit: unit, Budget: budget, Cmp: ">=", Pass: v >= budget, Note: note}
}

// budgets turns the measurements into the budget lines of issue 8.
func (r *Report) budgets() {
	in, t := r.Insights, r.TUI
	r.Budgets = []Budget{
		atLeast("ingest_vs_raw_insert", r.Ingest.Ratio, "ratio", 0.7, r.Ingest.note()),
		atMost("insights_recompute", in.RecomputeMS, "ms", 1000,
			fmt.Sprintf("all insights of a user with %d transactions (%s)", in.Transactions, r.Store)),
		atMost("insights_recompute_vs_scan", in.RecomputeVsScan, "x", 3,
			fmt.Sprintf("recompute %.0f ms / one full scan of the user's transactions %.0f ms", in.RecomputeMS, in.ScanMS)),
		atMost("insights_read", in.ReadMS, "ms", 20, "reading the materialized insights"),
	}
	for _, p := range t.Panes {
		r.Budgets = append(r.Budgets, atMost("tui_view_"+strings.ToLower(p.Pane), p.MedianMS, "ms", 2,
			fmt.Sprintf("a full %d×%d frame with %s shown, user with %d transactions", t.Width, t.Height, p.Pane, t.ViewTx)))
	}
	r.Budgets = append(r.Budgets,
		atMost("tui_first_frame", t.FirstFrame.MS, "ms", 1000,
			fmt.Sprintf("program start to the dashboard's first frame with data, user with %d transactions (%s)", t.FirstFrame.Transactions, r.Store)),
		atMost("ssh_idle_session_memory", r.SSH.PerSessionMB, "MB", 10,
			fmt.Sprintf("heap per idle TUI session with %d sessions open", r.SSH.Up)),
	)
	if s := r.SSH; s.Up < s.Sessions {
		// Sessions that never got a screen cost nothing and serve nobody.
		b := &r.Budgets[len(r.Budgets)-1]
		b.Pass = false
		b.Note = fmt.Sprintf("only %d of %d SSH sessions came up; the others: %s", s.Up, s.Sessions, s.Failure)
	}
}

// note says how the ingest ratio was measured and how much it spread.
func (g Ingest) note() string {
	return fmt.Sprintf("median of %d pair ratios %s; each pair a fresh user's sync of %s transactions and a raw InsertMany of the same documents, "+
		"back to back (ABBA order), each run into the same store's transactions collection, empty, with its indexes; median rates: sync %s, raw %s tx/s",
		g.Pairs, spread(g.PairRatios), count(g.RawDocs), count(int(g.SyncTxPerSec)), count(int(g.RawTxPerSec)))
}

// Failed counts the budgets that failed.
func (r *Report) Failed() int {
	n := 0
	for _, b := range r.Budgets {
		if !b.Pass {
			n++
		}
	}
	return n
}

// WriteTable prints the report for a person.
func (r *Report) WriteTable(w io.Writer) error {
	d := r.Data
	var b strings.Builder
	fmt.Fprintf(&b, "openfinance bench · preset %s · %s · seed %d · %.0f s\n", r.Preset, r.Store, r.Seed, r.Seconds)
	fmt.Fprintf(&b, "data: %s transactions stored (%s asked for) for %d users, each linked at %d banks in %.2f s; 10k user %s has %s, largest %s has %s\n\n",
		count(d.Transactions), count(int(d.Nominal)), d.Users, d.BanksPerUser, d.LinkSeconds, d.HeavyUser, count(d.HeavyTx), d.LargestUser, count(d.LargestTx))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	row("SECTION", "MEASUREMENT", "VALUE")
	g := r.Ingest
	row("ingest", "data set sync, banks' part (hub.Sync)", fmt.Sprintf("%s tx/s  (%s tx in %.2f s)", count(int(g.DataSetTxPerSec)), count(g.Transactions), g.SyncSeconds))
	row("ingest", "data set sync incl. insights at its end", fmt.Sprintf("%.2f s", g.SyncWithInsightsSeconds))
	row("ingest", fmt.Sprintf("sync of a fresh user (median of %d)", g.Pairs), fmt.Sprintf("%s tx/s  (runs %s tx/s)", count(int(g.SyncTxPerSec)), runs(g.SyncRuns)))
	row("ingest", fmt.Sprintf("raw unordered InsertMany, same docs (median of %d)", g.Pairs),
		fmt.Sprintf("%s tx/s  (%s docs in %d batches, %d indexes; runs %s tx/s)",
			count(int(g.RawTxPerSec)), count(g.RawDocs), g.RawBatches, g.RawIndexes, runs(g.RawRuns)))
	row("ingest", fmt.Sprintf("sync / raw (median of %d pair ratios)", g.Pairs), fmt.Sprintf("%.2f  (pairs %s)", g.Ratio, spread(g.PairRatios)))
	in := r.Insights
	row("insights", fmt.Sprintf("recompute all (%s, %s tx)", in.User, count(in.Transactions)), fmt.Sprintf("%.1f ms  (runs %s)", in.RecomputeMS, runs(in.RecomputeRun)))
	row("insights", "one full scan of the user's transactions", fmt.Sprintf("%.1f ms  (runs %s)", in.ScanMS, runs(in.ScanRuns)))
	row("insights", "read the materialized insights", fmt.Sprintf("%.2f ms  (median of %d)", in.ReadMS, len(in.ReadRuns)))
	t := r.TUI
	row("tui", fmt.Sprintf("first frame (%s, %s tx)", t.FirstFrame.User, count(t.FirstFrame.Transactions)), fmt.Sprintf("%.1f ms  (runs %s)", t.FirstFrame.MS, runs(t.FirstFrame.Runs)))
	row("tui", fmt.Sprintf("every pane loaded (%s, %s tx)", t.ViewUser, count(t.ViewTx)), fmt.Sprintf("%.2f s", t.LoadSeconds))
	for _, p := range t.Panes {
		row("tui", fmt.Sprintf("View, %s (%d×%d)", p.Pane, t.Width, t.Height), fmt.Sprintf("%.3f ms  (max %.3f, %d samples; data after %.2f s)", p.MedianMS, p.MaxMS, p.Samples, p.LoadSeconds))
	}
	s := r.SSH
	row("ssh", fmt.Sprintf("heap per idle session (%d of %d sessions up)", s.Up, s.Sessions), fmt.Sprintf("%.2f MB  (heap %.1f → %.1f MB, RSS %.0f → %.0f MB; up in %.1f s)",
		s.PerSessionMB, s.HeapBeforeMB, s.HeapAfterMB, s.RSSBeforeMB, s.RSSAfterMB, s.UpSeconds))
	row("process", "peak RSS", fmt.Sprintf("%.0f MB", r.PeakRSSMB))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\nBUDGETS (%d of %d pass)\n", len(r.Budgets)-r.Failed(), len(r.Budgets))
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, bl := range r.Budgets {
		verdict := "PASS"
		if !bl.Pass {
			verdict = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s %s %s\t%s\n", verdict, bl.Name, num(bl.Value), bl.Unit, bl.Cmp, num(bl.Budget), bl.Unit, bl.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func num(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

func runs(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(parts, ", ")
}

func runs2(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return strings.Join(parts, ", ")
}

// count formats a whole number with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
