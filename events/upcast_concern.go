package events

import (
	"encoding/json"
	"errors"
	"fmt"
)

// UpcastConcernResolvedV1 turns a version 1 ConcernResolved payload, which did not record the
// level a concern was resolved at, into version 2 with level "unrecorded".
func UpcastConcernResolvedV1(raw json.RawMessage) (json.RawMessage, error) {
	fields, err := payloadFields(raw, 1)
	if err != nil {
		return nil, err
	}
	if _, ok := fields["level"]; ok {
		return nil, errors.New("version 1 payload already has a level, which version 1 never had")
	}
	fields["level"] = json.RawMessage(`"` + LevelUnrecorded + `"`)
	return json.Marshal(fields)
}

// payloadFields reads an older version's payload as the JSON object it must be.
func payloadFields(raw json.RawMessage, version int) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fmt.Errorf("version %d payload is not a JSON object: %w", version, err)
	}
	if fields == nil {
		return nil, fmt.Errorf("version %d payload is null", version)
	}
	return fields, nil
}

// UpcastConcernResolvedV2 turns a version 2 ConcernResolved payload, recorded before the ledger
// e-mailed WSTA, into version 3 with notice "recorded": its notice counts as given when the
// resolution was recorded, as it did then, so that history does not turn overdue.
func UpcastConcernResolvedV2(raw json.RawMessage) (json.RawMessage, error) {
	fields, err := payloadFields(raw, 2)
	if err != nil {
		return nil, err
	}
	if _, ok := fields["notice"]; ok {
		return nil, errors.New("version 2 payload already has a notice, which version 2 never had")
	}
	fields["notice"] = json.RawMessage(`"` + NoticeRecorded + `"`)
	return json.Marshal(fields)
}

// check refuses a payload without a level (from version 2) or a notice (from version 3).
func (c *ConcernResolved) check() error {
	switch c.Level {
	case LevelCaseManager, LevelSupervisor, LevelProgramManager, LevelUnrecorded:
	case "":
		return errors.New("level is required from version 2 on")
	default:
		return fmt.Errorf("level %q is not case_manager, supervisor, program_manager or unrecorded", c.Level)
	}
	switch c.Notice {
	case NoticeRecorded, NoticeEmail:
		return nil
	case "":
		return errors.New("notice is required from version 3 on")
	}
	return fmt.Errorf("notice %q is not recorded or email", c.Notice)
}
