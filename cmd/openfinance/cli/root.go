// Package cli is openfinance's command tree. Run executes one command line
// and returns the exit code: 0 on success, 2 on bad input (unknown user,
// malformed file, bad flag), 1 on any other failure. The SSH server runs the
// same tree for commands sent without a terminal, bound to one identity.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/transfer"
)

// Version is set at build time with -ldflags "-X ...cli.Version=v1.2.3".
var Version = ""

// IO are the streams a command line runs with.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// Options change how Run behaves when embedded (the SSH server).
type Options struct {
	// Identity, when set, is the only user commands may act for: --user
	// defaults to it and naming anybody else is refused.
	Identity string
	// App, when set, is used instead of opening one per command.
	App *app.App
	// Hub, when set (with App), is used instead of starting banks per command.
	Hub *hub.Hub
	// Getenv reads the environment (default os.Getenv); the SSH server
	// passes a function that sees nothing of the server's environment.
	Getenv func(string) string
}

// env is what every command shares for one Run.
type env struct {
	IO
	opts  Options
	flags globalFlags
}

type globalFlags struct {
	mongoURI, db, dataDir, logFile string
}

// badInput marks an error as the user's input at fault (exit code 2).
type badInput struct{ err error }

func (b badInput) Error() string { return b.err.Error() }
func (b badInput) Unwrap() error { return b.err }

func bad(format string, a ...any) error { return badInput{fmt.Errorf(format, a...)} }

// Run executes args and returns the process exit code.
func Run(ctx context.Context, args []string, stdio IO, opt ...Options) int {
	var o Options
	if len(opt) > 0 {
		o = opt[0]
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	e := &env{IO: stdio, opts: o}
	root := e.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	var err error
	if o.Identity != "" {
		// Over SSH: fang styles help and errors after probing the
		// process's own terminal (os.Stdin/os.Stdout), which is the
		// server's, not the client's; plain cobra writes to stdio only.
		root.CompletionOptions.DisableDefaultCmd = true
		root.Version = versionString()
		if err = root.ExecuteContext(ctx); err != nil {
			fmt.Fprintf(stdio.Err, "openfinance: %s\n", sentence(err))
		}
		return exitCode(err)
	}
	err = fang.Execute(ctx, root,
		fang.WithVersion(versionString()),
		fang.WithoutManpage(),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) {
			fmt.Fprintf(w, "openfinance: %s\n", sentence(err))
		}),
	)
	return exitCode(err)
}

// sshCommand reports whether a top-level command may run for an SSH
// identity. It is an allowlist so that a command added later (a server, a
// file import) is not exposed to strangers by accident.
func sshCommand(name string) bool {
	switch name {
	case "users", "accounts", "products", "position", "banks",
		"link", "sync", "consents", "revoke", "transactions", "insights", "audit", "erase", "help":
		return true
	}
	return false
}

// restrictForSSH hides every command sshCommand does not allow and makes it
// (whatever its flags or arguments) say so.
func (e *env) restrictForSSH(root *cobra.Command) {
	var refuse func(c *cobra.Command)
	refuse = func(c *cobra.Command) {
		c.Hidden = true
		c.Args = cobra.ArbitraryArgs
		c.DisableFlagParsing = true
		c.PreRunE, c.PreRun = nil, nil
		c.Run = nil
		c.RunE = func(*cobra.Command, []string) error { return e.localOnly() }
		for _, sub := range c.Commands() {
			refuse(sub)
		}
	}
	for _, c := range root.Commands() {
		if !sshCommand(c.Name()) {
			refuse(c)
		}
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var bi badInput
	var fe *transfer.FileError
	switch {
	case errors.As(err, &bi), errors.As(err, &fe), errors.Is(err, store.ErrUnknownUser):
		return 2
	case strings.HasPrefix(err.Error(), "unknown command"), strings.HasPrefix(err.Error(), "unknown flag"),
		strings.HasPrefix(err.Error(), "unknown shorthand flag"), strings.Contains(err.Error(), "invalid argument"):
		return 2
	}
	return 1
}

// sentence makes an error read as one line for a person.
func sentence(err error) string {
	s := err.Error()
	if s == "" {
		return "unknown error"
	}
	return s
}

func versionString() string {
	if Version != "" {
		return Version
	}
	return "dev"
}

func (e *env) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "openfinance",
		Short: "A terminal open-finance hub",
		Long: "openfinance links your accounts at several banks with explicit, PSD2-style consent,\n" +
			"syncs them into MongoDB and shows them in one place: a TUI, headless commands,\n" +
			"an SSH-served demo and the original Open Finance REST API.\n\n" +
			"Without MONGODB_URI it runs offline: embedded banks and an embedded database.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return badInput{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&e.flags.mongoURI, "mongo-uri", e.opts.Getenv("MONGODB_URI"), "MongoDB URI (env MONGODB_URI); empty runs the embedded database")
	pf.StringVar(&e.flags.db, "db", orDefault(e.opts.Getenv("OPENFINANCE_DB_NAME"), "open_finance"), "database name (env OPENFINANCE_DB_NAME)")
	pf.StringVar(&e.flags.dataDir, "data-dir", e.opts.Getenv("OPENFINANCE_DATA_DIR"), "data directory (env OPENFINANCE_DATA_DIR; default $XDG_DATA_HOME/openfinance)")
	pf.StringVar(&e.flags.logFile, "log-file", e.opts.Getenv("OPENFINANCE_LOG_FILE"), "write logs to this file (env OPENFINANCE_LOG_FILE)")
	if e.opts.App != nil {
		// Embedded in a server: the store is the server's, not a flag's.
		for _, n := range []string{"mongo-uri", "db", "data-dir", "log-file"} {
			_ = pf.MarkHidden(n)
		}
	}
	for _, add := range e.commands() {
		root.AddCommand(add)
	}
	e.addTUI(root) // no subcommand: the TUI (tui.go)
	if e.opts.Identity != "" {
		e.restrictForSSH(root)
	}
	return root
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
