package sshserver

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// loadHostKey reads the host key at path, creating an ed25519 key there
// (mode 0600, in a 0700 directory if it has to make one) when there is none.
// A key that others can read is refused, as OpenSSH refuses it: anyone who
// has it can impersonate the server.
func loadHostKey(path string) (gossh.Signer, bool, error) {
	created := false
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err = createHostKey(path); err != nil {
			return nil, false, err
		}
		created = true
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, false, fmt.Errorf("cannot read the host key %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, false, fmt.Errorf("cannot read the host key %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("the host key %s is readable by others (mode %04o): run chmod 600 on it", path, fi.Mode().Perm())
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, false, fmt.Errorf("the host key %s is not an unencrypted OpenSSH private key: %w", path, err)
	}
	return signer, created, nil
}

// createHostKey writes a new ed25519 key atomically: a reader never sees a
// half-written key, and two servers starting at once keep the first one.
func createHostKey(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("cannot create the directory of the host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("cannot generate a host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "openfinance host key")
	if err != nil {
		return fmt.Errorf("cannot encode the host key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hostkey-*")
	if err != nil {
		return fmt.Errorf("cannot write the host key: %w", err)
	}
	defer os.Remove(tmp.Name()) //nolint:errcheck // gone after the link below
	err = writeKeyFile(tmp, pem.EncodeToMemory(block))
	if err == nil {
		// Link fails if a key appeared meanwhile: keep that one.
		if lerr := os.Link(tmp.Name(), path); lerr != nil && !errors.Is(lerr, fs.ErrExist) {
			err = lerr
		}
	}
	if err != nil {
		return fmt.Errorf("cannot write the host key %s: %w", path, err)
	}
	return nil
}

func writeKeyFile(f *os.File, data []byte) error {
	err := f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// fingerprint is the SHA-256 fingerprint of a public key.
func fingerprint(k gossh.PublicKey) string { return gossh.FingerprintSHA256(k) }
