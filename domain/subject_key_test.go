package domain_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/wsledger/wsledger/domain"
)

// testSubjectKey returns the subject key of a fixed secret.
func testSubjectKey(t testing.TB, fill byte) domain.SubjectKey {
	t.Helper()
	secret := make([]byte, domain.SubjectKeySize)
	for i := range secret {
		secret[i] = fill + byte(i)
	}
	k, err := domain.NewSubjectKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func FuzzKeyedAggregateIDIsHMAC(f *testing.F) {
	f.Add("north-star", domain.KindConcern, "K1")
	f.Add("", "", "")
	f.Add("p123456789012345678901234567890123456789", domain.KindPerformanceConfirmation, "x123456789012345678901234567890123456789012345678901234567890123")
	k := testSubjectKey(f, 7)
	secret := make([]byte, domain.SubjectKeySize)
	for i := range secret {
		secret[i] = 7 + byte(i)
	}
	f.Fuzz(func(t *testing.T, provider, kind, naturalID string) {
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(provider + "\x00" + kind + "\x00" + naturalID))
		var want uuid.UUID
		copy(want[:], mac.Sum(nil))
		want[6] = want[6]&0x0f | 0x80
		want[8] = want[8]&0x3f | 0x80
		if got := k.AggregateID(provider, kind, naturalID); got != want.String() {
			t.Fatalf("AggregateID(%q, %q, %q) = %s, crypto/hmac gives %s", provider, kind, naturalID, got, want)
		}
	})
}

// TestKeyedSubjectsResistBruteForce: a concern id equal to a four-digit client number is found
// among all 10,000 candidates by recomputing the unkeyed UUIDv5, and not found with a key.
func TestKeyedSubjectsResistBruteForce(t *testing.T) {
	const clientNumber = "4821"
	search := func(id string) string {
		for n := range 10000 {
			candidate := fmt.Sprintf("%04d", n)
			if domain.AggregateID(testProvider, domain.KindConcern, candidate) == id {
				return candidate
			}
		}
		return ""
	}
	if got := search(domain.AggregateID(testProvider, domain.KindConcern, clientNumber)); got != clientNumber {
		t.Fatalf("the unkeyed id was not recovered (got %q): this test guards nothing", got)
	}
	keyed := testSubjectKey(t, 1).AggregateID(testProvider, domain.KindConcern, clientNumber)
	if got := search(keyed); got != "" {
		t.Fatalf("the keyed id %s was recovered as %s", keyed, got)
	}
	if other := testSubjectKey(t, 2).AggregateID(testProvider, domain.KindConcern, clientNumber); other == keyed {
		t.Fatal("two keys derive the same id")
	}
	if u := uuid.MustParse(keyed); u.Version() != 8 || u.Variant() != uuid.RFC4122 {
		t.Fatalf("keyed id %s: version %d, variant %v", keyed, u.Version(), u.Variant())
	}
}

// TestEarlierAggregatesKeepTheirIDs: a ledger that gets a key goes on writing a concern received
// before it had one under the concern's unkeyed id, so a ReturnClientCall finds it and its events
// stay on one subject; a concern received after gets a keyed id.
func TestEarlierAggregatesKeepTheirIDs(t *testing.T) {
	l := fixture(t)
	before := l.do(call("Q1"))[0]
	if before.Aggregate != domain.AggregateID(testProvider, domain.KindConcern, "Q1") {
		t.Fatalf("without a key the concern's id is %s", before.Aggregate)
	}
	l.policy.SubjectKey = testSubjectKey(t, 1)
	returned := l.do(cm("ReturnClientCall", `"concern_id":"Q1"`))[0]
	if returned.Aggregate != before.Aggregate {
		t.Fatalf("the earlier concern's call was returned under %s, not its id %s", returned.Aggregate, before.Aggregate)
	}
	after := l.do(call("Q2"))[0]
	if want := l.policy.SubjectKey.AggregateID(testProvider, domain.KindConcern, "Q2"); after.Aggregate != want || after.Aggregate == domain.AggregateID(testProvider, domain.KindConcern, "Q2") {
		t.Fatalf("a new concern's id is %s, want the keyed %s", after.Aggregate, want)
	}
	if got := l.do(cm("ReturnClientCall", `"concern_id":"Q2"`))[0].Aggregate; got != after.Aggregate {
		t.Fatalf("the new concern's call was returned under %s, not %s", got, after.Aggregate)
	}
}

func TestNewSubjectKeyRefusesAShortSecret(t *testing.T) {
	if _, err := domain.NewSubjectKey(make([]byte, 16)); err == nil {
		t.Fatal("a 16-byte secret was taken")
	}
}
