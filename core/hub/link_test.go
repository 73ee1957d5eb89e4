package hub_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// env is a hub over the embedded store and the emulated banks on loopback.
type env struct {
	h       *hub.Hub
	s       *store.Store
	srv     *mockbank.Server
	logPath string

	mu  gosync.Mutex
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s := storetest.Open(t)
	box, err := secrets.New(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "openfinance.log")
	logger, closer, err := app.OpenLog(logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = closer.Close() })
	e := &env{s: s, logPath: logPath, now: time.Now()}
	srv, err := mockbank.Start(context.Background(), "127.0.0.1:0", mockbank.Options{Now: e.clock, Logger: logger.WithPrefix("mockbank")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Close(ctx)
	})
	e.srv = srv
	a := &app.App{Store: s, Secrets: box, Log: logger}
	e.h = hub.New(a, srv.Directory(), hub.Options{Now: e.clock,
		BankPolicy: bankapi.Policy{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}})
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func (e *env) user(t *testing.T, name string) model.UserRef {
	t.Helper()
	u, err := e.h.EnsureUser(storetest.Ctx(t), name, "", "local")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// link links a bank with its published demo credentials.
func (e *env) link(t *testing.T, u model.UserRef, bankID string) model.Consent {
	t.Helper()
	ctx := storetest.Ctx(t)
	ls, err := e.h.StartLink(ctx, u, hub.LinkRequest{BankID: bankID})
	if err != nil {
		t.Fatalf("start link %s: %v", bankID, err)
	}
	c, err := e.h.CompleteLink(ctx, ls, ls.Bank.DemoCredentials(u.UserName), true)
	if err != nil || c.Status != model.ConsentAuthorised {
		t.Fatalf("complete link %s: %+v %v", bankID, c, err)
	}
	return c
}

func (e *env) sync(t *testing.T, u model.UserRef, bankID string) []hub.SyncReport {
	t.Helper()
	reps, err := e.h.Sync(storetest.Ctx(t), u, bankID, nil)
	var ie *hub.InsightsError
	if err != nil && !errors.As(err, &ie) {
		t.Fatalf("sync %s: %v", bankID, err)
	}
	return reps
}

func (e *env) count(t *testing.T, coll string, f bson.D) int {
	t.Helper()
	n, err := e.s.C(coll).CountDocuments(storetest.Ctx(t), f)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// userCounts counts a user's documents in every collection.
func (e *env) userCounts(t *testing.T, u model.UserRef) map[string]int {
	t.Helper()
	out := map[string]int{}
	for coll, f := range store.UserFilters(u) {
		out[coll] = e.count(t, coll, f)
	}
	return out
}

func TestLinkEveryBankThenSyncTwiceGivesEqualCounts(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "alice")
	for _, b := range e.h.Banks() {
		e.link(t, u, b.ID)
		for _, r := range e.sync(t, u, b.ID) {
			if r.Err != nil || r.State != model.SyncOK || r.Accounts == 0 || r.Transactions == 0 {
				t.Fatalf("%s: %+v", b.Name, r)
			}
		}
	}
	first := e.userCounts(t, u)
	reps := e.sync(t, u, "")
	if len(reps) != len(e.h.Banks()) {
		t.Fatalf("%d reports for %d banks", len(reps), len(e.h.Banks()))
	}
	for _, r := range reps {
		if r.Err != nil || r.New != 0 {
			t.Fatalf("second sync %s: %+v", r.Bank, r)
		}
	}
	second := e.userCounts(t, u)
	for _, coll := range []string{model.CollAccounts, model.CollProducts, model.CollTransactions, model.CollTokens, model.CollConsents} {
		if first[coll] != second[coll] || first[coll] == 0 {
			t.Fatalf("%s: %d then %d", coll, first[coll], second[coll])
		}
	}
	// Every style's loans arrive as products with a rate and a term.
	ps, _ := e.h.Products(storetest.Ctx(t), u, "", "")
	seen := map[string]bool{}
	for _, p := range ps {
		if p.IsDebt() && p.ProductInterestRate > 0 && p.TermMonths() > 0 && p.Lineage != nil {
			seen[p.Lineage.BankId] = true
		}
	}
	for _, id := range []string{"albion-bank", "rhein-bank"} {
		if !seen[id] {
			t.Errorf("no complete loan or mortgage from %s in %d products", id, len(ps))
		}
	}
}

func TestWrongPasswordCanBeRetried(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "bob")
	ctx := storetest.Ctx(t)
	ls, err := e.h.StartLink(ctx, u, hub.LinkRequest{BankID: "Green Bank"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.h.CompleteLink(ctx, ls, hub.Credentials{User: "bob", Password: "wrong"}, true)
	var le *bankapi.LoginError
	if !errors.As(err, &le) || err.Error() != "Green Bank did not accept the user name or password" {
		t.Fatalf("wrong password: %v", err)
	}
	if c, err := e.h.CompleteLink(ctx, ls, ls.Bank.DemoCredentials("bob"), true); err != nil || c.Status != model.ConsentAuthorised {
		t.Fatalf("retry: %+v %v", c, err)
	}
	if _, err := e.h.CompleteLink(ctx, ls, ls.Bank.DemoCredentials("bob"), true); !errors.Is(err, hub.ErrLinkSpent) {
		t.Fatalf("third completion: %v", err)
	}
}

func TestMongoDBBankAsksForTheOneTimeCode(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "carmen")
	ctx := storetest.Ctx(t)
	ls, err := e.h.StartLink(ctx, u, hub.LinkRequest{BankID: "mongodb-bank"})
	if err != nil || !ls.AsksOTP {
		t.Fatalf("start: %+v %v", ls, err)
	}
	cred := ls.Bank.DemoCredentials("carmen")
	cred.OTP = "000000"
	if _, err := e.h.CompleteLink(ctx, ls, cred, true); err == nil {
		t.Fatal("a wrong one-time code was accepted")
	}
}

func TestRejectingRecordsARejectedConsent(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "dmitri")
	ctx := storetest.Ctx(t)
	ls, err := e.h.StartLink(ctx, u, hub.LinkRequest{BankID: "rhein-bank"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.h.CompleteLink(ctx, ls, ls.Bank.DemoCredentials("dmitri"), false)
	if err != nil || c.Status != model.ConsentRejected {
		t.Fatalf("reject: %+v %v", c, err)
	}
	if n := e.count(t, model.CollTokens, bson.D{{Key: "BankId", Value: "rhein-bank"}}); n != 0 {
		t.Fatalf("%d tokens stored for a rejected consent", n)
	}
	if n := e.count(t, model.CollAudit, bson.D{{Key: "Action", Value: model.AuditConsentRejected}}); n != 1 {
		t.Fatalf("%d consent.rejected records", n)
	}
	if reps, _ := e.h.Sync(ctx, u, "", nil); len(reps) != 0 {
		t.Fatalf("a rejected consent was synced: %+v", reps)
	}
}

func TestRenewingKeepsOneActiveConsentPerBank(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "alice")
	old := e.link(t, u, "albion-bank")
	renewed := e.link(t, u, "albion-bank")
	cs, err := e.h.Consents(storetest.Ctx(t), u)
	if err != nil || len(cs) != 2 {
		t.Fatalf("consents %+v %v", cs, err)
	}
	status := map[string]string{}
	for _, c := range cs {
		status[c.ConsentId] = c.Status
	}
	if status[old.ConsentId] != model.ConsentRevoked || status[renewed.ConsentId] != model.ConsentAuthorised {
		t.Fatalf("statuses %v", status)
	}
	if n := e.count(t, model.CollTokens, bson.D{{Key: "BankId", Value: "albion-bank"}}); n != 1 {
		t.Fatalf("%d token documents, want 1", n)
	}
	if r := e.sync(t, u, "albion-bank"); r[0].Err != nil {
		t.Fatalf("sync under the renewed consent: %v", r[0].Err)
	}
}

// A seeded demo user who links Green Bank ends with one copy of each
// account and product: the synced documents take the seeded _ids.
func TestSeededUserLinkingGreenBankKeepsOneCopy(t *testing.T) {
	e := newEnv(t)
	ctx := storetest.Ctx(t)
	if _, err := e.h.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := e.h.User(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	accBefore, _ := e.h.Accounts(ctx, u, "green-bank")
	prodBefore, _ := e.h.Products(ctx, u, "green-bank", "")
	if len(accBefore) == 0 || len(prodBefore) == 0 {
		t.Fatal("no seeded Green Bank data")
	}
	e.link(t, u, "green-bank")
	if r := e.sync(t, u, "green-bank"); r[0].Err != nil {
		t.Fatal(r[0].Err)
	}
	accAfter, _ := e.h.Accounts(ctx, u, "green-bank")
	prodAfter, _ := e.h.Products(ctx, u, "green-bank", "")
	if len(accAfter) != len(accBefore) || len(prodAfter) != len(prodBefore) {
		t.Fatalf("accounts %d → %d, products %d → %d", len(accBefore), len(accAfter), len(prodBefore), len(prodAfter))
	}
	txs, err := e.h.Transactions(ctx, u, hub.TxFilter{Limit: 1})
	if err != nil || len(txs) != 1 || txs[0].Merchant == "" {
		t.Fatalf("transactions %+v %v", txs, err)
	}
	m := txs[0].Merchant
	found, err := e.h.Transactions(ctx, u, hub.TxFilter{Text: strings.ToUpper(m[:len(m)/2+1])})
	if err != nil || len(found) == 0 {
		t.Fatalf("text filter %q: %d found, %v", m, len(found), err)
	}
	for _, x := range found {
		if !strings.Contains(strings.ToLower(x.Merchant+x.Description+x.Category), strings.ToLower(m[:len(m)/2+1])) {
			t.Fatalf("text filter matched %+v", x)
		}
	}
	for i := range accAfter {
		if accAfter[i].ID != accBefore[i].ID || accAfter[i].Lineage == nil || accAfter[i].Extra["GreenAccountNarrative"] == nil {
			t.Fatalf("account %d: %+v", i, accAfter[i])
		}
	}
}

func TestExpiredConsentMakesZeroCallsAtTheBank(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "bob")
	e.link(t, u, "green-bank")
	before := e.srv.Stats("green-bank")
	e.advance(91 * 24 * time.Hour)
	reps := e.sync(t, u, "green-bank")
	if reps[0].State != "expired" || reps[0].Err == nil {
		t.Fatalf("report %+v", reps[0])
	}
	if after := e.srv.Stats("green-bank"); after != before {
		t.Fatalf("the bank saw calls: %+v → %+v", before, after)
	}
	cs, _ := e.h.Consents(storetest.Ctx(t), u)
	if cs[0].Status != model.ConsentExpired {
		t.Fatalf("status %s", cs[0].Status)
	}
}

// The bank revokes the consent behind the app's back: the next call is a
// 401, the one refresh is refused, the consent needs re-consent and no
// further call is made.
func TestRevokedAtTheBankNeedsReconsentAfterOneRefresh(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "carmen")
	c := e.link(t, u, "albion-bank")
	b, _ := e.h.Bank("albion-bank")
	cl, err := bankapi.Discover(storetest.Ctx(t), b, bankapi.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	ad, _ := bankapi.For(b.Style)
	if err := ad.DeleteConsent(storetest.Ctx(t), cl, c.ConsentId); err != nil {
		t.Fatal(err)
	}
	before := e.srv.Stats("albion-bank")
	reps := e.sync(t, u, "albion-bank")
	after := e.srv.Stats("albion-bank")
	if reps[0].State != "reauth" || after.Data-before.Data != 1 || after.Token-before.Token != 1 {
		t.Fatalf("report %+v; bank saw %+v → %+v", reps[0], before, after)
	}
	cs, _ := e.h.Consents(storetest.Ctx(t), u)
	if cs[0].Status != model.ConsentReauthRequired {
		t.Fatalf("status %s", cs[0].Status)
	}
	e.sync(t, u, "albion-bank")
	if again := e.srv.Stats("albion-bank"); again != after {
		t.Fatalf("calls after reauth: %+v → %+v", after, again)
	}
}

// Token values never reach the database in plain text nor the log file.
func TestNoTokenInDumpOrLog(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "alice")
	for _, id := range []string{"green-bank", "rhein-bank"} {
		e.link(t, u, id)
		e.sync(t, u, id)
	}
	var dump strings.Builder
	ctx := storetest.Ctx(t)
	names, _ := e.s.DB().ListCollectionNames(ctx, bson.D{})
	for _, coll := range names {
		docs, _ := e.s.RawDocs(ctx, coll, bson.D{}, nil)
		for _, d := range docs {
			b, _ := bson.MarshalExtJSON(d, false, false)
			dump.Write(b)
		}
	}
	logText, _ := os.ReadFile(e.logPath)
	checked := 0
	for _, id := range []string{"green-bank", "rhein-bank"} {
		toks, err := loadTokens(t, e, u, id)
		if err != nil || toks.Access == "" || toks.Refresh == "" {
			t.Fatalf("cannot read the tokens back through the box: %v", err)
		}
		for _, canary := range []string{toks.Access, toks.Refresh} {
			checked++
			if strings.Contains(dump.String(), canary) || bytes.Contains(logText, []byte(canary)) {
				t.Fatalf("a %s token value is in the database dump or the log", id)
			}
		}
	}
	if checked != 4 || len(logText) == 0 {
		t.Fatalf("checked %d values against a %d-byte log", checked, len(logText))
	}
}
