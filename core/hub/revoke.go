package hub

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	banksync "github.com/openfinance-tui/openfinance/core/sync"
)

// ErrNotLinked is wrapped when the user has no consent at the bank.
var ErrNotLinked = errors.New("not linked")

// RevokeResult is what revoking a bank did.
type RevokeResult struct {
	Bank string
	// Erased counts the documents removed per collection
	// (external_accounts, external_products, transactions, tokens).
	Erased map[string]int
	// Consents is how many consents were marked Revoked.
	Consents int
	// BankNotice is empty when the bank confirmed the revocation; else it
	// says what could not be done there (the local part was done anyway).
	BankNotice string
}

// Revoke revokes the user's consent at a bank: DELETE at the bank, tokens
// removed and that bank's data for the user erased, in one action. It
// returns the number of documents erased per collection. A bank that cannot
// be reached does not stop the local part (RevokeDetail says so).
func (h *Hub) Revoke(ctx context.Context, u model.UserRef, bankID string) (map[string]int, error) {
	r, err := h.RevokeDetail(ctx, u, bankID)
	return r.Erased, err
}

// RevokeDetail is Revoke with the whole outcome.
func (h *Hub) RevokeDetail(ctx context.Context, u model.UserRef, bankID string) (RevokeResult, error) {
	b, err := h.banks.Resolve(bankID)
	if err != nil {
		return RevokeResult{}, reqErr(ErrBadRequest, err)
	}
	unlock, err := h.lockUser(ctx, u)
	if err != nil {
		return RevokeResult{}, err
	}
	defer unlock()
	cs, err := h.consentsAt(ctx, u, b.ID)
	if err != nil {
		return RevokeResult{}, err
	}
	res := RevokeResult{Bank: b.Name}
	var notes []string
	for _, c := range cs {
		if !live(c.Status) {
			continue
		}
		if n := h.revokeAtBank(ctx, u, b, c); n != "" {
			notes = append(notes, n)
		}
		h.markRevoked(ctx, c)
		res.Consents++
	}
	if res.Consents == 0 {
		return RevokeResult{}, reqErr(ErrNotLinked, fmt.Errorf("%s has no consent at %s to revoke", u.UserName, b.Name))
	}
	res.BankNotice = strings.Join(notes, "; ")
	res.Erased, err = h.s.DeleteBankData(ctx, u, b.ID, b.Name)
	if err != nil {
		return res, err
	}
	if err := buckets.ForgetBank(ctx, h.s, u, b.ID, b.Name); err != nil {
		return res, err
	}
	detail := "revoked by the user; " + b.Name + "'s data erased"
	if res.BankNotice != "" {
		detail += "; " + res.BankNotice
	}
	h.audit(ctx, u, model.AuditConsentRevoked, b.ID, model.OutcomeOK, detail, res.Erased)
	h.app.Log.Info("consent revoked", "user", u.UserName, "bank", b.ID)
	if _, err := h.RecomputeInsights(ctx, u); err != nil {
		h.app.Log.Warn("insights not recomputed after revoke", "err", err)
	}
	return res, nil
}

// revokeAtBank deletes the consent at the bank and revokes the stored
// refresh token there, best effort: it returns what could not be done.
func (h *Hub) revokeAtBank(ctx context.Context, u model.UserRef, b Bank, c model.Consent) string {
	bctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cl, err := bankapi.Discover(bctx, b, h.policy)
	if err != nil {
		h.app.Log.Warn("bank unreachable for revocation", "bank", b.ID, "err", err)
		return fmt.Sprintf("%s could not be reached, so the consent was removed here only", b.Name)
	}
	var notes []string
	ad, err := bankapi.For(b.Style)
	if err == nil {
		err = ad.DeleteConsent(bctx, cl, c.ConsentId)
	}
	if err != nil {
		h.app.Log.Warn("consent not deleted at the bank", "bank", b.ID, "err", err)
		notes = append(notes, fmt.Sprintf("%s did not confirm deleting the consent", b.Name))
	}
	toks, err := banksync.LoadTokens(bctx, h.s, h.app.Secrets, u, b.ID)
	if err == nil && (toks.ConsentID == "" || toks.ConsentID == c.ConsentId) {
		for _, t := range []string{toks.Refresh, toks.Access} {
			if rerr := cl.RevokeToken(bctx, t); rerr != nil {
				h.app.Log.Warn("token not revoked at the bank", "bank", b.ID, "err", rerr)
				notes = append(notes, fmt.Sprintf("%s did not confirm revoking the token", b.Name))
				break
			}
		}
	}
	return strings.Join(notes, "; ")
}

func (h *Hub) markRevoked(ctx context.Context, c model.Consent) {
	now := h.now().UTC()
	_, err := h.s.C(model.CollConsents).UpdateOne(ctx, bson.D{{Key: "_id", Value: c.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "Status", Value: model.ConsentRevoked}, {Key: "RevokedAt", Value: now}}}})
	if err != nil {
		h.app.Log.Error("cannot mark a consent revoked", "bank", c.BankId, "err", err)
	}
}

// consentsAt lists a user's consents at one bank, newest first.
func (h *Hub) consentsAt(ctx context.Context, u model.UserRef, bankID string) ([]model.Consent, error) {
	f := bson.D{{Key: "$and", Value: bson.A{store.OwnerFilter("ConsentUser", u), bson.D{{Key: "BankId", Value: bankID}}}}}
	return store.FindAll[model.Consent](ctx, h.s, model.CollConsents, f,
		options.Find().SetSort(bson.D{{Key: "CreatedAt", Value: -1}, {Key: "_id", Value: 1}}))
}

// EraseUser removes every document of the user in every collection (right
// to erasure): every consent is first revoked at its bank (best effort),
// then the user's documents go from users, tokens, consents, accounts,
// products, transactions, insights and audit. One data.erased record stays
// in the audit trail, with no personal data: only a keyed hash of the id.
func (h *Hub) EraseUser(ctx context.Context, u model.UserRef) (map[string]int, error) {
	unlock, err := h.lockUser(ctx, u)
	if err != nil {
		return nil, err
	}
	defer unlock()
	cs, err := store.FindAll[model.Consent](ctx, h.s, model.CollConsents, store.OwnerFilter("ConsentUser", u))
	if err != nil {
		return nil, err
	}
	unreached := 0
	for _, c := range cs {
		if !live(c.Status) {
			continue
		}
		b, ok := h.banks.Lookup(c.BankId)
		if !ok {
			unreached++
			continue
		}
		if note := h.revokeAtBank(ctx, u, b, c); note != "" {
			unreached++
		}
	}
	counts, err := h.s.DeleteUserData(ctx, u)
	if err != nil {
		return counts, err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	detail := fmt.Sprintf("every document of the user erased on request (%d documents)", total)
	if unreached > 0 {
		detail += fmt.Sprintf("; %d consent(s) could not be confirmed revoked at the bank", unreached)
	}
	subject := h.app.Secrets.Hash("audit.subject", u.UserId.Hex()+"|"+u.UserName)
	if err := h.s.AppendAudit(ctx, model.AuditEvent{
		Time: h.now().UTC(), Action: model.AuditDataErased, Outcome: model.OutcomeOK,
		Detail: detail, Counts: counts, Subject: subject,
	}); err != nil {
		return counts, err
	}
	h.app.Log.Info("user data erased", "subject", subject[:12], "documents", total)
	return counts, nil
}

func (h *Hub) audit(ctx context.Context, u model.UserRef, action, bankID, outcome, detail string, counts map[string]int) {
	err := h.s.AppendAudit(ctx, model.AuditEvent{
		Time: h.now().UTC(), UserId: u.UserId, UserName: u.UserName, Action: action,
		BankId: bankID, Outcome: outcome, Detail: detail, Counts: counts,
	})
	if err != nil {
		h.app.Log.Error("cannot write the audit trail", "action", action, "err", err)
	}
}
