package sshserver

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"charm.land/wish/v2"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/openfinance-tui/openfinance/core/hub"
)

// extFingerprint is the permissions extension holding the fingerprint of
// the key accepted at authentication time.
const extFingerprint = "openfinance-pubkey-fp"

// errDenied is all a refused client is told.
var errDenied = errors.New("permission denied")

// acceptKey is the public-key callback. x/crypto/ssh calls it for every key
// the client offers, including keys it never proves, so it only decides
// whether a key may be used and records which one; who the session is gets
// decided later from the key the client actually signed with
// (checkKeyMiddleware).
func (s *Server) acceptKey(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, isCert := key.(*gossh.Certificate); isCert {
		return false // identity is the plain key; certificates are not used
	}
	if ck, ok := key.(gossh.CryptoPublicKey); ok {
		if rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey); ok && rk.N.BitLen() < 2048 {
			return false
		}
	}
	if s.keys != nil && !s.keys.allows(key) {
		s.log.Debug("key not in the authorized keys", "addr", remoteIP(ctx.RemoteAddr()))
		return false
	}
	perms := ctx.Permissions()
	if perms.Extensions == nil {
		perms.Extensions = map[string]string{}
	}
	perms.Extensions[extFingerprint] = fingerprint(key)
	return true
}

// extVerified is the permissions extension holding the fingerprint of the
// key whose signature x/crypto/ssh verified.
const extVerified = "openfinance-verified-fp"

// serverConfig adds to each connection's x/crypto/ssh configuration a
// callback that only runs once the client proved it holds the private key:
// what it records cannot come from a key that was merely offered.
func (s *Server) serverConfig(ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		VerifiedPublicKeyCallback: func(_ gossh.ConnMetadata, key gossh.PublicKey, perms *gossh.Permissions, _ string) (*gossh.Permissions, error) {
			if perms == nil {
				perms = &gossh.Permissions{}
			}
			if perms.Extensions == nil {
				perms.Extensions = map[string]string{}
			}
			perms.Extensions[extVerified] = fingerprint(key)
			return perms, nil
		},
	}
}

// checkKeyMiddleware compares the session's key with the fingerprints
// recorded when it was accepted and when its signature was verified, as
// soft-serve does since CVE-2024-45337: only the key the client proved may
// name the user.
func (s *Server) checkKeyMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		pk := sess.PublicKey()
		perms := sess.Permissions().Permissions
		if pk == nil || perms == nil || perms.Extensions[extFingerprint] != fingerprint(pk) ||
			perms.Extensions[extVerified] != fingerprint(pk) {
			s.log.Warn("session refused: its key is not the one accepted at login", "addr", remoteIP(sess.RemoteAddr()))
			wish.Fatalln(sess, "openfinance: "+errDenied.Error())
			return
		}
		next(sess)
	}
}

// identifyTimeout bounds looking up (or creating) a session's user.
const identifyTimeout = 15 * time.Second

// identifyMiddleware maps the proven key to its user, creating a new user
// with nothing linked on the key's first visit.
func (s *Server) identifyMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := stateOf(sess)
		ctx, cancel := context.WithTimeout(st.ctx, identifyTimeout)
		u, err := s.cfg.Hub.EnsureSSHUser(ctx, hub.SSHIdentityOf(sess.PublicKey().Marshal()))
		cancel()
		if err != nil {
			s.log.Error("cannot identify a session", "addr", remoteIP(sess.RemoteAddr()), "err", err)
			msg := "cannot open your account right now; please try again later"
			if errors.Is(err, hub.ErrSSHIdentityTaken) {
				msg = errDenied.Error()
			}
			wish.Fatalln(sess, "openfinance: "+msg)
			return
		}
		st.user = u
		st.log = st.log.With("user", u.UserName)
		next(sess)
	}
}

// authorizedKeys is an authorized_keys file, read again when it changes.
type authorizedKeys struct {
	path string

	mu    sync.Mutex
	mtime time.Time
	size  int64
	keys  map[string]bool // by wire encoding
}

func loadAuthorizedKeys(path string) (*authorizedKeys, error) {
	a := &authorizedKeys{path: path}
	if err := a.reload(); err != nil {
		return nil, err
	}
	return a, nil
}

// allows reports whether key is listed. If the file cannot be read any
// more, the last good list stays in force (failing closed would lock
// everyone out because of an editor's temporary file, failing open would
// let anyone in).
func (a *authorizedKeys) allows(key gossh.PublicKey) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	_ = a.reloadLocked()
	return a.keys[string(key.Marshal())]
}

func (a *authorizedKeys) reload() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.reloadLocked()
}

func (a *authorizedKeys) reloadLocked() error {
	fi, err := os.Stat(a.path)
	if err != nil {
		return fmt.Errorf("cannot read the authorized keys %s: %w", a.path, err)
	}
	if a.keys != nil && fi.ModTime().Equal(a.mtime) && fi.Size() == a.size {
		return nil
	}
	data, err := os.ReadFile(a.path)
	if err != nil {
		return fmt.Errorf("cannot read the authorized keys %s: %w", a.path, err)
	}
	keys, err := parseAuthorizedKeys(data)
	if err != nil {
		return fmt.Errorf("the authorized keys %s: %w", a.path, err)
	}
	a.keys, a.mtime, a.size = keys, fi.ModTime(), fi.Size()
	return nil
}

func parseAuthorizedKeys(data []byte) (map[string]bool, error) {
	keys := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("line %d is not a public key: %w", n, err)
		}
		keys[string(k.Marshal())] = true
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return keys, nil
}
