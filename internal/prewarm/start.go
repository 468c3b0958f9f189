//go:build poolside.fn.customemailsender || poolside.fn.customsmssender

package prewarm

// init starts the tables for the sender artifacts only: every event they
// answer checks a P-384 signature (deploy/functions.txt builds each artifact
// with its own poolside.fn.<artifact> tag).
func init() { go P384() }
