package reliability

import (
	"flag"
	"os"
)

var longFlag = flag.Bool("long", false, "run the long variants of the reliability tests (also WSLEDGER_LONG=1)")

// scale returns short in a default run and long when the long variants were asked for.
func scale[T any](short, long T) T {
	if *longFlag || os.Getenv("WSLEDGER_LONG") == "1" {
		return long
	}
	return short
}
