package restapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/store"
)

// tokenPurpose is the purpose bearer tokens are sealed and hashed under
// (the same as core/transfer uses on import, so imported tokens are found).
const tokenPurpose = model.CollTokens + ".BearerToken"

// maxTokenLen bounds what is hashed: a real token is 64 hex characters.
const maxTokenLen = 512

// tokenDoc is the part of a tokens document the API reads. Dates are
// pointers because the original system stored LastUseDate as null.
type tokenDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	UserName    string        `bson:"UserName"`
	UserId      bson.ObjectID `bson:"UserId,omitempty"` //nolint:revive // the stored field name
	BearerToken string        `bson:"BearerToken"`
	TokenHash   string        `bson:"TokenHash,omitempty"`
	TokenType   string        `bson:"TokenType,omitempty"`
	TokenDates  struct {
		CreationDate *time.Time `bson:"CreationDate"`
		LastUseDate  *time.Time `bson:"LastUseDate"`
		ExpiryDate   *time.Time `bson:"ExpiryDate"`
	} `bson:"TokenDates"`
}

// isAPI reports whether the document is an API token: tokens of the
// original system carry no TokenType, bank grants carry "bank".
func (t tokenDoc) isAPI() bool { return t.TokenType != model.TokenBank }

// expiry is when the token stops working: its ExpiryDate, or for tokens
// that have none (imported from the original system, seeded) its creation
// plus the configured lifetime.
func (t tokenDoc) expiry(ttl time.Duration) time.Time {
	if t.TokenDates.ExpiryDate != nil {
		return *t.TokenDates.ExpiryDate
	}
	if t.TokenDates.CreationDate == nil {
		return time.Time{}
	}
	return t.TokenDates.CreationDate.Add(ttl)
}

// principal is the caller a valid token stands for.
type principal struct {
	tokenID bson.ObjectID
	user    model.UserRef
}

// bearer extracts the token from "Authorization: Bearer <token>".
func bearer(r *http.Request) (string, bool) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// authenticate finds the API token presented by the request, checks that
// it has not expired and that its user still exists, and records its use.
func (s *Server) authenticate(ctx context.Context, r *http.Request) (*principal, error) {
	tok, ok := bearer(r)
	if !ok {
		return nil, &apiError{Status: http.StatusUnauthorized, Detail: msgTokenMissing,
			Header: http.Header{"Www-Authenticate": {`Bearer realm="openfinance"`}}}
	}
	if len(tok) > maxTokenLen {
		return nil, fail(http.StatusForbidden, msgTokenInvalid)
	}
	docs, err := store.FindAll[tokenDoc](ctx, s.store, model.CollTokens,
		bson.D{{Key: "TokenHash", Value: s.box.Hash(tokenPurpose, tok)}})
	if err != nil {
		return nil, err
	}
	var t *tokenDoc
	for i := range docs {
		if docs[i].isAPI() {
			t = &docs[i]
			break
		}
	}
	if t == nil {
		return nil, fail(http.StatusForbidden, msgTokenInvalid)
	}
	now := s.now()
	if !now.Before(t.expiry(s.cfg.TokenTTL)) {
		return nil, fail(http.StatusForbidden,
			"The bearer token has expired; get a new one from /api/v1/openfinance/public/get-authorization.")
	}
	u, err := s.tokenUser(ctx, *t)
	if err != nil {
		return nil, err
	}
	// One small write keyed on _id per use.
	if _, err := s.store.C(model.CollTokens).UpdateOne(ctx, bson.D{{Key: "_id", Value: t.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "TokenDates.LastUseDate", Value: now.UTC()}}}}); err != nil {
		return nil, fmt.Errorf("cannot record the token's use: %w", err)
	}
	return &principal{tokenID: t.ID, user: u}, nil
}

// tokenUser resolves the user a token belongs to; a token whose user is
// gone is no longer valid.
func (s *Server) tokenUser(ctx context.Context, t tokenDoc) (model.UserRef, error) {
	ident := t.UserName
	if !t.UserId.IsZero() {
		ident = t.UserId.Hex()
	}
	u, err := s.store.ResolveUser(ctx, ident)
	if errors.Is(err, store.ErrUnknownUser) {
		return model.UserRef{}, fail(http.StatusForbidden, msgTokenInvalid)
	}
	if err != nil {
		return model.UserRef{}, err
	}
	if u.UserName != t.UserName && t.UserName != "" {
		// The id names somebody else now: do not let the token follow it.
		return model.UserRef{}, fail(http.StatusForbidden, msgTokenInvalid)
	}
	return u, nil
}

// issueToken returns a valid API token for u: the stored one while it has
// a good part of its life left, or else a fresh one written over the
// user's API token document (so tokens do not pile up). Issuing is
// serialized so that two callers never rotate the same token at once.
func (s *Server) issueToken(ctx context.Context, u model.UserRef) (string, error) {
	s.issueMu.Lock()
	defer s.issueMu.Unlock()
	docs, err := store.FindAll[tokenDoc](ctx, s.store, model.CollTokens, bson.D{{Key: "UserName", Value: u.UserName}})
	if err != nil {
		return "", err
	}
	now := s.now()
	keyID := apiTokenID(u)
	var target *tokenDoc
	for i := range docs {
		d := &docs[i]
		if !d.isAPI() || (!d.UserId.IsZero() && !u.UserId.IsZero() && d.UserId != u.UserId) {
			continue
		}
		if d.expiry(s.cfg.TokenTTL).Sub(now) > s.cfg.TokenTTL/10 && secrets.IsSealed(d.BearerToken) {
			if plain, err := s.box.Open(tokenPurpose, d.BearerToken); err == nil {
				return plain, nil
			}
		}
		if target == nil || d.ID == keyID {
			target = d
		}
	}
	plain, err := newToken()
	if err != nil {
		return "", err
	}
	exp := now.Add(s.cfg.TokenTTL).UTC()
	set := bson.D{
		{Key: "UserName", Value: u.UserName},
		{Key: "BearerToken", Value: s.box.Seal(tokenPurpose, plain)},
		{Key: "TokenHash", Value: s.box.Hash(tokenPurpose, plain)},
		{Key: "TokenDates", Value: bson.D{
			{Key: "CreationDate", Value: now.UTC()}, {Key: "LastUseDate", Value: now.UTC()}, {Key: "ExpiryDate", Value: exp},
		}},
		{Key: "TokenType", Value: model.TokenAPI},
	}
	if !u.UserId.IsZero() {
		set = append(set, bson.E{Key: "UserId", Value: u.UserId})
	}
	id := keyID
	if target != nil {
		id = target.ID
	}
	// An upsert keyed on _id: one statement, and a retry after a crash
	// simply writes the same document again.
	_, err = s.store.C(model.CollTokens).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: set}}, optUpsert())
	if err != nil {
		return "", fmt.Errorf("cannot store the new token: %w", err)
	}
	return plain, nil
}

func optUpsert() *options.UpdateOneOptionsBuilder { return options.UpdateOne().SetUpsert(true) }

// apiTokenID is the _id of a user's API token, the same the sample data
// gives the demo users' tokens.
func apiTokenID(u model.UserRef) bson.ObjectID {
	key := "name:" + u.UserName
	if !u.UserId.IsZero() {
		key = u.UserId.Hex()
	}
	return model.DeterministicID(model.KindToken, key, model.TokenAPI)
}

// newToken makes 32 random bytes as hex, like the original's token_hex(32).
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("cannot make a token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// BackfillTokens makes every stored API token findable by hash: plain-text
// tokens (written into the database by hand or by the original system) are
// sealed, and sealed tokens without a TokenHash get one. It returns how
// many documents it changed. Tokens sealed under another key are left
// alone: they cannot be opened here, so they cannot be used either.
func (s *Server) BackfillTokens(ctx context.Context) (int, error) {
	docs, err := store.FindAll[tokenDoc](ctx, s.store, model.CollTokens, bson.D{})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range docs {
		if !d.isAPI() || d.BearerToken == "" || (d.TokenHash != "" && secrets.IsSealed(d.BearerToken)) {
			continue
		}
		plain := d.BearerToken
		set := bson.D{}
		if secrets.IsSealed(d.BearerToken) {
			if plain, err = s.box.Open(tokenPurpose, d.BearerToken); err != nil {
				s.log.Warn("an API token cannot be opened with this data directory's key; it stays unusable", "token_id", d.ID.Hex())
				continue
			}
		} else {
			set = append(set, bson.E{Key: "BearerToken", Value: s.box.Seal(tokenPurpose, plain)})
		}
		set = append(set, bson.E{Key: "TokenHash", Value: s.box.Hash(tokenPurpose, plain)})
		if _, err := s.store.C(model.CollTokens).UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}},
			bson.D{{Key: "$set", Value: set}}); err != nil {
			return n, fmt.Errorf("cannot update token %s: %w", d.ID.Hex(), err)
		}
		n++
	}
	return n, nil
}
