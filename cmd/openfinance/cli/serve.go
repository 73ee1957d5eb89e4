package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui"
	"github.com/openfinance-tui/openfinance/tui/sshserver"
)

// serveCmds is the SSH-served multi-user demo (issue 6).
func (e *env) serveCmds() []*cobra.Command { return []*cobra.Command{e.serveCmd()} }

type serveFlags struct {
	listen, hostKey, authorizedKeys, rateLimit string
	maxSessions                                int
	idleTimeout, maxSessionTime                time.Duration
}

func (e *env) serveCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the TUI and the commands over SSH until interrupted",
		Long: "Serve openfinance over SSH: `ssh -p PORT HOST` opens the TUI, `ssh -p PORT HOST accounts --json`\n" +
			"runs one command. Each public key is its own user (ssh-<fingerprint prefix>), created with\n" +
			"nothing linked on its first visit; a session only ever sees and changes its own data.\n" +
			"Passwords are never accepted. The embedded banks and database (or --mongo-uri) are shared.\n\n" +
			"The host key is created on first start (default: ssh/host_ed25519 in the data directory).",
		Example: "  openfinance serve --listen 127.0.0.1:23234\n" +
			"  ssh -p 23234 127.0.0.1                      # the TUI\n" +
			"  ssh -p 23234 127.0.0.1 banks                # one command\n" +
			"  ssh -p 23234 127.0.0.1 link --bank green-bank --yes",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if e.opts.Identity != "" {
				return e.localOnly()
			}
			rate, err := sshserver.ParseRate(f.rateLimit)
			if err != nil {
				return bad("--rate-limit: %v", err)
			}
			switch {
			case f.maxSessions < 1:
				return bad("--max-sessions must be at least 1, not %d", f.maxSessions)
			case f.idleTimeout < 0 || f.maxSessionTime < 0:
				return bad("--idle-timeout and --max-session-time must not be negative (0 turns them off)")
			}
			return e.serveHub(cmd, func(ctx context.Context, h *hub.Hub) error { return e.serveSSH(ctx, h, f, rate) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", sshserver.DefaultAddr, "address to listen on (host:port)")
	fl.StringVar(&f.hostKey, "host-key", "", "host private key, created (ed25519, 0600) if missing (default: ssh/host_ed25519 in the data directory)")
	fl.StringVar(&f.authorizedKeys, "authorized-keys", "", "only the keys in this authorized_keys file may connect (default: any key)")
	fl.IntVar(&f.maxSessions, "max-sessions", sshserver.DefaultMaxSessions, "most sessions at once")
	fl.DurationVar(&f.idleTimeout, "idle-timeout", sshserver.DefaultIdleTimeout, "end a session without input for this long (0 = never)")
	fl.DurationVar(&f.maxSessionTime, "max-session-time", sshserver.DefaultMaxSessionTime, "end a session this long after it started (0 = never)")
	fl.StringVar(&f.rateLimit, "rate-limit", sshserver.DefaultRateLimit().String(), "new connections per client address: N/s, N/m, N/h or N/DURATION (off = no limit)")
	return cmd
}

func (e *env) serveSSH(ctx context.Context, h *hub.Hub, f serveFlags, rate sshserver.Rate) error {
	a := h.App()
	// A fresh store gets the demo data, as the local TUI does: its exchange
	// rates are what every non-USD bank's insights need. The demo people it
	// adds are invisible to SSH users, who only ever see themselves.
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	_, err := h.SeedIfEmpty(sctx)
	cancel()
	if err != nil {
		return err
	}
	hostKey := f.hostKey
	if hostKey == "" {
		hostKey = filepath.Join(a.Dir.Path, "ssh", "host_ed25519")
	}
	srv, err := sshserver.New(sshserver.Config{
		Addr:            f.listen,
		HostKeyPath:     hostKey,
		AuthorizedKeys:  f.authorizedKeys,
		Hub:             h,
		Logger:          a.Log,
		MaxSessions:     f.maxSessions,
		IdleTimeout:     offIfZero(f.idleTimeout),
		MaxSessionTime:  offIfZero(f.maxSessionTime),
		RateLimit:       rate,
		ShutdownTimeout: sshserver.DefaultShutdownTimeout,
		Model:           sessionTUI,
		Command: func(ctx context.Context, args []string, io sshserver.IO, u model.UserRef) int {
			// The session's own identity, the server's store and banks,
			// and none of the server's environment.
			return Run(ctx, args, IO{In: io.In, Out: io.Out, Err: io.Err}, Options{
				Identity: u.UserName, App: a, Hub: h, Getenv: func(string) string { return "" },
			})
		},
	})
	if err != nil {
		return bad("%v", err)
	}
	addr, err := srv.Listen()
	if err != nil {
		return bad("%v", err)
	}
	fmt.Fprintf(e.Err, "openfinance SSH server listening on %s (host key %s); Ctrl+C to stop\n", addr, srv.HostKeyFingerprint())
	err = srv.Serve(ctx)
	fmt.Fprintln(e.Err, "openfinance SSH server stopped")
	return err
}

// sessionTUI is the TUI of one SSH session, locked to the session's user.
func sessionTUI(s sshserver.Session) tea.Model {
	return tui.New(tui.Options{
		Hub: s.Hub, User: s.User.UserName, LockUser: true,
		Width: s.Width, Height: s.Height, Profile: s.Profile,
		HasDarkBackground: s.HasDarkBackground, QueryBackground: true,
		Logger: s.Logger, Context: s.Ctx, Timeout: 30 * time.Second, SyncTimeout: 10 * time.Minute,
	})
}

// offIfZero maps a flag's 0 (never) onto the config's "off" value.
func offIfZero(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}
