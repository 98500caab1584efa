package datasets

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// This file holds a small reader for the NumPy .npy header (format versions
// 1.0, 2.0 and 3.0, as written by numpy.save; see numpy/lib/format.py). It
// is used instead of codeberg.org/sbinet/npyio because npyio v0.14.0 parses
// the header dictionary by fixed key positions and panics (slice out of
// range) on a header without a trailing newline or with keys in another
// order; a loader must return an error for such files, never panic.

// npyMagic starts every .npy file.
const npyMagic = "\x93NUMPY"

// npyMaxHeader bounds the header dictionary length we accept (numpy's own
// default max_header_size is 10000; format 2.0 exists for larger
// structured dtypes, which point arrays never need).
const npyMaxHeader = 1 << 16

// NpyHeader is the parsed header of a .npy file.
type NpyHeader struct {
	Major, Minor byte   // format version (1.0, 2.0 or 3.0)
	Descr        string // dtype descriptor, e.g. "<f4"
	FortranOrder bool   // true for column-major data
	Shape        []int  // array shape; empty for a scalar
	DataOffset   int    // byte offset of the array data in the file
}

// ParseNpyHeader parses the .npy header at the start of b. name is used
// in errors only. Errors are *ParseError values whose Field says which
// part was wrong ("magic", "version", "header", "descr", "fortran_order",
// "shape"). Only the header is checked: the dtype and shape are not
// restricted here, and b need not hold the data.
func ParseNpyHeader(name string, b []byte) (NpyHeader, error) {
	var h NpyHeader
	if len(b) < len(npyMagic)+2 || string(b[:len(npyMagic)]) != npyMagic {
		return h, parseErrorf(name, 0, "magic", "not a .npy file (missing \\x93NUMPY magic)")
	}
	h.Major, h.Minor = b[6], b[7]
	var hlen, off int
	switch h.Major {
	case 1:
		if len(b) < 10 {
			return h, parseErrorf(name, 0, "header", "truncated header length")
		}
		hlen, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return h, parseErrorf(name, 0, "header", "truncated header length")
		}
		n := binary.LittleEndian.Uint32(b[8:12])
		if n > npyMaxHeader {
			return h, parseErrorf(name, 0, "header", "header length %d exceeds %d bytes", n, npyMaxHeader)
		}
		hlen, off = int(n), 12
	default:
		return h, parseErrorf(name, 0, "version", "unsupported .npy format version %d.%d (want 1.0, 2.0 or 3.0)", h.Major, h.Minor)
	}
	if h.Minor != 0 {
		return h, parseErrorf(name, 0, "version", "unsupported .npy format version %d.%d (want 1.0, 2.0 or 3.0)", h.Major, h.Minor)
	}
	if len(b)-off < hlen {
		return h, parseErrorf(name, 0, "header", "truncated header: %d bytes announced, %d present", hlen, len(b)-off)
	}
	dict := b[off : off+hlen]
	h.DataOffset = off + hlen
	if h.Major < 3 {
		for _, c := range dict {
			if c >= 0x80 {
				return h, parseErrorf(name, 0, "header", "non-ASCII byte in a version %d.0 header", h.Major)
			}
		}
	} else if !utf8.Valid(dict) {
		return h, parseErrorf(name, 0, "header", "header is not valid UTF-8")
	}
	if err := parseNpyDict(&h, dict); err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.File = name
			return h, pe
		}
		return h, &ParseError{File: name, Field: "header", Err: err}
	}
	return h, nil
}

// parseNpyDict parses the Python dict literal of a .npy header, e.g.
// "{'descr': '<f4', 'fortran_order': False, 'shape': (1024, 3), }" padded
// with spaces and a newline. Keys may come in any order; exactly the three
// keys descr, fortran_order and shape must be present (as numpy requires).
func parseNpyDict(h *NpyHeader, s []byte) error {
	p := npyLexer{s: s}
	if !p.eat('{') {
		return p.errorf("header", "want '{' at the start of the header dictionary")
	}
	seen := map[string]bool{}
	for {
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return p.errorf("header", "dictionary key: %v", err)
		}
		if seen[key] {
			return p.errorf(key, "duplicate key")
		}
		seen[key] = true
		if !p.eat(':') {
			return p.errorf(key, "want ':' after key")
		}
		switch key {
		case "descr":
			v, err := p.str()
			if err != nil {
				return p.errorf(key, "%v (structured dtypes are not supported)", err)
			}
			h.Descr = v
		case "fortran_order":
			switch {
			case p.word("True"):
				h.FortranOrder = true
			case p.word("False"):
				h.FortranOrder = false
			default:
				return p.errorf(key, "want True or False")
			}
		case "shape":
			shape, err := p.tuple()
			if err != nil {
				return p.errorf(key, "%v", err)
			}
			h.Shape = shape
		default:
			return p.errorf(key, "unexpected key (want descr, fortran_order, shape)")
		}
		if p.eat(',') {
			continue
		}
		if !p.eat('}') {
			return p.errorf("header", "want ',' or '}' after the value of %q", key)
		}
		break
	}
	p.space()
	if p.i != len(p.s) {
		return p.errorf("header", "unexpected text after the dictionary")
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return p.errorf(k, "missing key")
		}
	}
	return nil
}

// npyLexer scans the tokens of a .npy header dictionary.
type npyLexer struct {
	s []byte
	i int
}

func (p *npyLexer) errorf(field, format string, args ...any) error {
	return &ParseError{Field: field, Err: fmt.Errorf("byte %d of the header dictionary: "+format, append([]any{p.i}, args...)...)}
}

// space skips blanks (numpy pads the header with spaces and a newline).
func (p *npyLexer) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// eat consumes c (after blanks) if it is next.
func (p *npyLexer) eat(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// word consumes the identifier w if it is next and not followed by
// another identifier character.
func (p *npyLexer) word(w string) bool {
	p.space()
	end := p.i + len(w)
	if end > len(p.s) || string(p.s[p.i:end]) != w {
		return false
	}
	if end < len(p.s) && isIdentByte(p.s[end]) {
		return false
	}
	p.i = end
	return true
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// str consumes a single- or double-quoted string without escapes.
func (p *npyLexer) str() (string, error) {
	p.space()
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", errors.New("want a quoted string")
	}
	q := p.s[p.i]
	for j := p.i + 1; j < len(p.s); j++ {
		switch p.s[j] {
		case q:
			v := string(p.s[p.i+1 : j])
			p.i = j + 1
			return v, nil
		case '\\', '\n':
			return "", errors.New("escape or newline in a string is not supported")
		}
	}
	return "", errors.New("unterminated string")
}

// tuple consumes a tuple of non-negative integers: "()", "(5,)",
// "(1024, 3)". Python 2 long suffixes ("1024L") are accepted.
func (p *npyLexer) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, errors.New("want a tuple '(...)'")
	}
	shape := []int{}
	for {
		if p.eat(')') {
			break
		}
		p.space()
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == p.i {
			return nil, errors.New("want a non-negative integer dimension")
		}
		n, err := strconv.ParseInt(string(p.s[p.i:j]), 10, 64)
		if err != nil || n > 1<<40 {
			return nil, fmt.Errorf("dimension %q out of range", p.s[p.i:j])
		}
		shape = append(shape, int(n))
		p.i = j
		if p.i < len(p.s) && (p.s[p.i] == 'L' || p.s[p.i] == 'l') {
			p.i++
		}
		if p.eat(',') {
			continue
		}
		if !p.eat(')') {
			return nil, errors.New("want ',' or ')' in the shape tuple")
		}
		break
	}
	if len(shape) == 1 && !hasTrailingComma(p.s[:p.i]) {
		// "(5)" is the integer 5 in Python, not a tuple.
		return nil, errors.New("a one-dimensional shape needs a trailing comma, e.g. (5,)")
	}
	return shape, nil
}

// hasTrailingComma reports whether the tuple ending at the ')' that
// closes s has a ',' before the ')' (blanks ignored).
func hasTrailingComma(s []byte) bool {
	i := len(s) - 2 // skip ')'
	for i >= 0 && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i--
	}
	return i >= 0 && s[i] == ','
}
