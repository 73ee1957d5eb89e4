// Package secrets seals token values at rest with AES-256-GCM.
//
// The key comes from OPENFINANCE_SECRET_KEY (64 hex characters or base64 of
// 32 bytes) or from a key file (mode 0600) created in the data directory on
// first use. Sealed values read "enc:v1:<base64url(nonce|ciphertext)>".
//
// The nonce is derived from the key, the purpose and the plaintext (a
// synthetic IV, as in AES-GCM-SIV): sealing the same value twice gives the
// same text, so re-importing or re-syncing a token is an idempotent write.
// This reveals only that two sealed values are equal, never the values.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvKey names the environment variable holding the key.
const EnvKey = "OPENFINANCE_SECRET_KEY"

const prefix = "enc:v1:"

// ErrNotSealed is returned when opening a value that was never sealed.
var ErrNotSealed = errors.New("value is not sealed")

// Box seals and opens secrets with one key.
type Box struct {
	aead   cipher.AEAD
	macKey []byte
}

// New builds a box from a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secret key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(derive(key, "aes"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead, macKey: derive(key, "mac")}, nil
}

// Load builds a box from $OPENFINANCE_SECRET_KEY, or else from the key file
// in dir, creating it (0600) on first use.
func Load(dir string) (*Box, error) {
	if v := strings.TrimSpace(os.Getenv(EnvKey)); v != "" {
		key, err := parseKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvKey, err)
		}
		return New(key)
	}
	path := filepath.Join(dir, "secret.key")
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		fi, serr := os.Stat(path)
		if serr == nil && fi.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("key file %s is readable by others (mode %v); run chmod 600 on it", path, fi.Mode().Perm())
		}
		key, perr := parseKey(strings.TrimSpace(string(data)))
		if perr != nil {
			return nil, fmt.Errorf("key file %s: %w", path, perr)
		}
		return New(key)
	case errors.Is(err, os.ErrNotExist):
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("cannot create key file %s: %w", path, err)
		}
		_, werr := f.WriteString(hex.EncodeToString(key) + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("cannot write key file %s: %w", path, werr)
		}
		return New(key)
	default:
		return nil, fmt.Errorf("cannot read key file %s: %w", path, err)
	}
}

func parseKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("want 32 bytes as 64 hex characters or base64")
}

func derive(key []byte, purpose string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("openfinance/secrets/" + purpose))
	return m.Sum(nil)
}

// IsSealed reports whether s looks like a sealed value.
func IsSealed(s string) bool { return strings.HasPrefix(s, prefix) }

// Seal encrypts plaintext for a purpose (e.g. "tokens.BearerToken"); the
// purpose is authenticated, so a value cannot be moved to another field.
func (b *Box) Seal(purpose, plaintext string) string {
	m := hmac.New(sha256.New, b.macKey)
	m.Write([]byte("nonce|" + purpose + "|" + plaintext))
	nonce := m.Sum(nil)[:b.aead.NonceSize()]
	out := b.aead.Seal(append([]byte{}, nonce...), nonce, []byte(plaintext), []byte(purpose))
	return prefix + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a sealed value.
func (b *Box) Open(purpose, sealed string) (string, error) {
	if !IsSealed(sealed) {
		return "", ErrNotSealed
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, prefix))
	if err != nil || len(raw) < b.aead.NonceSize() {
		return "", errors.New("sealed value is corrupt")
	}
	n := b.aead.NonceSize()
	pt, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return "", errors.New("sealed value cannot be opened with this key (was it sealed with another data directory's key?)")
	}
	return string(pt), nil
}

// Hash is a keyed fingerprint of a secret, for looking a token up without
// storing it in plain text.
func (b *Box) Hash(purpose, secret string) string {
	m := hmac.New(sha256.New, b.macKey)
	m.Write([]byte("hash|" + purpose + "|" + secret))
	return hex.EncodeToString(m.Sum(nil))
}
