package events

import "encoding/binary"

// validJSON reports whether data is one JSON value with only white space around it, exactly as
// json.Valid does, including its limit of 10,000 nested objects and arrays. It reads the input
// once with loops over runs of bytes instead of json's state machine, which calls a function per
// byte: every event a rebuild reads is checked. On a stored file review it takes 0.7 µs, where
// json.Valid takes 1.9 to 2.6 µs and go-json-experiment's jsontext 0.9 to 1.1 µs
// (BenchmarkJSONLibraries, best of 12 on a shared 2-core machine).
// FuzzValidJSONMatchesEncodingJSON holds it to json.Valid.
func validJSON(data []byte) bool { return scanJSON(data, nil) }

// topMembers is where the members of a top-level object are, as scanJSON finds them while it
// validates, so that a decoder need not walk the object a second time.
type topMembers struct {
	n int
	// key and value are the spans of each member's key (with its quotes) and value.
	key, value [maxTopMembers][2]int
	// more is set when the object has more members than fit.
	more bool
}

// maxTopMembers is how many members topMembers holds: a stored event has fifteen.
const maxTopMembers = 24

// scanJSON is validJSON, and when the value is an object and top is not nil, notes where its
// members are in top.
func scanJSON(data []byte, top *topMembers) bool {
	var buf [64]byte
	open := buf[:0]   // the '{' or '[' of every container the value at i is inside
	inMember := false // a top-level member's key was read and its value has not ended
	var key [2]int    // the key of that member
	var valueStart int
	// objectKey, noting the key of a member of the top-level object.
	nextKey := func(i int) int {
		if top == nil || len(open) != 1 {
			return objectKey(data, i)
		}
		k := skipSpace(data, i)
		v := objectKey(data, k)
		if v >= 0 {
			end := v - 1 // the colon: the key ends before it and any space
			for data[end-1] != '"' {
				end--
			}
			key, inMember = [2]int{k, end}, true
		}
		return v
	}
	i := 0
	for {
		// A value starts at i, after any white space.
		i = skipSpace(data, i)
		if i >= len(data) {
			return false
		}
		start := i
		switch c := data[i]; c {
		case '{', '[':
			if len(open) >= maxNesting {
				return false
			}
			if i = skipSpace(data, i+1); i < len(data) && data[i] == closing(c) {
				i++
				break
			}
			open = append(open, c)
			if c == '{' {
				if i = nextKey(i); i < 0 {
					return false
				}
			}
			if inMember && len(open) == 2 {
				valueStart = start
			}
			continue
		case '"':
			i = stringEnd(data, i)
		case 't':
			i = literalEnd(data, i, "true")
		case 'f':
			i = literalEnd(data, i, "false")
		case 'n':
			i = literalEnd(data, i, "null")
		default:
			i = numberEnd(data, i)
		}
		if i < 0 {
			return false
		}
		if inMember && len(open) == 1 {
			valueStart = start
		}
		// A value ends at i: close the containers it ends, then find the next one's start.
		for {
			if inMember && len(open) == 1 {
				top.add(key, [2]int{valueStart, i})
				inMember = false
			}
			i = skipSpace(data, i)
			if len(open) == 0 {
				return i == len(data)
			}
			if i >= len(data) {
				return false
			}
			t := open[len(open)-1]
			if data[i] == closing(t) {
				open = open[:len(open)-1]
				i++
				continue
			}
			if data[i] != ',' {
				return false
			}
			i++
			if t == '{' {
				if i = nextKey(i); i < 0 {
					return false
				}
			}
			break
		}
	}
}

// add notes a member's key and value.
func (t *topMembers) add(key, value [2]int) {
	if t.n == maxTopMembers {
		t.more = true
		return
	}
	t.key[t.n], t.value[t.n] = key, value
	t.n++
}

// maxNesting is json.Valid's limit on nested objects and arrays.
const maxNesting = 10000

// closing returns the byte that closes an object or array opened with c: '}' is '{'+2 and
// ']' is '['+2 in ASCII.
func closing(c byte) byte { return c + 2 }

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// objectKey reads an object member's key and colon from i and returns where its value starts, or
// -1 when they are not there.
func objectKey(data []byte, i int) int {
	i = skipSpace(data, i)
	if i >= len(data) || data[i] != '"' {
		return -1
	}
	if i = stringEnd(data, i); i < 0 {
		return -1
	}
	if i = skipSpace(data, i); i >= len(data) || data[i] != ':' {
		return -1
	}
	return i + 1
}

// stringEnd returns the index after the string that starts at data[i] == '"', or -1 when it
// is not a valid string. As json.Valid, it accepts any byte from 0x20 on, UTF-8 or not. It skips
// eight plain bytes at a time: most of an event is strings.
func stringEnd(data []byte, i int) int {
	i++
	for {
		for i+8 <= len(data) && !special8(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
		}
		if i >= len(data) {
			return -1
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			if i++; i >= len(data) {
				return -1
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(data) || !isHex(data[i+1]) || !isHex(data[i+2]) || !isHex(data[i+3]) || !isHex(data[i+4]) {
					return -1
				}
				i += 4
			default:
				return -1
			}
		}
		i++
	}
}

// special8 reports whether any of the eight bytes in w may be '"', '\\' or below 0x20 (it can
// say so of a plain byte after one that is, never miss one): the bit tricks of "Bit Twiddling
// Hacks" for a zero byte and a byte less than n.
func special8(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	return ((quote-ones)&^quote|(backslash-ones)&^backslash|(w-ones*0x20)&^w)&highs != 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// literalEnd returns the index after lit at data[i], or -1 when it is not there.
func literalEnd(data []byte, i int, lit string) int {
	if len(data)-i < len(lit) || string(data[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// numberEnd returns the index after the number that starts at data[i], or -1 when none does.
// What follows a number is left to the caller, which accepts only white space, ',' or a close.
func numberEnd(data []byte, i int) int {
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		i = digitsEnd(data, i)
	default:
		return -1
	}
	if i < len(data) && data[i] == '.' {
		if i++; i >= len(data) || !isDigit(data[i]) {
			return -1
		}
		i = digitsEnd(data, i)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		if i++; i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return -1
		}
		i = digitsEnd(data, i)
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digitsEnd(data []byte, i int) int {
	for i < len(data) && isDigit(data[i]) {
		i++
	}
	return i
}
