package pointjepa

import (
	"fmt"
	"math"

	"github.com/nongrid/jepa/datasets"
)

// cloudName names cloud i for error messages: its index, and its ID or
// path when it has one.
func cloudLabel(i int, c *datasets.PointCloud) string {
	switch {
	case c.ID != "" && c.Path != "":
		return fmt.Sprintf("cloud %d (%s, %s)", i, c.ID, c.Path)
	case c.ID != "":
		return fmt.Sprintf("cloud %d (%s)", i, c.ID)
	case c.Path != "":
		return fmt.Sprintf("cloud %d (%s)", i, c.Path)
	}
	return fmt.Sprintf("cloud %d", i)
}

// checkCloud returns an error naming cloud i if the tokenizer cannot read
// it: a non-finite coordinate, fewer points than minPoints (the groups, the
// group size, or for pretraining Config.Points), or all points identical
// (nothing to scale into the unit sphere).
func checkCloud(i int, c *datasets.PointCloud, cfg *Config, minPoints int) error {
	n := c.Len()
	if n < minPoints {
		what := fmt.Sprintf("%d centers × %d neighbours", cfg.Groups, cfg.GroupSize)
		if minPoints == cfg.Points {
			what = fmt.Sprintf("Config.Points = %d", cfg.Points)
		}
		return fmt.Errorf("pointjepa: %s has %d points, too few for %s", cloudLabel(i, c), n, what)
	}
	p0 := c.Points[0]
	same := true
	for j, p := range c.Points {
		for _, v := range [3]float64{p.X, p.Y, p.Z} {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
				return fmt.Errorf("pointjepa: %s: point %d has a non-finite coordinate %v (or one beyond float32)", cloudLabel(i, c), j, v)
			}
		}
		if float32(p.X) != float32(p0.X) || float32(p.Y) != float32(p0.Y) || float32(p.Z) != float32(p0.Z) {
			same = false
		}
	}
	if same {
		return fmt.Errorf("pointjepa: %s: all %d points are identical (%v), nothing to tokenize", cloudLabel(i, c), n, p0)
	}
	return nil
}

// checkClouds checks every cloud (see checkCloud).
func checkClouds(clouds []datasets.PointCloud, cfg *Config, minPoints int) error {
	for i := range clouds {
		if err := checkCloud(i, &clouds[i], cfg, minPoints); err != nil {
			return err
		}
	}
	return nil
}
