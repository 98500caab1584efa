package graphjepa

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/nongrid/jepa/datasets"
	"github.com/nongrid/jepa/nn"
)

// The reference fixture checks the model against PyTorch: a float64 model
// of width 16 and one patched batch are written by this test (with
// GRAPHJEPA_WRITE_FIXTURE=1), testdata/reference/torch_reference.py builds
// the official GraphJepa module structure in plain torch, loads the weights
// with load_state_dict(strict=True) and records the held-out loss, the
// embedding, the training loss, predictions, targets, every gradient and
// the BatchNorm running statistics after the step; the test compares them.
//
//	GRAPHJEPA_WRITE_FIXTURE=1 go test ./graphjepa -run TestReferenceFixture
//	/usr/bin/python3 graphjepa/testdata/reference/torch_reference.py graphjepa/testdata/reference
//	go test ./graphjepa -run TestReferenceFixture
const fixtureDir = "testdata/reference"

type fixtureBatch struct {
	PatchBatch
	PEMax, PEMean []float32
	Beta          float64
	Hidden, Heads int
	GNNLayers     int
	EncoderLayers int
	FFN           int
	RWDim         int
}

type fixtureExpected struct {
	EvalLoss  float64              `json:"eval_loss"`
	Embed     []float64            `json:"embed"`
	TrainLoss float64              `json:"train_loss"`
	Pred      []float64            `json:"pred"`
	Target    []float64            `json:"target"`
	Grads     map[string][]float64 `json:"grads"`
	Running   map[string][]float64 `json:"running"`
}

func fixtureConfig() Config {
	c := Config{
		Patch:  PatchConfig{Patches: 10, Targets: 3, RWDim: 5, Workers: 1},
		Hidden: 16, Heads: 4, GNNLayers: 3, EncoderLayers: 2, Beta: 0.5, Seed: 7,
	}
	return c.WithDefaults()
}

func writeFixture(t *testing.T) {
	set := datasets.SyntheticGraphs(datasets.SyntheticConfig{Seed: 11, GraphsPerClass: 2, MinNodes: 6, MaxNodes: 14})
	cfg := fixtureConfig()
	p, err := NewPatcher(cfg.Patch, set.Graphs)
	if err != nil {
		t.Fatal(err)
	}
	var b PatchBatch
	if err := p.Batch(&b, []int{0, 1, 2, 3, 4, 5}, true, rand.New(rand.NewPCG(5, 6))); err != nil {
		t.Fatal(err)
	}
	var scratch []float32
	fb := fixtureBatch{PatchBatch: b, PEMax: b.PE, Beta: cfg.Beta, Hidden: cfg.Hidden, Heads: cfg.Heads,
		GNNLayers: cfg.GNNLayers, EncoderLayers: cfg.EncoderLayers, FFN: cfg.FFN, RWDim: cfg.Patch.RWDim}
	fb.PEMean = append([]float32(nil), peFor(&b, true, false, func(i int) []float32 { return p.NodeRWSE(b.Graphs[i]) }, &scratch)...)
	m := newModel(cfg, b.F, b.EF, nn.Float64)
	if err := os.MkdirAll(fixtureDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := nn.SaveSafetensorsFile(filepath.Join(fixtureDir, "model.safetensors"), m.stateDict(), map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(fb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fixtureDir, "batch.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %d copies, %d copy edges; now run torch_reference.py", fixtureDir, b.NumCopies(), len(b.CopySrc))
}

// TestReferenceFixture compares the model with the PyTorch reference
// structure on the fixture (see fixtureDir), to 1e-9 in float64.
func TestReferenceFixture(t *testing.T) {
	if os.Getenv("GRAPHJEPA_WRITE_FIXTURE") != "" {
		writeFixture(t)
		return
	}
	raw, err := os.ReadFile(filepath.Join(fixtureDir, "expected.json"))
	if err != nil {
		t.Skipf("no reference fixture: %v", err)
	}
	var want fixtureExpected
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if raw, err = os.ReadFile(filepath.Join(fixtureDir, "batch.json")); err != nil {
		t.Fatal(err)
	}
	var fb fixtureBatch
	if err := json.Unmarshal(raw, &fb); err != nil {
		t.Fatal(err)
	}
	b := &fb.PatchBatch
	m := newModel(fixtureConfig(), b.F, b.EF, nn.Float64)
	if err := m.stateDict().LoadSafetensors(filepath.Join(fixtureDir, "model.safetensors"), true); err != nil {
		t.Fatal(err)
	}
	ec, ef := m.edgeClasses(b)
	gs, err := m.firstBlockGroups(b, b.CopyEdge, ec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first block: %d groups for %d node copies; %d distinct edge inputs for %d copy edges", len(gs.Counts), b.NumCopies(), len(ef), len(b.CopyEdge))
	run := func(kind graphKind, pe []float32) *batchGraph {
		bg, err := m.build(b, pe, kind, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := bg.prog.Run(); err != nil {
			t.Fatal(err)
		}
		return bg
	}
	const tol = 1e-9
	bg := run(kindLoss, fb.PEMax)
	closeTo(t, "eval loss", []float64{bg.loss.Scalar()}, []float64{want.EvalLoss}, tol)
	bg.close()
	bg = run(kindEmbed, fb.PEMean)
	closeTo(t, "embedding", bg.emb.Float64s(), want.Embed, tol)
	bg.close()
	m.params.ZeroGrad()
	bg = run(kindTrain, fb.PEMax)
	closeTo(t, "train loss", []float64{bg.prog.Loss()}, []float64{want.TrainLoss}, tol)
	closeTo(t, "prediction", bg.pred.Float64s(), want.Pred, tol)
	closeTo(t, "target", bg.target.Float64s(), want.Target, tol)
	bg.close()
	graded := 0
	for _, p := range m.params.List() {
		if p.Buffer || p.Grad == nil {
			if _, ok := want.Grads[p.Name]; ok {
				t.Errorf("%s: PyTorch has a gradient, the model has none", p.Name)
			}
			continue
		}
		g, ok := want.Grads[p.Name]
		if !ok { // no gradient in PyTorch (unused): must be zero here
			g = make([]float64, p.Len())
		}
		closeTo(t, "grad "+p.Name, p.GradFloat64s(), g, tol)
		graded++
	}
	for name, v := range want.Running {
		p := m.stateDict().Get(name)
		if p == nil {
			t.Errorf("no tensor %s", name)
			continue
		}
		closeTo(t, name, p.Float64s(), v, tol)
	}
	t.Logf("compared %d gradients and %d running statistics", graded, len(want.Running))
}

func closeTo(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	worst, at := 0.0, -1
	for i := range got {
		e := math.Abs(got[i]-want[i]) / (1 + math.Abs(want[i]))
		if !(e <= worst) {
			worst, at = e, i
		}
	}
	if worst > tol || math.IsNaN(worst) {
		t.Errorf("%s: worst error %.3g at %d (got %v, want %v)", what, worst, at, got[at], want[at])
	}
}
