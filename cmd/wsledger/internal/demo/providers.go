package demo

// provider is one demo provider and the shape of its year.
type provider struct {
	id, name, region string
	caseload         int // cases at the start of the year
	caseManagers     int
	// accuracy is the work verification of its four WSQRs, correct out of 100 reviewed.
	accuracy [4]int64
	// shortMonths are months, counted from the year's first, whose file review falls short: the
	// months before the recent ones, so that they are overdue a few months whatever the end.
	shortMonths []int
}

// providers: Kenai enters performance confirmation at its second WSQR (76%), stays at 79.5%,
// and leaves it at 85%.
var providers = []provider{
	{id: "northstar", name: "Northstar Work Services", region: "interior", caseload: 150, caseManagers: 7,
		accuracy: [4]int64{91, 89, 92, 90}},
	{id: "kenai", name: "Kenai Peninsula Family Services", region: "southcentral", caseload: 58, caseManagers: 3,
		accuracy: [4]int64{84, 76, 795, 85}, shortMonths: []int{8, 9}},
	{id: "tongass", name: "Tongass Employment Partners", region: "southeast", caseload: 96, caseManagers: 5,
		accuracy: [4]int64{86, 83, 88, 84}, shortMonths: []int{9}},
}

var firstNames = []string{"Avery", "Blake", "Casey", "Dana", "Emery", "Frankie", "Gale", "Harper", "Indy", "Jordan",
	"Kai", "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Riley", "Sage", "Taylor"}

var lastNames = []string{"Active", "Berry", "Chilkat", "Denali", "Eklutna", "Fox", "Gustavus", "Haines", "Iliamna",
	"Juneau", "Kodiak", "Lituya", "Moose", "Nenana", "Ouzinkie", "Petersburg", "Quartz", "Reindeer", "Sitka", "Tok"}

var measureNames = []string{"work_participation", "employment_entry", "employment_retention", "earnings_gain",
	"closure_with_earnings", "orientation_attendance"}

var findingCategories = []string{"work_activity_hours", "family_self_sufficiency_plan", "verification_documents",
	"case_notes", "sanction_process", "supportive_services"}

var concernSummaries = []string{"Supportive service payment has not arrived.", "Client disagrees with the hours recorded.",
	"Client asks for a different case manager.", "Childcare authorisation is late.", "Client was not told about an appointment change.",
	"Transportation voucher was refused."}

var changeDescriptions = []string{"Client started a part-time job.", "A household member moved out.",
	"Client reports a change of address.", "Client's hours at work increased.", "Client began receiving child support."}
