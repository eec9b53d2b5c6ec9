// Package projections turns the ledger's log into the read models people use: deadlines,
// file-review coverage, corrections and findings, work-verification accuracy and performance
// confirmation, the six performance measures, client concerns, the audit trail and a per-provider
// overview.
//
// Views holds the live read models of every provider. A runner (projections/runner) keeps it up to
// date from the log and checkpoints it in a JetStream object store, so that a restart resumes where
// it stopped. Replay rebuilds one provider's views as of an instant, on either clock. Every result
// is a plain JSON-serialisable value with its slices sorted, so the same log always renders the
// same bytes; each also renders as a plain-text table for people (WriteText).
//
// The WSTA feed lives in projections/wsta. docs/projections.md describes every view and guarantee.
package projections
