package bench

import (
	"strings"
	"testing"
)

// Verdicts follow the values, and sessions that never came up fail the
// SSH budget whatever their memory.
func TestBudgetVerdicts(t *testing.T) {
	r := &Report{Store: "embedded FerretDB"}
	r.Ingest.Ratio = 0.69
	r.Insights = Insights{RecomputeMS: 1000, RecomputeVsScan: 3.01, ReadMS: 19.99, ScanMS: 10}
	r.TUI.Panes = []PaneView{{Pane: "Overview", MedianMS: 2}, {Pane: "Transactions", MedianMS: 2.001}}
	r.TUI.FirstFrame.MS = 1001
	r.SSH = SSH{Sessions: 10, Up: 9, PerSessionMB: 1, Failure: "1 × the server closed the session"}
	r.budgets()
	want := map[string]bool{
		"ingest_vs_raw_insert": false, "insights_recompute": true, "insights_recompute_vs_scan": false,
		"insights_read": true, "tui_view_overview": true, "tui_view_transactions": false,
		"tui_first_frame": false, "ssh_idle_session_memory": false,
	}
	if len(r.Budgets) != len(want) {
		t.Fatalf("%d budgets: %+v", len(r.Budgets), r.Budgets)
	}
	for _, b := range r.Budgets {
		if p, ok := want[b.Name]; !ok || p != b.Pass {
			t.Errorf("%s: pass %v, want %v (%+v)", b.Name, b.Pass, p, b)
		}
	}
	if last := r.Budgets[len(r.Budgets)-1]; !strings.Contains(last.Note, "only 9 of 10 SSH sessions came up; the others: 1 × the server closed") {
		t.Errorf("ssh note: %q", last.Note)
	}
	if r.Failed() != 5 {
		t.Errorf("failed = %d", r.Failed())
	}
}
