package sshserver

import (
	"charm.land/wish/v2"
	"github.com/charmbracelet/ssh"
)

// commandMiddleware runs the command line of a session that sent one (or
// has no pty: then the empty command line prints the help), like
// soft-serve: `ssh -p 23234 host accounts --json`. The exit status is the
// command's. A session with a pty and no command goes on to the TUI.
func (s *Server) commandMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		args := sess.Command()
		_, winch, isPty := sess.Pty()
		if isPty && len(args) == 0 {
			next(sess)
			return
		}
		st := stateOf(sess)
		if isPty {
			// Nobody resizes a command, but the ssh package blocks the
			// session's requests until its window changes are read.
			go func() {
				for range winch {
				}
			}()
		}
		code := 1
		switch {
		case st.stopping():
		case s.cfg.Command == nil:
			wish.Errorln(sess, "openfinance: this server runs no commands")
		default:
			code = s.cfg.Command(st.ctx, args, IO{In: sess, Out: sess, Err: sess.Stderr()}, st.user)
		}
		// A command that finished within a shutdown's grace period ran
		// normally; one the server had to cancel says why.
		if reason := st.goodbye(); reason != "" && st.ctx.Err() != nil {
			wish.Errorf(sess, "openfinance: stopped: %s.\n", reason)
			code = max(code, 1)
		}
		_ = sess.Exit(code)
	}
}
