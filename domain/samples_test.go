package domain

// validCommands returns one valid command of every type, as JSON an admin sends.
func validCommands() map[string]string {
	c := func(typ, fields string) string { return command(typ, "admin", "ad1", fields) }
	return map[string]string{
		"RegisterProvider":               c("RegisterProvider", `"name":"North Star","region":"southcentral"`),
		"SubmitStaffRoster":              c("SubmitStaffRoster", `"month":"2026-03","staff":[{"staff_id":"pm1","name":"P","role":"program_manager"}]`),
		"ReportCaseload":                 c("ReportCaseload", `"month":"2026-03","cases":[{"case_id":"C1","family_type":"all_family","case_manager_id":"cm1"}]`),
		"DrawFileReviewSample":           c("DrawFileReviewSample", `"month":"2026-03","seed":"s1"`),
		"RecordFileReview":               c("RecordFileReview", `"review_id":"R1","month":"2026-03","case_id":"C1","reviewer_id":"pm1","findings":[]`),
		"CompleteCorrection":             c("CompleteCorrection", `"finding_id":"F1","note":"fixed"`),
		"ReceiveWSQRFindings":            c("ReceiveWSQRFindings", `"wsqr_id":"W1","period":"2026-Q1","response_due":"2026-04-30","findings":[],"work_verification":{"correct":8,"reviewed":10}`),
		"SubmitWSQRResponse":             c("SubmitWSQRResponse", `"wsqr_id":"W1","plans":[],"best_practice":"peer review"`),
		"ConfirmPerformanceConfirmation": c("ConfirmPerformanceConfirmation", `"state":"started"`),
		"ReceiveClientCall":              c("ReceiveClientCall", `"concern_id":"K1","client_number":"12345678","summary":"s"`),
		"ReceiveConcern":                 c("ReceiveConcern", `"concern_id":"K2","client_number":"12345678","summary":"s","channel":"written"`),
		"ReturnClientCall":               c("ReturnClientCall", `"concern_id":"K1"`),
		"ResolveConcern":                 c("ResolveConcern", `"concern_id":"K1","clno_date":"2026-03-02","summary":"s","level":"case_manager"`),
		"RecordWSTANoticeDelivered":      c("RecordWSTANoticeDelivered", `"concern_id":"K1","message_id":"<n1@wsledger>","to":"wsta@example.gov"`),
		"RecordPolicySettings":           c("RecordPolicySettings", `"settings":{"wsta_notice_business_days":2,"forward_concern_business_days":0,"change_report_business_days":5,"grievance_business_days":10,"wsqr_default_response_business_days":20,"due_soon_business_days":2,"late_entry_business_days":1,"clock_skew":"5m0s","statewide_family_mix":[],"closures":[{"date":"2026-12-24","name":"Christmas Eve"}]}`),
		"DeclareConcernUnresolved":       c("DeclareConcernUnresolved", `"concern_id":"K1","reason":"r"`),
		"ForwardConcernToWSTA":           c("ForwardConcernToWSTA", `"concern_id":"K1","reason":"r"`),
		"ReceiveWSTARecommendation":      c("ReceiveWSTARecommendation", `"concern_id":"K1","recommendation_id":"REC1","recommendations":["call back"]`),
		"ImplementWSTARecommendation":    c("ImplementWSTARecommendation", `"recommendation_id":"REC1"`),
		"DiscloseEmergency":              c("DiscloseEmergency", `"emergency_id":"E1","client_number":"12345678","track":"families_first"`),
		"SeeEmergencyClient":             c("SeeEmergencyClient", `"emergency_id":"E1"`),
		"LearnCircumstanceChange":        c("LearnCircumstanceChange", `"change_id":"X1","client_number":"12345678","description":"new job"`),
		"ReportCircumstanceChange":       c("ReportCircumstanceChange", `"change_id":"X1"`),
		"ReceiveDPAReport":               c("ReceiveDPAReport", `"report_id":"D1","kind":"participant_list","period":"2026-02","selected_cases":["C1"]`),
		"RespondToDPAReport":             c("RespondToDPAReport", `"report_id":"D1","items":[{"case_id":"C1","action":"confirmed"}]`),
		"PostPerformanceMeasures":        c("PostPerformanceMeasures", `"period":"2026-02","measures":[{"measure":"m1","numerator":1,"denominator":2}]`),
		"SubmitReport":                   c("SubmitReport", `"kind":"performance_invoice","period":"2026-02","documents":[{"name":"invoice.pdf"}]`),
	}
}
