package mockbank

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/openfinance-tui/openfinance/mockbank/authz"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// authRequest is an authorization request (RFC 6749 §4.1.1 + PKCE + the
// consent it is for).
type authRequest struct {
	ResponseType, ClientID, RedirectURI, Scope, State string
	Challenge, Method, ConsentID                      string
}

// authParams are the request's parameters, carried again by the form.
func authParams() []string {
	return []string{"response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "consent_id"}
}

// authProblem is why a request is refused. A fatal one (unknown client,
// redirect URI not the registered one) gets an error page and no redirect;
// the others are sent back to the client on its redirect URI.
type authProblem struct {
	fatal       bool
	code, descr string
}

// parseAuthRequest reads and checks the parameters (not the consent).
func parseAuthRequest(v url.Values) (authRequest, *authProblem) {
	req := authRequest{ResponseType: v.Get("response_type"), ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"),
		Scope: v.Get("scope"), State: v.Get("state"), Challenge: v.Get("code_challenge"), Method: v.Get("code_challenge_method"),
		ConsentID: v.Get("consent_id")}
	switch {
	case len(v["client_id"]) != 1 || !authz.Equal(req.ClientID, ClientID):
		return req, &authProblem{fatal: true, code: "invalid_client", descr: "the client is not registered at this bank"}
	case len(v["redirect_uri"]) != 1 || !authz.Equal(req.RedirectURI, RedirectURI):
		return req, &authProblem{fatal: true, code: "invalid_request", descr: "the redirect_uri is not exactly the one registered for this client"}
	}
	if dup := duplicated(v, authParams()...); dup != "" {
		if dup == "state" {
			req.State = ""
		}
		return req, &authProblem{code: "invalid_request", descr: "the parameter " + dup + " appears more than once"}
	}
	switch {
	case req.ResponseType != "code":
		return req, &authProblem{code: "unsupported_response_type", descr: "only response_type=code is supported"}
	case req.State == "":
		return req, &authProblem{code: "invalid_request", descr: "state is required"}
	case len(req.State) > 512:
		return req, &authProblem{code: "invalid_request", descr: "state is longer than 512 characters"}
	case req.Method != "S256":
		return req, &authProblem{code: "invalid_request", descr: "PKCE is required with code_challenge_method=S256 (plain is not accepted)"}
	case !authz.ValidChallenge(req.Challenge):
		return req, &authProblem{code: "invalid_request", descr: "code_challenge must be the 43-character S256 challenge"}
	case req.Scope != "" && !onlyScope(req.Scope, "accounts"):
		return req, &authProblem{code: "invalid_scope", descr: "the only scope is accounts"}
	case req.ConsentID == "" || len(req.ConsentID) > maxConsentIDLen:
		return req, &authProblem{code: "invalid_request", descr: "consent_id is required: create the consent first"}
	}
	return req, nil
}

func onlyScope(scope, want string) bool {
	fs := strings.Fields(scope)
	for _, f := range fs {
		if f != want {
			return false
		}
	}
	return len(fs) > 0
}

// checkAuth parses a request and checks its consent is waiting for the
// customer. It answers any problem itself.
func (b *bank) checkAuth(w http.ResponseWriter, r *http.Request, v url.Values) (authRequest, authz.Consent, bool) {
	req, p := parseAuthRequest(v)
	if p == nil {
		c, ok := b.store.Get(req.ConsentID)
		switch {
		case !ok || !authz.Equal(c.ClientID, req.ClientID):
			p = &authProblem{code: "invalid_request", descr: "there is no such consent; create it first"}
		case c.Status != authz.Awaiting:
			p = &authProblem{code: "invalid_request", descr: "the consent is " + c.Status + ", not waiting for authorisation"}
		default:
			return req, c, true
		}
	}
	if p.fatal {
		b.s.opts.Logger.Warn("authorization request refused", "bank", b.info.ID, "why", p.descr)
		if wantsJSON(r) {
			oauthError(w, http.StatusBadRequest, p.code, p.descr)
		} else {
			b.errorPage(w, http.StatusBadRequest, p.descr)
		}
		return req, authz.Consent{}, false
	}
	b.redirect(w, r, req.State, url.Values{"error": {p.code}, "error_description": {p.descr}})
	return req, authz.Consent{}, false
}

// redirect sends the answer back to the registered redirect URI with the
// state and the issuer (RFC 9207).
func (b *bank) redirect(w http.ResponseWriter, r *http.Request, state string, q url.Values) {
	if state != "" {
		q.Set("state", state)
	}
	q.Set("iss", b.base(r))
	w.Header().Set("Location", RedirectURI+"?"+q.Encode())
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusFound)
}

// authorizeGet shows the login and approval page.
func (b *bank) authorizeGet(w http.ResponseWriter, r *http.Request) {
	req, c, ok := b.checkAuth(w, r, r.URL.Query())
	if !ok {
		return
	}
	b.loginPage(w, r, http.StatusOK, req, c, "", "")
}

// authorizePost is the customer's login and decision (also the
// non-interactive path: a form post with Accept: application/json).
func (b *bank) authorizePost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		status, msg := http.StatusBadRequest, "the form cannot be read"
		if tooLarge(err) {
			status, msg = http.StatusRequestEntityTooLarge, "the form is too large"
		}
		if wantsJSON(r) {
			oauthError(w, status, "invalid_request", msg)
		} else {
			b.errorPage(w, status, msg)
		}
		return
	}
	form := r.PostForm
	req, c, ok := b.checkAuth(w, r, form)
	if !ok {
		return
	}
	action := form.Get("action")
	if action != "approve" && action != "reject" || len(form["action"]) > 1 {
		b.redirect(w, r, req.State, url.Values{"error": {"invalid_request"}, "error_description": {"action must be approve or reject"}})
		return
	}
	login := gen.NormalizeLogin(form.Get("username"))
	if !b.login(login, form.Get("password"), form.Get("otp")) {
		b.s.opts.Logger.Info("login failed", "bank", b.info.ID, "consent", c.ID)
		msg := "The user name, password or one-time code is not right."
		if wantsJSON(r) {
			oauthError(w, http.StatusUnauthorized, "login_failed", "the user name, password or one-time code is not right; the consent still waits")
			return
		}
		b.loginPage(w, r, http.StatusUnauthorized, req, c, form.Get("username"), msg)
		return
	}
	if _, err := b.store.Decide(c.ID, login, action == "approve"); err != nil {
		b.redirect(w, r, req.State, url.Values{"error": {"invalid_request"}, "error_description": {errDescription(err)}})
		return
	}
	if action == "reject" {
		b.s.opts.Logger.Info("consent rejected", "bank", b.info.ID, "consent", c.ID)
		b.redirect(w, r, req.State, url.Values{"error": {"access_denied"}, "error_description": {"the customer rejected the consent"}})
		return
	}
	code, err := b.store.IssueCode(c.ID, req.ClientID, req.RedirectURI, req.Challenge)
	if err != nil {
		b.s.opts.Logger.Error("cannot issue a code", "bank", b.info.ID, "err", err)
		b.redirect(w, r, req.State, url.Values{"error": {"server_error"}, "error_description": {"the bank cannot complete the authorisation"}})
		return
	}
	b.s.opts.Logger.Info("consent authorised", "bank", b.info.ID, "consent", c.ID)
	b.redirect(w, r, req.State, url.Values{"code": {code}})
}

// login checks a customer's credentials. Every comparison runs whatever
// the outcome of the others, in constant time.
func (b *bank) login(user, password, otp string) bool {
	known := gen.IsCustomer(user, b.s.opts.Size)
	pwOK := authz.Equal(password, b.info.Password)
	otpOK := !b.info.NeedsOTP || authz.Equal(otp, b.info.OTP)
	return known && pwOK && otpOK
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}
