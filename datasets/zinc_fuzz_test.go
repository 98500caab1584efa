package datasets

import (
	"errors"
	"testing"
)

// FuzzZINCPickle feeds arbitrary bytes to the pickle decoder and the
// networkx-to-Graph conversion. Any input must give either a valid
// GraphSet or a *ParseError, never a panic or an allocation beyond the
// input's size. Seeds are in testdata/fuzz/FuzzZINCPickle (the fixtures of
// testdata/graphs/zinc and small hand-made pickles).
func FuzzZINCPickle(f *testing.F) {
	f.Add([]byte{0x80, 4, ']', '.'}, false)
	f.Fuzz(func(t *testing.T, data []byte, oneHot bool) {
		s, err := decodeZINC(data, "fuzz.pkl", "fuzz", ZINCConfig{OneHot: oneHot})
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
