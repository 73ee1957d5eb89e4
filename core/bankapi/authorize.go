package bankapi

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/openfinance-tui/openfinance/core/banks"
)

// AuthRequest is one authorization request in flight: the consent it is
// for, and the state and PKCE verifier only this client knows. It may be
// used again after a failed login.
type AuthRequest struct {
	ConsentID string
	State     string
	Verifier  string
}

// NewAuthRequest makes a fresh random state and PKCE verifier for a consent.
func NewAuthRequest(consentID string) AuthRequest {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return AuthRequest{ConsentID: consentID, State: base64.RawURLEncoding.EncodeToString(b), Verifier: oauth2.GenerateVerifier()}
}

// AuthURL is where a browser would send the user (the bank's login page).
func (c *Client) AuthURL(ar AuthRequest) string {
	return c.oauth.AuthCodeURL(ar.State, oauth2.S256ChallengeOption(ar.Verifier),
		oauth2.SetAuthURLParam("consent_id", ar.ConsentID))
}

// Authorize logs the customer in at the bank and approves or rejects the
// consent through the bank's login form (API.md "Login and decision"),
// then checks the answer: it returns the authorization code of an
// approval, ErrAccessDenied for a rejection, a *LoginError when the bank
// refused the credentials (the request may be retried), ErrStateMismatch
// for an answer that does not belong to ar.
func (c *Client) Authorize(ctx context.Context, ar AuthRequest, cred banks.Credentials, approve bool) (string, error) {
	u, err := url.Parse(c.AuthURL(ar))
	if err != nil {
		return "", err
	}
	form := u.Query()
	form.Set("username", cred.User)
	form.Set("password", cred.Password)
	if cred.OTP != "" {
		form.Set("otp", cred.OTP)
	}
	if approve {
		form.Set("action", "approve")
	} else {
		form.Set("action", "reject")
	}
	u.RawQuery = ""
	cctx, cancel := context.WithTimeout(ctx, c.Policy.CallTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", &CallError{Bank: c.Bank.Name, Resource: "login", Err: netErr(err)}
	}
	body, err := readBody(resp, c.maxBody)
	if err != nil {
		return "", &CallError{Bank: c.Bank.Name, Resource: "login", Status: resp.StatusCode, Err: err}
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		le := &LoginError{Bank: c.Bank.Name}
		if m := bankMessage(body); m != nil {
			le.Detail = m.Error()
		}
		return "", le
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return c.ParseCallback(resp.Header.Get("Location"), ar.State)
	default:
		return "", &CallError{Bank: c.Bank.Name, Resource: "login", Status: resp.StatusCode, Err: bankMessage(body)}
	}
}

// ParseCallback checks a redirect to the registered redirect URI and
// returns its code. The state must be the request's and the issuer the
// bank's (RFC 9207) before anything else in it is believed.
func (c *Client) ParseCallback(location, wantState string) (string, error) {
	return ParseCallback(location, c.callbackTo, c.Meta.Issuer, c.Meta.IssParameter, c.Bank.Name, wantState)
}

// ParseCallback is Client.ParseCallback without a Client: redirect is the
// registered redirect URI, issuer the bank's, requireIss whether the bank
// promised to send iss.
func ParseCallback(location string, redirect *url.URL, issuer string, requireIss bool, bank, wantState string) (string, error) {
	if location == "" {
		return "", fmt.Errorf("%s answered with a redirect to nowhere", bank)
	}
	u, err := url.Parse(location)
	if err != nil {
		return "", fmt.Errorf("%s redirected to an address that cannot be read", bank)
	}
	if redirect == nil || u.Scheme != redirect.Scheme || u.Host != redirect.Host || u.Path != redirect.Path || u.User != nil {
		return "", fmt.Errorf("%s redirected somewhere other than openfinance's registered callback", bank)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", fmt.Errorf("%s redirected with a query that cannot be read", bank)
	}
	for _, k := range []string{"state", "iss", "code", "error"} {
		if len(q[k]) > 1 {
			return "", ErrStateMismatch
		}
	}
	if wantState == "" || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(wantState)) != 1 {
		return "", ErrStateMismatch
	}
	if iss, ok := q["iss"]; ok || requireIss {
		if !ok || iss[0] != issuer {
			return "", ErrStateMismatch
		}
	}
	if e := q.Get("error"); e != "" {
		if e == "access_denied" {
			return "", ErrAccessDenied
		}
		return "", &AuthError{Bank: bank, Code: e, Description: q.Get("error_description")}
	}
	code := q.Get("code")
	if code == "" {
		return "", errors.New(bank + " redirected without an authorization code")
	}
	return code, nil
}
