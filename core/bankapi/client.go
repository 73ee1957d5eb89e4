package bankapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/openfinance-tui/openfinance/core/banks"
)

// Metadata is the part of a bank's RFC 8414 authorization server metadata
// the client uses.
type Metadata struct {
	Issuer                string   `json:"issuer"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	TokenEndpoint         string   `json:"token_endpoint"`
	RevocationEndpoint    string   `json:"revocation_endpoint"`
	ChallengeMethods      []string `json:"code_challenge_methods_supported"`
	AuthMethods           []string `json:"token_endpoint_auth_methods_supported"`
	IssParameter          bool     `json:"authorization_response_iss_parameter_supported"`
	ConsentEndpoint       string   `json:"openfinance_consent_endpoint"`
	LoginFields           []string `json:"openfinance_login_fields"`
}

// AsksOTP reports whether the bank's login asks for a one-time code.
func (m Metadata) AsksOTP() bool {
	for _, f := range m.LoginFields {
		if f == "otp" {
			return true
		}
	}
	return false
}

// Client talks to one bank as openfinance's registered OAuth client:
// consents (client authentication), the login form, the token and
// revocation endpoints. Resource calls go through a Conn.
type Client struct {
	Bank banks.Bank
	Meta Metadata
	// Policy bounds every call (deadlines, retries, body size).
	Policy Policy

	http       *http.Client // follows no redirects: a redirect is an answer
	oauth      oauth2.Config
	maxBody    int64
	callbackTo *url.URL
}

// Discover reads the bank's authorization server metadata and builds a
// Client. The issuer must be exactly the bank's base URL, the endpoints must
// live under it, and S256 PKCE must be offered: a bank that answers
// otherwise is not the one in the directory.
func Discover(ctx context.Context, b banks.Bank, p Policy) (*Client, error) {
	p = p.withDefaults()
	base := strings.TrimSuffix(b.BaseURL, "/")
	if _, err := url.Parse(base); err != nil || base == "" {
		return nil, fmt.Errorf("%s has no usable address (%q)", b.Name, b.BaseURL)
	}
	redirect, err := url.Parse(b.RedirectURI)
	if err != nil || redirect.Scheme == "" {
		return nil, fmt.Errorf("%s has no usable redirect URI registered", b.Name)
	}
	c := &Client{
		Bank:   b,
		Policy: p,
		http: &http.Client{
			Transport: p.Transport,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		maxBody:    p.MaxBody,
		callbackTo: redirect,
	}
	cctx, cancel := context.WithTimeout(ctx, p.CallTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, base+"/.well-known/oauth-authorization-server", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &CallError{Bank: b.Name, Resource: "authorization server metadata", Err: netErr(err)}
	}
	body, err := readBody(resp, c.maxBody)
	if err != nil {
		return nil, &CallError{Bank: b.Name, Resource: "authorization server metadata", Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &CallError{Bank: b.Name, Resource: "authorization server metadata", Status: resp.StatusCode}
	}
	m, err := ParseMetadata(body)
	if err != nil {
		return nil, &DecodeError{Bank: b.Name, Resource: "authorization server metadata", Err: err}
	}
	if err := m.check(base); err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name, err)
	}
	c.Meta = m
	c.oauth = oauth2.Config{
		ClientID:     b.ClientID,
		ClientSecret: b.ClientSecret,
		RedirectURL:  b.RedirectURI,
		Scopes:       []string{"accounts"},
		Endpoint: oauth2.Endpoint{
			AuthURL:   m.AuthorizationEndpoint,
			TokenURL:  m.TokenEndpoint,
			AuthStyle: oauth2.AuthStyleInHeader, // client_secret_basic
		},
	}
	return c, nil
}

// ParseMetadata decodes an RFC 8414 document.
func ParseMetadata(body []byte) (Metadata, error) {
	var m Metadata
	if err := json.Unmarshal(body, &m); err != nil {
		return Metadata{}, err
	}
	return m, nil
}

func (m Metadata) check(base string) error {
	if m.Issuer != base {
		return fmt.Errorf("the authorization server says it is %q, not %q; refusing to talk to it", m.Issuer, base)
	}
	for name, ep := range map[string]string{
		"authorization_endpoint": m.AuthorizationEndpoint, "token_endpoint": m.TokenEndpoint,
		"openfinance_consent_endpoint": m.ConsentEndpoint,
	} {
		if !under(base, ep) {
			return fmt.Errorf("the authorization server's %s %q is not under %s", name, ep, base)
		}
	}
	if m.RevocationEndpoint != "" && !under(base, m.RevocationEndpoint) {
		return fmt.Errorf("the authorization server's revocation_endpoint %q is not under %s", m.RevocationEndpoint, base)
	}
	s256 := false
	for _, x := range m.ChallengeMethods {
		s256 = s256 || x == "S256"
	}
	if !s256 {
		return errors.New("the authorization server does not offer PKCE with S256")
	}
	return nil
}

// under reports whether u is base itself or a path below it, on the same
// scheme and host: bearer tokens and next-page links never leave the bank.
func under(base, u string) bool {
	b, err1 := url.Parse(base)
	x, err2 := url.Parse(u)
	if err1 != nil || err2 != nil || x.Scheme != b.Scheme || x.Host != b.Host || x.User != nil {
		return false
	}
	bp := strings.TrimSuffix(b.Path, "/")
	return x.Path == bp || strings.HasPrefix(x.Path, bp+"/")
}

// Tokens are a bank grant as the client keeps it. Never log these.
type Tokens struct {
	Access    string
	Refresh   string
	Expiry    time.Time
	Scopes    []string
	ConsentID string
}

func fromOAuth(t *oauth2.Token) Tokens {
	out := Tokens{Access: t.AccessToken, Refresh: t.RefreshToken, Expiry: t.Expiry}
	if s, ok := t.Extra("scope").(string); ok && s != "" {
		out.Scopes = strings.Fields(s)
	}
	if id, ok := t.Extra("consent_id").(string); ok {
		out.ConsentID = id
	}
	return out
}

func (c *Client) oauthCtx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.http)
}

// Exchange trades an authorization code (and its PKCE verifier) for tokens.
func (c *Client) Exchange(ctx context.Context, code, verifier string) (Tokens, error) {
	cctx, cancel := context.WithTimeout(ctx, c.Policy.CallTimeout)
	defer cancel()
	t, err := c.oauth.Exchange(c.oauthCtx(cctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Tokens{}, c.tokenErr("exchange the authorization code", err)
	}
	return fromOAuth(t), nil
}

// Refresh gets a new access token with the refresh token. A refusal
// (invalid_grant and the like) is ErrReauth; a bank that cannot be reached
// is a CallError.
func (c *Client) Refresh(ctx context.Context, refresh string) (Tokens, error) {
	if refresh == "" {
		return Tokens{}, ErrReauth
	}
	cctx, cancel := context.WithTimeout(ctx, c.Policy.CallTimeout)
	defer cancel()
	t, err := c.oauth.TokenSource(c.oauthCtx(cctx), &oauth2.Token{RefreshToken: refresh}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
			return Tokens{}, ErrReauth
		}
		return Tokens{}, c.tokenErr("refresh the access token", err)
	}
	out := fromOAuth(t)
	if out.Refresh == "" {
		out.Refresh = refresh
	}
	return out, nil
}

func (c *Client) tokenErr(what string, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode != "" {
			return &AuthError{Bank: c.Bank.Name, Code: re.ErrorCode, Description: re.ErrorDescription}
		}
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		return &CallError{Bank: c.Bank.Name, Resource: "token endpoint", Status: status}
	}
	return &CallError{Bank: c.Bank.Name, Resource: "token endpoint", Err: fmt.Errorf("cannot %s: %w", what, netErr(err))}
}

// RevokeToken revokes an access or refresh token (RFC 7009).
func (c *Client) RevokeToken(ctx context.Context, token string) error {
	if c.Meta.RevocationEndpoint == "" || token == "" {
		return nil
	}
	form := url.Values{"token": {token}}
	_, status, err := c.clientCall(ctx, "token revocation", http.MethodPost, c.Meta.RevocationEndpoint,
		"application/x-www-form-urlencoded", []byte(form.Encode()))
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return &CallError{Bank: c.Bank.Name, Resource: "token revocation", Status: status}
	}
	return nil
}

// clientCall is one call authenticated as the client (HTTP Basic), used for
// consents and revocation. It returns the body and status of any answer.
func (c *Client) clientCall(ctx context.Context, resource, method, u, contentType string, body []byte) ([]byte, int, error) {
	cctx, cancel := context.WithTimeout(ctx, c.Policy.CallTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(cctx, method, u, rd)
	if err != nil {
		return nil, 0, err
	}
	req.SetBasicAuth(url.QueryEscape(c.Bank.ClientID), url.QueryEscape(c.Bank.ClientSecret))
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Request-ID", newRequestID())
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, &CallError{Bank: c.Bank.Name, Resource: resource, Err: netErr(err)}
	}
	data, err := readBody(resp, c.maxBody)
	if err != nil {
		return nil, resp.StatusCode, &CallError{Bank: c.Bank.Name, Resource: resource, Status: resp.StatusCode, Err: err}
	}
	return data, resp.StatusCode, nil
}

// readBody reads at most limit bytes; a longer answer is an error rather
// than an unbounded allocation.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, netErr(err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("the answer is larger than %d bytes", limit)
	}
	return data, nil
}

// netErr drops the URL from transport errors (it may carry query values)
// and keeps the cause.
func netErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if errors.Is(ue.Err, context.DeadlineExceeded) {
			return fmt.Errorf("no answer in time: %w", ue.Err)
		}
		return fmt.Errorf("cannot reach the bank: %w", ue.Err)
	}
	return err
}
