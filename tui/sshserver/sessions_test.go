package sshserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/sshserver"
)

// seedAccount gives the key's user one account with the id accountID.
func (e *env) seedAccount(k gossh.Signer, accountID string) model.UserRef {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	u, err := e.hub.EnsureSSHUser(ctx, hub.SSHIdentityOf(k.PublicKey().Marshal()))
	if err != nil {
		e.t.Fatalf("ensure user: %v", err)
	}
	acc := model.ExternalAccount{
		ID: model.AccountID(u.UserId, "green-bank", accountID), AccountId: accountID, AccountBank: "Green Bank",
		AccountType: "Checking", AccountBalance: 100, AccountCurrency: "USD", AccountUser: u,
	}
	if _, err := e.app.Store.InsertNew(ctx, model.CollAccounts, []any{acc}); err != nil {
		e.t.Fatalf("insert account: %v", err)
	}
	return u
}

func accountIDs(t testing.TB, jsonOut string) []string {
	t.Helper()
	var accs []struct{ AccountId string } //nolint:revive // the document's field name
	if err := json.Unmarshal([]byte(jsonOut), &accs); err != nil {
		t.Fatalf("accounts --json is not a JSON array: %v\n%s", err, jsonOut)
	}
	ids := []string{}
	for _, a := range accs {
		ids = append(ids, a.AccountId)
	}
	return ids
}

// Twenty concurrent sessions, each with its own key and data, see only
// their own user and accounts, on screen and through commands.
func TestConcurrentSessionsAreIsolated(t *testing.T) {
	e := startEnv(t, sshserver.Config{})
	const n = 20
	keys := make([]gossh.Signer, n)
	for i := range keys {
		keys[i] = newKey(t)
		e.seedAccount(keys[i], fmt.Sprintf("ACC-%02d", i))
	}
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := e.mustDial(k)
			ts := openTUI(t, c, 80, 24)
			own := fmt.Sprintf("ACC-%02d", i)
			scr := ts.waitText("accounts=[")
			if !strings.Contains(scr, "user="+userOf(k)+" ") || !strings.Contains(scr, "accounts=["+own+"]") {
				t.Errorf("session %d shows another user's data:\n%s", i, scr)
			}
			out, errs, code := run(t, c, "accounts --json")
			if ids := accountIDs(t, out); code != 0 || len(ids) != 1 || ids[0] != own {
				t.Errorf("session %d: accounts --json = %v (exit %d, %s), want [%s]", i, ids, code, errs, own)
			}
			ts.press("q")
			if err := ts.waitEnd(); err != nil {
				t.Errorf("session %d: quit: %v", i, err)
			}
		}()
	}
	wg.Wait()
}

// Commands without a pty run the headless CLI as the key's user: a new key
// is a new user with nothing linked; naming anybody else is refused; the
// exit status is the command's.
func TestCommandsActForTheKeysUserOnly(t *testing.T) {
	e := startEnv(t, sshserver.Config{})
	victim := newKey(t)
	e.seedAccount(victim, "VICTIM-1")
	k := newKey(t)
	c := e.mustDial(k)

	out, errs, code := run(t, c, "accounts --json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("a new key's accounts: exit %d, %q, stderr %q; want [] and 0", code, out, errs)
	}
	out, _, code = run(t, c, "users --json")
	if code != 0 || !strings.Contains(out, userOf(k)) || strings.Contains(out, userOf(victim)) {
		t.Fatalf("users --json should list only the session's user: exit %d\n%s", code, out)
	}
	for _, cmd := range []string{
		"accounts --user " + userOf(victim),
		"accounts --json -u " + userOf(victim),
		"products --user alice",
		"position --user " + userOf(victim),
	} {
		out, errs, code := run(t, c, cmd)
		if code != 2 || !strings.Contains(errs, "may only act for user "+userOf(k)) || strings.Contains(out, "VICTIM") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want a refusal (exit 2)", cmd, code, out, errs)
		}
	}
	// Servers, files and demo data are the operator's, not a session's.
	for _, cmd := range []string{"seed", "import -", "export --collection users", "serve --listen 127.0.0.1:0",
		"api serve", "mockbank serve --addr 127.0.0.1:0"} {
		if _, errs, code := run(t, c, cmd); code != 2 || !strings.Contains(errs, "not available over SSH") {
			t.Errorf("%q over SSH: exit %d, stderr %q; want refused", cmd, code, errs)
		}
	}
	if _, errs, code := run(t, c, "no-such-command"); code != 2 {
		t.Errorf("an unknown command: exit %d (%s), want 2", code, errs)
	}
}

// A session's identity is the key it proved, not a key it merely offered
// (CVE-2024-45337): offering the victim's public key (without its private
// key) before or between one's own attempts shows one's own data.
func TestOfferedKeyIsNotTheIdentity(t *testing.T) {
	e := startEnv(t, sshserver.Config{})
	victim := newKey(t)
	e.seedAccount(victim, "VICTIM-1")
	attacker := newKey(t)
	for name, steps := range map[string][]gossh.AuthMethod{
		"victim offered, then own key": {
			gossh.PublicKeys(offerOnly{victim.PublicKey()}), gossh.PublicKeys(attacker),
		},
		"own offered, victim offered, then own key": {
			gossh.PublicKeys(offerOnly{attacker.PublicKey()}), gossh.PublicKeys(offerOnly{victim.PublicKey()}),
			gossh.PublicKeys(attacker),
		},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := clientConfig()
			cfg.AuthCallback = func(*gossh.ClientAuthContext) (gossh.AuthMethod, error) {
				if len(steps) == 0 {
					return nil, errors.New("no more keys")
				}
				next := steps[0]
				steps = steps[1:]
				return next, nil
			}
			c, err := gossh.Dial("tcp", e.addr, cfg)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer c.Close() //nolint:errcheck
			out, errs, code := run(t, c, "accounts --json")
			if code != 0 || strings.TrimSpace(out) != "[]" {
				t.Fatalf("accounts: exit %d, %q (%s); want the attacker's empty list", code, out, errs)
			}
			ts := openTUI(t, c, 80, 24)
			scr := ts.waitText("accounts=[")
			if !strings.Contains(scr, "user="+userOf(attacker)+" ") || strings.Contains(scr, "VICTIM") {
				t.Fatalf("the TUI shows somebody else:\n%s", scr)
			}
		})
	}

	// With only the victim's public key there is no way in at all.
	if _, err := e.dial(gossh.PublicKeys(offerOnly{victim.PublicKey()})); err == nil {
		t.Fatal("a client without the private key got in")
	}
}

// offerOnly offers a public key whose private key it does not have: the
// server accepts the offer, the client cannot sign.
type offerOnly struct{ pub gossh.PublicKey }

func (o offerOnly) PublicKey() gossh.PublicKey { return o.pub }

func (o offerOnly) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	return nil, errors.New("offerOnly has no private key")
}

// Password and keyboard-interactive logins are never offered, so a failed
// public key cannot fall back to another identity (CVE-2023-43809).
func TestNoPasswordOrKeyboardInteractive(t *testing.T) {
	e := startEnv(t, sshserver.Config{})
	asked := false
	_, err := e.dial(
		gossh.Password("alice"),
		gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			asked = true
			return nil, nil
		}),
	)
	if err == nil || asked {
		t.Fatalf("password/keyboard-interactive: err %v, asked %v; want refused without a challenge", err, asked)
	}
}

// Only keys in --authorized-keys get in, and the file is read again when it
// changes.
func TestAuthorizedKeys(t *testing.T) {
	k1, k2 := newKey(t), newKey(t)
	path := t.TempDir() + "/authorized_keys"
	writeFile(t, path, "# the team\n"+string(gossh.MarshalAuthorizedKey(k1.PublicKey())))
	e := startEnv(t, sshserver.Config{AuthorizedKeys: path})
	if _, _, code := run(t, e.mustDial(k1), "accounts --json"); code != 0 {
		t.Fatalf("an authorized key: exit %d", code)
	}
	if _, err := e.dial(gossh.PublicKeys(k2)); err == nil {
		t.Fatal("a key not in authorized_keys got in")
	}
	time.Sleep(10 * time.Millisecond) // a distinct mtime on coarse file systems
	writeFile(t, path, string(gossh.MarshalAuthorizedKey(k1.PublicKey()))+string(gossh.MarshalAuthorizedKey(k2.PublicKey())))
	if _, _, code := run(t, e.mustDial(k2), "accounts --json"); code != 0 {
		t.Fatalf("a key added to authorized_keys: exit %d", code)
	}
}
