package datasets

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
)

// textScanner reads numeric text files line by line without allocating per
// line or per token: lines come from a bufio.Reader (long lines are
// gathered in one reusable buffer), fields are separated by commas and/or
// blanks, integers are parsed by hand. It is the reader behind the TU and
// GIN loaders.
//
// Field syntax: "1, 2", "1,2", "1 2" and "  3.5 ,-1" are all two fields;
// an empty field (",," or a leading or trailing comma) is an error, as it
// is for PyG's read_txt_array. Blank lines are allowed only at the end of
// a file.
type textScanner struct {
	r    *bufio.Reader
	file string
	line int // 1-based number of the current line

	buf  []byte // current line without its line break
	pos  int    // next unread byte of buf
	seen bool   // a field was read from the current line
	long []byte // reusable buffer for lines longer than r's buffer
	err  error  // sticky read error
	eof  bool
}

const textBufferSize = 64 << 10

func newTextScanner(r io.Reader, file string) *textScanner {
	return &textScanner{r: bufio.NewReaderSize(r, textBufferSize), file: file}
}

// errorf returns a *ParseError at the current line.
func (s *textScanner) errorf(field, format string, args ...any) error {
	return parseErrorf(s.file, s.line, field, format, args...)
}

// rawLine reads the next physical line (without '\n'); ok is false at EOF.
func (s *textScanner) rawLine() (line []byte, ok bool, err error) {
	if s.eof {
		return nil, false, nil
	}
	b, err := s.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		s.long = append(s.long[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			b, err = s.r.ReadSlice('\n')
			s.long = append(s.long, b...)
		}
		b = s.long
	}
	switch {
	case err == io.EOF:
		s.eof = true
		if len(b) == 0 {
			return nil, false, nil
		}
	case errors.Is(err, ErrDamagedArchive):
		return nil, false, err // names the archive entry; no line is meaningful
	case err != nil:
		return nil, false, &ParseError{File: s.file, Line: s.line + 1, Err: err}
	}
	s.line++
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if s.line == 1 {
		// A byte-order mark is harmless; compressed or binary data is
		// reported as such, not as a malformed number.
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		if why := binaryText(b); why != "" {
			return nil, false, &ParseError{File: s.file, Err: errors.New(why)}
		}
	}
	return b, true, nil
}

// binaryText says why the first line of a file shows that it is not a
// text file, or returns "".
func binaryText(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0x1f, 0x8b}):
		return "this is a gzip-compressed file, not text: unpack it first (gunzip)"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "this is a zip archive, not text: pass the archive itself, or unpack it"
	case len(b) >= 10 && bytes.HasPrefix(b, []byte("BZh")) && string(b[4:10]) == "1AY&SY":
		return "this is a bzip2-compressed file, not text: unpack it first (bunzip2)"
	case bytes.HasPrefix(b, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return "this is an xz-compressed file, not text: unpack it first (unxz)"
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}), bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return "this text is UTF-16 encoded; save it as UTF-8 or ASCII"
	case bytes.IndexByte(b, 0) >= 0:
		return "binary data (a NUL byte on line 1): not a text file"
	}
	return ""
}

// scan advances to the next non-blank line and reports whether there is
// one. A blank line followed by more data is an error.
func (s *textScanner) scan() (bool, error) {
	if s.err != nil {
		return false, s.err
	}
	blank := 0
	for {
		b, ok, err := s.rawLine()
		if err != nil {
			s.err = err
			return false, err
		}
		if !ok {
			return false, nil
		}
		if isBlankLine(b) {
			if blank == 0 {
				blank = s.line
			}
			continue
		}
		if blank != 0 {
			s.err = parseErrorf(s.file, blank, "", "empty line in the middle of the file")
			return false, s.err
		}
		s.buf, s.pos, s.seen = b, 0, false
		return true, nil
	}
}

func isBlankLine(b []byte) bool {
	for _, c := range b {
		if !isFieldSpace(c) {
			return false
		}
	}
	return true
}

func isFieldSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// token returns the next field of the current line; ok is false at the
// end of the line.
func (s *textScanner) token(field string) (tok []byte, ok bool, err error) {
	b, i := s.buf, s.pos
	for i < len(b) && isFieldSpace(b[i]) {
		i++
	}
	if i < len(b) && b[i] == ',' {
		if !s.seen {
			return nil, false, s.errorf(field, "empty field before ','")
		}
		i++
		for i < len(b) && isFieldSpace(b[i]) {
			i++
		}
		if i == len(b) || b[i] == ',' {
			return nil, false, s.errorf(field, "empty field after ','")
		}
	}
	if i == len(b) {
		s.pos = i
		return nil, false, nil
	}
	j := i
	for j < len(b) && b[j] != ',' && !isFieldSpace(b[j]) {
		j++
	}
	s.pos, s.seen = j, true
	return b[i:j], true, nil
}

// more reports whether another field follows on the current line.
func (s *textScanner) more() bool {
	for i := s.pos; i < len(s.buf); i++ {
		if c := s.buf[i]; !isFieldSpace(c) && c != ',' {
			return true
		}
	}
	return false
}

// countFields returns the number of fields on the current line without
// consuming them.
func (s *textScanner) countFields() (int, error) {
	pos, seen := s.pos, s.seen
	n := 0
	for {
		_, ok, err := s.token("")
		if err != nil {
			s.pos, s.seen = pos, seen
			return 0, err
		}
		if !ok {
			break
		}
		n++
	}
	s.pos, s.seen = pos, seen
	return n, nil
}

// lineFields returns the number of fields on the whole current line.
func (s *textScanner) lineFields() (int, error) {
	pos, seen := s.pos, s.seen
	s.pos, s.seen = 0, false
	n, err := s.countFields()
	s.pos, s.seen = pos, seen
	return n, err
}

// int reads the next field as a decimal integer in [lo, hi]. A value too
// large for any int is reported as out of range, like one outside [lo, hi]:
// it is an integer, just not a valid one.
func (s *textScanner) int(field string, lo, hi int) (int, error) {
	tok, ok, err := s.token(field)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, s.errorf(field, "missing value (line has too few fields)")
	}
	v, st := parseDecimalInt(tok)
	switch {
	case st == intSyntax:
		return 0, s.errorf(field, "%q is not an integer", truncateToken(tok))
	case st == intOverflow:
		return 0, s.errorf(field, "%s out of range [%d, %d]", truncateToken(tok), lo, hi)
	case v < lo || v > hi:
		switch {
		case lo == 1 && v == 0:
			return 0, s.errorf(field, "%d out of range [%d, %d]: the ids in this file are 1-based", v, lo, hi)
		case lo == 0 && v == hi+1 && field != "neighbour": // (a GIN neighbour error names its graph's range itself)
			return 0, s.errorf(field, "%d out of range [%d, %d]: the ids in this file are 0-based", v, lo, hi)
		}
		return 0, s.errorf(field, "%d out of range [%d, %d]", v, lo, hi)
	}
	return v, nil
}

// float reads the next field as a finite float64 (NaN and ±Inf are
// errors).
func (s *textScanner) float(field string) (float64, error) {
	tok, ok, err := s.token(field)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, s.errorf(field, "missing value (line has too few fields)")
	}
	v, perr := strconv.ParseFloat(string(tok), 64)
	if perr != nil {
		if ne, isNum := perr.(*strconv.NumError); !isNum || ne.Err != strconv.ErrRange {
			return 0, s.errorf(field, "%q is not a number", truncateToken(tok))
		}
		if math.IsInf(v, 0) { // a finite number too large for float64 (an underflow is 0 and fine)
			return 0, s.errorf(field, "%s out of range: larger in magnitude than float32 can hold (±3.4e38)", truncateToken(tok))
		}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, s.errorf(field, "non-finite value %q", truncateToken(tok))
	}
	return v, nil
}

// endLine returns an error if fields remain on the current line.
func (s *textScanner) endLine(field string, want int) error {
	if s.more() {
		n, _ := s.countFields()
		return s.errorf(field, "%d extra field(s); expected %d", n, want)
	}
	return nil
}

// maxTextInt bounds integers read from text files (node ids, counts,
// labels) so that sums and products of them cannot overflow.
const maxTextInt = 1<<31 - 1

// Outcomes of parseDecimalInt.
const (
	intOK       = iota
	intSyntax   // not [+-]digits
	intOverflow // [+-]digits beyond ±maxTextInt
)

// parseDecimalInt parses [+-]digits, rejecting anything else (intSyntax)
// and values outside ±maxTextInt (intOverflow).
func parseDecimalInt(b []byte) (int, int) {
	if len(b) == 0 {
		return 0, intSyntax
	}
	neg := false
	switch b[0] {
	case '-':
		neg = true
		b = b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, intSyntax
	}
	v, over := 0, false
	for _, c := range b {
		d := int(c) - '0'
		if d < 0 || d > 9 {
			return 0, intSyntax
		}
		if !over {
			v = v*10 + d
			over = v > maxTextInt
		}
	}
	if over {
		return 0, intOverflow
	}
	if neg {
		v = -v
	}
	return v, intOK
}

// truncateToken shortens a token for an error message.
func truncateToken(b []byte) string {
	const max = 40
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
