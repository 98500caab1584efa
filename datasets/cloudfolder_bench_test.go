package datasets

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/golang/geo/r3"
)

// BenchmarkLoadCloudFolder loads a folder of 256 clouds of 2048 points
// in four classes, written as binary PLY, ascii PLY, binary PCD and .npy
// (the reference), keeping every point, then resampling to 1024 by FPS.
//
//	go test -run='^$' -bench=LoadCloudFolder -benchtime=5x ./datasets
func BenchmarkLoadCloudFolder(b *testing.B) {
	const clouds, points = 256, 2048
	rng := rand.New(rand.NewPCG(1, 1))
	pts := make([][]r3.Vector, clouds)
	for i := range pts {
		pts[i] = make([]r3.Vector, points)
		for j := range pts[i] {
			pts[i][j] = r3.Vector{X: rng.NormFloat64(), Y: rng.NormFloat64(), Z: rng.NormFloat64()}
		}
	}
	for _, c := range []struct {
		name string
		ext  string
		enc  func([]r3.Vector) []byte
	}{
		{"ply-binary", ".ply", func(p []r3.Vector) []byte {
			return plySpec{format: "binary_little_endian", xyzType: "float", pts: p}.bytes()
		}},
		{"ply-ascii", ".ply", func(p []r3.Vector) []byte { return plySpec{format: "ascii", xyzType: "float", pts: p}.bytes() }},
		{"pcd-binary", ".pcd", func(p []r3.Vector) []byte { return pcdSpec{data: "binary", pts: p}.bytes() }},
		{"npy", ".npy", func(p []r3.Vector) []byte {
			var buf bytes.Buffer
			flat := make([]float32, 0, 3*len(p))
			for _, v := range p {
				flat = append(flat, float32(v.X), float32(v.Y), float32(v.Z))
			}
			if err := WriteNpy(&buf, flat, len(p), 3); err != nil {
				b.Fatal(err)
			}
			return buf.Bytes()
		}},
	} {
		root := b.TempDir()
		var size int64
		for i, p := range pts {
			data := c.enc(p)
			path := filepath.Join(root, fmt.Sprintf("class%d", i%4), fmt.Sprintf("%04d%s", i, c.ext))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				b.Fatal(err)
			}
			size += int64(len(data))
		}
		for _, np := range []int{0, 1024} {
			b.Run(fmt.Sprintf("%s/points=%d", c.name, np), func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				for b.Loop() {
					sets, err := LoadCloudFolder(root, CloudFolderConfig{NumPoints: np})
					if err != nil {
						b.Fatal(err)
					}
					if sets[CloudFolderAll].Len() != clouds {
						b.Fatal("wrong count")
					}
				}
			})
		}
	}
}
