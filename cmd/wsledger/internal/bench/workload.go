// Package bench measures wsledger beside the raw JetStream workload that is its physical limit,
// in one process and one run, and prints each pair with its ratio.
package bench

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/wsledger/wsledger/domain"
)

// workload makes a deterministic stream of valid commands for one provider: its registration,
// a roster and caseload each month, and then client calls, callbacks, resolutions, file reviews
// with findings and corrections, emergencies and circumstance changes, day after day.
type workload struct {
	provider string
	rng      *rand.Rand
	day      domain.Date // the day commands occur on
	month    domain.Month
	n        int // commands made
	queue    [][]byte
}

// perDay is how many commands a provider records in a business day.
const perDay = 40

// cases is the monthly caseload of each provider.
const cases = 200

func newWorkload(provider string, seed uint64, start domain.Date) *workload {
	w := &workload{provider: provider, rng: rand.New(rand.NewPCG(seed, 7)), day: start}
	w.cmd("RegisterProvider", "admin", "ad1", `"name":"Provider `+provider+`","region":"southcentral"`)
	w.startMonth()
	return w
}

// next returns the next command's JSON.
func (w *workload) next() []byte {
	if len(w.queue) == 0 {
		w.refill()
	}
	c := w.queue[0]
	w.queue = w.queue[1:]
	w.n++
	if w.n%perDay == 0 {
		w.advanceDay()
	}
	return c
}

func (w *workload) at() string {
	t := w.day.Start().Add(9*time.Hour + time.Duration(w.n%perDay)*7*time.Minute)
	return t.Format(time.RFC3339)
}

// cmd queues a command: the header's members, then fields. It is written with appends rather
// than fmt (the bytes are the same), since the ledger's side of workloads 1 and 2 makes its
// commands as it goes and the raw side has nothing like it to make.
func (w *workload) cmd(typ, role, staff, fields string) {
	at := w.at()
	b := make([]byte, 0, 160+2*len(typ)+len(w.provider)+len(staff)+len(role)+len(at)+len(fields))
	b = append(b, `{"type":`...)
	b = appendQuoted(b, typ)
	b = append(b, `,"provider":`...)
	b = appendQuoted(b, w.provider)
	b = append(b, `,"idempotency_key":"`...)
	b = append(b, typ...)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(w.n), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(len(w.queue)), 10)
	b = append(b, `","actor":{"staff_id":`...)
	b = appendQuoted(b, staff)
	b = append(b, `,"role":`...)
	b = appendQuoted(b, role)
	b = append(b, `},"occurred_at":`...)
	b = appendQuoted(b, at)
	b = append(b, ',')
	b = append(b, fields...)
	w.queue = append(w.queue, append(b, '}'))
}

// appendQuoted appends s as %q writes it: between quotes as it is when it is printable ASCII
// without quotes or backslashes, as all the workload's text is, and by strconv.AppendQuote
// otherwise.
func appendQuoted(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return strconv.AppendQuote(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func (w *workload) startMonth() {
	if prev := w.month; prev.Year != 0 {
		// The reports the manual asks for, as a diligent provider files them.
		w.cmd("SubmitReport", "program_manager", "pm1", `"kind":"performance_invoice","period":"`+prev.String()+`","documents":[{"name":"invoice.pdf"}]`)
		if prev.Month%3 == 0 {
			w.cmd("SubmitReport", "program_manager", "pm1", fmt.Sprintf(`"kind":"qcip","period":"%d-Q%d","documents":[{"name":"qcip.pdf"}]`, prev.Year, int(prev.Month)/3))
		}
	}
	w.month = w.day.MonthOf()
	m := w.month.String()
	w.cmd("SubmitStaffRoster", "program_manager", "pm1", `"month":"`+m+`","staff":[
		{"staff_id":"pm1","name":"Pat","role":"program_manager"},
		{"staff_id":"sup1","name":"Sam","role":"supervisor","supervisor_id":"pm1"},
		{"staff_id":"cm1","name":"Cas","role":"case_manager","supervisor_id":"sup1"},
		{"staff_id":"cm2","name":"Cam","role":"case_manager","supervisor_id":"sup1"}]`)
	var b strings.Builder
	for i := range cases {
		if i > 0 {
			b.WriteByte(',')
		}
		ft, cm := "all_family", "cm1"
		if i%5 == 0 {
			ft = "two_parent"
		}
		if i%2 == 0 {
			cm = "cm2"
		}
		fmt.Fprintf(&b, `{"case_id":"K%04d","family_type":%q,"case_manager_id":%q}`, i, ft, cm)
	}
	w.cmd("ReportCaseload", "program_manager", "pm1", `"month":"`+m+`","cases":[`+b.String()+`]`)
}

func (w *workload) advanceDay() {
	w.day = w.day.AddDays(1)
	for w.day.Weekday() == time.Saturday || w.day.Weekday() == time.Sunday {
		w.day = w.day.AddDays(1)
	}
	if w.day.MonthOf() != w.month {
		w.startMonth()
	}
}

// refill queues one round of case activity.
func (w *workload) refill() {
	id := fmt.Sprintf("%d", w.n)
	client := fmt.Sprintf("%08d", w.rng.IntN(1e8))
	w.cmd("ReceiveClientCall", "case_manager", "cm1", `"concern_id":"Q`+id+`","client_number":"`+client+`","summary":"benefit amount questioned"`)
	w.cmd("ReturnClientCall", "case_manager", "cm1", `"concern_id":"Q`+id+`"`)
	w.cmd("ResolveConcern", "supervisor", "sup1", `"concern_id":"Q`+id+`","clno_date":"`+w.day.String()+`","summary":"explained the benefit calculation","level":"supervisor"`)
	negative := w.rng.IntN(3) == 0
	w.cmd("RecordFileReview", "program_manager", "pm1", fmt.Sprintf(
		`"review_id":"R%s","month":%q,"case_id":"K%04d","reviewer_id":"pm1","findings":[{"finding_id":"F%s","category":"work_verification","negative":%t,"description":"hours for week 2 entered without verification"}]`,
		id, w.month.String(), w.rng.IntN(cases), id, negative))
	if negative {
		w.cmd("CompleteCorrection", "case_manager", "cm1", `"finding_id":"F`+id+`","note":"verification obtained and filed"`)
	}
	if w.rng.IntN(4) == 0 {
		w.cmd("DiscloseEmergency", "case_manager", "cm2", `"emergency_id":"E`+id+`","client_number":"`+client+`","track":"work_first"`)
		w.cmd("SeeEmergencyClient", "case_manager", "cm2", `"emergency_id":"E`+id+`"`)
	}
	if w.rng.IntN(4) == 0 {
		w.cmd("LearnCircumstanceChange", "case_manager", "cm2", `"change_id":"X`+id+`","client_number":"`+client+`","description":"new employment"`)
		w.cmd("ReportCircumstanceChange", "case_manager", "cm2", `"change_id":"X`+id+`"`)
	}
}
