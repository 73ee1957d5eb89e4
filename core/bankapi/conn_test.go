package bankapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
)

// testBank serves RFC 8414 metadata, a token endpoint and one resource
// whose answers the test scripts; it counts calls per endpoint.
type testBank struct {
	srv       *httptest.Server
	resource  func(n int, w http.ResponseWriter, r *http.Request)
	refreshOK bool
	data      atomic.Int32
	token     atomic.Int32
}

func newTestBank(t *testing.T) *testBank {
	tb := &testBank{refreshOK: true}
	mux := http.NewServeMux()
	tb.srv = httptest.NewServer(mux)
	t.Cleanup(tb.srv.Close)
	base := tb.srv.URL + "/bank"
	mux.HandleFunc("/bank/.well-known/oauth-authorization-server", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": base, "authorization_endpoint": base + "/oauth/authorize", "token_endpoint": base + "/oauth/token",
			"revocation_endpoint": base + "/oauth/revoke", "code_challenge_methods_supported": []string{"S256"},
			"authorization_response_iss_parameter_supported": true, "openfinance_consent_endpoint": base + "/consents",
		})
	})
	mux.HandleFunc("/bank/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		tb.token.Add(1)
		if id, secret, ok := r.BasicAuth(); !ok || id != "openfinance" || secret != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if !tb.refreshOK || r.FormValue("grant_type") != "refresh_token" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
			return
		}
		_, _ = w.Write([]byte(`{"access_token":"fresh","token_type":"Bearer","expires_in":600,"scope":"accounts"}`))
	})
	mux.HandleFunc("/bank/res", func(w http.ResponseWriter, r *http.Request) {
		n := int(tb.data.Add(1))
		tb.resource(n, w, r)
	})
	return tb
}

func (tb *testBank) client(t *testing.T) *Client {
	b := banks.Bank{ID: "bank", Name: "Test Bank", BaseURL: tb.srv.URL + "/bank", ClientID: "openfinance",
		ClientSecret: "s3cret", RedirectURI: "http://127.0.0.1/openfinance/callback", Style: banks.StyleOriginal}
	var slept []time.Duration
	p := Policy{Attempts: 3, Sleep: func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return ctx.Err() }}
	c, err := Discover(context.Background(), b, p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (tb *testBank) get(c *Client, refreshes *int) error {
	k := c.Connect("C1", Tokens{Access: "old", Refresh: "rt"}, func(context.Context, Tokens) error { *refreshes++; return nil })
	var out map[string]any
	return k.GetJSON(context.Background(), Call{Resource: "accounts", Page: 3, URL: tb.srv.URL + "/bank/res"}, &out)
}

func TestRetriesServerErrorsThenSucceeds(t *testing.T) {
	tb := newTestBank(t)
	tb.resource = func(n int, w http.ResponseWriter, _ *http.Request) {
		if n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}
	var r int
	if err := tb.get(tb.client(t), &r); err != nil || tb.data.Load() != 3 {
		t.Fatalf("err %v after %d calls", err, tb.data.Load())
	}
}

func TestGivesUpAfterAttemptsNamingResourceAndPage(t *testing.T) {
	tb := newTestBank(t)
	tb.resource = func(int, http.ResponseWriter, *http.Request) {}
	tb.resource = func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }
	var r int
	err := tb.get(tb.client(t), &r)
	var ce *CallError
	if !errors.As(err, &ce) || ce.Status != 500 || tb.data.Load() != 3 {
		t.Fatalf("err %v, %d calls", err, tb.data.Load())
	}
	if want := "Test Bank: cannot read accounts (page 3): the bank answered 500 Internal Server Error (after 3 attempts)"; err.Error() != want {
		t.Fatalf("message %q\nwant     %q", err, want)
	}
}

func TestMalformedAnswerIsRetriedThenNamed(t *testing.T) {
	tb := newTestBank(t)
	tb.resource = func(_ int, w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"Accounts": [`)) }
	var r int
	err := tb.get(tb.client(t), &r)
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "Test Bank sent malformed data for accounts") {
		t.Fatalf("err %v", err)
	}
}

func TestUnauthorizedRefreshesOnceThenRetries(t *testing.T) {
	tb := newTestBank(t)
	tb.resource = func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer fresh" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}
	var refreshes int
	if err := tb.get(tb.client(t), &refreshes); err != nil {
		t.Fatal(err)
	}
	if tb.token.Load() != 1 || refreshes != 1 || tb.data.Load() != 2 {
		t.Fatalf("token calls %d, stored %d, data calls %d", tb.token.Load(), refreshes, tb.data.Load())
	}
}

func TestRefusedRefreshKillsTheConn(t *testing.T) {
	tb := newTestBank(t)
	tb.refreshOK = false
	tb.resource = func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusUnauthorized) }
	c := tb.client(t)
	k := c.Connect("C1", Tokens{Access: "old", Refresh: "rt"}, nil)
	var out map[string]any
	call := Call{Resource: "accounts", URL: tb.srv.URL + "/bank/res"}
	if err := k.GetJSON(context.Background(), call, &out); !errors.Is(err, ErrReauth) {
		t.Fatalf("err %v, want ErrReauth", err)
	}
	if err := k.GetJSON(context.Background(), call, &out); !errors.Is(err, ErrReauth) {
		t.Fatalf("second call: %v", err)
	}
	if tb.token.Load() != 1 || tb.data.Load() != 1 {
		t.Fatalf("token calls %d, data calls %d; want exactly 1 and 1", tb.token.Load(), tb.data.Load())
	}
}

func TestStillUnauthorizedAfterRefreshIsReauth(t *testing.T) {
	tb := newTestBank(t)
	tb.resource = func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusUnauthorized) }
	var r int
	if err := tb.get(tb.client(t), &r); !errors.Is(err, ErrReauth) || tb.token.Load() != 1 || tb.data.Load() != 2 {
		t.Fatalf("err %v, token calls %d, data calls %d", err, tb.token.Load(), tb.data.Load())
	}
}

func TestTooManyRequestsHonoursRetryAfter(t *testing.T) {
	tb := newTestBank(t)
	tb.resource = func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}
	c := tb.client(t)
	var slept []time.Duration
	c.Policy.Sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	var r int
	if err := tb.get(c, &r); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(slept) != "[2s]" {
		t.Fatalf("slept %v, want [2s]", slept)
	}
	// A wait longer than the policy allows fails the call instead.
	tb.data.Store(0)
	c.Policy.MaxRetryAfter = time.Second
	if err := tb.get(c, &r); err == nil || !strings.Contains(err.Error(), "slow down") {
		t.Fatalf("err %v", err)
	}
}

func TestCancelledContextStopsWaiting(t *testing.T) {
	tb := newTestBank(t)
	tb.resource = func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) }
	c := tb.client(t)
	c.Policy.Sleep = sleep
	c.Policy.Backoff = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	k := c.Connect("C1", Tokens{Access: "a"}, nil)
	var out map[string]any
	if err := k.GetJSON(ctx, Call{Resource: "accounts", URL: tb.srv.URL + "/bank/res"}, &out); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}

func TestRefusesLinksOutsideTheBank(t *testing.T) {
	tb := newTestBank(t)
	tb.resource = func(_ int, w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{}`)) }
	k := tb.client(t).Connect("C1", Tokens{Access: "secret-token"}, nil)
	var out map[string]any
	for _, u := range []string{"http://evil.example/bank/res", tb.srv.URL + "/other/res", tb.srv.URL + "/bankX/res"} {
		if err := k.GetJSON(context.Background(), Call{Resource: "accounts", URL: u}, &out); err == nil {
			t.Fatalf("followed %s", u)
		}
	}
	if tb.data.Load() != 0 {
		t.Fatal("a call was made")
	}
}

func TestDiscoverRejectsAnotherIssuer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"issuer":"http://evil.example","code_challenge_methods_supported":["S256"]}`))
	}))
	defer srv.Close()
	_, err := Discover(context.Background(), banks.Bank{Name: "Test Bank", BaseURL: srv.URL + "/bank", RedirectURI: "http://127.0.0.1/cb"}, Policy{})
	if err == nil || !strings.Contains(err.Error(), "refusing to talk to it") {
		t.Fatalf("err %v", err)
	}
}
