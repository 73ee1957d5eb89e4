package cli

import "github.com/spf13/cobra"

// serveCmds are registered by commands(); this group is not built yet.
func (e *env) serveCmds() []*cobra.Command { return nil }
