package pointjepa

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"

	"github.com/nongrid/jepa/datasets"
)

// modelIdentity names the embedder in a few-shot configuration: for a
// *Model "model " + the SHA-256 (16 bytes, hex) of its Config (Workers
// aside: it does not change results) and of every parameter's name, shape
// and bits, buffers included; for any other Embedder "embedder " + id,
// which must then be set (FewShotConfig.EmbedderID).
func modelIdentity(e Embedder, id string) (string, error) {
	m, ok := e.(*Model)
	if !ok {
		if id == "" {
			return "", fmt.Errorf("pointjepa: FewShotConfig.RunDir with an Embedder of type %T needs FewShotConfig.EmbedderID (a *Model is identified by its weights)", e)
		}
		return "embedder " + id, nil
	}
	c := m.Config()
	c.Workers = 0
	h := sha256.New()
	cb, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("pointjepa: model identity: %w", err)
	}
	h.Write(cb)
	var buf []byte
	for _, p := range m.Params().List() {
		buf = append(buf[:0], p.Name...)
		for _, d := range p.Shape() {
			buf = binary.LittleEndian.AppendUint64(buf, uint64(d))
		}
		switch v := p.Value.Data().(type) {
		case []float32:
			for _, x := range v {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
			}
		case []float64:
			for _, x := range v {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x))
			}
		case []int64:
			for _, x := range v {
				buf = binary.LittleEndian.AppendUint64(buf, uint64(x))
			}
		case float32:
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		case float64:
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		case int64:
			buf = binary.LittleEndian.AppendUint64(buf, uint64(v))
		default:
			return "", fmt.Errorf("pointjepa: model identity: parameter %s has data of type %T", p.Name, v)
		}
		h.Write(buf)
	}
	return "model " + hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// pointSetsHash is the SHA-256 (16 bytes, hex) of the class names and of
// every cloud's ID, label and point coordinates (bits) of the sets, in
// order; a nil set counts as empty.
func pointSetsHash(sets ...*datasets.PointSet) string {
	h := sha256.New()
	var buf []byte
	for _, s := range sets {
		if s == nil {
			h.Write([]byte{0})
			continue
		}
		buf = binary.LittleEndian.AppendUint64(buf[:0], uint64(len(s.ClassNames)))
		for _, n := range s.ClassNames {
			buf = binary.LittleEndian.AppendUint64(buf, uint64(len(n)))
			buf = append(buf, n...)
		}
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(s.Clouds)))
		h.Write(buf)
		for i := range s.Clouds {
			c := &s.Clouds[i]
			buf = binary.LittleEndian.AppendUint64(buf[:0], uint64(len(c.ID)))
			buf = append(buf, c.ID...)
			buf = binary.LittleEndian.AppendUint64(buf, uint64(int64(c.Label)))
			buf = binary.LittleEndian.AppendUint64(buf, uint64(len(c.Points)))
			for _, p := range c.Points {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(p.X))
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(p.Y))
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(p.Z))
			}
			h.Write(buf)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// probeIdentity names a classifier by its type and JSON encoding, e.g.
// `probe.SVC{"C":0.012}`.
func probeIdentity(clf any) string {
	b, err := json.Marshal(clf)
	if err != nil {
		return fmt.Sprintf("%T%+v", clf, clf)
	}
	return fmt.Sprintf("%T%s", clf, b)
}
