package jepa

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
)

// Keys of the values of a Record that the trainer writes (models and
// hooks may add any other key).
const (
	KeyLoss        = "loss"          // step: the step's loss; epoch: batch-size-weighted mean
	KeyLR          = "lr"            // learning rate used by the step (epoch: at its end)
	KeyMomentum    = "ema_momentum"  // EMA momentum of the step's target update (0: a copy)
	KeyGradNorm    = "grad_norm"     // total L2 norm of the gradients before clipping
	KeyPredStd     = "pred_std"      // TokenStd of the predictions (reported by the model)
	KeyTargetStd   = "target_std"    // TokenStd of the targets (reported by the model)
	KeyRankMe      = "rankme"        // RankMe (RankMeHook)
	KeyLiDAR       = "lidar"         // LiDAR (LiDARHook)
	KeySamplesPerS = "samples_per_s" // throughput
	KeyTimeMS      = "time_ms"       // duration of the step (epoch: of the epoch), ms
	KeyElapsedS    = "elapsed_s"     // wall time since the run (or resume) started, s
	KeyAllocBytes  = "alloc_bytes"   // live heap bytes (runtime/metrics)
	KeySamples     = "samples"       // samples in the step (epoch: in the epoch)
)

// Kinds of Record.
const (
	KindStep  = "step"
	KindEpoch = "epoch"
)

// MetricsFile is the name of the metrics log in a run directory.
const MetricsFile = "metrics.jsonl"

// Record is one line of metrics.jsonl: a flat JSON object with "kind"
// ("step" or "epoch"), "step" (optimizer steps completed), "epoch" (0-based
// index of the epoch the record belongs to) and one number per value, e.g.
//
//	{"kind":"step","step":12,"epoch":0,"ema_momentum":0.9961,"loss":0.4213,"lr":0.001,...}
//
// Values are written in key order; NaN and ±Inf, which JSON numbers cannot
// hold, are written as the strings "NaN", "Inf" and "-Inf".
type Record struct {
	Kind   string
	Step   int
	Epoch  int
	Values map[string]float64
	// extra is set when a hook or model stored a value with Set, so the
	// record is logged even between LogEvery steps.
	extra bool
}

// Set stores a value; hooks use it to add monitors to the current record.
func (r *Record) Set(key string, v float64) {
	r.set(key, v)
	r.extra = true
}

func (r *Record) set(key string, v float64) {
	if r.Values == nil {
		r.Values = make(map[string]float64)
	}
	r.Values[key] = v
}

// Get returns a value and whether it is present.
func (r *Record) Get(key string) (float64, bool) {
	v, ok := r.Values[key]
	return v, ok
}

// reset empties r for reuse.
func (r *Record) reset(kind string, step, epoch int) {
	r.Kind, r.Step, r.Epoch, r.extra = kind, step, epoch, false
	clear(r.Values)
}

// MarshalJSON writes the flat object described at Record.
func (r Record) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"kind":`)
	k, _ := json.Marshal(r.Kind)
	b.Write(k)
	fmt.Fprintf(&b, `,"step":%d,"epoch":%d`, r.Step, r.Epoch)
	keys := make([]string, 0, len(r.Values))
	for key := range r.Values {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if key == "kind" || key == "step" || key == "epoch" {
			return nil, fmt.Errorf("jepa: record value %q shadows a record field", key)
		}
		kb, _ := json.Marshal(key)
		b.WriteByte(',')
		b.Write(kb)
		b.WriteByte(':')
		b.WriteString(formatFloat(r.Values[key]))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// formatFloat returns v as a JSON number (shortest form that reads back
// exactly) or one of the strings "NaN", "Inf", "-Inf".
func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return `"NaN"`
	case math.IsInf(v, 1):
		return `"Inf"`
	case math.IsInf(v, -1):
		return `"-Inf"`
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// UnmarshalJSON reads what MarshalJSON writes. Any value that is neither
// a number nor one of "NaN", "Inf", "-Inf" is an error naming its key.
func (r *Record) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*r = Record{Values: make(map[string]float64, len(raw))}
	for key, v := range raw {
		switch key {
		case "kind":
			if err := json.Unmarshal(v, &r.Kind); err != nil {
				return fmt.Errorf("field %q: %w", key, err)
			}
		case "step", "epoch":
			var n int
			if err := json.Unmarshal(v, &n); err != nil {
				return fmt.Errorf("field %q: %w", key, err)
			}
			if key == "step" {
				r.Step = n
			} else {
				r.Epoch = n
			}
		default:
			f, err := parseFloatJSON(v)
			if err != nil {
				return fmt.Errorf("field %q: %w", key, err)
			}
			r.Values[key] = f
		}
	}
	if r.Kind == "" {
		return fmt.Errorf("field \"kind\" missing")
	}
	return nil
}

func parseFloatJSON(v json.RawMessage) (float64, error) {
	var f float64
	if err := json.Unmarshal(v, &f); err == nil {
		return f, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return 0, fmt.Errorf("not a number: %s", v)
	}
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Inf", "+Inf":
		return math.Inf(1), nil
	case "-Inf":
		return math.Inf(-1), nil
	}
	return 0, fmt.Errorf("not a number: %q", s)
}

// ReadMetrics reads a metrics.jsonl file. A malformed line is an error
// naming the file and the line number.
func ReadMetrics(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("jepa: %w", err)
	}
	defer f.Close()
	recs, err := readRecords(f)
	if err != nil {
		return nil, fmt.Errorf("jepa: %s:%w", path, err)
	}
	return recs, nil
}

func readRecords(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var recs []Record
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("%d: %w", line, err)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%d: %w", line+1, err)
	}
	return recs, nil
}

// metricsLog appends records to metrics.jsonl, one line each, flushed
// after every line so that a crash loses nothing already logged.
type metricsLog struct {
	f   *os.File
	buf []byte
}

func openMetricsLog(path string) (*metricsLog, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("jepa: %w", err)
	}
	return &metricsLog{f: f}, nil
}

func (m *metricsLog) write(r *Record) error {
	b, err := r.MarshalJSON()
	if err != nil {
		return err
	}
	m.buf = append(append(m.buf[:0], b...), '\n')
	if _, err := m.f.Write(m.buf); err != nil {
		return fmt.Errorf("jepa: writing %s: %w", m.f.Name(), err)
	}
	return nil
}

func (m *metricsLog) close() error {
	if m == nil || m.f == nil {
		return nil
	}
	err := m.f.Close()
	m.f = nil
	return err
}
