package datasets

import (
	"errors"
	"testing"
)

// FuzzGIN feeds arbitrary text to the GIN-format loader (with fold files).
// Any input must give either a valid GraphSet or a *ParseError, never a
// panic. Seeds are in testdata/fuzz/FuzzGIN.
func FuzzGIN(f *testing.F) {
	f.Add([]byte("2\n3 1\n0 2 1 2\n1 2 0 2\n0 2 0 1\n1 0\n5 0\n"), []byte("0\n"), []byte("1\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data, train, test []byte, flags uint8) {
		files := memFiles{"G/G.txt": string(data)}
		if flags&1 != 0 {
			files["G/10fold_idx/train_idx-1.txt"] = string(train)
			files["G/10fold_idx/test_idx-1.txt"] = string(test)
		}
		cfg := GINConfig{Tags: TagEncoding(flags >> 1 & 1), DegreeAsTag: flags&4 != 0, UseNodeAttr: flags&8 != 0}
		s, err := loadGIN(files, cfg)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *ParseError: %v", err, err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("loaded set is invalid: %v", err)
		}
	})
}
