package hub

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/openfinance-tui/openfinance/core/model"
)

// SourceSSH marks users created for an SSH public key.
const SourceSSH = "ssh"

// sshFingerprintField holds, on an SSH user's document, the SHA-256
// fingerprint of the key it belongs to (OpenSSH's "SHA256:..." form: public,
// not a secret). The user name carries only a prefix of it, so the full
// value is what ties the document to one key.
const sshFingerprintField = "SSHKeyFingerprint"

// ErrSSHIdentityTaken is returned when the user name derived from a key
// already belongs to somebody else (another key, or a user not made for SSH).
var ErrSSHIdentityTaken = errors.New("the user name of this SSH key is taken by another identity")

// SSHIdentity is the user an SSH public key maps to.
type SSHIdentity struct {
	// UserName is "ssh-" and the first 12 hex digits of the key's SHA-256.
	UserName string
	// Fingerprint is "SHA256:" and the unpadded base64 of the SHA-256, as
	// ssh-keygen -l prints it.
	Fingerprint string
}

// SSHIdentityOf derives the identity of a public key from its wire encoding
// (ssh.PublicKey.Marshal()).
func SSHIdentityOf(keyWire []byte) SSHIdentity {
	sum := sha256.Sum256(keyWire)
	return SSHIdentity{
		UserName:    "ssh-" + hex.EncodeToString(sum[:])[:12],
		Fingerprint: "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:]),
	}
}

// EnsureSSHUser returns the user of an SSH identity, creating it with
// nothing linked on first sight. A user of that name that was not created
// for this very key (a demo or imported user, or another key whose
// fingerprint shares the prefix) is never handed out: ErrSSHIdentityTaken.
func (h *Hub) EnsureSSHUser(ctx context.Context, id SSHIdentity) (model.UserRef, error) {
	if err := ValidUserName(id.UserName); err != nil {
		return model.UserRef{}, err
	}
	u, err := h.findUser(ctx, id.UserName)
	if errors.Is(err, mongo.ErrNoDocuments) {
		nu := model.User{
			ID: bson.NewObjectID(), UserName: id.UserName, FullName: "SSH user " + id.UserName,
			Source: SourceSSH, CreatedAt: h.now().UTC(),
			Extra: bson.M{sshFingerprintField: id.Fingerprint},
		}
		res, ierr := h.s.InsertNew(ctx, model.CollUsers, []any{nu})
		if ierr != nil {
			return model.UserRef{}, fmt.Errorf("cannot create user %s: %w", id.UserName, ierr)
		}
		if res.Inserted == 1 {
			return model.UserRef{UserName: nu.UserName, UserId: nu.ID}, nil
		}
		// Created meanwhile by another session of the same key (the
		// user name is unique): read it back and check it like any other.
		u, err = h.findUser(ctx, id.UserName)
	}
	if err != nil {
		return model.UserRef{}, fmt.Errorf("cannot look up user %s: %w", id.UserName, err)
	}
	fp, _ := u.Extra[sshFingerprintField].(string)
	if u.Source != SourceSSH || fp != id.Fingerprint {
		return model.UserRef{}, fmt.Errorf("%w (%s)", ErrSSHIdentityTaken, id.UserName)
	}
	return model.UserRef{UserName: u.UserName, UserId: u.ID}, nil
}

// findUser reads one document of the users collection by exact name (not
// ResolveUser, which also accepts ids and names known only from imports).
func (h *Hub) findUser(ctx context.Context, name string) (model.User, error) {
	var u model.User
	err := h.s.C(model.CollUsers).FindOne(ctx, bson.D{{Key: "UserName", Value: name}}).Decode(&u)
	return u, err
}
