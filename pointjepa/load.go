package pointjepa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nongrid/jepa/jepa"
	"github.com/nongrid/jepa/nn"
	"gorgonia.org/tensor"
)

type ioWriter = io.Writer

// Load reads a model from dir: either a directory written by Save
// (ConfigFileName and WeightsFileName), or a Pretrain run directory without
// them, whose configuration comes from config.json and whose weights from
// its newest checkpoint. Tensor names, shapes and dtypes must match the
// configuration exactly; a missing or unexpected tensor is an error naming
// it (teacher.online_model.*, teacher.initted and teacher.step are accepted
// and ignored).
func Load(dir string) (*Model, error) {
	cfgPath := filepath.Join(dir, ConfigFileName)
	weights := filepath.Join(dir, WeightsFileName)
	var cfg Config
	b, err := os.ReadFile(cfgPath)
	switch {
	case err == nil:
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return nil, fmt.Errorf("pointjepa: Load: %s: %w", cfgPath, err)
		}
	case errors.Is(err, os.ErrNotExist):
		tc, rerr := jepa.ReadConfig(dir)
		if rerr != nil {
			return nil, fmt.Errorf("pointjepa: Load: %s holds neither %s nor a run's config.json: %w", dir, ConfigFileName, rerr)
		}
		dec := json.NewDecoder(bytes.NewReader(tc.Model))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return nil, fmt.Errorf("pointjepa: Load: model configuration in %s: %w", filepath.Join(dir, jepa.ConfigFile), err)
		}
		cks, cerr := jepa.Checkpoints(dir)
		if cerr != nil {
			return nil, fmt.Errorf("pointjepa: Load: %w", cerr)
		}
		if len(cks) == 0 {
			return nil, fmt.Errorf("pointjepa: Load: run %s has no checkpoint yet", dir)
		}
		weights = filepath.Join(cks[len(cks)-1].Path, jepa.ModelFile)
	default:
		return nil, fmt.Errorf("pointjepa: Load: %w", err)
	}
	m, err := New(cfg)
	if err != nil {
		return nil, fmt.Errorf("pointjepa: Load: %s: %w", cfgPath, err)
	}
	sd, _, err := nn.LoadSafetensorsFile(weights)
	if err != nil {
		return nil, fmt.Errorf("pointjepa: Load: %w", err)
	}
	if err := m.loadStateDict(sd); err != nil {
		return nil, fmt.Errorf("pointjepa: Load: %s: %w", weights, err)
	}
	return m, nil
}

// loadStateDict copies a state dict in the reference's layout (or this
// package's: Conv1d weights [out, in]) into the model.
func (m *Model) loadStateDict(sd map[string]*tensor.Dense) error {
	clean := make(map[string]*tensor.Dense, len(sd))
	for name, t := range sd {
		switch {
		case strings.HasPrefix(name, "teacher.online_model."), name == "teacher.initted":
			continue
		case name == "teacher.step":
			if v, ok := t.Data().([]int64); ok && len(v) == 1 {
				m.steps = int(v[0])
			}
			continue
		}
		if isConv1d(name) && t.Dims() == 3 && t.Shape()[2] == 1 {
			s := t.Shape()
			t = tensor.New(tensor.WithShape(s[0], s[1]), tensor.WithBacking(t.Data()))
		}
		clean[name] = t
	}
	if _, _, err := m.params.LoadStateDict(clean, true); err != nil {
		return err
	}
	m.closeEmbed()
	return nil
}
