// Package reliability holds the reliability tests of wsledger's write path (the ledger service
// over the JetStream log): many clients racing on one aggregate and on one provider, through one
// or two ledger processes, and idempotent retries after a restart a day later. The package has
// no code of its own; see docs/reliability.md.
//
// Every test has a short variant that runs by default and a long one enabled by the -long flag
// or WSLEDGER_LONG=1.
package reliability
