package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/model"
)

// commands lists every subcommand. Each group lives in its own file and
// owns its commands: data (this file's neighbours data.go and transfer.go),
// banks.go (banks, mockbank), linking.go (link, sync, consents, revoke,
// transactions, insights, audit, erase), serve.go (the SSH server), api.go
// (the original REST API) and bench.go.
func (e *env) commands() []*cobra.Command {
	cmds := []*cobra.Command{
		e.usersCmd(), e.accountsCmd(), e.productsCmd(), e.positionCmd(),
		e.seedCmd(), e.importCmd(), e.exportCmd(),
	}
	for _, group := range [][]*cobra.Command{
		e.bankCmds(), e.linkingCmds(), e.serveCmds(), e.apiCmds(), e.benchCmds(),
	} {
		cmds = append(cmds, group...)
	}
	return cmds
}

// stepTimeout bounds one command's database work.
const stepTimeout = 2 * time.Minute

// withApp runs fn with an opened App (the shared one when embedded) and a
// context with a deadline: for commands that do one bounded piece of work.
func (e *env) withApp(cmd *cobra.Command, fn func(ctx context.Context, a *app.App) error) error {
	return e.openApp(cmd, stepTimeout, fn)
}

// serveApp is withApp for commands that run until interrupted (the TUI,
// servers): opening is bounded, fn's context is not.
func (e *env) serveApp(cmd *cobra.Command, fn func(ctx context.Context, a *app.App) error) error {
	return e.openApp(cmd, 0, fn)
}

// openApp opens the App with a bounded context, then runs fn with a context
// limited by timeout (0 = only by the command's own context).
func (e *env) openApp(cmd *cobra.Command, timeout time.Duration, fn func(ctx context.Context, a *app.App) error) error {
	ctx, cancel := cmd.Context(), context.CancelFunc(func() {})
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()
	if e.opts.App != nil {
		return fn(ctx, e.opts.App)
	}
	octx, ocancel := context.WithTimeout(ctx, stepTimeout)
	a, err := app.Open(octx, app.Config{
		MongoURI: e.flags.mongoURI,
		DBName:   e.flags.db,
		DataDir:  e.flags.dataDir,
		LogFile:  e.flags.logFile,
	})
	ocancel()
	if err != nil {
		return err
	}
	defer func() {
		cctx, ccancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer ccancel()
		_ = a.Close(cctx)
	}()
	return fn(ctx, a)
}

// user resolves the --user flag. Bound to an identity (SSH), the flag
// defaults to it and may not name anybody else.
func (e *env) user(ctx context.Context, a *app.App, flag string) (model.UserRef, error) {
	if id := e.opts.Identity; id != "" {
		if flag != "" && flag != id {
			return model.UserRef{}, bad("this session may only act for user %s, not %s", id, flag)
		}
		flag = id
	}
	if flag == "" {
		return model.UserRef{}, bad("--user is required: a user name or id (openfinance users lists them)")
	}
	return a.Store.ResolveUser(ctx, flag)
}

// errUnsupportedHere is returned by commands that make no sense when bound
// to an SSH identity (import, export, seed).
var errUnsupportedHere = errors.New("this command is not available over SSH")

func (e *env) localOnly() error {
	if e.opts.Identity != "" {
		return badInput{fmt.Errorf("%w", errUnsupportedHere)}
	}
	return nil
}

func addUserFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVarP(p, "user", "u", "", "user name or id")
}

func addJSONFlag(cmd *cobra.Command, p *bool) {
	cmd.Flags().BoolVar(p, "json", false, "print JSON")
}
