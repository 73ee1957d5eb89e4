package restapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	banksync "github.com/openfinance-tui/openfinance/core/sync"
)

// handleRetrieve pulls the user's data from a bank through the consent the
// user gave it (the original inserted a random document instead) and
// answers with the original's message and the id of an account (or
// product) it brought: a new one when the pull added any, otherwise the
// first one stored at that bank. Since one pull brings all of them, the
// answer adds account_ids (product_ids): every id now stored there.
func (s *Server) handleRetrieve(k docKind) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		b, err := readBody(r, field{k.bankField, kindString}, field{"user_name", kindString}, field{"user_id", kindString})
		if err != nil {
			return err
		}
		ctx := r.Context()
		p, err := s.authenticate(ctx, r)
		if err != nil {
			return err
		}
		uid, err := objectID("user_id", b.strs["user_id"])
		if err != nil {
			return err
		}
		if b.strs["user_name"] != p.user.UserName || p.user.UserId.IsZero() || uid != p.user.UserId {
			return fail(http.StatusForbidden, msgNotYourUser)
		}
		bank, err := s.hub.Bank(b.strs[k.bankField])
		if errors.Is(err, banks.ErrUnknownBank) {
			return &apiError{Status: http.StatusBadRequest, Detail: sentence(err), cause: err}
		}
		if err != nil {
			return err
		}
		id, all, err := s.pull(ctx, k, p.user, bank)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"message":     fmt.Sprintf("External %s retrieved for %s.", k.noun, p.user.UserName),
			k.idKey:       id,
			k.idKey + "s": all,
		})
		return nil
	}
}

// pull syncs the user's consent at bank and picks the id to answer with.
func (s *Server) pull(ctx context.Context, k docKind, u model.UserRef, bank hub.Bank) (string, []string, error) {
	linked, err := s.hub.Linked(ctx, u)
	if err != nil {
		return "", nil, err
	}
	active := false
	for _, l := range linked { // the newest consent at the bank is the one a sync uses
		active = active || (l.Bank.ID == bank.ID && l.Active)
	}
	if !active {
		return "", nil, noConsent(u, bank)
	}
	before, err := s.bankIDs(ctx, k, u, bank.Name)
	if err != nil {
		return "", nil, err
	}
	if err := s.sync(ctx, u, bank); err != nil {
		return "", nil, err
	}
	after, err := s.bankIDs(ctx, k, u, bank.Name)
	if err != nil {
		return "", nil, err
	}
	if len(after) == 0 {
		return "", nil, fail(http.StatusNotFound, "%s shares no %s of %s under the consent.", bank.Name, k.listKey, u.UserName)
	}
	known := map[string]bool{}
	for _, id := range before {
		known[id] = true
	}
	pick := after[0]
	for _, id := range after {
		if !known[id] {
			pick = id
			break
		}
	}
	return pick, after, nil
}

// sync runs the hub's sync of one bank and turns its outcome into an
// answer: a consent that turned out expired, revoked or in need of a new
// login is the client's to fix (409); a bank that failed is a 502.
func (s *Server) sync(ctx context.Context, u model.UserRef, bank hub.Bank) error {
	reports, err := s.hub.Sync(ctx, u, bank.ID, nil)
	var ie *hub.InsightsError
	switch {
	case errors.As(err, &ie):
		// The data is stored; only the insights lag behind.
		s.log.Warn("insights not recomputed after an API retrieve", "user", u.UserName, "bank", bank.ID, "err", ie.Err)
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, hub.ErrNotLinked):
		return noConsent(u, bank)
	case err != nil:
		return &apiError{Status: http.StatusBadGateway, cause: err,
			Detail: fmt.Sprintf("Could not retrieve data from %s: %s", bank.Name, sentence(err))}
	}
	for _, rep := range reports {
		if rep.Err == nil {
			continue
		}
		status := http.StatusBadGateway
		switch rep.State {
		case banksync.StateExpired, banksync.StateReauth, banksync.StateInactive:
			status = http.StatusConflict
		}
		return &apiError{Status: status, cause: rep.Err,
			Detail: fmt.Sprintf("Could not retrieve data from %s: %s", bank.Name, sentence(rep.Err))}
	}
	return nil
}

func noConsent(u model.UserRef, bank hub.Bank) error {
	return fail(http.StatusConflict,
		"%s has no active consent at %s, so there is nothing to retrieve from it: link the bank first (openfinance link --user %s --bank %s), then try again.",
		u.UserName, bank.Name, u.UserName, bank.ID)
}

// bankIDs lists the ids of the user's documents at a bank, in listing order.
func (s *Server) bankIDs(ctx context.Context, k docKind, u model.UserRef, bankName string) ([]string, error) {
	docs, err := s.listDocs(ctx, k, u, bankName)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(docs))
	for _, d := range docs {
		for _, e := range d {
			if e.Key == "_id" {
				if oid, ok := e.Value.(bson.ObjectID); ok {
					out = append(out, oid.Hex())
				}
			}
		}
	}
	return out, nil
}

// sentence capitalises an error message for a detail.
func sentence(err error) string {
	s := err.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
