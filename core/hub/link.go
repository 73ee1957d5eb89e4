package hub

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	gosync "sync"
	"time"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	banksync "github.com/openfinance-tui/openfinance/core/sync"
)

// Bank is a bank the user can link (the directory entry).
type Bank = banks.Bank

// Credentials are what the user types on the bank's login screen.
type Credentials = banks.Credentials

// Defaults of a link request.
const (
	DefaultValidFor      = 90 * 24 * time.Hour
	DefaultHistoryMonths = 12
)

// ErrBadRequest is wrapped by errors in what the caller asked for (an
// unknown bank, a permission the bank does not offer): the user's input,
// not a failure.
var ErrBadRequest = errors.New("bad request")

// LinkRequest is what the user agrees to share with a bank.
type LinkRequest struct {
	BankID      string
	Permissions []string      // nil = banks.DefaultPermissions()
	ValidFor    time.Duration // how long the consent lasts; 0 = 90 days
	HistoryFrom time.Time     // oldest transactions to share; zero = 12 months back
}

// LinkSession is a consent created at the bank and waiting for the user to
// log in and approve it. After a wrong password it may be completed again;
// once completed (approved or rejected) it is spent.
type LinkSession struct {
	User        model.UserRef
	Bank        Bank
	ConsentID   string
	Permissions []string
	ExpiresAt   time.Time
	HistoryFrom time.Time
	// AsksOTP is true when the bank's login asks for a one-time code.
	AsksOTP bool

	mu     gosync.Mutex
	client *bankapi.Client
	ar     bankapi.AuthRequest
	done   bool
}

// Describe lists what the consent shares, in plain words, for the review
// screen and the CLI prompt.
func (ls *LinkSession) Describe() []string {
	out := make([]string, 0, len(ls.Permissions))
	for _, p := range ls.Permissions {
		out = append(out, banks.Describe(p))
	}
	return out
}

// StartLink creates the consent at the bank.
func (h *Hub) StartLink(ctx context.Context, u model.UserRef, req LinkRequest) (*LinkSession, error) {
	b, err := h.banks.Resolve(req.BankID)
	if err != nil {
		return nil, reqErr(ErrBadRequest, err)
	}
	if u.UserId.IsZero() {
		return nil, fmt.Errorf("user %s has no id in the users collection and cannot link a bank", u.UserName)
	}
	perms := req.Permissions
	if len(perms) == 0 {
		perms = banks.DefaultPermissions()
	}
	for _, p := range perms {
		if len(b.Permissions) > 0 && !slices.Contains(b.Permissions, p) {
			return nil, reqErr(ErrBadRequest, fmt.Errorf("%s does not offer the permission %s (it offers %s)", b.Name, p, strings.Join(b.Permissions, ", ")))
		}
	}
	valid := req.ValidFor
	if valid == 0 {
		valid = DefaultValidFor
	}
	if valid < 0 || valid > 365*24*time.Hour {
		return nil, reqErr(ErrBadRequest, fmt.Errorf("a consent lasts from 1 day to 365 days, not %s", valid))
	}
	now := h.now().UTC()
	from := req.HistoryFrom
	if from.IsZero() {
		from = now.AddDate(0, -DefaultHistoryMonths, 0)
	}
	if from.After(now) {
		return nil, reqErr(ErrBadRequest, fmt.Errorf("the history to share cannot start in the future"))
	}
	cl, err := bankapi.Discover(ctx, b, h.policy)
	if err != nil {
		return nil, err
	}
	ad, err := bankapi.For(b.Style)
	if err != nil {
		return nil, err
	}
	expires := now.Add(valid).Truncate(time.Second)
	info, err := ad.CreateConsent(ctx, cl, bankapi.ConsentRequest{Permissions: perms, Expires: expires, From: from, To: expires})
	if err != nil {
		return nil, err
	}
	if len(info.Permissions) > 0 {
		perms = info.Permissions
	}
	if !info.Expires.IsZero() {
		expires = info.Expires
	}
	if info.From != nil {
		from = *info.From
	}
	h.app.Log.Info("consent created", "user", u.UserName, "bank", b.ID)
	return &LinkSession{
		User: u, Bank: b, ConsentID: info.ID, Permissions: perms, ExpiresAt: expires.UTC(), HistoryFrom: from.UTC(),
		AsksOTP: cl.Meta.AsksOTP(), client: cl, ar: bankapi.NewAuthRequest(info.ID),
	}, nil
}

// ErrLinkSpent is returned when completing a link session a second time.
var ErrLinkSpent = errors.New("this link was already completed; start a new one")

// CompleteLink logs in at the bank, approves (or rejects) the consent,
// exchanges the code for tokens and stores the consent and tokens.
//
// Wrong credentials return a *bankapi.LoginError ("Green Bank did not
// accept the user name or password") and leave the session usable for
// another try. Rejecting records the consent as Rejected and returns it
// with a nil error. Approving a consent at a bank where the user already
// has one replaces it: the old one is revoked at the bank (its data stays).
func (h *Hub) CompleteLink(ctx context.Context, ls *LinkSession, c Credentials, approve bool) (model.Consent, error) {
	if ls == nil || ls.client == nil {
		return model.Consent{}, errors.New("no link in progress: start one first")
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.done {
		return model.Consent{}, ErrLinkSpent
	}
	u, b := ls.User, ls.Bank
	code, err := ls.client.Authorize(ctx, ls.ar, c, approve)
	var le *bankapi.LoginError
	switch {
	case errors.As(err, &le):
		return model.Consent{}, err
	case errors.Is(err, bankapi.ErrAccessDenied):
		ls.done = true
		cons := h.consentDoc(ls, c.User, model.ConsentRejected)
		if werr := h.putConsent(ctx, cons); werr != nil {
			return model.Consent{}, werr
		}
		h.audit(ctx, u, model.AuditConsentRejected, b.ID, model.OutcomeOK, "the consent was rejected at the bank", nil)
		if approve {
			return cons, err
		}
		return cons, nil
	case err != nil:
		return model.Consent{}, err
	}
	ls.done = true // the code is single use: whatever happens now, start again
	toks, err := ls.client.Exchange(ctx, code, ls.ar.Verifier)
	if err != nil {
		return model.Consent{}, err
	}
	if toks.ConsentID != "" && toks.ConsentID != ls.ConsentID {
		return model.Consent{}, fmt.Errorf("%s issued tokens for another consent; nothing was stored", b.Name)
	}
	toks.ConsentID = ls.ConsentID
	h.supersede(ctx, u, b, ls.ConsentID)
	if err := banksync.SaveTokens(ctx, h.s, h.app.Secrets, u, b.ID, toks, h.now()); err != nil {
		return model.Consent{}, err
	}
	cons := h.consentDoc(ls, c.User, model.ConsentAuthorised)
	granted := h.now().UTC()
	cons.GrantedAt = &granted
	if err := h.putConsent(ctx, cons); err != nil {
		return model.Consent{}, err
	}
	h.audit(ctx, u, model.AuditConsentGranted, b.ID, model.OutcomeOK,
		fmt.Sprintf("%s until %s", strings.Join(cons.Permissions, ", "), cons.ExpiresAt.Format("2006-01-02")), nil)
	h.app.Log.Info("consent granted", "user", u.UserName, "bank", b.ID)
	return cons, nil
}

func (h *Hub) consentDoc(ls *LinkSession, bankUser, status string) model.Consent {
	from, to := ls.HistoryFrom, ls.ExpiresAt
	return model.Consent{
		ID: model.ConsentDocID(ls.User.UserId, ls.Bank.ID, ls.ConsentID), ConsentId: ls.ConsentID,
		BankId: ls.Bank.ID, Bank: ls.Bank.Name, ConsentUser: ls.User, BankUser: bankUser,
		Permissions: ls.Permissions, Status: status, TransactionFrom: &from, TransactionTo: &to,
		CreatedAt: h.now().UTC(), ExpiresAt: ls.ExpiresAt,
	}
}

func (h *Hub) putConsent(ctx context.Context, c model.Consent) error {
	_, err := store.ReplaceByID(ctx, h.s, model.CollConsents, []model.Consent{c}, func(c model.Consent) any { return c.ID })
	if err != nil {
		return fmt.Errorf("cannot store the consent: %w", err)
	}
	return nil
}

// supersede revokes the user's other live consents at the bank (one active
// consent per user and bank): at the bank, best effort, then locally. The
// data they brought stays; the new consent's sync refreshes it.
func (h *Hub) supersede(ctx context.Context, u model.UserRef, b Bank, keep string) {
	cs, err := h.consentsAt(ctx, u, b.ID)
	if err != nil {
		h.app.Log.Error("cannot list the consents to replace", "bank", b.ID, "err", err)
		return
	}
	for _, c := range cs {
		if c.ConsentId == keep || !live(c.Status) {
			continue
		}
		note := h.revokeAtBank(ctx, u, b, c)
		h.markRevoked(ctx, c)
		detail := "replaced by a new consent"
		if note != "" {
			detail += "; " + note
		}
		h.audit(ctx, u, model.AuditConsentRevoked, b.ID, model.OutcomeOK, detail, nil)
	}
}

// live reports whether a consent still stands at the bank (not revoked nor
// rejected): it must be revoked before it is forgotten.
func live(status string) bool {
	switch status {
	case model.ConsentAuthorised, model.ConsentExpired, model.ConsentReauthRequired, model.ConsentAwaiting:
		return true
	}
	return false
}

// requestError is an error in what the caller asked for: it reads as its
// own sentence and is also one of the sentinel kinds (ErrBadRequest,
// ErrNotLinked) for errors.Is.
type requestError struct{ kind, err error }

func (e requestError) Error() string   { return e.err.Error() }
func (e requestError) Unwrap() []error { return []error{e.kind, e.err} }

func reqErr(kind, err error) error { return requestError{kind: kind, err: err} }
