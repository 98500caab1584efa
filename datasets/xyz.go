package datasets

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/golang/geo/r3"
)

// DecodeXYZ decodes a plain-text point cloud (.xyz, .txt, .pts): one
// point per line, "x y z" or "x y z nx ny nz", the values separated by
// blanks, tabs or commas (so PointNet++'s "x,y,z,nx,ny,nz" files read
// too). Every line must have the value count of the first (3 or 6; any
// other count, such as "x y z r g b" colours, is an error, since columns
// 4 to 6 are read as normals); blank lines and "#" comments are skipped.
// normals is nil for 3-value files. Every value must be a finite number.
//
// Errors are *ParseError values with the 1-based line and, for a bad
// value, the column ("column 2"). name is used in errors only.
func DecodeXYZ(name string, b []byte) (points, normals []r3.Vector, err error) {
	var vals [6]float64
	cols := 0
	line := 0
	for pos := 0; pos < len(b); {
		line++
		end := bytes.IndexByte(b[pos:], '\n')
		var l []byte
		if end < 0 {
			l, pos = b[pos:], len(b)
		} else {
			l, pos = b[pos:pos+end], pos+end+1
		}
		if i := bytes.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		n, err := xyzValues(&vals, l)
		if err != nil {
			return nil, nil, parseErrorf(name, line, fmt.Sprintf("column %d", n+1), "%v", err)
		}
		if n == 0 {
			continue
		}
		if cols == 0 {
			if n != 3 && n != 6 {
				return nil, nil, parseErrorf(name, line, "", "%d values, want 3 (x y z) or 6 (x y z nx ny nz)", n)
			}
			cols = n
			// The shortest point line, "0 0 0\n", has 6 bytes.
			guess := min(len(b)/(2*cols)+1, 1<<20)
			points = make([]r3.Vector, 0, guess)
			if n == 6 {
				normals = make([]r3.Vector, 0, guess)
			}
		} else if n != cols {
			return nil, nil, parseErrorf(name, line, "", "%d values, earlier lines have %d", n, cols)
		}
		points = append(points, r3.Vector{X: vals[0], Y: vals[1], Z: vals[2]})
		if cols == 6 {
			normals = append(normals, r3.Vector{X: vals[3], Y: vals[4], Z: vals[5]})
		}
	}
	if len(points) == 0 {
		return nil, nil, parseErrorf(name, 0, "", "no points")
	}
	return points, normals, nil
}

// xyzValues parses the values of one line into vals and returns their
// number; on error the number is the index of the bad value. Values are
// separated by blanks and at most one comma.
func xyzValues(vals *[6]float64, l []byte) (int, error) {
	n := 0
	comma := true // no value yet: a leading comma is an empty value
	for i := 0; i < len(l); {
		c := l[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			i++
			continue
		case c == ',':
			if comma {
				return n, fmt.Errorf("empty value")
			}
			comma = true
			i++
			continue
		}
		j := i
		for j < len(l) && l[j] != ',' && l[j] != ' ' && l[j] != '\t' && l[j] != '\r' && l[j] != '\v' && l[j] != '\f' {
			j++
		}
		if n == len(vals) {
			return n, fmt.Errorf("more than %d values (want 3 or 6)", len(vals))
		}
		v, err := strconv.ParseFloat(string(l[i:j]), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return n, fmt.Errorf("%q is not a finite number", offClip(l[i:j]))
		}
		vals[n] = v
		n++
		i, comma = j, false
	}
	if comma && n > 0 {
		return n, fmt.Errorf("empty value after a trailing comma")
	}
	return n, nil
}
