package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

func TestInsertNewCountsDuplicatesAsStored(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	docs := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = bson.D{{Key: "_id", Value: model.DeterministicID("t", fmt.Sprint(i))}, {Key: "n", Value: i}}
		}
		return out
	}
	r, err := s.InsertNew(ctx, "things", docs(1500))
	if err != nil || r.Inserted != 1500 || r.Existing != 0 {
		t.Fatalf("first insert: %+v, %v", r, err)
	}
	r, err = s.InsertNew(ctx, "things", docs(2000))
	if err != nil {
		t.Fatalf("second insert: %v", err)
	}
	if r.Inserted != 500 || r.Existing != 1500 {
		t.Fatalf("second insert: %+v, want 500 new and 1500 already stored", r)
	}
	n, _ := s.C("things").CountDocuments(ctx, bson.D{})
	if n != 2000 {
		t.Fatalf("count %d, want 2000", n)
	}
}

func TestInsertNewReportsTheFailedDocument(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	docs := []any{
		bson.D{{Key: "_id", Value: model.DeterministicID("x", "1")}, {Key: "n", Value: 1}},
		bson.D{{Key: "_id", Value: model.DeterministicID("x", "2")}, {Key: "$bad", Value: 1}}, // invalid field name
		bson.D{{Key: "_id", Value: model.DeterministicID("x", "3")}, {Key: "n", Value: 3}},
	}
	r, err := s.InsertNew(ctx, "things", docs)
	var pe *store.PartialWriteError
	if !errors.As(err, &pe) {
		t.Fatalf("want a PartialWriteError, got %v (%+v)", err, r)
	}
	if pe.Index != 1 || pe.Saved != 2 || pe.Total != 3 {
		t.Fatalf("got %+v, want document 1 failed and 2 of 3 saved", pe)
	}
	if want := "2 of 3 documents saved in things; document 1 failed"; !strings.HasPrefix(pe.Error(), want) {
		t.Fatalf("message %q, want prefix %q", pe.Error(), want)
	}
}

// FerretDB v1 hangs on one update command with more than 100 statements that
// match existing documents: ReplaceByID must batch.
func TestReplaceByIDBatchesUpdates(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	type doc struct {
		ID bson.ObjectID `bson:"_id"`
		N  int           `bson:"n"`
	}
	docs := make([]doc, 250)
	for i := range docs {
		docs[i] = doc{model.DeterministicID("r", fmt.Sprint(i)), i}
	}
	id := func(d doc) any { return d.ID }
	r, err := store.ReplaceByID(ctx, s, "r", docs, id)
	if err != nil || r.Inserted != 250 {
		t.Fatalf("first: %+v %v", r, err)
	}
	for i := range docs {
		docs[i].N = -i
	}
	r, err = store.ReplaceByID(ctx, s, "r", docs, id)
	if err != nil || r.Replaced != 250 || r.Inserted != 0 {
		t.Fatalf("second: %+v %v", r, err)
	}
	var got doc
	if err := s.C("r").FindOne(ctx, bson.D{{Key: "_id", Value: docs[249].ID}}).Decode(&got); err != nil || got.N != -249 {
		t.Fatalf("got %+v %v", got, err)
	}
}

// Bank-specific fields the model does not know survive a read-modify-write.
func TestUnknownFieldsSurviveRoundTrip(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	uid := model.DemoUserID("zoe")
	id := model.AccountID(uid, "green-bank", "A1")
	opened := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	raw := bson.D{
		{Key: "_id", Value: id}, {Key: "AccountId", Value: "A1"}, {Key: "AccountBank", Value: "Green Bank"},
		{Key: "AccountBalance", Value: 10.5}, {Key: "AccountDate", Value: bson.D{{Key: "OpeningDate", Value: opened}}},
		{Key: "AccountUser", Value: bson.D{{Key: "UserName", Value: "zoe"}, {Key: "UserId", Value: uid}}},
		{Key: "GreenAccountNarrative", Value: "solar"},
		{Key: "Nested", Value: bson.D{{Key: "a", Value: int32(1)}, {Key: "b", Value: bson.A{"x", int64(2)}}}},
	}
	if _, err := s.C(model.CollAccounts).InsertOne(ctx, raw); err != nil {
		t.Fatal(err)
	}
	accs, err := s.Accounts(ctx, model.UserRef{UserName: "zoe", UserId: uid}, "")
	if err != nil || len(accs) != 1 {
		t.Fatalf("accounts %v %v", accs, err)
	}
	a := accs[0]
	a.AccountBalance = 11
	if _, err := store.ReplaceByID(ctx, s, model.CollAccounts, []model.ExternalAccount{a}, func(a model.ExternalAccount) any { return a.ID }); err != nil {
		t.Fatal(err)
	}
	var back bson.M
	if err := s.C(model.CollAccounts).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&back); err != nil {
		t.Fatal(err)
	}
	if back["GreenAccountNarrative"] != "solar" || back["AccountBalance"] != 11.0 {
		t.Fatalf("round trip lost fields: %v", back)
	}
	nested, _ := bson.Marshal(back["Nested"])
	want, _ := bson.Marshal(raw[7].Value)
	if string(nested) != string(want) {
		t.Fatalf("nested field changed: %v", back["Nested"])
	}
}

func TestResolveUser(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	uid := model.DemoUserID("ann")
	if _, err := s.C(model.CollUsers).InsertOne(ctx, model.User{ID: uid, UserName: "ann"}); err != nil {
		t.Fatal(err)
	}
	for _, ident := range []string{"ann", uid.Hex()} {
		u, err := s.ResolveUser(ctx, ident)
		if err != nil || u.UserName != "ann" || u.UserId != uid {
			t.Fatalf("resolve %s: %+v %v", ident, u, err)
		}
	}
	// A user known only from an imported account.
	other := bson.NewObjectID()
	_, _ = s.C(model.CollAccounts).InsertOne(ctx, bson.D{{Key: "AccountUser", Value: bson.D{{Key: "UserName", Value: "imp"}, {Key: "UserId", Value: other}}}})
	u, err := s.ResolveUser(ctx, "imp")
	if err != nil || u.UserId != other {
		t.Fatalf("imported user: %+v %v", u, err)
	}
	if _, err := s.ResolveUser(ctx, "nobody"); !errors.Is(err, store.ErrUnknownUser) || err.Error() != "unknown user nobody" {
		t.Fatalf("unknown user error: %v", err)
	}
}

// Opening a store twice over the same files re-creates existing indexes.
func TestReopenKeepsDataAndIndexes(t *testing.T) {
	dir := t.TempDir()
	ctx := storetest.Ctx(t)
	for i := 0; i < 2; i++ {
		s, err := store.Open(ctx, store.Config{EmbeddedDir: store.EmbeddedDir(dir)})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if _, err := s.InsertNew(ctx, model.CollUsers, []any{model.User{ID: model.DemoUserID("x"), UserName: "x"}}); err != nil {
			t.Fatal(err)
		}
		n, _ := s.C(model.CollUsers).CountDocuments(ctx, bson.D{})
		if n != 1 {
			t.Fatalf("open %d: %d users", i, n)
		}
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
