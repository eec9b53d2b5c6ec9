package events

import (
	"encoding/json"
	"fmt"
)

// UpcastDPAReportReceivedV1 turns a version 1 DPAReportReceived payload into version 2: version 2
// only added optional fields (the statewide family mix and the remarks on a participant list's
// selection), which a version 1 report does not have, so the payload is kept as it is once it is
// checked to be an object without them.
func UpcastDPAReportReceivedV1(raw json.RawMessage) (json.RawMessage, error) {
	fields, err := payloadFields(raw, 1)
	if err != nil {
		return nil, err
	}
	for _, added := range []string{"statewide_family_mix", "remarks"} {
		if _, ok := fields[added]; ok {
			return nil, fmt.Errorf("version 1 payload has %s, which version 1 never had", added)
		}
	}
	return raw, nil
}
