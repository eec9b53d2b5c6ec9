package auth_test

import (
	"testing"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
)

func TestPrincipalPermissions(t *testing.T) {
	tests := []struct {
		name                  string
		p                     auth.Principal
		readNorth, readSouth  bool
		submitNorth, readAll  bool
		feedNorth, feedGlobal bool
	}{
		{"case manager of north", auth.Principal{Role: "case_manager", Provider: "north"}, true, false, true, false, true, false},
		{"program manager of south", auth.Principal{Role: "program_manager", Provider: "south"}, false, true, false, false, false, false},
		{"auditor of every provider", auth.Principal{Role: "csqa_auditor", Provider: "*"}, true, true, false, true, true, true},
		{"auditor of north", auth.Principal{Role: "csqa_auditor", Provider: "north"}, true, false, false, false, true, false},
		{"wsta", auth.Principal{Role: "wsta", Provider: "*"}, false, false, true, false, true, true},
		{"admin", auth.Principal{Role: "admin", Provider: "*"}, true, true, true, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []bool{tt.p.CanRead("north"), tt.p.CanRead("south"), tt.p.CanSubmit("north"), tt.p.CanReadAll(),
				tt.p.CanReadFeed("north"), tt.p.CanReadFeed("")}
			want := []bool{tt.readNorth, tt.readSouth, tt.submitNorth, tt.readAll, tt.feedNorth, tt.feedGlobal}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("permission %d (read north, read south, submit north, read all, feed north, feed all) = %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestGrantCheck(t *testing.T) {
	tests := []struct {
		g  auth.Grant
		ok bool
	}{
		{auth.Grant{StaffID: "cm1", Role: "case_manager", Provider: "north"}, true},
		{auth.Grant{StaffID: "aud1", Role: "csqa_auditor", Provider: "*"}, true},
		{auth.Grant{StaffID: "ws1", Role: "wsta", Provider: "*"}, true},
		{auth.Grant{StaffID: "cm1", Role: "case_manager", Provider: "*"}, false},
		{auth.Grant{StaffID: "pm1", Role: "program_manager", Provider: "*"}, false},
		{auth.Grant{StaffID: "cm1", Role: "janitor", Provider: "north"}, false},
		{auth.Grant{StaffID: "c m", Role: "case_manager", Provider: "north"}, false},
		{auth.Grant{StaffID: "cm1", Role: "case_manager", Provider: "North.>"}, false},
	}
	for _, tt := range tests {
		if err := tt.g.Check(); (err == nil) != tt.ok {
			t.Errorf("%+v: err = %v, want ok %v", tt.g, err, tt.ok)
		}
	}
}
