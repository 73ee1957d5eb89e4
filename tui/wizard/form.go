package wizard

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/tui/common"
)

// form is the bank's login screen: user name, password (masked) and, at
// banks that ask for one, a one-time code.
type form struct {
	c      *common.Common
	labels []string
	inputs []textinput.Model
	cur    int
	err    string
}

func newForm(c *common.Common, b hub.Bank) form {
	f := form{c: c, labels: []string{"User name", "Password"}}
	user := textinput.New()
	user.Placeholder = "your login at " + b.Name
	pass := textinput.New()
	pass.EchoMode = textinput.EchoPassword
	pass.EchoCharacter = '•'
	f.inputs = []textinput.Model{user, pass}
	if b.NeedsOTP {
		otp := textinput.New()
		otp.Placeholder = "6 digits"
		otp.CharLimit = 12
		f.labels = append(f.labels, "One-time code")
		f.inputs = append(f.inputs, otp)
	}
	for i := range f.inputs {
		f.inputs[i].Prompt = ""
	}
	return f
}

func (f *form) setWidth(w int) {
	for i := range f.inputs {
		f.inputs[i].SetWidth(w)
	}
}

func (f *form) focus() tea.Cmd {
	if len(f.inputs) == 0 {
		return nil
	}
	return f.inputs[f.cur].Focus()
}

func (f *form) blur() {
	for i := range f.inputs {
		f.inputs[i].Blur()
	}
}

func (f *form) last() bool { return f.cur == len(f.inputs)-1 }

func (f *form) move(d int) tea.Cmd {
	if len(f.inputs) == 0 {
		return nil
	}
	f.blur()
	f.cur = (f.cur + d + len(f.inputs)) % len(f.inputs)
	return f.focus()
}

func (f *form) next() tea.Cmd { return f.move(1) }

func (f *form) update(msg tea.Msg) tea.Cmd {
	if len(f.inputs) == 0 {
		return nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, f.c.Keys.NextField):
			return f.move(1)
		case key.Matches(k, f.c.Keys.PrevField):
			return f.move(-1)
		}
		f.err = ""
	}
	var cmd tea.Cmd
	f.inputs[f.cur], cmd = f.inputs[f.cur].Update(msg)
	return cmd
}

// fill types the published demo credentials in.
func (f *form) fill(c hub.Credentials) {
	vals := []string{c.User, c.Password, c.OTP}
	for i := range f.inputs {
		f.inputs[i].SetValue(vals[i])
		f.inputs[i].CursorEnd()
	}
	f.err = ""
}

func (f *form) credentials() hub.Credentials {
	var c hub.Credentials
	for i, in := range f.inputs {
		v := strings.TrimSpace(in.Value())
		switch i {
		case 0:
			c.User = v
		case 1:
			c.Password = in.Value()
		case 2:
			c.OTP = v
		}
	}
	return c
}

// emptyHere says so when the focused field is empty.
func (f *form) emptyHere() string {
	if len(f.inputs) == 0 || strings.TrimSpace(f.inputs[f.cur].Value()) != "" {
		return ""
	}
	return "Please fill in " + strings.ToLower(f.labels[f.cur]) + "."
}

// problem says which field is still empty.
func (f *form) problem() string {
	for i, in := range f.inputs {
		if strings.TrimSpace(in.Value()) == "" {
			return "Please fill in " + strings.ToLower(f.labels[i]) + "."
		}
	}
	return ""
}

func (f *form) view(st func(focused bool) func(string) string) string {
	var b strings.Builder
	for i, in := range f.inputs {
		b.WriteString(st(i == f.cur)(common.Fit(f.labels[i], 14)) + " " + in.View() + "\n")
	}
	return b.String()
}
