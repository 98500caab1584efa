package pointjepa

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/nn"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// EmbedBatch is the number of clouds Embed runs through the encoder at
// once.
const EmbedBatch = 64

// Embed returns the frozen features of spec §2.1 for clouds, one row per
// cloud (row i is clouds[i]) and 2·Width columns (768 for the paper preset):
// the validation transforms (FPS to Config.Points from a random start when a
// cloud has more points, centring, unit sphere), the tokenizer (FPS centers,
// KNN groups, mini-PointNet with BatchNorm running statistics), the
// positional MLP, the student encoder in eval mode (no dropout), its final
// LayerNorm, and the concatenation of the max and the mean over the tokens
// (Readout "max-mean"; with "pma" the max is replaced by the PMA pooling).
// No sequencer is applied (the encoder is permutation-equivariant).
//
// The FPS start points are drawn from a generator seeded by Config.Seed,
// fresh for every call: the same clouds in the same order give the same
// matrix, bit for bit. Clouds keep their own size when smaller than
// Config.Points. A cloud with fewer points than Config.Groups or
// Config.GroupSize, a non-finite coordinate or only identical points is an
// error naming it (index, ID or path). clouds is not modified.
func (m *Model) Embed(clouds []datasets.PointCloud) (*mat.Dense, error) {
	c := &m.cfg
	if len(clouds) == 0 {
		return nil, fmt.Errorf("pointjepa: Embed: no clouds")
	}
	if err := checkClouds(clouds, c, max(c.Groups, c.GroupSize)); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x656d626564)) // "embed"
	out := mat.NewDense(len(clouds), 2*c.Width, nil)
	e := m.embedState()
	for lo := 0; lo < len(clouds); lo += EmbedBatch {
		hi := min(lo+EmbedBatch, len(clouds))
		if err := e.groupChunk(clouds[lo:hi], lo, rng); err != nil {
			return nil, err
		}
		p, err := m.embedProgram(hi - lo)
		if err != nil {
			return nil, err
		}
		if err := p.patches.Set(e.patches); err != nil {
			return nil, err
		}
		if err := p.centers.Set(e.centers); err != nil {
			return nil, err
		}
		if err := p.prog.Run(); err != nil {
			return nil, fmt.Errorf("pointjepa: Embed: %w", err)
		}
		f := p.feat.Value().Data().([]float32)
		for i := lo; i < hi; i++ {
			row := out.RawRowView(i)
			for j := range row {
				row[j] = float64(f[(i-lo)*2*c.Width+j])
			}
		}
	}
	return out, nil
}

// embedder holds Embed's scratch space: the grouping of a chunk of clouds.
type embedder struct {
	cfg     *Config
	grouper datasets.Grouper
	fps     datasets.FPSScratch
	idx     []int
	batch   datasets.PointBatch
	groups  datasets.Groups
	patches []float32 // [n·G, K, 3]
	centers []float32 // [n·G, 3]
}

func (m *Model) embedState() *embedder {
	if m.emb == nil {
		c := &m.cfg
		m.emb = &embedder{cfg: c, grouper: datasets.Grouper{NumGroups: c.Groups, GroupSize: c.GroupSize, Workers: c.Workers}}
	}
	return m.emb
}

// groupChunk applies the validation transforms to clouds (the first is
// cloud number first of the caller's slice) and groups them into e.patches
// and e.centers. Consecutive clouds of equal size are grouped together.
func (e *embedder) groupChunk(clouds []datasets.PointCloud, first int, rng *rand.Rand) error {
	return e.groupChunkAug(clouds, first, rng, nil)
}

// augment is the training augmentation of fine-tuning: an anisotropic scale
// before centring, optionally a rotation about y after the unit sphere.
type augment struct {
	scale  datasets.AnisotropicScale
	rotate bool
}

// groupChunkAug is groupChunk with the fine-tuning augmentations (nil: none).
func (e *embedder) groupChunkAug(clouds []datasets.PointCloud, first int, rng *rand.Rand, aug *augment) error {
	c := e.cfg
	G_, K := c.Groups, c.GroupSize
	e.patches = grow(e.patches, len(clouds)*G_*K*3)
	e.centers = grow(e.centers, len(clouds)*G_*3)
	for lo := 0; lo < len(clouds); {
		size := min(clouds[lo].Len(), c.Points)
		hi := lo + 1
		for hi < len(clouds) && min(clouds[hi].Len(), c.Points) == size {
			hi++
		}
		b := &e.batch
		b.B, b.P = hi-lo, size
		b.Points = grow(b.Points, b.B*size*3)
		b.Labels = grow(b.Labels, b.B)
		for j := lo; j < hi; j++ {
			dst := b.Points[(j-lo)*size*3 : (j-lo+1)*size*3]
			cl := &clouds[j]
			if cl.Len() > size {
				xyz := make([]float32, 3*cl.Len())
				for q, p := range cl.Points {
					xyz[3*q], xyz[3*q+1], xyz[3*q+2] = float32(p.X), float32(p.Y), float32(p.Z)
				}
				e.idx = grow(e.idx, size)
				datasets.FPS(e.idx, xyz, rng.IntN(cl.Len()), &e.fps)
				for q, k := range e.idx {
					p := cl.Points[k]
					dst[3*q], dst[3*q+1], dst[3*q+2] = float32(p.X), float32(p.Y), float32(p.Z)
				}
			} else {
				for q, p := range cl.Points {
					dst[3*q], dst[3*q+1], dst[3*q+2] = float32(p.X), float32(p.Y), float32(p.Z)
				}
			}
			b.Labels[j-lo] = cl.Label
		}
		if aug != nil {
			if err := aug.scale.TransformBatch(b, rng); err != nil {
				return err
			}
		}
		if err := (datasets.Center{}).TransformBatch(b, nil); err != nil {
			return err
		}
		if err := (datasets.UnitSphere{}).TransformBatch(b, nil); err != nil {
			return fmt.Errorf("pointjepa: clouds %d–%d: %w", first+lo, first+hi-1, err)
		}
		if aug != nil && aug.rotate {
			if err := (datasets.RotateAxis{}).TransformBatch(b, rng); err != nil {
				return err
			}
		}
		for _, v := range b.Points {
			if math.IsNaN(float64(v)) {
				return fmt.Errorf("pointjepa: clouds %d–%d: NaN after normalisation", first+lo, first+hi-1)
			}
		}
		if _, err := e.grouper.Group(&e.groups, b, rng); err != nil {
			return fmt.Errorf("pointjepa: clouds %d–%d: %w", first+lo, first+hi-1, err)
		}
		copy(e.patches[lo*G_*K*3:], e.groups.Patches)
		copy(e.centers[lo*G_*3:], e.groups.Centers)
		lo = hi
	}
	return nil
}

// embedProgram is the compiled feature pass for B clouds.
type embedProgram struct {
	prog             *nn.Program
	patches, centers *nn.Input
	feat             *nn.Output
	B                int
}

// embedProgram returns the feature pass for B clouds, compiling it on first
// use (the last two sizes are kept).
func (m *Model) embedProgram(B int) (*embedProgram, error) {
	for _, p := range m.embedProgs {
		if p.B == B {
			return p, nil
		}
	}
	p, err := m.buildEmbed(B)
	if err != nil {
		return nil, err
	}
	if len(m.embedProgs) >= 2 {
		m.embedProgs[0].prog.Close()
		m.embedProgs = m.embedProgs[1:]
	}
	m.embedProgs = append(m.embedProgs, p)
	return p, nil
}

// closeEmbed releases the compiled feature passes (after the weights or
// BatchNorm statistics change shape, or to free memory).
func (m *Model) closeEmbed() {
	for _, p := range m.embedProgs {
		p.prog.Close()
	}
	m.embedProgs = nil
}

func (m *Model) buildEmbed(B int) (ep *embedProgram, err error) {
	defer catch(&err, "building the embedding graph")
	c := &m.cfg
	G_, K, D := c.Groups, c.GroupSize, c.Width
	g := nn.NewGraph(nn.GraphConfig{})
	ep = &embedProgram{B: B}
	ep.patches = g.Input("patches", B*G_, K, 3)
	ep.centers = g.Input("centers", B*G_, 3)
	feat, err := m.features(g, ep.patches.Node, ep.centers.Node, B)
	if err != nil {
		return nil, err
	}
	ep.feat = g.Read(feat)
	if ep.prog, err = nn.Compile(g, nil); err != nil {
		return nil, err
	}
	_ = D
	return ep, nil
}

// features adds the §2.1 feature pass to g: patches [B·G, K, 3] and centers
// [B·G, 3] → [B, 2·Width]. In a training graph (Finetune) the tokenizer's
// BatchNorm uses batch statistics and the student its dropouts.
func (m *Model) features(g *nn.Graph, patches, centers *G.Node, B int) (f *G.Node, err error) {
	defer catch(&err, "feature pass")
	c := &m.cfg
	G_, D := c.Groups, c.Width
	tok, err := m.tok.forward(g, patches)
	if err != nil {
		return nil, err
	}
	pos, err := m.pos.forward(g, centers)
	if err != nil {
		return nil, err
	}
	tok = G.Must(G.Reshape(tok, tensor.Shape{B, G_, D}))
	pos = G.Must(G.Reshape(pos, tensor.Shape{B, G_, D}))
	h, _, err := m.student.forward(g, tok, pos)
	if err != nil {
		return nil, err
	}
	mean := G.Must(G.Mean(h, 1)) // [B, D]
	var first *G.Node
	if m.pma != nil {
		p, err := m.pma.Forward(g, h, nil)
		if err != nil {
			return nil, err
		}
		first = G.Must(G.Reshape(p, tensor.Shape{B, D}))
	} else if first, err = nn.MaxAxis1(h); err != nil {
		return nil, err
	}
	return nn.ConcatLast(first, mean)
}
