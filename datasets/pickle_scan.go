package datasets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// pickleArg is the shape of a pickle opcode's inline argument.
type pickleArg uint8

const (
	pkNone   pickleArg = iota // no argument
	pkFixed                   // fixed number of bytes (pickleOps[op].n)
	pkLen1                    // 1-byte length, then that many bytes
	pkLen4                    // 4-byte little-endian length (signed where Python's is), then bytes
	pkLen8                    // 8-byte little-endian length, then bytes
	pkLine                    // one '\n'-terminated line
	pkLine2                   // two '\n'-terminated lines
	pkRefuse                  // valid pickle, but needs hooks this package does not offer
)

type pickleOp struct {
	name string
	arg  pickleArg
	n    int // bytes for pkFixed
}

// pickleOps describes every opcode of pickle protocols 0–5
// (CPython Lib/pickletools.py). Opcodes not listed are invalid.
var pickleOps = map[byte]pickleOp{
	'(': {"MARK", pkNone, 0}, '.': {"STOP", pkNone, 0}, '0': {"POP", pkNone, 0},
	'1': {"POP_MARK", pkNone, 0}, '2': {"DUP", pkNone, 0}, 'N': {"NONE", pkNone, 0},
	'a': {"APPEND", pkNone, 0}, 'b': {"BUILD", pkNone, 0}, 'd': {"DICT", pkNone, 0},
	'}': {"EMPTY_DICT", pkNone, 0}, 'e': {"APPENDS", pkNone, 0}, 'l': {"LIST", pkNone, 0},
	']': {"EMPTY_LIST", pkNone, 0}, 'o': {"OBJ", pkNone, 0}, 's': {"SETITEM", pkNone, 0},
	't': {"TUPLE", pkNone, 0}, ')': {"EMPTY_TUPLE", pkNone, 0}, 'u': {"SETITEMS", pkNone, 0},
	'R': {"REDUCE", pkNone, 0}, 0x81: {"NEWOBJ", pkNone, 0}, 0x85: {"TUPLE1", pkNone, 0},
	0x86: {"TUPLE2", pkNone, 0}, 0x87: {"TUPLE3", pkNone, 0}, 0x88: {"NEWTRUE", pkNone, 0},
	0x89: {"NEWFALSE", pkNone, 0}, 0x8f: {"EMPTY_SET", pkNone, 0}, 0x90: {"ADDITEMS", pkNone, 0},
	0x91: {"FROZENSET", pkNone, 0}, 0x92: {"NEWOBJ_EX", pkNone, 0}, 0x93: {"STACK_GLOBAL", pkNone, 0},
	0x94: {"MEMOIZE", pkNone, 0},

	'K': {"BININT1", pkFixed, 1}, 'h': {"BINGET", pkFixed, 1}, 'q': {"BINPUT", pkFixed, 1},
	0x80: {"PROTO", pkFixed, 1}, 'M': {"BININT2", pkFixed, 2}, 'J': {"BININT", pkFixed, 4},
	'j': {"LONG_BINGET", pkFixed, 4}, 'r': {"LONG_BINPUT", pkFixed, 4}, 'G': {"BINFLOAT", pkFixed, 8},
	0x95: {"FRAME", pkFixed, 8},

	'U': {"SHORT_BINSTRING", pkLen1, 0}, 0x8c: {"SHORT_BINUNICODE", pkLen1, 0},
	'C': {"SHORT_BINBYTES", pkLen1, 0}, 0x8a: {"LONG1", pkLen1, 0},
	'T': {"BINSTRING", pkLen4, 0}, 'X': {"BINUNICODE", pkLen4, 0}, 'B': {"BINBYTES", pkLen4, 0},
	0x8b: {"LONG4", pkLen4, 0},
	0x8d: {"BINUNICODE8", pkLen8, 0}, 0x8e: {"BINBYTES8", pkLen8, 0}, 0x96: {"BYTEARRAY8", pkLen8, 0},

	'I': {"INT", pkLine, 0}, 'L': {"LONG", pkLine, 0}, 'F': {"FLOAT", pkLine, 0},
	'S': {"STRING", pkLine, 0}, 'V': {"UNICODE", pkLine, 0}, 'g': {"GET", pkLine, 0},
	'p': {"PUT", pkLine, 0},
	'c': {"GLOBAL", pkLine2, 0}, 'i': {"INST", pkLine2, 0},

	'P': {"PERSID", pkRefuse, 0}, 'Q': {"BINPERSID", pkRefuse, 0},
	0x82: {"EXT1", pkRefuse, 0}, 0x83: {"EXT2", pkRefuse, 0}, 0x84: {"EXT4", pkRefuse, 0},
	0x97: {"NEXT_BUFFER", pkRefuse, 0}, 0x98: {"READONLY_BUFFER", pkRefuse, 0},
}

// scanPickle walks the opcode stream of a pickle without executing it,
// like pickletools.genops, and checks that every opcode is known, every
// argument and every length-prefixed payload lies inside data, every frame
// fits, and a STOP ends the stream. It returns the offset just past STOP.
//
// The decoder allocates buffers from lengths found in the stream before
// reading them; this pass guarantees that no such length exceeds the input,
// so a corrupt or hostile file cannot make it allocate more than its own
// size.
func scanPickle(data []byte) (end int, unicodeOps int, frames int, err error) {
	pos := 0
	for pos < len(data) {
		at := pos
		code := data[pos]
		pos++
		op, ok := pickleOps[code]
		if !ok {
			return 0, 0, 0, fmt.Errorf("invalid pickle opcode 0x%02x at byte %d", code, at)
		}
		rest := len(data) - pos
		need := func(n uint64) error {
			if n > uint64(rest) {
				return fmt.Errorf("pickle truncated: %s at byte %d needs %d bytes, %d left", op.name, at, n, rest)
			}
			pos += int(n)
			rest -= int(n)
			return nil
		}
		switch code {
		case 'V':
			unicodeOps++
		case 0x95:
			frames++
		}
		switch op.arg {
		case pkNone:
			if code == '.' {
				return pos, unicodeOps, frames, nil
			}
		case pkFixed:
			if code == 0x80 && rest >= 1 && data[pos] > 5 {
				return 0, 0, 0, fmt.Errorf("unsupported pickle protocol %d at byte %d", data[pos], at)
			}
			err = need(uint64(op.n))
		case pkLen1:
			if err = need(1); err == nil {
				err = need(uint64(data[pos-1]))
			}
		case pkLen4:
			if err = need(4); err == nil {
				n := binary.LittleEndian.Uint32(data[pos-4:])
				if (code == 'T' || code == 0x8b) && int32(n) < 0 {
					return 0, 0, 0, fmt.Errorf("negative length in %s at byte %d", op.name, at)
				}
				err = need(uint64(n))
			}
		case pkLen8:
			if err = need(8); err == nil {
				err = need(binary.LittleEndian.Uint64(data[pos-8:]))
			}
		case pkLine, pkLine2:
			lines := 1
			if op.arg == pkLine2 {
				lines = 2
			}
			for range lines {
				i := bytes.IndexByte(data[pos:], '\n')
				if i < 0 {
					return 0, 0, 0, fmt.Errorf("pickle truncated: %s at byte %d has no end of line", op.name, at)
				}
				if i > 1<<16 {
					return 0, 0, 0, fmt.Errorf("%s at byte %d: argument line longer than 64 KiB", op.name, at)
				}
				pos += i + 1
				rest = len(data) - pos
			}
		case pkRefuse:
			return 0, 0, 0, fmt.Errorf("unsupported pickle opcode %s at byte %d (persistent ids, extension registry and out-of-band buffers are not supported)", op.name, at)
		}
		if err != nil {
			return 0, 0, 0, err
		}
		if code == 0x95 { // FRAME: the frame's bytes must be inside data
			if n := binary.LittleEndian.Uint64(data[pos-8:]); n > uint64(len(data)-pos) {
				return 0, 0, 0, fmt.Errorf("pickle truncated: frame at byte %d announces %d bytes, %d left", at, n, len(data)-pos)
			}
		}
	}
	return 0, 0, 0, fmt.Errorf("pickle truncated: no STOP opcode")
}

// rewriteUnicodeOps returns a copy of a validated, frameless pickle in
// which every protocol-0 UNICODE opcode ('V', raw-unicode-escape text) is
// replaced by the equivalent BINUNICODE (UTF-8). The decoder keeps 'V'
// arguments undecoded; numpy's protocol-0 pickles carry array bytes in
// them (latin-1 characters, with \uXXXX escapes for '\\', '\n', ...).
func rewriteUnicodeOps(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data)+len(data)/4)
	pos := 0
	for pos < len(data) {
		at := pos
		code := data[pos]
		op := pickleOps[code]
		pos++
		switch op.arg {
		case pkFixed:
			pos += op.n
		case pkLen1:
			pos += 1 + int(data[pos])
		case pkLen4:
			pos += 4 + int(binary.LittleEndian.Uint32(data[pos:]))
		case pkLen8:
			pos += 8 + int(binary.LittleEndian.Uint64(data[pos:]))
		case pkLine, pkLine2:
			lines := 1
			if op.arg == pkLine2 {
				lines = 2
			}
			for range lines {
				pos += bytes.IndexByte(data[pos:], '\n') + 1
			}
		}
		if code != 'V' {
			out = append(out, data[at:pos]...)
			if code == '.' {
				break
			}
			continue
		}
		s, err := decodeRawUnicodeEscape(data[at+1 : pos-1])
		if err != nil {
			return nil, fmt.Errorf("UNICODE at byte %d: %v", at, err)
		}
		out = append(out, 'X', 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(out[len(out)-4:], uint32(len(s)))
		out = append(out, s...)
	}
	return out, nil
}

// decodeRawUnicodeEscape decodes Python's raw-unicode-escape codec: bytes
// are latin-1 code points, except \uXXXX and \UXXXXXXXX escapes. It
// returns UTF-8.
func decodeRawUnicodeEscape(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\\' && i+1 < len(b) && (b[i+1] == 'u' || b[i+1] == 'U') {
			n := 4
			if b[i+1] == 'U' {
				n = 8
			}
			if i+2+n > len(b) {
				return nil, fmt.Errorf("truncated \\%c escape", b[i+1])
			}
			r, err := strconv.ParseUint(string(b[i+2:i+2+n]), 16, 32)
			if err != nil || r > utf8.MaxRune {
				return nil, fmt.Errorf("bad \\%c escape %q", b[i+1], b[i:i+2+n])
			}
			out = utf8.AppendRune(out, rune(r))
			i += 1 + n
			continue
		}
		out = utf8.AppendRune(out, rune(c))
	}
	return out, nil
}
