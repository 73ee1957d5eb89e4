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
	consents, err := s.hub.Consents(ctx, u)
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	active := false
	for _, c := range consents {
		if c.BankId == bank.ID && c.Active(now) {
			active = true
			break
		}
	}
	if !active {
		return "", nil, fail(http.StatusConflict,
			"%s has no active consent at %s, so there is nothing to retrieve from it: link the bank first (openfinance link --user %s --bank %s), then try again.",
			u.UserName, bank.Name, u.UserName, bank.ID)
	}
	before, err := s.bankIDs(ctx, k, u, bank.Name)
	if err != nil {
		return "", nil, err
	}
	reports, err := s.hub.Sync(ctx, u, bank.ID, nil)
	if err == nil {
		for _, rep := range reports {
			if rep.Err != nil {
				err = rep.Err
				break
			}
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return "", nil, ctx.Err()
		}
		return "", nil, &apiError{Status: http.StatusBadGateway,
			Detail: fmt.Sprintf("Could not retrieve data from %s: %s", bank.Name, sentence(err)), cause: err}
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
