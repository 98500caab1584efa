package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/golang/geo/r3"
)

// SyntheticCloudsConfig configures SyntheticClouds. The zero value gives
// the embedded default data set: 8 shape classes, 1024 points per cloud,
// 40 training and 10 test clouds per class (320 / 80), anisotropic scale
// U(0.7, 1.3) per axis, noise σ = 0.01, seed 0.
type SyntheticCloudsConfig struct {
	NumPoints     int     // points per cloud; 0 means 1024
	TrainPerClass int     // training clouds per class; 0 means 40
	TestPerClass  int     // test clouds per class; 0 means 10
	ScaleMin      float64 // anisotropic scale range; both 0 means 0.7, 1.3
	ScaleMax      float64
	Noise         float64 // Gaussian noise σ per coordinate; 0 means 0.01, negative means none
	Seed          uint64  // cloud i of split s is drawn from rand.NewPCG(Seed, 2i+s)
}

// MaxSyntheticPerClass bounds SyntheticCloudsConfig.TrainPerClass and
// TestPerClass.
const MaxSyntheticPerClass = 1 << 20

// Validate checks the configuration: NumPoints ∈ [0, MaxPointsPerCloud],
// TrainPerClass and TestPerClass ∈ [0, MaxSyntheticPerClass], finite
// scales with 0 < ScaleMin ≤ ScaleMax (or both 0), a finite Noise, and
// that the clouds fit in memory (EstimateBytes ≤ PointMemoryBudget).
// Errors name the field and the valid range. SyntheticClouds panics on a
// configuration Validate rejects: call Validate on user settings.
func (cfg SyntheticCloudsConfig) Validate() error {
	if err := checkPointCount("SyntheticCloudsConfig.NumPoints", cfg.NumPoints); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"TrainPerClass", cfg.TrainPerClass}, {"TestPerClass", cfg.TestPerClass}} {
		if f.v < 0 || f.v > MaxSyntheticPerClass {
			return fmt.Errorf("datasets: SyntheticCloudsConfig.%s = %d, want 0 (the default) or 1 to %d", f.name, f.v, MaxSyntheticPerClass)
		}
	}
	lo, hi := cfg.ScaleMin, cfg.ScaleMax
	if !(lo == 0 && hi == 0) && !(lo > 0 && hi >= lo && !math.IsInf(hi, 0)) {
		return fmt.Errorf("datasets: SyntheticCloudsConfig.ScaleMin, ScaleMax = %g, %g: want finite 0 < ScaleMin ≤ ScaleMax (both 0 means 0.7, 1.3)", lo, hi)
	}
	if math.IsNaN(cfg.Noise) || math.IsInf(cfg.Noise, 0) {
		return fmt.Errorf("datasets: SyntheticCloudsConfig.Noise = %g, want a finite σ (0 means 0.01, negative none)", cfg.Noise)
	}
	np, ntr, nte := cfg.sizes()
	return CheckPointMemory(fmt.Sprintf("SyntheticCloudsConfig.NumPoints = %d", np), len(SyntheticCloudClassNames)*(ntr+nte), np, false)
}

// EstimateBytes returns the memory the generated clouds take (see
// EstimatePointBytes).
func (cfg SyntheticCloudsConfig) EstimateBytes() int64 {
	np, ntr, nte := cfg.sizes()
	return EstimatePointBytes(len(SyntheticCloudClassNames)*(ntr+nte), np, false)
}

// sizes returns points per cloud and clouds per class, defaults applied.
func (cfg SyntheticCloudsConfig) sizes() (np, ntr, nte int) {
	np, ntr, nte = cfg.NumPoints, cfg.TrainPerClass, cfg.TestPerClass
	if np == 0 {
		np = 1024
	}
	if ntr == 0 {
		ntr = 40
	}
	if nte == 0 {
		nte = 10
	}
	return np, ntr, nte
}

// SyntheticCloudClassNames are the classes of SyntheticClouds, in label order.
var SyntheticCloudClassNames = []string{"sphere", "cube", "cylinder", "cone", "torus", "dumbbell", "helix", "octahedron"}

// syntheticSamplers draw one point uniformly (by area) on the surface of
// each class's shape, in its canonical pose and size (about the unit
// ball); indexed like SyntheticCloudClassNames.
var syntheticSamplers = []func(*rand.Rand) r3.Vector{
	sampleSphere, sampleCube, sampleCylinder, sampleCone, sampleTorus, sampleDumbbell, sampleHelix, sampleOctahedron,
}

// SyntheticClouds generates the embedded default point-cloud data set, a
// stand-in for ModelNet40 that needs no download: surfaces of parametric
// shapes (SyntheticCloudClassNames), each cloud with its own anisotropic scale
// (in the shape's frame), a uniformly random rotation, Gaussian noise,
// then centred and scaled into the unit ball like the ModelNet40 npy
// files. Labels cycle through the classes (cloud i has label i mod 8).
// The same configuration gives the same clouds bit for bit. Clouds have no
// normals; IDs are "<class>_<index>".
//
// SyntheticClouds panics on a configuration that Validate rejects (a
// programmer error: check user settings with Validate first).
func SyntheticClouds(cfg SyntheticCloudsConfig) (train, test *PointSet) {
	if err := cfg.Validate(); err != nil {
		panic(err.Error() + " (check with SyntheticCloudsConfig.Validate)")
	}
	np, ntr, nte := cfg.sizes()
	lo, hi := cfg.ScaleMin, cfg.ScaleMax
	if lo == 0 && hi == 0 {
		lo, hi = 0.7, 1.3
	}
	noise := cfg.Noise
	switch {
	case noise == 0:
		noise = 0.01
	case noise < 0:
		noise = 0
	}
	k := len(SyntheticCloudClassNames)
	make1 := func(split string, perClass int, stream uint64) *PointSet {
		set := &PointSet{Split: split, ClassNames: append([]string(nil), SyntheticCloudClassNames...), Clouds: make([]PointCloud, perClass*k)}
		for i := range set.Clouds {
			rng := rand.New(rand.NewPCG(cfg.Seed, 2*uint64(i)+stream))
			label := i % k
			set.Clouds[i] = syntheticCloud(rng, syntheticSamplers[label], np, lo, hi, noise)
			set.Clouds[i].Label = label
			set.Clouds[i].ID = fmt.Sprintf("%s_%04d", SyntheticCloudClassNames[label], i)
		}
		return set
	}
	return make1("train", ntr, 0), make1("test", nte, 1)
}

// syntheticCloud samples n points of one shape, poses and normalises them.
func syntheticCloud(rng *rand.Rand, sample func(*rand.Rand) r3.Vector, n int, lo, hi, noise float64) PointCloud {
	s := r3.Vector{X: cloudUniform(rng, lo, hi), Y: cloudUniform(rng, lo, hi), Z: cloudUniform(rng, lo, hi)}
	r := randomRotation(rng)
	c := PointCloud{Points: make([]r3.Vector, n)}
	for i := range c.Points {
		p := sample(rng)
		p = rotateVec(r, r3.Vector{X: p.X * s.X, Y: p.Y * s.Y, Z: p.Z * s.Z})
		if noise > 0 {
			p = p.Add(r3.Vector{X: noise * rng.NormFloat64(), Y: noise * rng.NormFloat64(), Z: noise * rng.NormFloat64()})
		}
		c.Points[i] = p
	}
	// Cannot fail: n ≥ 1 and the shapes are not degenerate.
	_ = Center{}.TransformCloud(&c, nil)
	_ = UnitSphere{}.TransformCloud(&c, nil)
	return c
}

// randomRotation returns a uniformly distributed rotation matrix
// (Shoemake's unit-quaternion method).
func randomRotation(rng *rand.Rand) [9]float64 {
	u1, u2, u3 := rng.Float64(), 2*math.Pi*rng.Float64(), 2*math.Pi*rng.Float64()
	a, b := math.Sqrt(1-u1), math.Sqrt(u1)
	w, x, y, z := a*math.Sin(u2), a*math.Cos(u2), b*math.Sin(u3), b*math.Cos(u3)
	return [9]float64{
		1 - 2*(y*y+z*z), 2 * (x*y - w*z), 2 * (x*z + w*y),
		2 * (x*y + w*z), 1 - 2*(x*x+z*z), 2 * (y*z - w*x),
		2 * (x*z - w*y), 2 * (y*z + w*x), 1 - 2*(x*x+y*y),
	}
}

// sampleSphere: the unit sphere.
func sampleSphere(rng *rand.Rand) r3.Vector {
	for {
		v := r3.Vector{X: rng.NormFloat64(), Y: rng.NormFloat64(), Z: rng.NormFloat64()}
		if n := v.Norm(); n > 1e-9 {
			return v.Mul(1 / n)
		}
	}
}

// sampleCube: the surface of the cube [−1,1]³ (six faces of equal area).
func sampleCube(rng *rand.Rand) r3.Vector {
	f := rng.IntN(6)
	u, v, w := cloudUniform(rng, -1, 1), cloudUniform(rng, -1, 1), float64(2*(f%2)-1)
	switch f / 2 {
	case 0:
		return r3.Vector{X: w, Y: u, Z: v}
	case 1:
		return r3.Vector{X: u, Y: w, Z: v}
	}
	return r3.Vector{X: u, Y: v, Z: w}
}

// Cylinder: radius 0.5, z in [−1, 1], with both caps.
const cylR, cylH = 0.5, 1.0

// sampleCylinder: lateral surface and caps, chosen by area.
func sampleCylinder(rng *rand.Rand) r3.Vector {
	lateral := 2 * math.Pi * cylR * 2 * cylH
	caps := 2 * math.Pi * cylR * cylR
	t := 2 * math.Pi * rng.Float64()
	if rng.Float64()*(lateral+caps) < lateral {
		return r3.Vector{X: cylR * math.Cos(t), Y: cylR * math.Sin(t), Z: cloudUniform(rng, -cylH, cylH)}
	}
	r := cylR * math.Sqrt(rng.Float64())
	z := cylH
	if rng.IntN(2) == 0 {
		z = -cylH
	}
	return r3.Vector{X: r * math.Cos(t), Y: r * math.Sin(t), Z: z}
}

// Cone: apex (0,0,1), base circle of radius 0.6 at z = −1.
const coneR = 0.6

// sampleCone: lateral surface and base disk, chosen by area.
func sampleCone(rng *rand.Rand) r3.Vector {
	lateral := math.Pi * coneR * math.Hypot(coneR, 2)
	base := math.Pi * coneR * coneR
	t := 2 * math.Pi * rng.Float64()
	if rng.Float64()*(lateral+base) < lateral {
		s := math.Sqrt(rng.Float64()) // distance from the apex, as a fraction of the slant
		return r3.Vector{X: coneR * s * math.Cos(t), Y: coneR * s * math.Sin(t), Z: 1 - 2*s}
	}
	r := coneR * math.Sqrt(rng.Float64())
	return r3.Vector{X: r * math.Cos(t), Y: r * math.Sin(t), Z: -1}
}

// Torus: ring radius 0.8, tube radius 0.3, around the z axis.
const torusR, torusr = 0.8, 0.3

// sampleTorus: uniform by area (rejection on the tube angle).
func sampleTorus(rng *rand.Rand) r3.Vector {
	for {
		t, p := 2*math.Pi*rng.Float64(), 2*math.Pi*rng.Float64()
		if rng.Float64()*(torusR+torusr) <= torusR+torusr*math.Cos(p) {
			rho := torusR + torusr*math.Cos(p)
			return r3.Vector{X: rho * math.Cos(t), Y: rho * math.Sin(t), Z: torusr * math.Sin(p)}
		}
	}
}

// Dumbbell: spheres of radius 0.45 at x = ±0.8 joined by a bar of radius
// 0.12 along x between them.
const bellR, bellX, barR = 0.45, 0.8, 0.12

// sampleDumbbell: the two spheres and the visible part of the bar, by area.
func sampleDumbbell(rng *rand.Rand) r3.Vector {
	barEnd := bellX - math.Sqrt(bellR*bellR-barR*barR) // where the bar enters a sphere
	spheres := 2 * 4 * math.Pi * bellR * bellR
	bar := 2 * math.Pi * barR * 2 * barEnd
	if rng.Float64()*(spheres+bar) < bar {
		t := 2 * math.Pi * rng.Float64()
		return r3.Vector{X: cloudUniform(rng, -barEnd, barEnd), Y: barR * math.Cos(t), Z: barR * math.Sin(t)}
	}
	p := sampleSphere(rng).Mul(bellR)
	if rng.IntN(2) == 0 {
		p.X -= bellX
	} else {
		p.X += bellX
	}
	return p
}

// Helix tube: two turns of radius 0.6 from z = −1 to 1, tube radius 0.1.
const helixR, helixTube, helixTurns = 0.6, 0.1, 2.0

// helixCenter returns the centre line point at parameter t ∈ [0, 2π·turns].
func helixCenter(t float64) r3.Vector {
	return r3.Vector{X: helixR * math.Cos(t), Y: helixR * math.Sin(t), Z: -1 + t/(math.Pi*helixTurns)}
}

// sampleHelix: the tube around a helix (arc length uniform along the
// constant-speed centre line, angle uniform around it).
func sampleHelix(rng *rand.Rand) r3.Vector {
	t := 2 * math.Pi * helixTurns * rng.Float64()
	phi := 2 * math.Pi * rng.Float64()
	tangent := r3.Vector{X: -helixR * math.Sin(t), Y: helixR * math.Cos(t), Z: 1 / (math.Pi * helixTurns)}.Normalize()
	normal := r3.Vector{X: -math.Cos(t), Y: -math.Sin(t)} // towards the axis, ⟂ tangent
	binormal := tangent.Cross(normal)
	return helixCenter(t).Add(normal.Mul(helixTube * math.Cos(phi))).Add(binormal.Mul(helixTube * math.Sin(phi)))
}

// sampleOctahedron: the surface |x|+|y|+|z| = 1 (eight equal triangles).
func sampleOctahedron(rng *rand.Rand) r3.Vector {
	a, b := rng.Float64(), rng.Float64()
	if a+b > 1 {
		a, b = 1-a, 1-b
	}
	p := r3.Vector{X: a, Y: b, Z: 1 - a - b}
	signs := rng.IntN(8)
	if signs&1 != 0 {
		p.X = -p.X
	}
	if signs&2 != 0 {
		p.Y = -p.Y
	}
	if signs&4 != 0 {
		p.Z = -p.Z
	}
	return p
}
