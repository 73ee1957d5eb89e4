package cli

import "github.com/spf13/cobra"

// bankCmds are the commands about the emulated banks: banks, mockbank serve.
func (e *env) bankCmds() []*cobra.Command { return nil }
