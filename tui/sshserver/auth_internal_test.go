package sshserver

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net"
	"testing"

	"charm.land/log/v2"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// fakeSession is the little of an ssh.Session the key check uses.
type fakeSession struct {
	ssh.Session
	key    ssh.PublicKey
	perms  *gossh.Permissions
	stderr bytes.Buffer
	exit   int
}

func (f *fakeSession) PublicKey() ssh.PublicKey     { return f.key }
func (f *fakeSession) Permissions() ssh.Permissions { return ssh.Permissions{Permissions: f.perms} }
func (f *fakeSession) Stderr() io.ReadWriter        { return &f.stderr }
func (f *fakeSession) Exit(code int) error          { f.exit = code; return nil }
func (f *fakeSession) Close() error                 { return nil }
func (f *fakeSession) RemoteAddr() net.Addr         { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }
func (f *fakeSession) Write(p []byte) (int, error)  { return len(p), nil }

func pubKey(t *testing.T) ssh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func both(accepted, verified ssh.PublicKey) *gossh.Permissions {
	return &gossh.Permissions{Extensions: map[string]string{
		extFingerprint: fingerprint(accepted), extVerified: fingerprint(verified),
	}}
}

// The session's key must be the one whose fingerprint was recorded when it
// was accepted; otherwise nothing runs (CVE-2024-45337).
func TestCheckKeyMiddleware(t *testing.T) {
	s := &Server{log: log.New(io.Discard)}
	mine, other := pubKey(t), pubKey(t)
	for name, c := range map[string]struct {
		key   ssh.PublicKey
		perms *gossh.Permissions
		ok    bool
	}{
		"the accepted and verified key": {mine, both(mine, mine), true},
		"another key accepted":          {mine, both(other, mine), false},
		"another key verified":          {mine, both(mine, other), false},
		"not verified":                  {mine, &gossh.Permissions{Extensions: map[string]string{extFingerprint: fingerprint(mine)}}, false},
		"nothing recorded":              {mine, &gossh.Permissions{}, false},
		"no permissions":                {mine, nil, false},
		"no key (other method)":         {nil, both(mine, mine), false},
	} {
		ran := false
		f := &fakeSession{key: c.key, perms: c.perms}
		s.checkKeyMiddleware(func(ssh.Session) { ran = true })(f)
		if ran != c.ok {
			t.Errorf("%s: handler ran = %v, want %v", name, ran, c.ok)
		}
		if !c.ok && (f.exit != 1 || !bytes.Contains(f.stderr.Bytes(), []byte("permission denied"))) {
			t.Errorf("%s: exit %d, stderr %q; want a refusal", name, f.exit, f.stderr.String())
		}
	}
}

// A certificate or a short RSA key is refused before anything else.
func TestAcceptKeyRefusesCertificatesAndShortRSA(t *testing.T) {
	s := &Server{log: log.New(io.Discard)}
	if s.acceptKey(nil, &gossh.Certificate{Key: pubKey(t)}) {
		t.Error("a certificate was accepted")
	}
	rk, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	short, err := gossh.NewPublicKey(&rk.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if s.acceptKey(nil, short) {
		t.Error("a 1024-bit RSA key was accepted")
	}
}
