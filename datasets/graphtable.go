package datasets

import (
	"fmt"
	"math"
)

// numTable is a rectangular numeric text file read into memory: rows
// lines of cols values each, row-major. Exactly one of ints and floats is
// filled.
type numTable struct {
	ints   []int
	floats []float32
	rows   int
	cols   int
}

// tableSpec says what a numeric file must look like.
type tableSpec struct {
	what     string // field name for errors, e.g. "node label"
	float    bool   // parse floats (finite, float32-representable) instead of ints
	lo, hi   int    // integer range (ints only)
	rows     int    // required number of rows; -1 for any (at least one)
	cols     int    // required number of columns; 0 for "as many as the first row has"
	rowsWhat string // what one row stands for, e.g. "one per graph"
}

// readTable streams rel from files into a numTable, validating every
// value and the shape. It does not allocate per line or per value beyond
// the growth of the result slices.
func readTable(files graphFiles, rel string, spec tableSpec) (numTable, error) {
	var t numTable
	rc, err := files.open(rel)
	if err != nil {
		return t, err
	}
	defer rc.Close()
	file := files.display(rel)
	s := newTextScanner(rc, file)
	if spec.rows > 0 {
		// A hint only: never trust it beyond a sane size.
		hint := min(spec.rows, 1<<22)
		if spec.cols > 0 {
			hint *= spec.cols
		}
		if spec.float {
			t.floats = make([]float32, 0, hint)
		} else {
			t.ints = make([]int, 0, hint)
		}
	}
	for {
		ok, err := s.scan()
		if err != nil {
			return t, err
		}
		if !ok {
			break
		}
		if spec.rows >= 0 && t.rows == spec.rows {
			return t, s.errorf("", "more lines than expected: want %d (%s)", spec.rows, spec.rowsWhat)
		}
		if t.rows == 0 && spec.cols == 0 {
			n, err := s.countFields()
			if err != nil {
				return t, err
			}
			t.cols = n
		} else if t.rows == 0 {
			t.cols = spec.cols
		}
		for c := 0; c < t.cols; c++ {
			field := spec.what
			if t.cols > 1 {
				field = fmt.Sprintf("%s column %d", spec.what, c+1)
			}
			if spec.float {
				v, err := s.float(field)
				if err != nil {
					return t, err
				}
				f := float32(v)
				if math.IsInf(float64(f), 0) {
					return t, s.errorf(field, "%g out of range: larger in magnitude than float32 can hold (±3.4e38)", v)
				}
				t.floats = append(t.floats, f)
			} else {
				v, err := s.int(field, spec.lo, spec.hi)
				if err != nil {
					return t, err
				}
				t.ints = append(t.ints, v)
			}
		}
		if err := s.endLine(spec.what, t.cols); err != nil {
			return t, err
		}
		t.rows++
	}
	switch {
	case t.rows == 0 && spec.rows != 0:
		return t, parseErrorf(file, 0, spec.what, "file is empty")
	case spec.rows >= 0 && t.rows < spec.rows:
		return t, parseErrorf(file, s.line, spec.what, "file ends after %d lines, want %d (%s)", t.rows, spec.rows, spec.rowsWhat)
	}
	return t, nil
}

// columnRange returns the minimum and maximum of every column of an
// integer table.
func (t *numTable) columnRange() (lo, hi []int) {
	lo, hi = make([]int, t.cols), make([]int, t.cols)
	for c := 0; c < t.cols; c++ {
		lo[c], hi[c] = t.ints[c], t.ints[c]
	}
	for r := 1; r < t.rows; r++ {
		for c, v := range t.ints[r*t.cols : (r+1)*t.cols] {
			lo[c] = min(lo[c], v)
			hi[c] = max(hi[c], v)
		}
	}
	return lo, hi
}
