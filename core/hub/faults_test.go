package hub_test

import (
	"context"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/storetest"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// A bank failing a transaction page with 500 (after the retries) leaves
// what an earlier sync stored exactly as it was, and the audit says what
// failed; a later sync converges.
func TestFailedPageAtTheBankKeepsStoredData(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "alice")
	e.link(t, u, "rhein-bank")
	if r := e.sync(t, u, "rhein-bank"); r[0].Err != nil {
		t.Fatal(r[0].Err)
	}
	before := bankDocs(t, e, u, "rhein-bank", "Rheinbank")
	if err := e.srv.SetFaults("rhein-bank", mockbank.Faults{FailPage: 2}); err != nil {
		t.Fatal(err)
	}
	r := e.sync(t, u, "rhein-bank")[0]
	if r.Err == nil || r.State != model.SyncFailed || !strings.Contains(r.Err.Error(), "(page 2)") {
		t.Fatalf("report %+v", r)
	}
	if bankDocs(t, e, u, "rhein-bank", "Rheinbank") != before {
		t.Fatal("the failed sync changed the stored documents")
	}
	evs, _ := e.h.Audit(storetest.Ctx(t), u, 1)
	if evs[0].Action != model.AuditSyncFailed || !strings.Contains(evs[0].Detail, "page 2") {
		t.Fatalf("audit %+v", evs[0])
	}
	cs, _ := e.h.Consents(storetest.Ctx(t), u)
	if cs[0].LastSync == nil || cs[0].LastSync.State != model.SyncFailed || cs[0].LastSync.Error == "" {
		t.Fatalf("last sync %+v", cs[0].LastSync)
	}
	_ = e.srv.SetFaults("rhein-bank", mockbank.Faults{})
	if r := e.sync(t, u, "rhein-bank"); r[0].Err != nil || r[0].New != 0 {
		t.Fatalf("retry %+v", r[0])
	}
}

// A sync killed after a few pages, then run again, ends with the documents
// of one clean run.
func TestSyncKilledHalfwayConverges(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "bob")
	e.link(t, u, "albion-bank")
	ctx, cancel := context.WithCancel(storetest.Ctx(t))
	pages := 0
	_, _ = e.h.Sync(ctx, u, "albion-bank", func(p hub.SyncProgress) {
		if p.Resource == "transactions" && !p.Finished {
			if pages++; pages == 2 {
				cancel()
			}
		}
	})
	killed := e.count(t, model.CollTransactions, bson.D{})
	if r := e.sync(t, u, "albion-bank"); r[0].Err != nil {
		t.Fatal(r[0].Err)
	}
	after := e.count(t, model.CollTransactions, bson.D{})
	if r := e.sync(t, u, "albion-bank"); r[0].Err != nil || r[0].New != 0 || r[0].Transactions != after {
		t.Fatalf("clean run after the rerun: %+v, %d stored", r[0], after)
	}
	if killed == 0 || killed >= after {
		t.Fatalf("the killed sync stored %d of %d: it was not killed halfway", killed, after)
	}
}
