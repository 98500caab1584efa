package pointjepa

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nongrid/jepa/nn"
	"gorgonia.org/tensor"
)

// Files of a saved model (Save, Load).
const (
	// ConfigFileName holds the resolved Config as JSON.
	ConfigFileName = "model.json"
	// WeightsFileName holds every tensor under the reference's state-dict
	// names (safetensors, metadata {"format": "pt"}).
	WeightsFileName = "model.safetensors"
)

// Save writes the model to dir (created if needed): ConfigFileName with the
// resolved Config and WeightsFileName with the weights under the names of
// the reference's PointJepa state dict, so that
//
//	sd = safetensors.torch.load_file("model.safetensors")
//	PointJepa(...).load_state_dict(sd, strict=False)
//
// restores them in the official code (the EMA module only exists after
// setup: run it first, or load with strict=False): positional_encoding.*,
// tokenizer.embedding.encoder.* (Conv1d weights as [out, in, 1], BatchNorm
// buffers included), mask_token, student.*, predictor.*, teacher.ema_model.*,
// teacher.online_model.* (the student again: the reference's EMA module
// holds it as a submodule), teacher.initted and teacher.step. Readout "pma"
// adds readout.pma.* (not in the reference). Both files are replaced
// atomically.
func (m *Model) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("pointjepa: Save: %w", err)
	}
	cfg, err := json.MarshalIndent(m.cfg, "", "  ")
	if err != nil {
		return err
	}
	if err := nn.WriteFileAtomic(filepath.Join(dir, ConfigFileName), func(w ioWriter) error {
		_, err := w.Write(append(cfg, '\n'))
		return err
	}); err != nil {
		return fmt.Errorf("pointjepa: Save: %w", err)
	}
	sd := m.stateDict()
	meta := map[string]string{"format": "pt", "pointjepa_config": string(cfg)}
	if err := nn.SaveTensorsFile(filepath.Join(dir, WeightsFileName), sd, meta); err != nil {
		return fmt.Errorf("pointjepa: Save: %w", err)
	}
	return nil
}

// stateDict returns the reference-shaped state dict (see Save). The tensors
// alias the model's parameters.
func (m *Model) stateDict() map[string]*tensor.Dense {
	sd := make(map[string]*tensor.Dense, m.params.Len()+m.student.Params().Len()+2)
	for _, p := range m.params.List() {
		sd[p.Name] = p.Value
		if isConv1d(p.Name) {
			s := p.Shape()
			sd[p.Name] = tensor.New(tensor.WithShape(s[0], s[1], 1), tensor.WithBacking(p.Value.Data()))
		}
	}
	for _, p := range m.student.Params().List() {
		sd["teacher.online_model."+strings.TrimPrefix(p.Name, "student.")] = p.Value
	}
	sd["teacher.initted"] = tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{1}))
	sd["teacher.step"] = tensor.New(tensor.WithShape(1), tensor.WithBacking([]int64{int64(m.steps)}))
	return sd
}

// isConv1d reports whether name is a Conv1d(k=1) weight of the tokenizer,
// stored [out, in, 1] by PyTorch and [out, in] here.
func isConv1d(name string) bool {
	if !strings.HasPrefix(name, "tokenizer.") || !strings.HasSuffix(name, ".weight") {
		return false
	}
	// first_conv.0, first_conv.3, second_conv.0, second_conv.3 (not the BatchNorms .1)
	parts := strings.Split(name, ".")
	i, err := strconv.Atoi(parts[len(parts)-2])
	return err == nil && i != 1
}
