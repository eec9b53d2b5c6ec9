package api

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"

	"github.com/wsledger/wsledger/events"
)

// backupRequest is the body of POST /v1/backup.
type backupRequest struct {
	Out string `json:"out"`
}

// backup handles POST /v1/backup: the store's owner (a wsledger backup given the data directory
// this process holds) has the server write a backup into a directory of this machine, with
// JetStream's snapshots, which are taken while the ledger runs.
func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	if !principal(r).Owner {
		s.forbid(w, r, "", "backup", "", "Only the store's owner backs it up through the server: run wsledger backup --data on the machine that holds it.")
		return
	}
	var req backupRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<10)).Decode(&req); err != nil || !filepath.IsAbs(req.Out) {
		badRequest(w, "out", "The body must be {\"out\": DIR} with an absolute directory path.")
		return
	}
	if s.cfg.Backup == nil {
		writeStatusError(w, http.StatusServiceUnavailable, events.Errorf(events.Unavailable, "", "This server does not take backups."))
		return
	}
	m, err := s.cfg.Backup(r.Context(), req.Out)
	if err != nil {
		s.cfg.Logger.Warn("backup failed", "err", err)
		writeStatusError(w, http.StatusInternalServerError, events.Errorf(events.Internal, "out", "The backup failed: %v", err))
		return
	}
	writeJSON(w, http.StatusCreated, m)
}
