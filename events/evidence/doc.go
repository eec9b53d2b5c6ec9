// Package evidence is the ledger's tamper evidence beyond its store: one Merkle tree per
// provider over the provider's events in position order (RFC 6962 hashing), checkpoints that
// commit to a tree's size and root (C2SP tlog-checkpoint), signed as notes (C2SP signed-note,
// Ed25519) by the ledger and cosigned by witnesses (C2SP tlog-cosignature), and the inclusion and
// consistency proofs that tie an event or an older checkpoint to a newer one (RFC 9162).
//
// The bytes, once, exactly:
//
//   - A leaf is an event's stored bytes: the message data JetStream holds for it, the JSON
//     envelope byte for byte. Its leaf hash is SHA-256(0x00 || bytes).
//   - An inner node is SHA-256(0x01 || left || right); the tree over n leaves is RFC 6962's
//     (RFC 9162 section 2.1.1), and the event at position p is leaf p-1.
//   - A checkpoint body is three lines, each ending in a newline: the origin
//     "<ledger name>/<provider>", the tree size in decimal, and the root hash in standard base64.
//   - The signed checkpoint is a note: the body, an empty line, and one signature line per
//     signer, "— <key name> <base64(key hash || signature)>". The ledger's key name is the
//     ledger name; its key hash is the first four bytes of SHA-256(name || "\n" || 0x01 ||
//     public key), and its signature is Ed25519 over the body. A witness adds a cosignature line
//     (algorithm 0x04: Ed25519 over "cosignature/v1\ntime <unix seconds>\n" and the body, the
//     signature prefixed with the time as 8 big-endian bytes).
//
// docs/architecture.md works one example through by hand; TestWorkedExample checks it.
package evidence
