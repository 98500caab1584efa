package jepa

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nongrid/jepa/nn"
)

// Checkpoint layout: runDir/checkpoints/step-NNNNNNNN/ holds these files.
const (
	CheckpointDir = "checkpoints"
	// ModelFile holds every tensor of Model.Params under its PyTorch name
	// (metadata {"format": "pt"}), loadable with safetensors.torch.
	ModelFile = "model.safetensors"
	// OptimizerFile holds nn.Adam.State (exp_avg, exp_avg_sq, step, lr).
	OptimizerFile = "optimizer.safetensors"
	// StateFile holds the loop counters, the generator, the scheduler
	// state and the model's own state (JSON). It is written last: a
	// checkpoint directory without it is incomplete and ignored.
	StateFile = "state.json"
)

const checkpointFormat = 1

// checkpointState is state.json.
type checkpointState struct {
	Format int `json:"format"`
	runState
	Momentum   jsonFloat       `json:"ema_momentum"`
	Seed       uint64          `json:"seed"`
	RNG        []byte          `json:"rng"`
	LR         float64         `json:"lr"`
	Plateau    *plateauJSON    `json:"plateau,omitempty"`
	ModelState json.RawMessage `json:"model_state,omitempty"`
	Time       string          `json:"time"`
	Code       CodeVersion     `json:"code"`
}

// plateauJSON is nn.PlateauState with a JSON-safe Best (±Inf before the
// first epoch).
type plateauJSON struct {
	Best            jsonFloat `json:"best"`
	NumBadEpochs    int       `json:"num_bad_epochs"`
	CooldownCounter int       `json:"cooldown_counter"`
	LastEpoch       int       `json:"last_epoch"`
}

// jsonFloat is a float64 written as a JSON number, or as "NaN", "Inf",
// "-Inf".
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) { return []byte(formatFloat(float64(f))), nil }

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	v, err := parseFloatJSON(b)
	*f = jsonFloat(v)
	return err
}

// CheckpointInfo describes a complete checkpoint of a run directory.
type CheckpointInfo struct {
	Path  string // the checkpoint directory
	Step  int    // optimizer steps completed
	Epoch int    // epochs completed
}

// Checkpoints lists the complete checkpoints of runDir (those with a
// readable state.json), oldest first.
func Checkpoints(runDir string) ([]CheckpointInfo, error) {
	dir := filepath.Join(runDir, CheckpointDir)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("jepa: %w", err)
	}
	var out []CheckpointInfo
	for _, e := range ents {
		step, ok := checkpointStep(e.Name())
		if !ok || !e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		st, err := readCheckpointState(path)
		if err != nil || st.Step != step {
			continue
		}
		out = append(out, CheckpointInfo{Path: path, Step: step, Epoch: st.Epoch})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Step < out[j].Step })
	return out, nil
}

func checkpointName(step int) string { return fmt.Sprintf("step-%08d", step) }

// checkpointStep parses "step-NNNNNNNN".
func checkpointStep(name string) (int, bool) {
	s, ok := strings.CutPrefix(name, "step-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

func readCheckpointState(dir string) (*checkpointState, error) {
	path := filepath.Join(dir, StateFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("jepa: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var st checkpointState
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("jepa: %s: %w", path, err)
	}
	if st.Format != checkpointFormat {
		return nil, fmt.Errorf("jepa: %s: format %d, want %d", path, st.Format, checkpointFormat)
	}
	return &st, nil
}

// SaveCheckpoint writes a checkpoint of the current state to
// runDir/checkpoints/step-NNNNNNNN (see the file constants) and removes
// the checkpoints beyond Config.KeepCheckpoints. The directory is filled
// under a temporary name and renamed when complete, so a crash leaves
// either the previous checkpoints or the new one, never a partial one.
// The built-in checkpoint hook calls it; a hook may call it too. It is an
// error without a run directory.
func (t *Trainer) SaveCheckpoint() error {
	if t.runDir == "" {
		return errors.New("jepa: SaveCheckpoint: the trainer has no run directory")
	}
	dir := filepath.Join(t.runDir, CheckpointDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("jepa: %w", err)
	}
	name := checkpointName(t.state.Step)
	tmp, err := os.MkdirTemp(dir, ".tmp-"+name+"-")
	if err != nil {
		return fmt.Errorf("jepa: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := nn.SaveSafetensorsFile(filepath.Join(tmp, ModelFile), t.model.Params(), map[string]string{"format": "pt"}); err != nil {
		return fmt.Errorf("jepa: checkpoint at step %d: %w", t.state.Step, err)
	}
	if err := nn.SaveTensorsFile(filepath.Join(tmp, OptimizerFile), t.opt.State(), nil); err != nil {
		return fmt.Errorf("jepa: checkpoint at step %d: %w", t.state.Step, err)
	}
	st, err := t.checkpointState()
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("jepa: checkpoint at step %d: %w", t.state.Step, err)
	}
	if err := nn.WriteFileAtomic(filepath.Join(tmp, StateFile), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	}); err != nil {
		return fmt.Errorf("jepa: checkpoint at step %d: %w", t.state.Step, err)
	}
	final := filepath.Join(dir, name)
	if _, err := os.Stat(final); err == nil {
		// Replace an older checkpoint of the same step: move it aside
		// first so that one complete copy exists at every moment.
		old := tmp + ".old"
		if err := os.Rename(final, old); err != nil {
			return fmt.Errorf("jepa: %w", err)
		}
		defer os.RemoveAll(old)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("jepa: %w", err)
	}
	ok = true
	syncDir(dir)
	t.lastCheckpoint = t.state.Step
	return t.pruneCheckpoints()
}

func (t *Trainer) checkpointState() (*checkpointState, error) {
	rng, err := t.src.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("jepa: checkpoint: generator: %w", err)
	}
	st := &checkpointState{
		Format: checkpointFormat, runState: t.state, Momentum: jsonFloat(t.state.Momentum),
		Seed: t.cfg.Seed, RNG: rng, LR: t.opt.LR(),
		Time: time.Now().UTC().Format(time.RFC3339), Code: BuildVersion(),
	}
	if t.plateau != nil {
		p := t.plateau.State()
		st.Plateau = &plateauJSON{Best: jsonFloat(p.Best), NumBadEpochs: p.NumBadEpochs, CooldownCounter: p.CooldownCounter, LastEpoch: p.LastEpoch}
	}
	if ss, ok := t.model.(StateSaver); ok {
		b, err := ss.MarshalState()
		if err != nil {
			return nil, fmt.Errorf("jepa: checkpoint: model state: %w", err)
		}
		if !json.Valid(b) {
			b, _ = json.Marshal(b) // not JSON: store as a base64 string
		}
		st.ModelState = b
	}
	return st, nil
}

// pruneCheckpoints keeps the newest KeepCheckpoints checkpoints.
func (t *Trainer) pruneCheckpoints() error {
	if t.cfg.KeepCheckpoints < 0 {
		return nil
	}
	list, err := Checkpoints(t.runDir)
	if err != nil {
		return err
	}
	for i := 0; i < len(list)-t.cfg.KeepCheckpoints; i++ {
		if err := os.RemoveAll(list[i].Path); err != nil {
			return fmt.Errorf("jepa: removing old checkpoint: %w", err)
		}
	}
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Resume continues the run in runDir with model, which must be built as
// the run's model was (ReadConfig returns the configuration, including
// Config.Model): it reads config.json, restores the newest complete
// checkpoint (parameters, optimizer, generator, counters, scheduler and
// model state), drops the metrics.jsonl lines logged after it, and returns
// a trainer whose Run continues where the checkpoint left off, reaching
// bit for bit the state of an uninterrupted run. Without a checkpoint the
// run starts over (metrics.jsonl emptied). Hooks must be registered again.
func Resume(runDir string, model Model) (*Trainer, error) {
	cfg, err := ReadConfig(runDir)
	if err != nil {
		return nil, err
	}
	rc, err := cfg.Resolve(modelStepsPerEpoch(model))
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, filepath.Join(runDir, ConfigFile))
	}
	t, err := newTrainer(model, rc, runDir)
	if err != nil {
		return nil, err
	}
	list, err := Checkpoints(runDir)
	if err != nil {
		return nil, err
	}
	keepStep, keepEpoch := 0, 0
	if len(list) > 0 {
		ck := list[len(list)-1]
		if err := t.loadCheckpoint(ck.Path); err != nil {
			return nil, err
		}
		keepStep, keepEpoch = t.state.Step, t.state.Epoch
	}
	mpath := filepath.Join(runDir, MetricsFile)
	if err := truncateMetrics(mpath, keepStep, keepEpoch); err != nil {
		return nil, err
	}
	if t.metrics, err = openMetricsLog(mpath); err != nil {
		return nil, err
	}
	return t, nil
}

// loadCheckpoint restores the checkpoint in dir.
func (t *Trainer) loadCheckpoint(dir string) error {
	st, err := readCheckpointState(dir)
	if err != nil {
		return err
	}
	if st.Seed != t.cfg.Seed {
		return fmt.Errorf("jepa: %s: seed %d differs from the config's %d", dir, st.Seed, t.cfg.Seed)
	}
	if st.Step < 0 || st.Epoch < 0 || st.StepInEpoch < 0 || st.StepInEpoch >= t.cfg.StepsPerEpoch ||
		st.Step != st.Epoch*t.cfg.StepsPerEpoch+st.StepInEpoch {
		return fmt.Errorf("jepa: %s: counters step %d, epoch %d, step in epoch %d do not fit %d steps per epoch", dir, st.Step, st.Epoch, st.StepInEpoch, t.cfg.StepsPerEpoch)
	}
	if err := t.model.Params().LoadSafetensors(filepath.Join(dir, ModelFile), true); err != nil {
		return fmt.Errorf("jepa: resume: %w", err)
	}
	ts, _, err := nn.LoadSafetensorsFile(filepath.Join(dir, OptimizerFile))
	if err != nil {
		return fmt.Errorf("jepa: resume: %w", err)
	}
	if err := t.opt.LoadState(ts); err != nil {
		return fmt.Errorf("jepa: resume: %s: %w", filepath.Join(dir, OptimizerFile), err)
	}
	if err := t.src.UnmarshalBinary(st.RNG); err != nil {
		return fmt.Errorf("jepa: resume: %s: generator: %w", filepath.Join(dir, StateFile), err)
	}
	if t.plateau != nil {
		if st.Plateau == nil {
			return fmt.Errorf("jepa: resume: %s has no plateau scheduler state", filepath.Join(dir, StateFile))
		}
		p := st.Plateau
		t.plateau.SetState(nn.PlateauState{Best: float64(p.Best), NumBadEpochs: p.NumBadEpochs, CooldownCounter: p.CooldownCounter, LastEpoch: p.LastEpoch})
	}
	ss, isSaver := t.model.(StateSaver)
	switch {
	case isSaver && len(st.ModelState) > 0:
		if err := ss.UnmarshalState(st.ModelState); err != nil {
			return fmt.Errorf("jepa: resume: %s: model state: %w", filepath.Join(dir, StateFile), err)
		}
	case isSaver:
		return fmt.Errorf("jepa: resume: %s has no model state but the model keeps one", filepath.Join(dir, StateFile))
	case len(st.ModelState) > 0:
		return fmt.Errorf("jepa: resume: %s has model state but the model does not implement StateSaver", filepath.Join(dir, StateFile))
	}
	t.state = st.runState
	t.state.Momentum = float64(st.Momentum)
	t.lastCheckpoint = st.Step
	t.resumed = true
	return nil
}

// truncateMetrics rewrites metrics.jsonl keeping the step records up to
// step and the epoch records of the first epochs epochs, the log of the
// run up to the checkpoint. A malformed last line (a write cut by a crash)
// is dropped; a malformed line before it is an error naming it.
func truncateMetrics(path string, step, epochs int) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("jepa: %w", err)
	}
	var kept bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	lines := bytes.Count(b, []byte{'\n'})
	if len(b) > 0 && b[len(b)-1] != '\n' {
		lines++
	}
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			if n == lines {
				break
			}
			return fmt.Errorf("jepa: %s:%d: %w", path, n, err)
		}
		if (r.Kind == KindEpoch && r.Epoch < epochs) || (r.Kind != KindEpoch && r.Step <= step) {
			kept.Write(sc.Bytes())
			kept.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("jepa: %s: %w", path, err)
	}
	return nn.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(kept.Bytes())
		return err
	})
}
