package bankapi

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestParseCallback(t *testing.T) {
	redirect, _ := url.Parse("http://127.0.0.1/openfinance/callback")
	const iss = "http://127.0.0.1:9/green-bank"
	cb := func(q string) string { return "http://127.0.0.1/openfinance/callback?" + q }
	issQ := "&iss=" + url.QueryEscape(iss)
	for _, c := range []struct {
		name, loc, code string
		want            error
		wantText        string
	}{
		{"approved", cb("code=abc&state=S" + issQ), "abc", nil, ""},
		{"wrong state", cb("code=abc&state=T" + issQ), "", ErrStateMismatch, ""},
		{"missing state", cb("code=abc" + issQ), "", ErrStateMismatch, ""},
		{"two states", cb("code=abc&state=S&state=S" + issQ), "", ErrStateMismatch, ""},
		{"wrong issuer", cb("code=abc&state=S&iss=http://evil.example"), "", ErrStateMismatch, ""},
		{"missing issuer", cb("code=abc&state=S"), "", ErrStateMismatch, ""},
		{"rejected", cb("error=access_denied&state=S" + issQ), "", ErrAccessDenied, ""},
		{"rejected with wrong state", cb("error=access_denied&state=X" + issQ), "", ErrStateMismatch, ""},
		{"other error", cb("error=invalid_request&error_description=no+challenge&state=S" + issQ), "", nil, "no challenge"},
		{"no code", cb("state=S" + issQ), "", nil, "without an authorization code"},
		{"other host", "http://evil.example/openfinance/callback?code=abc&state=S" + issQ, "", nil, "registered callback"},
		{"path suffix", "http://127.0.0.1/openfinance/callback/x?code=abc&state=S" + issQ, "", nil, "registered callback"},
		{"empty", "", "", nil, "nowhere"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, err := ParseCallback(c.loc, redirect, iss, true, "Green Bank", "S")
			switch {
			case c.want != nil && !errors.Is(err, c.want):
				t.Fatalf("err %v, want %v", err, c.want)
			case c.wantText != "" && (err == nil || !strings.Contains(err.Error(), c.wantText)):
				t.Fatalf("err %v, want one saying %q", err, c.wantText)
			case c.want == nil && c.wantText == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			}
			if code != c.code {
				t.Fatalf("code %q, want %q", code, c.code)
			}
		})
	}
}

// FuzzCallbackURL: the callback parser never panics, and it only returns a
// code when the state and issuer are exactly the expected ones.
func FuzzCallbackURL(f *testing.F) {
	redirect, _ := url.Parse("http://127.0.0.1/openfinance/callback")
	const iss = "http://127.0.0.1:9/green-bank"
	for _, s := range []string{
		"http://127.0.0.1/openfinance/callback?code=abc&state=S&iss=" + url.QueryEscape(iss),
		"http://127.0.0.1/openfinance/callback?error=access_denied&state=S&iss=" + url.QueryEscape(iss),
		"http://127.0.0.1/openfinance/callback?code=%zz",
		"//127.0.0.1/openfinance/callback?code=a",
		"http://[::1/x",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, loc string) {
		code, err := ParseCallback(loc, redirect, iss, true, "Green Bank", "S")
		if err != nil {
			return
		}
		u, perr := url.Parse(loc)
		if perr != nil || code == "" {
			t.Fatalf("accepted %q (code %q) but it does not parse", loc, code)
		}
		q := u.Query()
		if q.Get("state") != "S" || q.Get("iss") != iss {
			t.Fatalf("accepted %q with state %q and iss %q", loc, q.Get("state"), q.Get("iss"))
		}
	})
}
