package datasets

import (
	"archive/zip"
	"bytes"
	"errors"
	"slices"
	"testing"
)

// FuzzGraphZip feeds arbitrary bytes as a zip archive to the TU and GIN
// loaders, the way LoadTU and LoadGIN read a .zip (including the CRC
// check of a failed load). Any input must give either a valid GraphSet or
// a *ParseError, never a panic. Seeds: a valid TU and a valid GIN archive,
// and one damaged copy of each (added below).
func FuzzGraphZip(f *testing.F) {
	for _, files := range []map[string]string{
		tinyTU,
		{"X/X.txt": "2\n2 1\n0 1 1\n0 1 0\n1 0\n3 0\n", "X/10fold_idx/train_idx-1.txt": "0\n", "X/10fold_idx/test_idx-1.txt": "1\n"},
	} {
		var buf bytes.Buffer
		w := zip.NewWriter(&buf)
		for _, name := range sortedKeys(files) {
			fw, err := w.Create(name)
			if err != nil {
				f.Fatal(err)
			}
			fw.Write([]byte(files[name]))
		}
		if err := w.Close(); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes(), uint8(0))
		b := bytes.Clone(buf.Bytes())
		b[len(b)/3] ^= 0x10 // damaged
		f.Add(b, uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, flags uint8) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			var pe *ParseError
			if !errors.As(damagedArchive("f.zip", "f.zip", err, false), &pe) {
				t.Fatalf("damagedArchive gave %T", err)
			}
			return
		}
		files := newZipFiles("f.zip", zr, nil)
		for _, load := range []func(graphFiles) (*GraphSet, error){
			func(fs graphFiles) (*GraphSet, error) {
				return loadTU(fs, TUConfig{UseNodeAttr: flags&1 != 0, UseEdgeAttr: flags&2 != 0})
			},
			func(fs graphFiles) (*GraphSet, error) {
				return loadGIN(fs, GINConfig{UseNodeAttr: flags&1 != 0, Tags: TagEncoding(flags >> 2 & 1)})
			},
		} {
			s, err := loadChecked(files, load)
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error is %T, not *ParseError: %v", err, err)
				}
				continue
			}
			if err := s.Validate(); err != nil {
				t.Fatalf("loaded set is invalid: %v", err)
			}
		}
	})
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
