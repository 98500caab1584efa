package graphjepa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
	"gorgonia.org/tensor"
)

// Load reads a model saved by Save (dir holds ConfigFile and ModelFile), or
// the newest complete checkpoint of a run directory written by Pretrain
// with Options.RunDir (dir holds the trainer's config.json and
// checkpoints/). The input widths are read from the encoder weights. Every
// tensor must be present with the shape the configuration implies; an
// unknown or missing name, a shape or dtype mismatch, or a malformed file is
// an error naming it.
//
// The partitioner is saved by name (PatchConfig.PartitionerName): a loaded
// model patches graphs of at least p nodes with the partitioner it was
// trained with when PartitionerByName knows it; a custom one must be set
// again with SetPartitioner before patching.
func Load(dir string) (*Model, error) {
	cfg, weights, err := locate(dir)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("graphjepa: Load %s: %w", dir, err)
	}
	cfg = cfg.WithDefaults()
	tensors, _, err := nn.LoadSafetensorsFile(weights)
	if err != nil {
		return nil, fmt.Errorf("graphjepa: Load: %w", err)
	}
	f, ef := 0, 0
	if cfg.NodeEncoder == EncoderLinear {
		if f, err = inWidth(tensors, "input_encoder.weight", cfg.Hidden); err != nil {
			return nil, fmt.Errorf("graphjepa: Load %s: %w", weights, err)
		}
	}
	if cfg.EdgeEncoder == EncoderLinear {
		if ef, err = inWidth(tensors, "edge_encoder.weight", cfg.Hidden); err != nil {
			return nil, fmt.Errorf("graphjepa: Load %s: %w", weights, err)
		}
	}
	m := newModel(cfg, f, ef, nn.Float32)
	ps := m.stateDict()
	if _, hasAlias := tensors["gnns.0.convs.0.layer.nn.layers.0.weight"]; !hasAlias {
		ps = &m.params // a checkpoint of the trainer: no duplicate keys
	}
	if _, _, err := ps.LoadStateDict(tensors, true); err != nil {
		return nil, fmt.Errorf("graphjepa: Load %s: %w", weights, err)
	}
	return m, nil
}

// SetPartitioner sets the partitioner the model's patching uses for graphs
// of at least p nodes (Config.Patch.Partitioner and PartitionerName), for
// example after Load; a nil f means the one name names (PartitionerByName),
// an unknown name is an error.
func (m *Model) SetPartitioner(name string, f PartitionerFactory) error {
	if f == nil {
		var err error
		if f, err = PartitionerByName(name); err != nil {
			return fmt.Errorf("graphjepa: SetPartitioner: %w", err)
		}
		if name == "" {
			name = DefaultPartitionerName
		}
	}
	m.cfg.Patch.Partitioner, m.cfg.Patch.PartitionerName = f, name
	return nil
}

// locate returns the configuration and the weight file of a saved model or
// of a run directory's newest checkpoint.
func locate(dir string) (Config, string, error) {
	var cfg Config
	if _, err := os.Stat(filepath.Join(dir, jepa.CheckpointDir)); err == nil {
		rc, err := jepa.ReadConfig(dir)
		if err != nil {
			return cfg, "", fmt.Errorf("graphjepa: Load: %w", err)
		}
		if len(rc.Model) == 0 {
			return cfg, "", fmt.Errorf("graphjepa: Load %s: the run's config.json has no model configuration", dir)
		}
		if err := decodeConfig(rc.Model, &cfg); err != nil {
			return cfg, "", fmt.Errorf("graphjepa: Load %s: config.json model: %w", dir, err)
		}
		cks, err := jepa.Checkpoints(dir)
		if err != nil {
			return cfg, "", fmt.Errorf("graphjepa: Load: %w", err)
		}
		if len(cks) == 0 {
			return cfg, "", fmt.Errorf("graphjepa: Load %s: the run has no complete checkpoint", dir)
		}
		return cfg, filepath.Join(cks[len(cks)-1].Path, jepa.ModelFile), nil
	}
	raw, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, "", fmt.Errorf("graphjepa: Load %s: neither a saved model (%s) nor a run directory (%s/)", dir, ConfigFile, jepa.CheckpointDir)
	}
	if err != nil {
		return cfg, "", fmt.Errorf("graphjepa: Load: %w", err)
	}
	if err := decodeConfig(raw, &cfg); err != nil {
		return cfg, "", fmt.Errorf("graphjepa: Load %s: %w", filepath.Join(dir, ConfigFile), err)
	}
	return cfg, filepath.Join(dir, ModelFile), nil
}

func decodeConfig(raw []byte, cfg *Config) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(cfg)
}

// inWidth returns the input width of a Linear weight [out, in] whose out
// must be d.
func inWidth(tensors map[string]*tensor.Dense, name string, d int) (int, error) {
	t, ok := tensors[name]
	if !ok {
		return 0, fmt.Errorf("missing tensor %s", name)
	}
	s := t.Shape()
	if s.Dims() != 2 || s[0] != d || s[1] < 1 {
		return 0, fmt.Errorf("tensor %s has shape %v, want [%d, in]", name, s, d)
	}
	return s[1], nil
}
