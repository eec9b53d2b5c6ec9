package natsauth

import "github.com/nats-io/nats-server/v2/server"

// LedgerStream is the name of the ledger's stream (natslog's default).
const LedgerStream = "LEDGER"

// TokenBucket is the JetStream key-value bucket that holds API token hashes (see package auth).
const TokenBucket = "WSLEDGER_TOKENS"

// RefusalStream keeps the refusals the API and the dashboard record (package api), on the
// subjects RefusalSubjects, outside every provider's history.
const (
	RefusalStream   = "WSLEDGER_REFUSALS"
	RefusalSubjects = "refusals.>"
)

// streamMutations are the JetStream API subjects that delete, purge, edit or replace a stream
// or its messages. JetStream's DenyDelete and DenyPurge stop message deletion and purges, but
// not deleting or re-configuring the stream itself, so these are denied by permission.
func streamMutations(stream string) []string {
	return []string{
		"$JS.API.STREAM.DELETE." + stream,
		"$JS.API.STREAM.PURGE." + stream,
		"$JS.API.STREAM.UPDATE." + stream,
		"$JS.API.STREAM.MSG.DELETE." + stream,
		"$JS.API.STREAM.RESTORE." + stream,
	}
}

// ledgerDenied is what the ledger's own user may not publish: nobody edits the ledger stream.
// While restoring, it may delete and restore the stream as a whole, never edit what it holds.
func ledgerDenied(restoring bool) []string {
	if !restoring {
		return streamMutations(LedgerStream)
	}
	return []string{
		"$JS.API.STREAM.PURGE." + LedgerStream,
		"$JS.API.STREAM.UPDATE." + LedgerStream,
		"$JS.API.STREAM.MSG.DELETE." + LedgerStream,
	}
}

// othersDenied is what every user but the ledger's own may not publish: events, any change to
// the ledger stream, and anything touching the token bucket.
func othersDenied() []string {
	kv := "KV_" + TokenBucket
	deny := []string{
		"ledger.>",
		"$JS.API.STREAM.CREATE." + LedgerStream,
		"$KV." + TokenBucket + ".>",
		"$JS.API.*.*." + kv, "$JS.API.*.*." + kv + ".>",
		"$JS.API.*.*.*." + kv, "$JS.API.*.*.*." + kv + ".>",
	}
	deny = append(deny, streamMutations(LedgerStream)...)
	return append(deny, streamMutations(kv)...)
}

// withDenied returns p with deny added to its publish denials; nil permissions allow
// everything else.
func withDenied(p *server.Permissions, deny []string) *server.Permissions {
	out := &server.Permissions{}
	if p != nil {
		*out = *p
	}
	pub := &server.SubjectPermission{}
	if out.Publish != nil {
		*pub = *out.Publish
	}
	pub.Deny = append(append([]string(nil), pub.Deny...), deny...)
	out.Publish = pub
	return out
}
