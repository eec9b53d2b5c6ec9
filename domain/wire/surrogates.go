package wire

import (
	"strings"

	"github.com/wsledger/wsledger/events"
)

// checkSurrogates refuses a \u escape of half a UTF-16 surrogate pair without its other half:
// JSON decoders replace it with U+FFFD, so the text stored would not be the text sent. It names
// the field whose value holds it (the last key before it).
func checkSurrogates(s string) *events.Error {
	if !strings.Contains(s, `\u`) && !strings.Contains(s, `\U`) {
		return nil
	}
	key, inString, start := "", false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case !inString && c == '"':
			inString, start = true, i+1
		case inString && c == '"':
			inString = false
			if rest := strings.TrimLeft(s[i+1:], " \t\r\n"); strings.HasPrefix(rest, ":") {
				key = s[start:i]
			}
		case inString && c == '\\' && i+1 < len(s):
			if s[i+1] != 'u' || i+6 > len(s) {
				i++
				continue
			}
			u, ok := hex4(s[i+2 : i+6])
			switch {
			case !ok:
			case u >= 0xD800 && u <= 0xDBFF:
				low, ok := uint16(0), i+12 <= len(s) && s[i+6] == '\\' && s[i+7] == 'u'
				if ok {
					low, ok = hex4(s[i+8 : i+12])
				}
				if !ok || low < 0xDC00 || low > 0xDFFF {
					return loneSurrogate(key)
				}
				i += 6
			case u >= 0xDC00 && u <= 0xDFFF:
				return loneSurrogate(key)
			}
			i += 5
		}
	}
	return nil
}

func loneSurrogate(key string) *events.Error {
	return invalid(key, "%s holds a \\u escape of half a UTF-16 surrogate pair without the other half, which is not a character; send the character itself, or both halves of its pair.", orText(key))
}

func orText(key string) string {
	if key == "" {
		return "The command"
	}
	return key
}

func hex4(s string) (uint16, bool) {
	var v uint16
	for _, c := range []byte(s) {
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | uint16(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | uint16(c-'a'+10)
		case 'A' <= c && c <= 'F':
			v = v<<4 | uint16(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}
