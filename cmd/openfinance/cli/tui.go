package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/tui"
)

// addTUI makes `openfinance` with no subcommand start the TUI, offline with
// the embedded banks and database: a newcomer's first command.
func (e *env) addTUI(root *cobra.Command) {
	var user string
	root.Flags().StringVarP(&user, "user", "u", "", "start the TUI as this user (name or id), skipping the picker")
	root.RunE = func(cmd *cobra.Command, _ []string) error { return e.runTUI(cmd, user) }
}

func (e *env) runTUI(cmd *cobra.Command, user string) error {
	if e.opts.App != nil {
		return bad("the TUI needs a terminal: connect with ssh -t, or run a command (openfinance --help lists them)")
	}
	in, inOK := e.In.(*os.File)
	out, outOK := e.Out.(*os.File)
	if !inOK || !outOK {
		return errors.New("the TUI needs a terminal; run a command instead (openfinance --help lists them)")
	}
	return e.serveHub(cmd, func(ctx context.Context, h *hub.Hub) error {
		// First start: a newcomer gets the demo people to pick from.
		sctx, cancel := context.WithTimeout(ctx, stepTimeout)
		defer cancel()
		if _, err := h.SeedIfEmpty(sctx); err != nil {
			return err
		}
		if user != "" {
			u, err := h.User(sctx, user)
			if err != nil {
				return err
			}
			user = u.UserName
		}
		log := h.App().Log.WithPrefix("tui")
		o := tui.Options{
			Hub: h, User: user, HasDarkBackground: true, QueryBackground: true,
			Logger: log, Context: ctx, Timeout: 30 * time.Second, SyncTimeout: 10 * time.Minute,
		}
		opts := append(tui.ProgramOptions(o), tea.WithInput(in), tea.WithOutput(out))
		start := time.Now()
		_, err := tea.NewProgram(tui.New(o), opts...).Run()
		log.Info("TUI closed", "after", time.Since(start).Round(time.Millisecond))
		if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			return fmt.Errorf("the TUI stopped: %w", err)
		}
		return nil
	})
}
