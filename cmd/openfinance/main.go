// Command openfinance is a terminal open-finance hub: link accounts at
// several banks with explicit consent, sync them into MongoDB and explore
// them in a TUI, on the command line, over SSH or through a REST API.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/openfinance-tui/openfinance/cmd/openfinance/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
