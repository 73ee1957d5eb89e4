package mockbank

import (
	"bytes"
	"html/template"
	"net/http"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
)

// pagesHTML are the bank's two HTML pages: login and approval, and the
// error page shown when the bank must not redirect.
const pagesHTML = `{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Bank}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d1d1f}
header{background:{{.Color}};color:#fff;padding:1rem 1.5rem;font-size:1.3rem;font-weight:600}
main{max-width:34rem;margin:1.5rem auto;background:#fff;padding:1.5rem;border-radius:8px;box-shadow:0 1px 4px #0002}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;box-sizing:border-box}
.err{background:#fde8e8;color:#8a1f1f;padding:.6rem;border-radius:4px}
button{margin-top:1.2rem;padding:.6rem 1.2rem;border:0;border-radius:4px;font-size:1rem;cursor:pointer}
.approve{background:{{.Color}};color:#fff}.reject{background:#ddd}
small{color:#555}
</style></head><body><header>{{.Bank}}</header><main>{{end}}

{{define "login"}}{{template "head" .}}
<h1>Share your data with openfinance?</h1>
<p>openfinance asks {{.Bank}} to let it read:</p>
<ul>{{range .Perms}}<li>{{.}}</li>{{end}}</ul>
<p>until <strong>{{.Expires}}</strong>{{if .Window}}, transactions {{.Window}}{{end}}.
You can withdraw this consent at any time.</p>
{{if .Error}}<p class="err">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<label for="username">User name</label><input id="username" name="username" autocomplete="username" value="{{.User}}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
{{if .NeedsOTP}}<label for="otp">One-time code</label><input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" required>
{{end}}<button class="approve" name="action" value="approve">Log in and allow</button>
<button class="reject" name="action" value="reject">Don't allow</button>
</form>
<p><small>Sandbox: every customer's password is published with the bank's API documentation.</small></p>
</main></body></html>{{end}}

{{define "error"}}{{template "head" .}}
<h1>This request cannot be completed</h1>
<p class="err">{{.Error}}</p>
<p>Nothing was shared. Go back to the application and start again.</p>
</main></body></html>{{end}}`

func parsePages() *template.Template {
	return template.Must(template.New("pages").Parse(pagesHTML))
}

type hidden struct{ Name, Value string }

type pageData struct {
	Bank, Color, Action, Expires, Window, User, Error string
	Perms                                             []string
	Hidden                                            []hidden
	NeedsOTP                                          bool
}

func (b *bank) loginPage(w http.ResponseWriter, r *http.Request, status int, req authRequest, c authz.Consent, user, msg string) {
	d := b.page(msg)
	d.Action = b.base(r) + "/oauth/authorize"
	d.User = user
	d.NeedsOTP = b.info.NeedsOTP
	for _, p := range c.Permissions {
		d.Perms = append(d.Perms, banks.Describe(p))
	}
	d.Expires = c.Expires.UTC().Format("2 January 2006")
	switch {
	case c.From != nil && c.To != nil:
		d.Window = "from " + c.From.UTC().Format(time.DateOnly) + " to " + c.To.UTC().Format(time.DateOnly)
	case c.From != nil:
		d.Window = "from " + c.From.UTC().Format(time.DateOnly)
	case c.To != nil:
		d.Window = "up to " + c.To.UTC().Format(time.DateOnly)
	}
	values := map[string]string{"response_type": req.ResponseType, "client_id": req.ClientID,
		"redirect_uri": req.RedirectURI, "scope": req.Scope, "state": req.State, "code_challenge": req.Challenge,
		"code_challenge_method": req.Method, "consent_id": req.ConsentID}
	for _, name := range authParams() {
		if v := values[name]; v != "" {
			d.Hidden = append(d.Hidden, hidden{name, v})
		}
	}
	b.render(w, status, "login", d)
}

func (b *bank) errorPage(w http.ResponseWriter, status int, msg string) {
	b.render(w, status, "error", b.page(msg))
}

func (b *bank) page(msg string) pageData {
	return pageData{Bank: b.info.Name, Color: b.info.Color, Error: msg}
}

func (b *bank) render(w http.ResponseWriter, status int, name string, d pageData) {
	var buf bytes.Buffer
	if err := b.s.pages.ExecuteTemplate(&buf, name, d); err != nil {
		b.s.opts.Logger.Error("cannot render a page", "bank", b.info.ID, "err", err)
		http.Error(w, "the bank cannot show this page", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
