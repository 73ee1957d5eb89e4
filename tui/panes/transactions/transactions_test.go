package transactions

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/keys"
	"github.com/openfinance-tui/openfinance/tui/styles"
)

// pane builds a pane without a hub: a test that ran one of its Cmds would
// panic, so these tests see that I/O is asked for without doing it.
func pane() *Pane {
	c := &common.Common{Styles: styles.New(true), Keys: keys.New(), Timeout: time.Second}
	p := New(c)
	p.SetSize(100, 20)
	return p
}

func frame(p *Pane) string { return ansi.Strip(p.View()) }

// Nothing is read until the pane is shown; shown again, nothing more;
// data changed while hidden is read when shown next; data changed while
// shown is read at once; a result of an older load is dropped.
func TestLoadsWhenShown(t *testing.T) {
	p := pane()
	if p.Init() != nil || p.Update(common.DataChangedMsg{}) != nil {
		t.Fatal("the pane reads before it is shown")
	}
	if p.SetShown(true) == nil {
		t.Fatal("shown for the first time, the pane does not load")
	}
	if !strings.Contains(frame(p), "Loading") {
		t.Fatalf("while loading:\n%s", frame(p))
	}
	first := p.loads
	if p.SetShown(false) != nil || p.SetShown(true) != nil {
		t.Fatal("shown again before any change, the pane loads again")
	}
	p.Update(loadedMsg{load: first, rows: txs(), base: "USD"})
	if !strings.Contains(frame(p), "5 of 5 transactions") {
		t.Fatalf("after the load:\n%s", frame(p))
	}

	p.SetShown(false)
	if p.Update(common.DataChangedMsg{}) != nil {
		t.Fatal("hidden, the pane reloads at once")
	}
	if p.SetShown(true) == nil {
		t.Fatal("shown after a change, the pane does not reload")
	}
	if p.Update(common.DataChangedMsg{}) == nil {
		t.Fatal("shown, the pane does not reload on a change")
	}
	p.Update(loadedMsg{load: first, rows: txs()[:1]})
	if !strings.Contains(frame(p), "5 of 5 transactions") {
		t.Fatalf("an old load's result replaced the list:\n%s", frame(p))
	}
	p.Update(loadedMsg{load: p.loads, rows: txs()[:2]})
	if !strings.Contains(frame(p), "2 of 2 transactions") {
		t.Fatalf("the newest load's result is not shown:\n%s", frame(p))
	}
}

// enter shows the row at once and reads the whole document by its _id;
// the document's bank-specific fields appear when it arrives, and a
// document for a row no longer open is ignored.
func TestDetailReadsTheDocument(t *testing.T) {
	p := pane()
	p.SetShown(true)
	rows := txs()
	for i := range rows {
		rows[i].ID = model.DeterministicID("t", rows[i].Merchant, rows[i].MonthKey)
	}
	p.Update(loadedMsg{load: p.loads, rows: rows, base: "USD"})
	if p.Update(tea.KeyPressMsg{Code: tea.KeyEnter}) == nil {
		t.Fatal("enter reads nothing")
	}
	f := frame(p)
	if !strings.Contains(f, "Blue Bottle Coffee") || !strings.Contains(f, "Reading the rest") {
		t.Fatalf("detail before the document:\n%s", f)
	}
	p.Update(openedMsg{id: rows[1].ID, tx: model.Transaction{Extra: map[string]any{"Wrong": 1}}})
	if strings.Contains(frame(p), "Wrong") {
		t.Fatal("another row's document was shown")
	}
	p.Update(openedMsg{id: rows[0].ID, tx: model.Transaction{BaseCurrency: "USD", Extra: map[string]any{"GreenCarbonKg": 1.5}}})
	if f := frame(p); !strings.Contains(f, "Bank-specific fields") || !strings.Contains(f, "GreenCarbonKg") || strings.Contains(f, "Reading") {
		t.Fatalf("detail with the document:\n%s", f)
	}
	p.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if !strings.Contains(frame(p), "5 of 5 transactions") {
		t.Fatalf("esc did not go back to the list:\n%s", frame(p))
	}
	if p.Update(openedMsg{id: rows[0].ID, err: errTest}) != nil {
		t.Fatal("a late result for a closed detail reported an error")
	}
}

type testErr string

func (e testErr) Error() string { return string(e) }

const errTest = testErr("gone")
