package restapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// authResponse is the answer of get-authorization and create-user.
type authResponse struct {
	Message     string `json:"message"`
	UserName    string `json:"UserName"`
	BearerToken string `json:"BearerToken"`
}

func (s *Server) handleRoot(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"message": "Server is running"})
	return nil
}

// handleGetAuthorization hands out the API token of a demo user (the
// original handed out anybody's token to anybody who asked).
func (s *Server) handleGetAuthorization(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "user_identifier")
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, err := s.store.ResolveUser(ctx, q[0])
	if errors.Is(err, store.ErrUnknownUser) {
		return fail(http.StatusNotFound, msgUserNotFound)
	}
	if err != nil {
		return err
	}
	if err := s.mayIssue(ctx, u); err != nil {
		return err
	}
	tok, err := s.issueToken(ctx, u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, authResponse{
		Message: "Authorization document retrieved successfully.", UserName: u.UserName, BearerToken: tok,
	})
	return nil
}

// User sources (model.User.Source) the API tells apart.
const (
	sourceDemo     = "demo"
	sourceAPI      = "api"
	sourceImported = "imported"
)

// Users whose Source is one of these may get a token with --demo: users
// made by create-user, and users known only from imported documents.
// Anybody else (users created by linking banks in the TUI or CLI, SSH
// identities, sources added later) never gets one from this public route.
var demoFlagSources = []string{sourceAPI, sourceImported, ""}

// mayIssue says whether get-authorization may hand out a token for u.
func (s *Server) mayIssue(ctx context.Context, u model.UserRef) error {
	var doc model.User
	src := sourceImported
	if !u.UserId.IsZero() {
		err := s.store.C(model.CollUsers).FindOne(ctx, bson.D{{Key: "_id", Value: u.UserId}}).Decode(&doc)
		switch {
		case err == nil:
			src = doc.Source
		case !errors.Is(err, mongo.ErrNoDocuments):
			return fmt.Errorf("cannot read user %s: %w", u.UserName, err)
		}
	}
	if doc.Demo || src == sourceDemo {
		return nil
	}
	allowed := false
	for _, a := range demoFlagSources {
		if src == a {
			allowed = true
		}
	}
	if allowed && s.cfg.Demo {
		return nil
	}
	if allowed {
		return fail(http.StatusForbidden,
			"Tokens are handed out here only for demo users, and %s is not one (start the server with --demo to allow it).", u.UserName)
	}
	return fail(http.StatusForbidden,
		"Tokens are handed out here only for demo users; %s was not created as one, so this route never gives out its token.", u.UserName)
}

// handleCreateUser creates a user with nothing linked and an API token.
func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	for range 5 {
		b := make([]byte, 4)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("cannot make a user name: %w", err)
		}
		name := "api_user_" + hex.EncodeToString(b)
		u := model.User{ID: bson.NewObjectID(), UserName: name, Source: sourceAPI, CreatedAt: s.now().UTC()}
		res, err := s.store.InsertNew(ctx, model.CollUsers, []any{u})
		if err != nil {
			return err
		}
		if res.Existing > 0 { // the name is taken (unique index): draw again
			continue
		}
		tok, err := s.issueToken(ctx, model.UserRef{UserName: u.UserName, UserId: u.ID})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, authResponse{Message: "User created successfully.", UserName: name, BearerToken: tok})
		return nil
	}
	return errors.New("could not generate a unique UserName after multiple attempts")
}
