package datasets

import "math/rand/v2"

// CloudTransform changes one point cloud in place, drawing any randomness
// from rng. It may write into c.Points and c.Normals or replace them with
// new slices, so Clone a cloud that is shared (for example one held by a
// PointSet) before transforming it. Transforms that need no randomness
// accept a nil rng.
//
// The transforms of this package (Center, UnitSphere, AnisotropicScale,
// RotateAxis, Jitter, ScaleTranslate, RandomSubsample, FPSSubsample)
// follow Point-JEPA's pointjepa/utils/transforms.py and Point-MAE's
// datasets/data_transforms.py; each implements both CloudTransform and
// BatchTransform.
type CloudTransform interface {
	TransformCloud(c *PointCloud, rng *rand.Rand) error
}

// BatchTransform changes a [B,P,3] batch in place, drawing any randomness
// from rng. Where the reference shares one random draw across the batch
// (Point-JEPA's scaling and rotation), so does the batch variant, unless
// the transform's PerCloud option is set. Subsampling transforms shrink P
// and reslice b.Points in place.
type BatchTransform interface {
	TransformBatch(b *PointBatch, rng *rand.Rand) error
}

// Compose returns a CloudTransform that applies ts in order and stops at
// the first error. Like torchvision's and PyG's Compose.
func Compose(ts ...CloudTransform) CloudTransform { return composeCloud(ts) }

// ComposeBatch returns a BatchTransform that applies ts in order and stops
// at the first error.
func ComposeBatch(ts ...BatchTransform) BatchTransform { return composeBatch(ts) }

type composeCloud []CloudTransform

func (ts composeCloud) TransformCloud(c *PointCloud, rng *rand.Rand) error {
	for _, t := range ts {
		if err := t.TransformCloud(c, rng); err != nil {
			return err
		}
	}
	return nil
}

type composeBatch []BatchTransform

func (ts composeBatch) TransformBatch(b *PointBatch, rng *rand.Rand) error {
	for _, t := range ts {
		if err := t.TransformBatch(b, rng); err != nil {
			return err
		}
	}
	return nil
}

// cloudUniform draws from U(lo, hi).
func cloudUniform(rng *rand.Rand, lo, hi float64) float64 {
	return lo + (hi-lo)*rng.Float64()
}
