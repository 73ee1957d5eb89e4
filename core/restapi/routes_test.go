package restapi

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
)

const (
	pub = "/api/v1/openfinance/public"
	sec = "/api/v1/openfinance/secure"
)

func TestRootAndAuthorization(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	a := e.do("GET", "/", "", nil)
	e.want(a, 200)
	if string(a.raw) != `{"message":"Server is running"}` {
		t.Fatalf("GET / = %s", a.raw)
	}

	// By name and by _id: the same token, in the original's shape.
	byName := e.do("GET", pub+"/get-authorization?user_identifier=alice", "", nil)
	e.want(byName, 200)
	byID := e.do("GET", pub+"/get-authorization?user_identifier="+userID(t, "alice"), "", nil)
	e.want(byID, 200)
	m := byName.obj()
	if len(m) != 3 || m["message"] != "Authorization document retrieved successfully." || m["UserName"] != "alice" {
		t.Fatalf("get-authorization = %s", byName.raw)
	}
	tok := m["BearerToken"].(string)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(tok) || byID.obj()["BearerToken"] != tok {
		t.Fatalf("tokens %q and %v", tok, byID.obj()["BearerToken"])
	}
	v := e.do("POST", sec+"/validate-token", tok, nil)
	e.want(v, 200)
	if string(v.raw) != `{"message":"Bearer Token is valid for user: alice"}` {
		t.Fatalf("validate-token = %s", v.raw)
	}

	// The token is stored sealed and findable by hash only.
	var doc model.Token
	if err := e.store.C(model.CollTokens).FindOne(t.Context(), bson.D{{Key: "UserName", Value: "alice"}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(doc.BearerToken, tok) || !strings.HasPrefix(doc.BearerToken, "enc:v1:") || doc.TokenHash == "" || doc.TokenType != "api" {
		t.Fatalf("stored token %+v", doc)
	}
	if doc.TokenDates.ExpiryDate == nil || !doc.TokenDates.ExpiryDate.Equal(e.clock.Now().Add(24*time.Hour)) {
		t.Fatalf("expiry %v, want now+24h", doc.TokenDates.ExpiryDate)
	}

	// The seeded token dates from January: past its 24 hours.
	e.want(e.do("POST", sec+"/validate-token", "demo-api-token-bob", nil), 403,
		"The bearer token has expired; get a new one from /api/v1/openfinance/public/get-authorization.")

	e.want(e.do("GET", pub+"/get-authorization?user_identifier=nosuchuser", "", nil), 404, "User not found.")
	e.want(e.do("GET", pub+"/get-authorization?user_identifier=0123456789abcdef01234567", "", nil), 404, "User not found.")
	miss := e.do("GET", pub+"/get-authorization", "", nil)
	e.want(miss, 422)
	if string(miss.raw) != `{"detail":[{"type":"missing","loc":["query","user_identifier"],"msg":"Field required","input":null}]}` {
		t.Fatalf("422 = %s", miss.raw)
	}
}

func TestGetAuthorizationOnlyForDemoUsers(t *testing.T) {
	for _, demo := range []bool{false, true} {
		t.Run(fmt.Sprintf("demo=%v", demo), func(t *testing.T) {
			e := newEnv(t, Config{Demo: demo}, nil)
			ctx := t.Context()
			for _, u := range []model.User{
				{ID: bson.NewObjectID(), UserName: "linked", Source: "local"},
				{ID: bson.NewObjectID(), UserName: "sshuser", Source: "ssh"},
				{ID: bson.NewObjectID(), UserName: "apiuser", Source: "api"},
			} {
				if _, err := e.store.InsertNew(ctx, model.CollUsers, []any{u}); err != nil {
					t.Fatal(err)
				}
			}
			for _, name := range []string{"linked", "sshuser"} {
				a := e.do("GET", pub+"/get-authorization?user_identifier="+name, "", nil)
				e.want(a, 403)
				if _, ok := a.obj()["BearerToken"]; ok || !strings.Contains(a.obj()["detail"].(string), "only for demo users") {
					t.Fatalf("%s: %s", name, a.raw)
				}
			}
			a := e.do("GET", pub+"/get-authorization?user_identifier=apiuser", "", nil)
			if demo {
				e.want(a, 200)
			} else {
				e.want(a, 403, "Tokens are handed out here only for demo users, and apiuser is not one (start the server with --demo to allow it).")
			}
			e.want(e.do("GET", pub+"/get-authorization?user_identifier=carmen", "", nil), 200)
		})
	}
}

func TestCreateUser(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	a := e.do("POST", pub+"/create-user", "", nil)
	e.want(a, 201)
	m := a.obj()
	name, _ := m["UserName"].(string)
	tok, _ := m["BearerToken"].(string)
	if len(m) != 3 || m["message"] != "User created successfully." || !regexp.MustCompile(`^api_user_[0-9a-f]{8}$`).MatchString(name) {
		t.Fatalf("create-user = %s", a.raw)
	}
	v := e.do("POST", sec+"/validate-token", tok, nil)
	e.want(v, 200)
	if v.obj()["message"] != "Bearer Token is valid for user: "+name {
		t.Fatalf("validate = %s", v.raw)
	}
	var u model.User
	if err := e.store.C(model.CollUsers).FindOne(t.Context(), bson.D{{Key: "UserName", Value: name}}).Decode(&u); err != nil || u.Source != "api" || u.Demo {
		t.Fatalf("stored user %+v, %v", u, err)
	}
	// A new user has nothing: empty lists, zero totals.
	acc := e.do("GET", sec+"/fetch-external-accounts-for-user/?user_identifier="+name, tok, nil)
	e.want(acc, 200)
	if string(acc.raw) != `{"accounts":[]}` {
		t.Fatalf("accounts = %s", acc.raw)
	}
	tb := e.do("POST", sec+"/calculate-total-balance-for-user/", tok, map[string]any{"user_id": u.ID.Hex(), "connected_external_accounts": []string{}})
	e.want(tb, 200)
	if string(tb.raw) != `{"total_balance":0}` {
		t.Fatalf("total = %s", tb.raw)
	}
}

func TestFetchReturnsStoredDocumentsAsTheOriginal(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	tok := e.token("alice")
	for _, c := range []struct {
		path, key, coll, owner, bank string
	}{
		{"/fetch-external-accounts-for-user/", "accounts", model.CollAccounts, "AccountUser", "AccountBank"},
		{"/fetch-external-products-for-user/", "products", model.CollProducts, "ProductCustomer", "ProductBank"},
	} {
		want := docsOf(t, c.coll, c.owner, "alice")
		for _, ident := range []string{"alice", userID(t, "alice")} {
			a := e.do("GET", sec+c.path+"?user_identifier="+ident, tok, nil)
			e.want(a, 200)
			got, _ := a.obj()[c.key].([]any)
			if len(a.obj()) != 1 || len(got) != len(want) {
				t.Fatalf("%s: %d documents, want %d: %s", c.path, len(got), len(want), a.raw)
			}
			byID := map[string]map[string]any{}
			for _, g := range got {
				d := g.(map[string]any)
				byID[d["_id"].(string)] = d
			}
			for _, w := range want {
				g := byID[oid(w["_id"])]
				if g == nil {
					t.Fatalf("%s: document %s missing", c.path, oid(w["_id"]))
				}
				if !reflect.DeepEqual(g, originalShape(w)) {
					t.Fatalf("%s: document\n got %v\nwant %v", c.path, g, originalShape(w))
				}
			}
		}
		// By institution, by name or by the bank's id.
		for _, inst := range []string{"Green Bank", "green-bank"} {
			path := strings.Replace(c.path, "-for-user/", "-for-user-and-institution/", 1)
			a := e.do("GET", sec+path+"?user_identifier=alice&institution_name="+url.QueryEscape(inst), tok, nil)
			e.want(a, 200)
			got, _ := a.obj()[c.key].([]any)
			n := 0
			for _, w := range want {
				if w[c.bank] == "Green Bank" {
					n++
				}
			}
			if len(got) != n || n == 0 {
				t.Fatalf("%s at %s: %d documents, want %d", path, inst, len(got), n)
			}
			for _, g := range got {
				if g.(map[string]any)[c.bank] != "Green Bank" {
					t.Fatalf("%s: %v is not at Green Bank", path, g)
				}
			}
			miss := e.do("GET", sec+path+"?user_identifier=alice", tok, nil)
			e.want(miss, 422)
			if string(miss.raw) != `{"detail":[{"type":"missing","loc":["query","institution_name"],"msg":"Field required","input":null}]}` {
				t.Fatalf("422 = %s", miss.raw)
			}
		}
	}
}

// originalShape turns a relaxed Extended JSON sample document into what the
// original service answered: ObjectIds as hex, dates as Python's isoformat
// of a naive UTC datetime.
func originalShape(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if h, ok := x["$oid"].(string); ok && len(x) == 1 {
			return h
		}
		if d, ok := x["$date"].(string); ok && len(x) == 1 {
			tm, err := time.Parse(time.RFC3339Nano, d)
			if err != nil {
				return d
			}
			return PyISOTime(tm)
		}
		out := map[string]any{}
		for k, val := range x {
			out[k] = originalShape(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = originalShape(x[i])
		}
		return out
	}
	return v
}

func TestDocJSONTypes(t *testing.T) {
	id := mustOID(t, "0b7f9bc543763302d9aec8e5")
	d := bson.D{
		{Key: "_id", Value: id},
		{Key: "when", Value: bson.NewDateTimeFromTime(time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC))},
		{Key: "ms", Value: bson.NewDateTimeFromTime(time.Date(2026, 1, 2, 3, 4, 5, 123e6, time.UTC))},
		{Key: "i32", Value: int32(60)}, {Key: "i64", Value: int64(7)}, {Key: "f", Value: 4210.55},
		{Key: "nan", Value: math.NaN()}, {Key: "null", Value: nil}, {Key: "b", Value: true},
		{Key: "sub", Value: bson.D{{Key: "UserId", Value: id}, {Key: "a", Value: bson.A{"x", int32(1)}}}},
		{Key: "dec", Value: mustDec(t, "12.50")},
	}
	js, err := DocJSON(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"_id":"0b7f9bc543763302d9aec8e5","when":"2019-03-14T00:00:00","ms":"2026-01-02T03:04:05.123000",` +
		`"i32":60,"i64":7,"f":4210.55,"nan":null,"null":null,"b":true,` +
		`"sub":{"UserId":"0b7f9bc543763302d9aec8e5","a":["x",1]},"dec":12.5}`
	if string(js) != want {
		t.Fatalf("DocJSON\n got %s\nwant %s", js, want)
	}
	if !json.Valid(js) {
		t.Fatal("not valid JSON")
	}
}

func mustDec(t *testing.T, s string) bson.Decimal128 {
	d, err := bson.ParseDecimal128(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
