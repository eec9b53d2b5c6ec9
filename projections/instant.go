package projections

import "time"

// instant is a point in time kept as nanoseconds since 1970 UTC: a third of a time.Time, for the
// records a model keeps of every review, finding and concern, and saved as that number. 0 stands
// for no time (the zero time.Time); instants between the years 1678 and 2262 are kept exactly, and
// Time returns them in UTC, the zone every view shows.
type instant int64

func instantOf(t time.Time) instant {
	if t.IsZero() {
		return 0
	}
	return instant(t.UnixNano())
}

// Time returns the instant in UTC, or the zero time.
func (i instant) Time() time.Time {
	if i == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(i)).UTC()
}

// IsZero reports whether the instant stands for no time.
func (i instant) IsZero() bool { return i == 0 }

// After reports whether i is after t.
func (i instant) After(t time.Time) bool { return i.Time().After(t) }
