package authz_test

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/mockbank/authz"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newStore(t *testing.T, path string) (*authz.Store, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	s, err := authz.Open(authz.Config{Path: path, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

const (
	verifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" // RFC 7636 Appendix B
)

func TestS256MatchesRFC7636(t *testing.T) {
	if authz.S256(verifier) != challenge || !authz.ValidChallenge(challenge) || !authz.ValidVerifier(verifier) {
		t.Fatal("S256 differs from RFC 7636 Appendix B")
	}
	for _, bad := range []string{"", "short", strings.Repeat("a", 129), strings.Repeat("a", 42) + " ", strings.Repeat("ä", 30)} {
		if authz.ValidVerifier(bad) {
			t.Errorf("%q is a valid verifier", bad)
		}
	}
}

// grant creates, approves and exchanges a consent.
func grant(t *testing.T, s *authz.Store, customer string) (authz.Consent, authz.Grant) {
	t.Helper()
	c, err := s.Create("c-", authz.Consent{ClientID: "app", Permissions: []string{"ReadBalances"}, Expires: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(c.ID, customer, true); err != nil {
		t.Fatal(err)
	}
	code, err := s.IssueCode(c.ID, "app", "http://cb", challenge)
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.Exchange("app", code, "http://cb", verifier, authz.AccessTTL)
	if err != nil {
		t.Fatal(err)
	}
	return c, g
}

func TestGrantLifeCycle(t *testing.T) {
	s, clk := newStore(t, "")
	c, g := grant(t, s, "alice")
	got, err := s.Authenticate(g.Access)
	if err != nil || got.ID != c.ID || got.Customer != "alice" || got.Status != authz.Authorised {
		t.Fatalf("authenticate: %+v %v", got, err)
	}
	if _, err := s.Authenticate(g.Refresh); err == nil {
		t.Fatal("a refresh token works as an access token")
	}
	if _, err := s.Decide(c.ID, "bob", true); err == nil {
		t.Fatal("an authorised consent was decided again")
	}
	clk.Advance(authz.AccessTTL)
	if _, err := s.Authenticate(g.Access); err == nil {
		t.Fatal("an expired access token works")
	}
	r, err := s.Refresh("app", g.Refresh, time.Minute)
	if err != nil || r.ExpiresIn != 60 || r.Refresh != "" {
		t.Fatalf("refresh: %+v %v", r, err)
	}
	if _, err := s.Refresh("other-app", g.Refresh, time.Minute); err == nil {
		t.Fatal("another client used the refresh token")
	}
	if _, err := s.Revoke(c.ID, authz.ByPSU); err != nil {
		t.Fatal(err)
	}
	var e *authz.Error
	if _, err := s.Authenticate(r.Access); !errors.As(err, &e) || e.Code != authz.InvalidToken {
		t.Fatalf("token of a revoked consent: %v", err)
	}
	if got, _ := s.Get(c.ID); got.Status != authz.Revoked || got.RevokedBy != authz.ByPSU {
		t.Fatalf("consent %+v", got)
	}
}

func TestCodeIsBoundToClientAndRedirect(t *testing.T) {
	s, _ := newStore(t, "")
	for _, tc := range []struct{ client, redirect string }{{"other", "http://cb"}, {"app", "http://cb/x"}} {
		c, _ := s.Create("c-", authz.Consent{ClientID: "app", Permissions: []string{"ReadBalances"}, Expires: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)})
		_, _ = s.Decide(c.ID, "alice", true)
		code, _ := s.IssueCode(c.ID, "app", "http://cb", challenge)
		var e *authz.Error
		if _, err := s.Exchange(tc.client, code, tc.redirect, verifier, authz.AccessTTL); !errors.As(err, &e) || e.Code != authz.InvalidGrant {
			t.Fatalf("%+v: %v", tc, err)
		}
	}
}

func TestConsentsAreBoundedAndPruned(t *testing.T) {
	s, clk := newStore(t, "")
	exp := clk.Now().Add(24 * time.Hour)
	for i := range authz.MaxConsents {
		if _, err := s.Create("c-", authz.Consent{ClientID: "app", Permissions: []string{"ReadBalances"}, Expires: exp}); err != nil {
			t.Fatalf("consent %d: %v", i, err)
		}
	}
	var e *authz.Error
	if _, err := s.Create("c-", authz.Consent{ClientID: "app", Expires: exp}); !errors.As(err, &e) || e.Code != authz.TooMany {
		t.Fatalf("consent over the cap: %v", err)
	}
	clk.Advance(2 * time.Hour) // the waiting ones are abandoned now
	if _, err := s.Create("c-", authz.Consent{ClientID: "app", Expires: exp}); err != nil {
		t.Fatalf("after the waiting consents aged: %v", err)
	}
	if n, _, _ := s.Counts(); n != 1 {
		t.Fatalf("%d consents kept", n)
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bank.json")
	s, _ := newStore(t, path)
	c, g := grant(t, s, "carmen")
	again, _ := newStore(t, path)
	got, err := again.Authenticate(g.Access)
	if err != nil || got.ID != c.ID || got.Customer != "carmen" {
		t.Fatalf("after reload: %+v %v", got, err)
	}
	if n, codes, toks := again.Counts(); n != 1 || codes != 1 || toks != 2 {
		t.Fatalf("counts %d %d %d", n, codes, toks)
	}
}
