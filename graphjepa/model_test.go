package graphjepa

import (
	"strings"
	"testing"

	"github.com/nongrid/jepa/nn"
)

// TestNumParamsMUTAG checks the parameter count of the MUTAG preset part by
// part against the reference's architecture (spec graph-jepa.md §11:
// context 8.42 M, target 8.42 M, GNN 1.58 M, U 0.26 M, predictor 0.53 M,
// patch PE 8.7 k, unused rw_encoder 8.7 k; total 19.22 M). The exact
// integers follow from d = 512, F = 7, EF = 4, rw_dim = 15:
//
//	transformer layer: 4·(d²+d) + (2d·d+2d) + (d·2d+d) + 3·2d = 2,103,808; ×4 layers
//	GINE block: ε 1 + 3·d² + d (output bias) + 3 BatchNorms·2d = 790,017; ×2 blocks
//	U: d² + 2d = 263,168; predictor: 2·(d²+d) + 2d+2 = 526,338
//	patch PE / rw_encoder: 15·d + 2d = 8,704; input 7d+d = 4,096; edge 4d+d = 2,560
func TestNumParamsMUTAG(t *testing.T) {
	cfg, err := Preset("MUTAG")
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(cfg.WithDefaults(), 7, 4, nn.Float32)
	want := map[string]int{
		"context_encoder": 8_415_232, "target_encoder": 8_415_232, "gnn": 1_580_034, "U": 263_168,
		"predictor": 526_338, "patch_pe": 8_704, "rw_encoder": 8_704, "input_encoder": 4_096,
		"edge_encoder": 2_560, "pooling": 0, "total": 19_224_068,
	}
	got := m.NumParams()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %d parameters, want %d", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("parts %v, want %v", got, want)
	}
}

// TestReferenceNames checks a sample of state-dict keys against the
// reference's module structure.
func TestReferenceNames(t *testing.T) {
	cfg := Config{}.WithDefaults()
	m := newModel(cfg, 7, 4, nn.Float32)
	for _, name := range []string{
		"input_encoder.weight", "input_encoder.bias", "edge_encoder.weight",
		"rw_encoder.layers.0.weight", "rw_encoder.norms.0.running_var",
		"patch_rw_encoder.layers.0.weight", "patch_rw_encoder.norms.0.num_batches_tracked",
		"gnns.0.convs.0.layer.eps", "gnns.0.convs.0.nn.layers.0.weight", "gnns.0.convs.0.nn.norms.1.weight",
		"gnns.1.norms.0.running_mean", "gnns.1.output_encoder.bias", "U.0.layers.0.weight", "U.0.norms.0.bias",
		"context_encoder.transformer_encoder.0.self_attn.q_proj.weight",
		"context_encoder.transformer_encoder.3.self_attn.out_proj.bias",
		"context_encoder.transformer_encoder.2.linear1.weight", "context_encoder.transformer_encoder.2.linear2.bias",
		"context_encoder.transformer_encoder.1.norm3.weight", "target_encoder.transformer_encoder.0.norm1.bias",
		"target_predictor.layers.2.weight", "target_predictor.layers.0.bias",
	} {
		if m.params.Get(name) == nil {
			t.Errorf("missing %s", name)
		}
	}
	for _, p := range m.params.List() {
		if strings.Contains(p.Name, "blocks") || strings.Contains(p.Name, "mlp.fc") || strings.Contains(p.Name, ".attn.") {
			t.Errorf("nn layer name left: %s", p.Name)
		}
	}
	if got := m.params.Get("target_predictor.layers.2.weight").Shape(); got[0] != 2 || got[1] != 512 {
		t.Errorf("predictor output weight shape %v, want [2 512]", got)
	}
}
