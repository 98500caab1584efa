package datasets

import (
	"errors"
	"fmt"
)

// ParseError reports malformed input data: which file, which 1-based line (0 if
// the problem is not tied to one line), which field or column (empty if none),
// and what was wrong. Every loader in this package returns a *ParseError (or
// wraps one) for a data problem, never a panic.
type ParseError struct {
	File  string // path of the file, as given to the loader (or "name.zip:inner/path")
	Line  int    // 1-based line number; 0 when the problem concerns the whole file
	Field string // field, column or key that was wrong; may be empty
	Err   error  // what was wrong
}

// Error formats the error as "file:line: field: message".
func (e *ParseError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// parseErrorf returns a *ParseError for file and line with a formatted message.
func parseErrorf(file string, line int, field, format string, args ...any) error {
	return &ParseError{File: file, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
}

// withHint appends "; hint" to the message of a *ParseError (the likely
// cause of what it reports), keeping the chain for errors.Is; other errors
// are returned unchanged.
func withHint(err error, format string, args ...any) error {
	pe, ok := err.(*ParseError)
	if !ok {
		return err
	}
	hint := fmt.Sprintf(format, args...)
	if hint == "" {
		return err
	}
	c := *pe
	c.Err = fmt.Errorf("%w; %s", pe.Err, hint)
	return &c
}

// ErrNotFound is wrapped by the errors returned when an expected dataset file is
// missing; the message names the file and, where useful, the files that were
// expected.
var ErrNotFound = errors.New("datasets: file not found")

// ErrDamagedArchive is wrapped by the errors returned for a zip archive
// that cannot be read back intact: a damaged directory, corrupt
// compressed data, a CRC-32 mismatch or a truncated entry. When a load
// from a zip fails, the loaders check every entry's CRC-32 before
// reporting, so that damage is reported as such and not as the malformed
// line it produced.
var ErrDamagedArchive = errors.New("the archive is damaged")
