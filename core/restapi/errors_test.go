package restapi

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestBadInputIs4xxInFastAPIShapes(t *testing.T) {
	e := newEnv(t, Config{MaxBodyBytes: 1024}, nil)
	tok := e.token("alice")
	uid := userID(t, "alice")
	tb := sec + "/calculate-total-balance-for-user/"
	for _, c := range []struct {
		name   string
		path   string
		body   any
		status int
		want   string
	}{
		{"malformed user_id", tb, map[string]any{"user_id": "alice", "connected_external_accounts": nil}, 400,
			`{"detail":"user_id \"alice\" is not a valid id: an id is 24 hexadecimal characters."}`},
		{"malformed account id", tb, map[string]any{"user_id": uid, "connected_external_accounts": []string{uid, "zz"}}, 400,
			`{"detail":"connected_external_accounts[1] \"zz\" is not a valid id: an id is 24 hexadecimal characters."}`},
		{"malformed retrieve user_id", sec + "/retrieve-external-account-for-user",
			map[string]any{"account_bank": "Green Bank", "user_name": "alice", "user_id": "12"}, 400,
			`{"detail":"user_id \"12\" is not a valid id: an id is 24 hexadecimal characters."}`},
		{"missing field", tb, map[string]any{"user_id": uid}, 422,
			`{"detail":[{"type":"missing","loc":["body","connected_external_accounts"],"msg":"Field required","input":{"user_id":"` + uid + `"}}]}`},
		{"missing fields", sec + "/retrieve-external-product-for-user", map[string]any{"user_name": "alice"}, 422,
			`{"detail":[{"type":"missing","loc":["body","product_bank"],"msg":"Field required","input":{"user_name":"alice"}},` +
				`{"type":"missing","loc":["body","user_id"],"msg":"Field required","input":{"user_name":"alice"}}]}`},
		{"wrong types", sec + "/calculate-total-debt-for-user/", map[string]any{"user_id": 7, "connected_external_products": []any{"a", 1}}, 422,
			`{"detail":[{"type":"string_type","loc":["body","user_id"],"msg":"Input should be a valid string","input":7},` +
				`{"type":"string_type","loc":["body","connected_external_products",1],"msg":"Input should be a valid string","input":1}]}`},
		{"not a list", tb, map[string]any{"user_id": uid, "connected_external_accounts": "x"}, 422,
			`{"detail":[{"type":"list_type","loc":["body","connected_external_accounts"],"msg":"Input should be a valid list","input":"x"}]}`},
		{"no body", tb, nil, 422, `{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}`},
		{"array body", tb, "[1]", 422,
			`{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":[1]}]}`},
		{"too large", tb, `{"user_id":"` + strings.Repeat("a", 2000) + `"}`, 413, `{"detail":"The request body is larger than 1024 bytes."}`},
		{"unknown route", sec + "/nope", nil, 404, `{"detail":"Not Found"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := e.do("POST", c.path, tok, c.body)
			e.want(a, c.status)
			if string(a.raw) != c.want {
				t.Fatalf("body\n got %s\nwant %s", a.raw, c.want)
			}
		})
	}
	bad := e.do("POST", tb, tok, `{"user_id": `)
	e.want(bad, 422)
	if d, _ := bad.obj()["detail"].([]any); len(d) != 1 || d[0].(map[string]any)["type"] != "json_invalid" {
		t.Fatalf("invalid JSON: %s", bad.raw)
	}
	m := e.do("GET", tb, tok, nil)
	e.want(m, 405, "Method Not Allowed")
	if m.header.Get("Allow") != "POST" {
		t.Fatalf("Allow %q", m.header.Get("Allow"))
	}
	// Both path forms answer.
	e.want(e.do("GET", sec+"/fetch-external-accounts-for-user?user_identifier=alice", tok, nil), 200)
	e.want(e.do("POST", sec+"/validate-token/", tok, nil), 200)
}

func TestRateLimitPerClient(t *testing.T) {
	e := newEnv(t, Config{RatePerMinute: 3, CreateUserPerMinute: 1}, nil)
	for range 3 {
		e.want(e.do("GET", "/", "", nil), 200)
	}
	a := e.do("GET", "/", "", nil)
	e.want(a, 429, "Rate limit exceeded. Please try again later.")
	if ra := a.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After %q", ra)
	}
	// Another client has its own budget (driven through the handler, to
	// choose the client's address).
	for i, want := range []int{200, 200, 200, 429} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "192.0.2.7:5555"
		e.api.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Fatalf("other client, request %d: %d, want %d", i+1, rec.Code, want)
		}
	}
	// create-user has a tighter limit of its own.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", pub+"/create-user", nil)
	req.RemoteAddr = "192.0.2.8:1"
	e.api.ServeHTTP(rec, req)
	if rec.Code != 201 {
		t.Fatalf("create-user: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	e.api.ServeHTTP(rec, req)
	if rec.Code != 429 || strings.TrimSpace(rec.Body.String()) != `{"detail":"Rate limit exceeded. Please try again later."}` {
		t.Fatalf("second create-user: %d %s", rec.Code, rec.Body)
	}
}

func TestLimiterRefillsAndForgets(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(2, func() time.Time { return now })
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.allow("a"); ok != want {
			t.Fatalf("request %d: %v", i, ok)
		}
	}
	_, wait := l.allow("a")
	if wait <= 0 || wait > 30*time.Second {
		t.Fatalf("wait %v", wait)
	}
	now = now.Add(30 * time.Second) // one token back at 2 a minute
	if ok, _ := l.allow("a"); !ok {
		t.Fatal("no refill")
	}
	now = now.Add(5 * time.Minute)
	l.allow("b") // sweeps: a is full again and forgotten
	if _, kept := l.buckets["a"]; kept || len(l.buckets) != 1 {
		t.Fatalf("buckets after sweep: %v", l.buckets)
	}
}

func TestCORSOnlyForConfiguredOrigins(t *testing.T) {
	closed := newEnv(t, Config{}, nil)
	a := closed.do("GET", "/", "", nil, "Origin", "http://evil.example")
	closed.want(a, 200)
	if a.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS header without --origins")
	}
	closed.want(closed.do("OPTIONS", "/", "", nil, "Origin", "http://evil.example", "Access-Control-Request-Method", "GET"), 400, "Disallowed CORS origin")

	open := newEnv(t, Config{Origins: []string{"http://localhost:3000/", " https://ui.example "}}, nil)
	p := open.do("OPTIONS", sec+"/calculate-total-balance-for-user/", "", nil,
		"Origin", "http://localhost:3000", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type")
	open.want(p, 204)
	if p.header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" || !strings.Contains(p.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight headers %v", p.header)
	}
	g := open.do("GET", "/", "", nil, "Origin", "https://ui.example")
	if g.header.Get("Access-Control-Allow-Origin") != "https://ui.example" {
		t.Fatalf("allowed origin got %v", g.header)
	}
	if o := open.do("GET", "/", "", nil, "Origin", "http://other.example"); o.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS header for an origin not configured")
	}
}

func TestTokensNeverLogged(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	tok := e.token("bob")
	e.do("POST", sec+"/validate-token", tok, nil)
	e.do("GET", sec+"/fetch-external-accounts-for-user/?user_identifier=alice", tok, nil)
	e.do("POST", sec+"/validate-token", "guessed-token-value", nil)
	logs := e.logs.String()
	if !strings.Contains(logs, "api request") {
		t.Fatalf("no request log: %q", logs)
	}
	for _, secret := range []string{tok, "guessed-token-value"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("a token is in the log:\n%s", logs)
		}
	}
}

func TestServeShutsDownWhenContextEnds(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := Listen(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- e.api.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Fatal("still listening after shutdown")
	}
}
