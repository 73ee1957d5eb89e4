package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/store"
)

// prompter asks questions on the terminal the command runs in.
type prompter struct {
	in  *bufio.Reader
	fd  uintptr
	out io.Writer
}

// terminal returns a prompter when standard input is a terminal (never
// over SSH command mode, whose input is a stream).
func (e *env) terminal() (*prompter, bool) {
	f, ok := e.In.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil, false
	}
	return &prompter{in: bufio.NewReader(f), fd: f.Fd(), out: e.Err}, true
}

func (p *prompter) line(question, def string) (string, error) {
	if def != "" {
		fmt.Fprintf(p.out, "%s [%s]: ", question, def)
	} else {
		fmt.Fprintf(p.out, "%s: ", question)
	}
	s, err := p.in.ReadString('\n')
	if err != nil && s == "" {
		return "", errors.New("no answer given")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	return s, nil
}

func (p *prompter) secret(question string) (string, error) {
	fmt.Fprintf(p.out, "%s: ", question)
	b, err := term.ReadPassword(p.fd)
	fmt.Fprintln(p.out)
	if err != nil {
		return "", fmt.Errorf("cannot read the password: %w", err)
	}
	return string(b), nil
}

func (p *prompter) confirm(question string) bool {
	a, err := p.line(question+" (y/N)", "")
	if err != nil {
		return false
	}
	a = strings.ToLower(a)
	return a == "y" || a == "yes"
}

// confirmDestructive asks before erasing, or refuses off a terminal
// without --yes.
func (e *env) confirmDestructive(yes bool, what string) error {
	if yes {
		return nil
	}
	p, ok := e.terminal()
	if !ok {
		return bad("%s; pass --yes to confirm (no terminal to ask on)", what)
	}
	fmt.Fprintln(e.Err, what+".")
	if !p.confirm("Continue?") {
		return bad("nothing was changed")
	}
	return nil
}

// userErr marks errors caused by what the user asked for as bad input
// (exit code 2).
func userErr(err error) error {
	var le *bankapi.LoginError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, hub.ErrBadRequest), errors.Is(err, hub.ErrNotLinked),
		errors.Is(err, store.ErrUnknownUser), errors.As(err, &le):
		return badInput{err}
	}
	return err
}
