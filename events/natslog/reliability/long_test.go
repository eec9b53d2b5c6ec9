package reliability

import (
	"flag"
	"os"
)

var longFlag = flag.Bool("long", false, "run the long variants of the reliability tests (also WSLEDGER_LONG=1)")

// long reports whether the long variants were asked for.
func long() bool { return *longFlag || os.Getenv("WSLEDGER_LONG") == "1" }

// scale returns short in a default run and long when the long variants were asked for.
func scale[T any](short, long_ T) T {
	if long() {
		return long_
	}
	return short
}
