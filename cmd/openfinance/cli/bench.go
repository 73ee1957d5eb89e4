package cli

import "github.com/spf13/cobra"

// benchCmds are registered by commands(); this group is not built yet.
func (e *env) benchCmds() []*cobra.Command { return nil }
