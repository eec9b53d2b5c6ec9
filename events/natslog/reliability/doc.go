// Package reliability holds the ledger's reliability tests: an in-process three-node JetStream
// cluster that loses its stream leader while writers append, many writers racing on one
// aggregate and one provider, idempotent retries past JetStream's dedupe window, and tampering
// with the stream's block files on disk. The package has no code of its own; see
// docs/reliability.md for what each test proves, how to run it and the figures it gave.
//
// Every test has a short variant that runs by default and a long one enabled by the -long flag
// or WSLEDGER_LONG=1.
package reliability
