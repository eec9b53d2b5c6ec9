package domain

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wsledger/wsledger/events"
)

// selectionRemarks compares a participant list's selection for work verification with the
// manual's rule (WSPM 1015, performance confirmation): ConfirmationSampleSize of the month's
// reported caseload, every case in it, split across family types as SplitByFamilyType weights the
// statewide Temporary Assistance mix. DPA draws the selection, so a difference is not a refusal:
// each is a remark for the manager, recorded with the report. A list that selects nothing has
// none.
func selectionRemarks(cl *caseload, month string, selected []string, mix []events.FamilyShare) []string {
	if len(selected) == 0 {
		return nil
	}
	if cl == nil {
		return []string{fmt.Sprintf("No caseload has been reported for %s, so the selection of %d cases cannot be checked against the manual's rule (20%% of the caseload, at least 5, at most 30).", month, len(selected))}
	}
	var remarks []string
	if want := ConfirmationSampleSize(len(cl.order)); len(selected) != want {
		remarks = append(remarks, fmt.Sprintf("The list selects %d cases; the manual's rule gives %d for the caseload of %d reported for %s (20%% rounded down, at least 5, at most 30).",
			len(selected), want, len(cl.order), month))
	}
	var unknown []string
	got := map[string]int{}
	for _, id := range selected {
		k, ok := cl.cases[id]
		if !ok {
			unknown = append(unknown, id)
			continue
		}
		got[k.FamilyType]++
	}
	if len(unknown) > 0 {
		remarks = append(remarks, fmt.Sprintf("The list selects %s, not in the caseload reported for %s.", strings.Join(unknown, ", "), month))
	}
	if len(mix) == 0 {
		return append(remarks, "The family-type split was not checked: neither the list nor the settings give the statewide Temporary Assistance mix (statewide_family_mix).")
	}
	weights := map[string]int{}
	for _, f := range mix {
		weights[f.FamilyType] = int(f.Cases)
	}
	want := SplitByFamilyType(len(selected)-len(unknown), weights)
	if !sameSplit(got, want) {
		remarks = append(remarks, fmt.Sprintf("The selection's family types are %s; weighted by the statewide mix (%s) they would be %s.",
			splitText(got, want), mixText(mix), splitText(want, got)))
	}
	return remarks
}

func sameSplit(a, b map[string]int) bool {
	for k, n := range a {
		if b[k] != n {
			return false
		}
	}
	for k, n := range b {
		if a[k] != n {
			return false
		}
	}
	return true
}

// splitText writes a split as "all_family 4, two_parent 1", naming every family type of either.
func splitText(split, other map[string]int) string {
	var types []string
	for k := range split {
		types = append(types, k)
	}
	for k := range other {
		if _, ok := split[k]; !ok {
			types = append(types, k)
		}
	}
	slices.Sort(types)
	parts := make([]string, len(types))
	for i, k := range types {
		parts[i] = fmt.Sprintf("%s %d", k, split[k])
	}
	return strings.Join(parts, ", ")
}

func mixText(mix []events.FamilyShare) string {
	parts := make([]string, len(mix))
	for i, f := range mix {
		parts[i] = fmt.Sprintf("%s %d", f.FamilyType, f.Cases)
	}
	return strings.Join(parts, ", ")
}
