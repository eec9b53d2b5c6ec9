package events

// HistoryRecovered records that a provider's history was recovered from a backup older than a
// checkpoint the ledger had signed: the events after HistorySize that the checkpoint covered are
// gone, and the ledger's checkpoints go on from this history, not from that checkpoint. It is
// written by `wsledger recover`, never by a command, and no rule reads it; it stays in the
// history, and in every checkpoint after it, so that the loss is never hidden. Witnesses refuse
// the first checkpoint after it until a person clears them.
type HistoryRecovered struct {
	// CheckpointSize and CheckpointRoot (hex) are the signed checkpoint the history no longer
	// extends; HistorySize is how many events the history held when it was recovered.
	CheckpointSize int64  `json:"checkpoint_size"`
	CheckpointRoot string `json:"checkpoint_root"`
	HistorySize    int64  `json:"history_size"`
	Reason         string `json:"reason"`
}
