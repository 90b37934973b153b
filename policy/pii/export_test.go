package pii

// SetMaxChunk lets tests exercise the chunking of huge texts with small
// sizes. It returns a func restoring the previous value.
func SetMaxChunk(n int) (restore func()) {
	old := maxChunk
	maxChunk = n
	return func() { maxChunk = old }
}
