package datasets

import (
	"bufio"
	"fmt"
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

// Validate checks NumPoints ∈ [0, MaxPointsPerCloud] and Workers ≥ 0;
// the error names the field and the valid range.
func (cfg ModelNetOFFConfig) Validate() error {
	if err := checkPointCount("ModelNetOFFConfig.NumPoints", cfg.NumPoints); err != nil {
		return err
	}
	if cfg.Workers < 0 {
		return fmt.Errorf("datasets: ModelNetOFFConfig.Workers = %d, want ≥ 0 (0 means GOMAXPROCS)", cfg.Workers)
	}
	return nil
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
//
// The configuration is checked first (Validate), and once the files are
// listed, a NumPoints that would need more memory than the machine has
// is refused with the estimate (CheckPointMemory) before any is read.
func LoadModelNetOFF(root, split string, cfg ModelNetOFFConfig) (*PointSet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	np := cfg.NumPoints
	if np == 0 {
		np = 1024
	}
	classes, paths, labels, err := classSplitFiles(root, split, ".off")
	if err != nil {
		return nil, err
	}
	if err := CheckPointMemory(fmt.Sprintf("ModelNetOFFConfig.NumPoints = %d", np), len(paths), np, cfg.Normals); err != nil {
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
