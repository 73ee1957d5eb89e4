package sync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Purposes the token values are sealed for (core/secrets binds each sealed
// value to its field).
const (
	PurposeBearer  = "tokens.BearerToken"
	PurposeRefresh = "tokens.RefreshToken"
)

// ErrNoTokens means the user has no stored grant for the bank.
var ErrNoTokens = errors.New("no tokens stored for this bank")

// TokenDocID is the _id of a user's token document for a bank: one per
// user and bank, so a renewed consent replaces the old grant.
func TokenDocID(u model.UserRef, bankID string) bson.ObjectID {
	return model.DeterministicID(model.KindToken, u.UserId.Hex(), bankID)
}

// SaveTokens stores a grant in the original tokens shape, the values sealed.
func SaveTokens(ctx context.Context, s *store.Store, box *secrets.Box, u model.UserRef, bankID string, t bankapi.Tokens, now time.Time) error {
	now = now.UTC()
	doc := model.Token{
		ID:          TokenDocID(u, bankID),
		UserName:    u.UserName,
		UserId:      u.UserId,
		BearerToken: box.Seal(PurposeBearer, t.Access),
		TokenDates:  model.TokenDates{CreationDate: now, LastUseDate: now},
		TokenType:   model.TokenBank,
		BankId:      bankID,
		ConsentId:   t.ConsentID,
		Scopes:      t.Scopes,
	}
	if t.Refresh != "" {
		doc.RefreshToken = box.Seal(PurposeRefresh, t.Refresh)
	}
	if !t.Expiry.IsZero() {
		exp := t.Expiry.UTC()
		doc.TokenDates.ExpiryDate = &exp
	}
	_, err := store.ReplaceByID(ctx, s, model.CollTokens, []model.Token{doc}, func(d model.Token) any { return d.ID })
	if err != nil {
		return fmt.Errorf("cannot store the tokens: %w", err)
	}
	return nil
}

// UpdateAccessToken stores a refreshed access token in place.
func UpdateAccessToken(ctx context.Context, s *store.Store, box *secrets.Box, u model.UserRef, bankID string, t bankapi.Tokens, now time.Time) error {
	set := bson.D{
		{Key: "BearerToken", Value: box.Seal(PurposeBearer, t.Access)},
		{Key: "TokenDates.LastUseDate", Value: now.UTC()},
	}
	if !t.Expiry.IsZero() {
		set = append(set, bson.E{Key: "TokenDates.ExpiryDate", Value: t.Expiry.UTC()})
	}
	if t.Refresh != "" {
		set = append(set, bson.E{Key: "RefreshToken", Value: box.Seal(PurposeRefresh, t.Refresh)})
	}
	_, err := s.C(model.CollTokens).UpdateOne(ctx, bson.D{{Key: "_id", Value: TokenDocID(u, bankID)}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return fmt.Errorf("cannot store the refreshed token: %w", err)
	}
	return nil
}

// LoadTokens reads and opens a user's grant for a bank.
func LoadTokens(ctx context.Context, s *store.Store, box *secrets.Box, u model.UserRef, bankID string) (bankapi.Tokens, error) {
	var doc model.Token
	err := s.C(model.CollTokens).FindOne(ctx, bson.D{{Key: "_id", Value: TokenDocID(u, bankID)}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return bankapi.Tokens{}, ErrNoTokens
	}
	if err != nil {
		return bankapi.Tokens{}, fmt.Errorf("cannot read the tokens: %w", err)
	}
	access, err := box.Open(PurposeBearer, doc.BearerToken)
	if err != nil {
		return bankapi.Tokens{}, fmt.Errorf("cannot open the stored token: %w", err)
	}
	t := bankapi.Tokens{Access: access, ConsentID: doc.ConsentId, Scopes: doc.Scopes}
	if doc.RefreshToken != "" {
		if t.Refresh, err = box.Open(PurposeRefresh, doc.RefreshToken); err != nil {
			return bankapi.Tokens{}, fmt.Errorf("cannot open the stored refresh token: %w", err)
		}
	}
	if doc.TokenDates.ExpiryDate != nil {
		t.Expiry = *doc.TokenDates.ExpiryDate
	}
	return t, nil
}

// TouchTokens records the grant's last use.
func TouchTokens(ctx context.Context, s *store.Store, u model.UserRef, bankID string, now time.Time) error {
	_, err := s.C(model.CollTokens).UpdateOne(ctx, bson.D{{Key: "_id", Value: TokenDocID(u, bankID)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "TokenDates.LastUseDate", Value: now.UTC()}}}})
	return err
}
