package mockbank

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
)

// consentPath is where a style keeps its consents, under the base URL.
func (b *bank) consentPath() string {
	switch b.info.Style {
	case banks.StyleUKOB:
		return ukobRoot + "/account-access-consents"
	case banks.StyleBerlinGroup:
		return berlinRoot + "/consents"
	}
	return "/consents"
}

// metadata is the RFC 8414 document.
func (b *bank) metadata(w http.ResponseWriter, r *http.Request) {
	base := b.base(r)
	fields := []string{"username", "password"}
	if b.info.NeedsOTP {
		fields = append(fields, "otp")
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                         base,
		"authorization_endpoint":                         base + "/oauth/authorize",
		"token_endpoint":                                 base + "/oauth/token",
		"revocation_endpoint":                            base + "/oauth/revoke",
		"response_types_supported":                       []string{"code"},
		"response_modes_supported":                       []string{"query"},
		"grant_types_supported":                          []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported":               []string{"S256"},
		"token_endpoint_auth_methods_supported":          []string{"client_secret_basic"},
		"revocation_endpoint_auth_methods_supported":     []string{"client_secret_basic"},
		"scopes_supported":                               []string{"accounts"},
		"authorization_response_iss_parameter_supported": true,
		"openfinance_consent_endpoint":                   base + b.consentPath(),
		"openfinance_login_fields":                       fields,
	})
}

// token is the token endpoint (RFC 6749 §3.2).
func (b *bank) token(w http.ResponseWriter, r *http.Request) {
	if !clientAuth(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+b.info.ID+`"`)
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed (HTTP Basic with the registered client)")
		return
	}
	form, ok := b.form(w, r)
	if !ok {
		return
	}
	if dup := duplicated(form, "grant_type", "code", "redirect_uri", "code_verifier", "refresh_token"); dup != "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the parameter "+dup+" appears more than once")
		return
	}
	var (
		g   authz.Grant
		err error
	)
	switch form.Get("grant_type") {
	case "authorization_code":
		g, err = b.store.Exchange(ClientID, form.Get("code"), form.Get("redirect_uri"), form.Get("code_verifier"), b.accessTTL())
	case "refresh_token":
		g, err = b.store.Refresh(ClientID, form.Get("refresh_token"), b.accessTTL())
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
		return
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "only authorization_code and refresh_token are supported")
		return
	}
	if err != nil {
		var e *authz.Error
		if errors.As(err, &e) {
			b.s.opts.Logger.Info("token refused", "bank", b.info.ID, "grant", form.Get("grant_type"), "error", e.Code, "why", e.Description)
			oauthError(w, http.StatusBadRequest, e.Code, e.Description)
			return
		}
		b.s.opts.Logger.Error("token endpoint failed", "bank", b.info.ID, "err", err)
		oauthError(w, http.StatusInternalServerError, "server_error", "the bank cannot issue tokens right now")
		return
	}
	out := map[string]any{"access_token": g.Access, "token_type": "Bearer", "expires_in": g.ExpiresIn,
		"scope": "accounts", "consent_id": g.ConsentID}
	if g.Refresh != "" {
		out["refresh_token"] = g.Refresh
	}
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, out)
}

// revoke is the revocation endpoint (RFC 7009): always 200 for a client.
func (b *bank) revoke(w http.ResponseWriter, r *http.Request) {
	if !clientAuth(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+b.info.ID+`"`)
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed (HTTP Basic with the registered client)")
		return
	}
	form, ok := b.form(w, r)
	if !ok {
		return
	}
	if tok := form.Get("token"); tok != "" {
		b.store.RevokeToken(ClientID, tok)
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// form parses an application/x-www-form-urlencoded body (only the body:
// secrets in the query string are not accepted).
func (b *bank) form(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	ct := r.Header.Get("Content-Type")
	if mt, _, _ := strings.Cut(ct, ";"); !strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded") {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		if tooLarge(err) {
			oauthError(w, http.StatusRequestEntityTooLarge, "invalid_request", "the request body is too large")
		} else {
			oauthError(w, http.StatusBadRequest, "invalid_request", "the form cannot be read")
		}
		return nil, false
	}
	return r.PostForm, true
}

// duplicated returns the first of names given more than once.
func duplicated(v url.Values, names ...string) string {
	for _, n := range names {
		if len(v[n]) > 1 {
			return n
		}
	}
	return ""
}

// oauthError answers an RFC 6749 §5.2 error.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}
