package cli

import "github.com/spf13/cobra"

// linkingCmds are registered by commands(); this group is not built yet.
func (e *env) linkingCmds() []*cobra.Command { return nil }
