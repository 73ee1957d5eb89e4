package sync

// InsertBatch is insertBatch for the benchmarks: the raw InsertMany they
// compare with inserts in batches of the sync's size.
const InsertBatch = insertBatch
