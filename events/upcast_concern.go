package events

import (
	"encoding/json"
	"errors"
	"fmt"
)

// UpcastConcernResolvedV1 turns a version 1 ConcernResolved payload, which did not record the
// level a concern was resolved at, into version 2 with level "unrecorded".
func UpcastConcernResolvedV1(raw json.RawMessage) (json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fmt.Errorf("version 1 payload is not a JSON object: %w", err)
	}
	if fields == nil {
		return nil, errors.New("version 1 payload is null")
	}
	if _, ok := fields["level"]; ok {
		return nil, errors.New("version 1 payload already has a level, which version 1 never had")
	}
	fields["level"] = json.RawMessage(`"` + LevelUnrecorded + `"`)
	return json.Marshal(fields)
}

// check refuses a version 2 payload without a level.
func (c *ConcernResolved) check() error {
	switch c.Level {
	case LevelCaseManager, LevelSupervisor, LevelProgramManager, LevelUnrecorded:
		return nil
	case "":
		return errors.New("level is required from version 2 on")
	default:
		return fmt.Errorf("level %q is not case_manager, supervisor, program_manager or unrecorded", c.Level)
	}
}
