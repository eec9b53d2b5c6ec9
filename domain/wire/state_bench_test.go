package wire

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// savedForBenchmark returns the saved form of a provider a year into the ledger: 12 monthly
// rosters and caseloads of 100 cases, 10 reviews a month, 1,000 concerns, 300 client duties.
func savedForBenchmark() *domain.SavedState {
	at := time.Date(2026, 1, 5, 17, 0, 0, 0, time.UTC)
	mark := func(i int) domain.SavedMark {
		return domain.SavedMark{At: at.Add(time.Duration(i) * time.Hour), Recorded: at.Add(time.Duration(i)*time.Hour + time.Minute)}
	}
	v := &domain.SavedState{Provider: "north-star", Seq: 5000, RegisteredAt: at,
		Versions: map[string]map[string]uint64{}, Rosters: map[string]domain.SavedRoster{}, Caseloads: map[string]domain.SavedCaseload{},
		Samples: map[string]uint64{}, Reviews: map[string][]domain.SavedReview{}, WSQRs: map[string]domain.SavedWSQR{},
		DPAReports: map[string]domain.SavedDPAReport{}, Measures: map[string]time.Time{}, Reports: map[string]domain.SavedMark{}}
	for m := 1; m <= 12; m++ {
		month := fmt.Sprintf("2026-%02d", m)
		staff := make([]events.StaffMember, 8)
		for i := range staff {
			staff[i] = events.StaffMember{StaffID: fmt.Sprintf("cm%d", i), Name: "Case Manager", Role: "case_manager", SupervisorID: "sup1"}
		}
		v.Rosters[month] = domain.SavedRoster{Staff: staff, First: mark(m)}
		cases := make([]events.Case, 100)
		for i := range cases {
			cases[i] = events.Case{CaseID: fmt.Sprintf("C%d", i), FamilyType: "all_family", CaseManagerID: fmt.Sprintf("cm%d", i%8)}
		}
		v.Caseloads[month] = domain.SavedCaseload{Cases: cases, Seq: uint64(m * 400), Reported: mark(m)}
		v.Samples[month] = uint64(m * 400)
		for i := range 10 {
			v.Reviews[month] = append(v.Reviews[month], domain.SavedReview{ID: fmt.Sprintf("R%d-%d", m, i), CaseID: fmt.Sprintf("C%d", i), At: at, Recorded: at})
		}
		v.Measures[month] = at
		v.Reports["performance_invoice-"+month] = mark(m)
	}
	v.Versions["concern"] = map[string]uint64{}
	for i := range 1000 {
		id := fmt.Sprintf("K%04d", i)
		v.Concerns = append(v.Concerns, domain.SavedConcern{ID: id, ClientNumber: "12345678", Channel: "phone", Owner: "cm1",
			ReceivedAt: at, Returned: mark(i), Resolved: mark(i + 1)})
		v.Versions["concern"][events.HexSHA256([]byte(id))[:36]] = uint64(i)
	}
	for i := range 300 {
		v.Changes = append(v.Changes, domain.SavedDuty{ID: fmt.Sprintf("X%03d", i), Owner: "cm2", OpenedAt: at, Met: mark(i)})
	}
	return v
}

// BenchmarkStateCodec writes and reads a year's saved form with encoding/json and with
// github.com/go-json-experiment/json, deterministic as EncodeState is.
func BenchmarkStateCodec(b *testing.B) {
	v := savedForBenchmark()
	data, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encode/encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := json.Marshal(v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode/json-experiment", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := jsonv2.Marshal(v, jsonv2.Deterministic(true)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode/encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := json.Unmarshal(data, new(domain.SavedState)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode/json-experiment", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := jsonv2.Unmarshal(data, new(domain.SavedState)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
