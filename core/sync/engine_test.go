package sync_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/log/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
	banksync "github.com/openfinance-tui/openfinance/core/sync"
)

const (
	canaryAccess  = "canary-access-7f3a9c"
	canaryRefresh = "canary-refresh-51d2e8"
)

var clock = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

type rig struct {
	s      *store.Store
	eng    *banksync.Engine
	user   model.UserRef
	logBuf *bytes.Buffer
}

func newRig(t *testing.T) *rig {
	s := storetest.Open(t)
	box, err := secrets.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	return &rig{
		s: s, user: model.UserRef{UserName: "alice", UserId: model.DemoUserID("alice")}, logBuf: &buf,
		eng: &banksync.Engine{
			Store: s, Secrets: box, Now: func() time.Time { return clock }, Log: log.New(&buf),
			Policy: bankapi.Policy{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
		},
	}
}

// link stores what a completed link leaves: a consent and sealed tokens.
func (r *rig) link(t *testing.T, b banks.Bank, expires time.Time) banksync.Target {
	ctx := storetest.Ctx(t)
	from := clock.AddDate(-1, 0, 0)
	c := model.Consent{ID: model.ConsentDocID(r.user.UserId, b.ID, "C-"+b.ID), ConsentId: "C-" + b.ID, BankId: b.ID, Bank: b.Name,
		ConsentUser: r.user, Permissions: banks.DefaultPermissions(), Status: model.ConsentAuthorised,
		TransactionFrom: &from, CreatedAt: clock, ExpiresAt: expires}
	if _, err := r.s.C(model.CollConsents).InsertOne(ctx, c); err != nil {
		t.Fatal(err)
	}
	err := banksync.SaveTokens(ctx, r.s, r.eng.Secrets, r.user, b.ID,
		bankapi.Tokens{Access: canaryAccess, Refresh: canaryRefresh, ConsentID: c.ConsentId, Expiry: clock.Add(10 * time.Minute)}, clock)
	if err != nil {
		t.Fatal(err)
	}
	return banksync.Target{Bank: b, Consent: c}
}

func (r *rig) run(ctx context.Context, t banksync.Target) banksync.Report {
	return r.eng.Run(ctx, r.user, []banksync.Target{t}, fx.Rates{"USD": 1}, nil)[0]
}

func (r *rig) count(t *testing.T, coll string, f bson.D) int {
	t.Helper()
	if f == nil {
		f = bson.D{}
	}
	n, err := r.s.C(coll).CountDocuments(storetest.Ctx(t), f)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// fingerprint is the count and a hash of every stored bank document.
func (r *rig) fingerprint(t *testing.T) string {
	t.Helper()
	h := sha256.New()
	n := 0
	for _, coll := range []string{model.CollAccounts, model.CollProducts, model.CollTransactions} {
		docs, err := r.s.RawDocs(storetest.Ctx(t), coll, bson.D{}, bson.D{{Key: "_id", Value: 1}})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			// Keys sorted: bank-specific fields live in a map, whose
			// order is not kept.
			b, _ := bson.MarshalExtJSON(d, true, false)
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			b, _ = json.Marshal(m)
			h.Write(b)
			n++
		}
	}
	return fmt.Sprintf("%d docs, %s", n, hex.EncodeToString(h.Sum(nil))[:16])
}

func (r *rig) audit(t *testing.T, action string) []model.AuditEvent {
	t.Helper()
	evs, err := store.FindAll[model.AuditEvent](storetest.Ctx(t), r.s, model.CollAudit, bson.D{{Key: "Action", Value: action}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func (r *rig) consent(t *testing.T, id bson.ObjectID) model.Consent {
	t.Helper()
	var c model.Consent
	if err := r.s.C(model.CollConsents).FindOne(storetest.Ctx(t), bson.D{{Key: "_id", Value: id}}).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSyncTwiceStoresOneCopyAndBooksPending(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	ctx := storetest.Ctx(t)
	first := r.run(ctx, tg)
	if first.Err != nil || first.Accounts != 2 || first.Products != 1 || first.Transactions != 90 || first.New != 90 {
		t.Fatalf("first sync: %+v", first)
	}
	fp := r.fingerprint(t)
	second := r.run(ctx, tg)
	if second.Err != nil || second.New != 0 || second.Transactions != 90 {
		t.Fatalf("second sync: %+v", second)
	}
	if got := r.fingerprint(t); got != fp {
		t.Fatalf("second sync changed the data: %s, was %s", got, fp)
	}
	pending := bson.D{{Key: "Status", Value: model.StatusPending}}
	if n := r.count(t, model.CollTransactions, pending); n != 4 {
		t.Fatalf("%d pending transactions, want 4", n)
	}
	fb.set(func(fb *fakeBank) { fb.booked = true })
	if rep := r.run(ctx, tg); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	if n, all := r.count(t, model.CollTransactions, pending), r.count(t, model.CollTransactions, nil); n != 0 || all != 90 {
		t.Fatalf("after booking: %d pending of %d", n, all)
	}
	var acc bson.M
	_ = r.s.C(model.CollAccounts).FindOne(ctx, bson.D{{Key: "AccountId", Value: "FK-1"}}).Decode(&acc)
	if acc["FakeAccountNarrative"] != "plain" || acc["AccountBalance"] != 200.5 {
		t.Fatalf("account %v", acc)
	}
	c := r.consent(t, tg.Consent.ID)
	if c.LastSync == nil || c.LastSync.State != model.SyncOK || c.LastSync.Counts["transactions_fetched"] != 90 {
		t.Fatalf("last sync %+v", c.LastSync)
	}
	if len(r.audit(t, model.AuditSyncStarted)) != 3 || len(r.audit(t, model.AuditSyncFinished)) != 3 {
		t.Fatal("each sync should audit started and finished once")
	}
}

func TestServerErrorOnPage3KeepsEarlierDataAndAuditsIt(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	ctx := storetest.Ctx(t)
	if rep := r.run(ctx, tg); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	before := r.fingerprint(t)
	fb.set(func(fb *fakeBank) { fb.failPage = 3 })
	rep := r.run(ctx, tg)
	if rep.Err == nil || rep.State != model.SyncFailed || !strings.Contains(rep.Err.Error(), "transactions of account FK-0 (page 3)") ||
		!strings.Contains(rep.Err.Error(), "500") {
		t.Fatalf("report %+v", rep)
	}
	if after := r.fingerprint(t); after != before {
		t.Fatalf("a failed sync changed the stored data: %s, was %s", after, before)
	}
	failed := r.audit(t, model.AuditSyncFailed)
	if len(failed) != 1 || !strings.Contains(failed[0].Detail, "page 3") || failed[0].Outcome != model.OutcomeFailed {
		t.Fatalf("audit %+v", failed)
	}
	if c := r.consent(t, tg.Consent.ID); c.LastSync.State != model.SyncFailed || c.Status != model.ConsentAuthorised {
		t.Fatalf("consent %+v", c)
	}
	fb.set(func(fb *fakeBank) { fb.failPage = 0 })
	if rep := r.run(ctx, tg); rep.Err != nil || r.fingerprint(t) != before {
		t.Fatalf("retry: %+v, %s", rep, r.fingerprint(t))
	}
}

func TestSyncKilledHalfwayThenRerunEqualsCleanRun(t *testing.T) {
	clean, fb1 := newRig(t), newFakeBank(t)
	if rep := clean.run(storetest.Ctx(t), clean.link(t, fb1.bank(), clock.AddDate(0, 3, 0))); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	ctx, cancel := context.WithCancel(storetest.Ctx(t))
	fb.set(func(fb *fakeBank) {
		fb.onData = func(n int) {
			if n == 6 { // accounts, products, 3 pages of FK-0 stored: kill during the 4th
				cancel()
			}
		}
	})
	rep := r.run(ctx, tg)
	if rep.Err == nil {
		t.Fatal("a cancelled sync reported success")
	}
	if n := r.count(t, model.CollTransactions, nil); n == 0 || n >= 90 {
		t.Fatalf("%d transactions stored by the killed sync, want some but not all", n)
	}
	fb.set(func(fb *fakeBank) { fb.onData = nil })
	if rep := r.run(storetest.Ctx(t), tg); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	for _, coll := range []string{model.CollAccounts, model.CollProducts, model.CollTransactions, model.CollTxMonths} {
		if a, b := r.count(t, coll, nil), clean.count(t, coll, nil); a != b {
			t.Fatalf("%s: %d after kill and rerun, %d after a clean run", coll, a, b)
		}
	}
	r.checkBuckets(t, "after the rerun")
}

func TestExpiredConsentMakesNoCalls(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.Add(-time.Hour))
	for i := 0; i < 2; i++ {
		rep := r.run(storetest.Ctx(t), tg)
		if rep.State != banksync.StateExpired || rep.Err == nil || !strings.Contains(rep.Err.Error(), "expired") {
			t.Fatalf("run %d: %+v", i, rep)
		}
	}
	fb.mu.Lock()
	data, tok := fb.dataCalls, fb.tokenCalls
	fb.mu.Unlock()
	if data != 0 || tok != 0 {
		t.Fatalf("an expired consent made %d data and %d token calls", data, tok)
	}
	if c := r.consent(t, tg.Consent.ID); c.Status != model.ConsentExpired {
		t.Fatalf("status %s", c.Status)
	}
	if n := len(r.audit(t, model.AuditConsentExpired)); n != 1 {
		t.Fatalf("%d consent.expired records, want 1", n)
	}
}

func TestRefusedRefreshNeedsReconsentAndStopsCalling(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	fb.set(func(fb *fakeBank) { fb.rejectToken, fb.refreshOK = true, false })
	rep := r.run(storetest.Ctx(t), tg)
	if rep.State != banksync.StateReauth {
		t.Fatalf("report %+v", rep)
	}
	fb.mu.Lock()
	data, tok := fb.dataCalls, fb.tokenCalls
	fb.mu.Unlock()
	if data != 1 || tok != 1 {
		t.Fatalf("%d data calls and %d refreshes, want exactly 1 and 1", data, tok)
	}
	c := r.consent(t, tg.Consent.ID)
	if c.Status != model.ConsentReauthRequired {
		t.Fatalf("status %s", c.Status)
	}
	tg.Consent = c
	if rep := r.run(storetest.Ctx(t), tg); rep.State != banksync.StateReauth || fb.calls() != 1 {
		t.Fatalf("after reauth: %+v, %d calls", rep, fb.calls())
	}
}

func TestRefreshedTokenIsStoredSealed(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	fb.set(func(fb *fakeBank) {
		fb.onData = func(n int) {
			if n == 1 {
				fb.rejectToken = true
			} else {
				fb.rejectToken = false
			}
		}
	})
	if rep := r.run(storetest.Ctx(t), tg); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	toks, err := banksync.LoadTokens(storetest.Ctx(t), r.s, r.eng.Secrets, r.user, tg.Bank.ID)
	if err != nil || toks.Access != "refreshed" || toks.Refresh != canaryRefresh {
		t.Fatalf("tokens after refresh: access %q, err %v", toks.Access, err)
	}
}

// No token value in any stored document or in the log.
func TestTokensNeverInDumpOrLog(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	fb.set(func(fb *fakeBank) { fb.failPage = 2 })
	r.run(storetest.Ctx(t), tg)
	toks, err := banksync.LoadTokens(storetest.Ctx(t), r.s, r.eng.Secrets, r.user, tg.Bank.ID)
	if err != nil || toks.Access != canaryAccess {
		t.Fatalf("the canary cannot be read back through the box: %v", err)
	}
	var dump strings.Builder
	names, _ := r.s.DB().ListCollectionNames(storetest.Ctx(t), bson.D{})
	for _, coll := range names {
		docs, _ := r.s.RawDocs(storetest.Ctx(t), coll, bson.D{}, nil)
		for _, d := range docs {
			b, _ := bson.MarshalExtJSON(d, false, false)
			dump.Write(b)
		}
	}
	for _, canary := range []string{canaryAccess, canaryRefresh} {
		if strings.Contains(dump.String(), canary) || strings.Contains(r.logBuf.String(), canary) {
			t.Fatalf("token %s found in the dump or the log", canary)
		}
	}
	if !strings.Contains(dump.String(), "enc:v1:") {
		t.Fatal("no sealed token in the dump: the test checks nothing")
	}
}

// Banks sync concurrently; one failing does not stop the other.
func TestBanksSyncConcurrentlyAndFailAlone(t *testing.T) {
	r := newRig(t)
	good, bad := newFakeBank(t), newFakeBank(t)
	bb := bad.bank()
	bb.ID, bb.Name = "bad-bank", "Bad Bank"
	bb.BaseURL = bad.srv.URL + "/fake-bank"
	bad.set(func(fb *fakeBank) { fb.failPage = 1 })
	targets := []banksync.Target{r.link(t, good.bank(), clock.AddDate(0, 3, 0)), r.link(t, bb, clock.AddDate(0, 3, 0))}
	var progress int
	reps := r.eng.Run(storetest.Ctx(t), r.user, targets, fx.Rates{"USD": 1}, func(banksync.Progress) { progress++ })
	if reps[0].Err != nil || reps[0].Transactions != 90 || reps[1].Err == nil || !strings.Contains(reps[1].Err.Error(), "Bad Bank") {
		t.Fatalf("reports %+v", reps)
	}
	if progress == 0 {
		t.Fatal("no progress reported")
	}
}

// A sync that outlasts the bookkeeping deadline still records its end (a
// bank with 90k transactions takes half a minute): the writes after the
// fetch get a deadline of their own.
func TestLongSyncStillRecordsItsEnd(t *testing.T) {
	r, fb := newRig(t), newFakeBank(t)
	banksync.SetBookkeepingTimeout(r.eng, time.Second)
	tg := r.link(t, fb.bank(), clock.AddDate(0, 3, 0))
	fb.set(func(fb *fakeBank) { fb.onData = func(int) { time.Sleep(150 * time.Millisecond) } })
	start := time.Now()
	if rep := r.run(storetest.Ctx(t), tg); rep.Err != nil || rep.New != 90 {
		t.Fatalf("sync: %+v", rep)
	}
	if took := time.Since(start); took < time.Second {
		t.Fatalf("the sync took %s, not longer than the bookkeeping deadline: the test shows nothing", took)
	}
	if c := r.consent(t, tg.Consent.ID); c.LastSync == nil || c.LastSync.State != model.SyncOK {
		t.Fatalf("last sync %+v, want ok", c.LastSync)
	}
	if n := len(r.audit(t, model.AuditSyncFinished)); n != 1 {
		t.Fatalf("%d sync.finished audit events, want 1", n)
	}
}
