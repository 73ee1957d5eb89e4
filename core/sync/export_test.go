package sync

import "time"

// InsertBatch is insertBatch for the benchmarks: the raw InsertMany they
// compare with inserts in batches of the sync's size.
const InsertBatch = insertBatch

// SetBookkeepingTimeout shortens how long a sync's bookkeeping may take,
// for a test of a sync that outlasts it.
func SetBookkeepingTimeout(e *Engine, d time.Duration) { e.bookTimeout = d }
