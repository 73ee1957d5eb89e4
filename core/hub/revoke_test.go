package hub_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
	banksync "github.com/openfinance-tui/openfinance/core/sync"
)

func loadTokens(t *testing.T, e *env, u model.UserRef, bankID string) (bankapi.Tokens, error) {
	t.Helper()
	return banksync.LoadTokens(storetest.Ctx(t), e.s, e.h.App().Secrets, u, bankID)
}

// bankDocs fingerprints a user's documents of one bank.
func bankDocs(t *testing.T, e *env, u model.UserRef, bankID, bankName string) string {
	t.Helper()
	var b strings.Builder
	filters := store.BankDataFilters(u, bankID, bankName)
	for _, coll := range []string{model.CollAccounts, model.CollProducts, model.CollTransactions} {
		docs, err := e.s.RawDocs(storetest.Ctx(t), coll, filters[coll], bson.D{{Key: "_id", Value: 1}})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			b.WriteString(canonical(t, d))
		}
	}
	return b.String()
}

// canonical renders a document with its keys sorted at every depth: the
// bank-specific fields live in a map, whose order is not kept.
func canonical(t *testing.T, d bson.D) string {
	t.Helper()
	js, err := bson.MarshalExtJSON(d, true, false)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(m)
	return string(out)
}

func TestRevokeErasesExactlyThatBanksData(t *testing.T) {
	e := newEnv(t)
	ctx := storetest.Ctx(t)
	if _, err := e.h.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	u, _ := e.h.User(ctx, "alice")
	other, _ := e.h.User(ctx, "bob")
	for _, id := range []string{"green-bank", "albion-bank"} {
		e.link(t, u, id)
		e.sync(t, u, id)
	}
	albion := bankDocs(t, e, u, "albion-bank", "Albion Bank")
	mongo := bankDocs(t, e, u, "mongodb-bank", "MongoDB Bank") // seeded only
	bobsGreen := bankDocs(t, e, other, "green-bank", "Green Bank")
	if albion == "" || mongo == "" || bobsGreen == "" {
		t.Fatal("nothing to compare: the test would check nothing")
	}
	res, err := e.h.RevokeDetail(ctx, u, "Green Bank")
	if err != nil || res.BankNotice != "" || res.Consents != 1 {
		t.Fatalf("revoke: %+v %v", res, err)
	}
	if res.Erased[model.CollAccounts] == 0 || res.Erased[model.CollTransactions] == 0 || res.Erased[model.CollTokens] != 1 {
		t.Fatalf("erased %v", res.Erased)
	}
	if left := bankDocs(t, e, u, "green-bank", "Green Bank"); left != "" {
		t.Fatalf("Green Bank documents remain: %.300s", left)
	}
	if bankDocs(t, e, u, "albion-bank", "Albion Bank") != albion || bankDocs(t, e, u, "mongodb-bank", "MongoDB Bank") != mongo ||
		bankDocs(t, e, other, "green-bank", "Green Bank") != bobsGreen {
		t.Fatal("revoking Green Bank changed another bank's or another user's documents")
	}
	evs, _ := e.h.Audit(ctx, u, 0)
	if evs[0].Action != model.AuditConsentRevoked || evs[0].Counts[model.CollAccounts] == 0 || evs[0].BankId != "green-bank" {
		t.Fatalf("newest audit record %+v", evs[0])
	}
	// Revoked means no further calls, and a second revoke has nothing to do.
	before := e.srv.Stats("green-bank")
	reps, _ := e.h.Sync(ctx, u, "green-bank", nil)
	if len(reps) != 1 || reps[0].Err == nil || e.srv.Stats("green-bank") != before {
		t.Fatalf("sync after revoke: %+v", reps)
	}
	if _, err := e.h.Revoke(ctx, u, "green-bank"); !errors.Is(err, hub.ErrNotLinked) {
		t.Fatalf("second revoke: %v", err)
	}
}

func TestEraseLeavesNoDocumentOfTheUser(t *testing.T) {
	e := newEnv(t)
	ctx := storetest.Ctx(t)
	if _, err := e.h.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	u, _ := e.h.User(ctx, "dmitri")
	bob, _ := e.h.User(ctx, "bob")
	for _, id := range []string{"mongodb-bank", "rhein-bank"} {
		e.link(t, u, id)
		e.sync(t, u, id)
	}
	bobBefore := e.userCounts(t, bob)
	counts, err := e.h.EraseUser(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if counts[model.CollUsers] != 1 || counts[model.CollTransactions] == 0 || counts[model.CollConsents] != 2 {
		t.Fatalf("erased %v", counts)
	}
	for coll, n := range e.userCounts(t, u) {
		if n != 0 {
			t.Errorf("%d documents of the user remain in %s", n, coll)
		}
	}
	for coll, n := range e.userCounts(t, bob) {
		if n != bobBefore[coll] {
			t.Errorf("another user's %s changed: %d → %d", coll, bobBefore[coll], n)
		}
	}
	var rec bson.M
	if err := e.s.C(model.CollAudit).FindOne(ctx, bson.D{{Key: "Action", Value: model.AuditDataErased}}).Decode(&rec); err != nil {
		t.Fatal(err)
	}
	js, _ := bson.MarshalExtJSON(rec, false, false)
	if strings.Contains(string(js), "dmitri") || strings.Contains(string(js), u.UserId.Hex()) || rec["Subject"] == "" {
		t.Fatalf("the erasure record carries personal data: %s", js)
	}
	if _, err := e.h.User(ctx, "dmitri"); err == nil {
		t.Fatal("the erased user can still be resolved")
	}
}
