package nn

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gorgonia.org/tensor"
)

// WriteFileAtomic writes a file so that readers see either the old file or
// the complete new one, never a partial write: write fills a temporary file
// in the same directory (buffered), which is flushed, fsynced, closed,
// given mode 0644 and renamed over path; the directory is then fsynced
// (best effort). On any error the temporary file is removed and path is
// untouched. Checkpoints and run files use it.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("nn: writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return fmt.Errorf("nn: writing %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("nn: writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("nn: writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("nn: writing %s: %w", path, err)
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("nn: writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("nn: writing %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable
		d.Sync()
		d.Close()
	}
	return nil
}

// SaveSafetensorsFile writes ps to path atomically (see SaveSafetensors and
// WriteFileAtomic).
func SaveSafetensorsFile(path string, ps *Params, metadata map[string]string) error {
	return WriteFileAtomic(path, func(w io.Writer) error { return SaveSafetensors(w, ps, metadata) })
}

// SaveTensorsFile writes tensors to path atomically (see SaveTensors).
func SaveTensorsFile(path string, tensors map[string]*tensor.Dense, metadata map[string]string) error {
	return WriteFileAtomic(path, func(w io.Writer) error { return SaveTensors(w, tensors, metadata) })
}

// LoadSafetensorsFile reads a safetensors file (see LoadSafetensors). The
// file size is checked against the header before the data is read; errors
// name the file.
func LoadSafetensorsFile(path string) (map[string]*tensor.Dense, map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("nn: %w", err)
	}
	ts, md, err := readSafetensors(bufio.NewReaderSize(f, 1<<20), st.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("nn: %s: %w", path, err)
	}
	return ts, md, nil
}

// LoadSafetensors loads the parameters of ps from a safetensors file, as
// PyTorch's module.load_state_dict(safetensors.torch.load_file(path),
// strict) does; see LoadStateDict.
func (ps *Params) LoadSafetensors(path string, strict bool) error {
	ts, _, err := LoadSafetensorsFile(path)
	if err != nil {
		return err
	}
	if _, _, err := ps.LoadStateDict(ts, strict); err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	return nil
}

// LoadStateDict copies tensors into the parameters with the same names, the
// counterpart of PyTorch's load_state_dict. Float tensors are converted to
// the parameter's float type (as torch's copy_ does); int64 tensors load
// only into int64 parameters. It returns the parameters absent from tensors
// (missing, in ps order) and the tensors naming no parameter (unexpected,
// sorted). An error, and no change at all, results from a shape or dtype
// mismatch (even when not strict, as in PyTorch) or, when strict, from any
// missing or unexpected name.
func (ps *Params) LoadStateDict(tensors map[string]*tensor.Dense, strict bool) (missing, unexpected []string, err error) {
	for name := range tensors {
		if ps.Get(name) == nil {
			unexpected = append(unexpected, name)
		}
	}
	sort.Strings(unexpected)
	type pair struct {
		p *Param
		d *tensor.Dense
	}
	var pairs []pair
	for _, p := range ps.List() {
		d, ok := tensors[p.Name]
		if !ok {
			missing = append(missing, p.Name)
			continue
		}
		if d == nil || !sameShape(d.Shape(), p.Value.Shape()) || d.Shape().TotalSize() != p.Len() {
			return missing, unexpected, fmt.Errorf("nn: LoadStateDict: size mismatch for %s: copying a tensor of shape %s, the shape of the parameter is %s", p.Name, formatShape(shapeOf(d)), formatShape(p.Shape()))
		}
		pf, df := isFloatDtype(p.Dtype()), isFloatDtype(d.Dtype())
		if pf != df || (!pf && (p.Dtype() != tensor.Int64 || d.Dtype() != tensor.Int64)) {
			return missing, unexpected, fmt.Errorf("nn: LoadStateDict: dtype mismatch for %s: copying a %v tensor into a %v parameter", p.Name, d.Dtype(), p.Dtype())
		}
		pairs = append(pairs, pair{p, d})
	}
	if strict && (len(missing) > 0 || len(unexpected) > 0) {
		var msg []string
		if len(missing) > 0 {
			msg = append(msg, "missing key(s) "+quoteList(missing))
		}
		if len(unexpected) > 0 {
			msg = append(msg, "unexpected key(s) "+quoteList(unexpected))
		}
		return missing, unexpected, fmt.Errorf("nn: LoadStateDict: %s", strings.Join(msg, "; "))
	}
	for _, pr := range pairs {
		if pr.p.Dtype() == tensor.Int64 {
			copy(pr.p.Value.Int64s()[:pr.p.Len()], pr.d.Int64s())
			continue
		}
		if err := copyFloats(pr.p.Value, pr.d); err != nil {
			panic("nn: LoadStateDict: " + err.Error()) // checked above
		}
	}
	return missing, unexpected, nil
}

func isFloatDtype(dt tensor.Dtype) bool { return dt == tensor.Float32 || dt == tensor.Float64 }

// quoteList formats names as "a", "b", … (at most 10, then a count).
func quoteList(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i == 10 {
			fmt.Fprintf(&b, " and %d more", len(names)-10)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", n)
	}
	return b.String()
}
