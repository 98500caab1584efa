package datasets

import (
	"os"
	"testing"

	"github.com/golang/geo/r3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeXYZ(t *testing.T) {
	cp, cn := cube8()
	b, err := os.ReadFile(cloudFixture("cube.xyz"))
	require.NoError(t, err)
	pts, nrm, err := DecodeXYZ("cube.xyz", b)
	require.NoError(t, err)
	assert.Equal(t, cp, pts)
	assert.Equal(t, cn, nrm)
	for _, sep := range []string{",", ", ", "\t", " ,\t"} {
		pts, nrm, err := DecodeXYZ("s.txt", xyzBytes(cp, nil, sep))
		require.NoError(t, err, "%q", sep)
		assert.Equal(t, cp, pts, "%q", sep)
		assert.Nil(t, nrm)
	}
	pts, _, err = DecodeXYZ("c.xyz", []byte("# scanner export\n\n1 2 3 # first\r\n4 5 6\n"))
	require.NoError(t, err)
	assert.Equal(t, []r3.Vector{{X: 1, Y: 2, Z: 3}, {X: 4, Y: 5, Z: 6}}, pts)
}

func TestDecodeXYZMalformed(t *testing.T) {
	for _, c := range []struct {
		name, in string
		line     int
		field    string
		msg      string
	}{
		{"empty", "", 0, "", "no points"},
		{"comments only", "# nothing\n\n", 0, "", "no points"},
		{"four values", "1 2 3 4\n", 1, "", "4 values, want 3"},
		{"seven values", "1 2 3 4 5 6 7\n", 1, "column 7", "more than 6"},
		{"mixed counts", "1 2 3\n4 5 6 7 8 9\n", 2, "", "earlier lines have 3"},
		{"bad number", "1 2 3\n4 x 6\n", 2, "column 2", `"x" is not a finite number`},
		{"nan", "1 2 3\n4 5 NaN\n", 2, "column 3", "not a finite number"},
		{"inf", "inf 2 3\n", 1, "column 1", "not a finite number"},
		{"empty value", "1,,3\n", 1, "column 2", "empty value"},
		{"leading comma", ",1,2,3\n", 1, "column 1", "empty value"},
		{"trailing comma", "1,2,3,\n", 1, "column 4", "trailing comma"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := DecodeXYZ("bad.xyz", []byte(c.in))
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "bad.xyz", pe.File)
			assert.Equal(t, c.line, pe.Line, "%v", err)
			assert.Equal(t, c.field, pe.Field, "%v", err)
			assert.Contains(t, err.Error(), c.msg)
		})
	}
}

// TestDecodeXYZReadsModelNetTxt checks DecodeXYZ reads PointNet++'s
// comma-separated files as ParseModelNetTxt does.
func TestDecodeXYZReadsModelNetTxt(t *testing.T) {
	root := sharedPointData(t, "pointclouds/modelnet40_normal_resampled_subset")
	p := root + "/airplane/airplane_0126.txt"
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		t.Skip("airplane_0126 not staged")
	}
	require.NoError(t, err)
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	wantP, wantN, err := ParseModelNetTxt(f, p)
	require.NoError(t, err)
	pts, nrm, err := DecodeXYZ(p, b)
	require.NoError(t, err)
	assert.Equal(t, wantP, pts)
	assert.Equal(t, wantN, nrm)
}
