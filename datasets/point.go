package datasets

import (
	"fmt"
	"math"

	"github.com/golang/geo/r3"
)

// PointCloud is one shape: a set of 3-D points, optionally with one unit
// normal per point, a class label and where it came from.
//
// Coordinates are float64 (golang/geo r3.Vector); loaders of float32 data
// store the float32 values exactly, so converting back to float32 (as
// Collate does) is lossless.
type PointCloud struct {
	Points  []r3.Vector // [P] point coordinates
	Normals []r3.Vector // [P] unit normals, or nil when the source has none
	Label   int         // class index into PointSet.ClassNames; -1 if unknown
	ID      string      // shape id, e.g. "airplane_0001"
	Path    string      // file the cloud was read from; empty for generated clouds
}

// Len returns the number of points.
func (c *PointCloud) Len() int { return len(c.Points) }

// Clone returns a deep copy of c (points and normals are copied).
func (c *PointCloud) Clone() PointCloud {
	d := *c
	d.Points = append([]r3.Vector(nil), c.Points...)
	if c.Normals != nil {
		d.Normals = append([]r3.Vector(nil), c.Normals...)
	}
	return d
}

// name returns the best identifier of c for error messages.
func (c *PointCloud) name() string {
	switch {
	case c.Path != "":
		return c.Path
	case c.ID != "":
		return c.ID
	}
	return "<cloud>"
}

// Validate checks that c has at least one point, that normals (if present)
// match the points in number, that every coordinate is finite, and that
// the points do not all coincide (a cloud of one repeated point has no
// shape and cannot be normalised into the unit sphere). The error is a
// *ParseError naming the cloud (path or id) and the offending point as
// "point[i]" (Line is 0: clouds are not always line-based).
func (c *PointCloud) Validate() error {
	if len(c.Points) == 0 {
		return parseErrorf(c.name(), 0, "", "cloud has no points")
	}
	if c.Normals != nil && len(c.Normals) != len(c.Points) {
		return parseErrorf(c.name(), 0, "normals", "%d normals for %d points", len(c.Normals), len(c.Points))
	}
	for i, p := range c.Points {
		if !finite3(p) {
			return parseErrorf(c.name(), 0, fmt.Sprintf("point[%d]", i), "non-finite coordinate %v", p)
		}
	}
	for i, n := range c.Normals {
		if !finite3(n) {
			return parseErrorf(c.name(), 0, fmt.Sprintf("normal[%d]", i), "non-finite coordinate %v", n)
		}
	}
	p0 := c.Points[0]
	for _, p := range c.Points[1:] {
		if p != p0 {
			return nil
		}
	}
	return parseErrorf(c.name(), 0, "points", "all %d points are equal to %v: the cloud has no extent", len(c.Points), p0)
}

// finite3 reports whether all three coordinates of v are finite.
func finite3(v r3.Vector) bool {
	// x-x is 0 for finite x and NaN for ±Inf and NaN.
	return !math.IsNaN((v.X - v.X) + (v.Y - v.Y) + (v.Z - v.Z))
}

// PointSet is one split of a point-cloud dataset.
type PointSet struct {
	Clouds     []PointCloud
	ClassNames []string // label i is ClassNames[i]
	Split      string   // "train", "test", ... or "" when the set is not a split

	// Skipped lists the shape ids named by a split list but absent on
	// disk. It is non-empty only when a loader was asked to skip missing
	// shapes (ModelNetTxtConfig.SkipMissing, ShapeNetConfig.SkipMissing).
	Skipped []string
}

// Len returns the number of clouds.
func (s *PointSet) Len() int { return len(s.Clouds) }

// PointsPerCloud returns the smallest and the largest number of points of
// a cloud in s (0, 0 for an empty set).
func (s *PointSet) PointsPerCloud() (lo, hi int) {
	for i := range s.Clouds {
		n := len(s.Clouds[i].Points)
		if i == 0 || n < lo {
			lo = n
		}
		if n > hi {
			hi = n
		}
	}
	return lo, hi
}

// ClassCounts returns the number of clouds per label, indexed like
// ClassNames. Clouds with a label outside [0, len(ClassNames)) are not
// counted.
func (s *PointSet) ClassCounts() []int {
	n := make([]int, len(s.ClassNames))
	for i := range s.Clouds {
		if l := s.Clouds[i].Label; l >= 0 && l < len(n) {
			n[l]++
		}
	}
	return n
}
