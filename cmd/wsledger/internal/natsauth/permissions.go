package natsauth

import "github.com/nats-io/nats-server/v2/server"

// LedgerStream is the name of the ledger's stream (natslog's default).
const LedgerStream = "LEDGER"

// TokenBucket is the JetStream key-value bucket that holds API token hashes (see package auth).
const TokenBucket = "WSLEDGER_TOKENS"

// WriterBucket is the key-value bucket of the writer lease (see package ledger).
const WriterBucket = "WSLEDGER_WRITER"

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

// othersDenied is what every user but the ledger's own may not publish: events, refusals, any
// change to the ledger or refusal streams, anything touching the token or writer lease
// buckets, and anything on wsledger.> (commands forwarded between the ledger's processes act as
// any actor).
func othersDenied() []string {
	deny := []string{
		"ledger.>",
		"wsledger.>",
		RefusalSubjects,
		"$JS.API.STREAM.CREATE." + LedgerStream,
	}
	deny = append(deny, streamMutations(LedgerStream)...)
	deny = append(deny, streamMutations(RefusalStream)...)
	for _, bucket := range []string{TokenBucket, WriterBucket} {
		kv := "KV_" + bucket
		deny = append(deny, "$KV."+bucket+".>",
			"$JS.API.*.*."+kv, "$JS.API.*.*."+kv+".>",
			"$JS.API.*.*.*."+kv, "$JS.API.*.*.*."+kv+".>")
		deny = append(deny, streamMutations(kv)...)
	}
	return deny
}

// othersUnreadable is what every user but the ledger's own may not subscribe to: the commands
// forwarded between the ledger's processes, which carry personal data.
func othersUnreadable() []string { return []string{"wsledger.>"} }

// withDenied returns p with deny added to its publish denials and unreadable to its subscribe
// denials; nil permissions allow everything else.
func withDenied(p *server.Permissions, deny, unreadable []string) *server.Permissions {
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
	sub := &server.SubjectPermission{}
	if out.Subscribe != nil {
		*sub = *out.Subscribe
	}
	if len(unreadable) > 0 {
		sub.Deny = append(append([]string(nil), sub.Deny...), unreadable...)
		out.Subscribe = sub
	}
	return out
}
