package cli

import "github.com/spf13/cobra"

// apiCmds are registered by commands(); this group is not built yet.
func (e *env) apiCmds() []*cobra.Command { return nil }
