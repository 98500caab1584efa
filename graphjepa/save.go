package graphjepa

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nongrid/jepa/nn"
)

// Files of a saved model directory.
const (
	// ModelFile holds every tensor under its reference state-dict name
	// (metadata {"format": "pt"}), loadable with safetensors.torch.load_file
	// and GraphJepa.load_state_dict(strict=True).
	ModelFile = "model.safetensors"
	// ConfigFile holds the model's resolved Config as JSON.
	ConfigFile = "config.json"
)

// Save writes the model to dir (created if needed): ModelFile with the
// reference's PyTorch state-dict names (context_encoder.…, target_encoder.…,
// gnns.…; see Model) and ConfigFile. Both are replaced atomically. The
// partitioner factory of Config.Patch is not saved (see SetPartitioner).
func (m *Model) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("graphjepa: Save: %w", err)
	}
	raw, err := json.MarshalIndent(m.cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("graphjepa: Save: %w", err)
	}
	if err := nn.SaveSafetensorsFile(filepath.Join(dir, ModelFile), m.stateDict(), map[string]string{"format": "pt"}); err != nil {
		return fmt.Errorf("graphjepa: Save: %w", err)
	}
	err = nn.WriteFileAtomic(filepath.Join(dir, ConfigFile), func(w io.Writer) error {
		_, err := w.Write(append(raw, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("graphjepa: Save: %w", err)
	}
	return nil
}

// stateDict returns the model's tensors as the reference's state_dict()
// lists them: every parameter and buffer, plus the GINE MLP a second time
// under gnns.<i>.convs.0.layer.nn.… (PyG's GINEConv registers the module
// that the wrapper also holds as convs.<i>.nn). The extra entries share
// the tensors.
func (m *Model) stateDict() *nn.Params {
	var ps nn.Params
	ps.AddAll(&m.params)
	for _, p := range m.params.List() {
		if alias, ok := ginMLPAlias(p.Name); ok {
			q := *p
			q.Name = alias
			ps.Add(&q)
		}
	}
	return &ps
}

// ginMLPAlias maps "gnns.<i>.convs.0.nn.<rest>" to
// "gnns.<i>.convs.0.layer.nn.<rest>".
func ginMLPAlias(name string) (string, bool) {
	if !strings.HasPrefix(name, "gnns.") {
		return "", false
	}
	i := strings.Index(name, ".convs.0.nn.")
	if i < 0 {
		return "", false
	}
	return name[:i] + ".convs.0.layer.nn." + name[i+len(".convs.0.nn."):], true
}
