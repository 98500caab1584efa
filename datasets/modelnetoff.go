package datasets

import (
	"bufio"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// ModelNetOFFConfig configures LoadModelNetOFF. The zero value samples
// 1024 points per mesh without normals, with seed 0.
type ModelNetOFFConfig struct {
	NumPoints int    // points sampled per mesh; 0 means 1024
	Normals   bool   // keep the triangle normal of each sampled point
	Seed      uint64 // cloud i of the split is sampled with rand.NewPCG(Seed, i)
	Workers   int    // goroutines parsing meshes; 0 means GOMAXPROCS
}

// LoadModelNetOFF loads one split of the original ModelNet mesh release,
// laid out as
//
//	root/<class>/<split>/<shape_id>.off
//
// and turns every mesh into a point cloud by area-weighted surface
// sampling (TriMesh.SamplePoints), as PyG's ModelNet + SamplePoints does.
// Class names are the sub-folders of root in lexical order (for
// ModelNet40 the official order); clouds are ordered by class, then file
// name. Cloud i is sampled from its own generator rand.NewPCG(Seed, i), so
// the result does not depend on Workers.
func LoadModelNetOFF(root, split string, cfg ModelNetOFFConfig) (*PointSet, error) {
	np := cfg.NumPoints
	if np == 0 {
		np = 1024
	}
	if np < 0 {
		panic("datasets: ModelNetOFFConfig.NumPoints < 0")
	}
	classes, paths, labels, err := classSplitFiles(root, split, ".off")
	if err != nil {
		return nil, err
	}
	set := &PointSet{ClassNames: classes, Split: split, Clouds: make([]PointCloud, len(paths))}
	err = runPointItems(pointWorkers(cfg.Workers, len(paths)), len(paths), func(_, i int) error {
		p := paths[i]
		f, err := os.Open(p)
		if err != nil {
			return &ParseError{File: p, Err: err}
		}
		defer f.Close()
		m, err := ParseOFF(bufio.NewReaderSize(f, 1<<16), p)
		if err != nil {
			return err
		}
		c, err := m.SamplePoints(np, rand.New(rand.NewPCG(cfg.Seed, uint64(i))), cfg.Normals)
		if err != nil {
			return &ParseError{File: p, Err: err}
		}
		c.Label, c.ID, c.Path = labels[i], strings.TrimSuffix(filepath.Base(p), ".off"), p
		set.Clouds[i] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return set, nil
}
