package split

import (
	"slices"
	"testing"
)

// Values from CPython 3: random.seed(0); x = list(range(10)); random.shuffle(x).
func TestPythonShuffle(t *testing.T) {
	x := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	newPythonRandom(0).shuffle(x)
	want := []int{7, 8, 1, 5, 3, 4, 2, 0, 9, 6}
	if !slices.Equal(x, want) {
		t.Fatalf("shuffle = %v, want %v", x, want)
	}
}

func TestScaffoldSplitOrder(t *testing.T) {
	// Groups: a{0,3,5} b{1,4} c{2} d{6} e{7} f{8} g{9}; n=10 → train ≤ 8,
	// train+valid ≤ 9.
	keys := []string{"a", "b", "c", "a", "b", "a", "d", "e", "f", "g"}
	s, err := ScaffoldSplit(keys, MoleculeSplitConfig{})
	if err != nil {
		t.Fatal(err)
	}
	// Size order: a(3), b(2), then singletons by larger first index: 9,8,7,6,2.
	wantTrain := []int{0, 3, 5, 1, 4, 9, 8, 7}
	if !slices.Equal(s.Train, wantTrain) || !slices.Equal(s.Valid, []int{6}) || !slices.Equal(s.Test, []int{2}) {
		t.Fatalf("split = %+v, want train %v valid [6] test [2]", s, wantTrain)
	}
}

func TestMoleculeSplitConfigErrors(t *testing.T) {
	for _, c := range []MoleculeSplitConfig{{Train: 0.5, Valid: 0.1, Test: 0.1}, {Train: -0.1, Valid: 0.6, Test: 0.5}} {
		if _, err := ScaffoldSplit([]string{"a"}, c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if _, err := RandomSplit(-1, 0, MoleculeSplitConfig{}); err == nil {
		t.Error("negative n: no error")
	}
}

func TestRandomSplitsPartition(t *testing.T) {
	keys := make([]string, 100)
	for i := range keys {
		keys[i] = string(rune('a' + i%13))
	}
	for name, f := range map[string]func() (MoleculeSplit, error){
		"random":          func() (MoleculeSplit, error) { return RandomSplit(100, 3, MoleculeSplitConfig{}) },
		"random-scaffold": func() (MoleculeSplit, error) { return RandomScaffoldSplit(keys, 3, MoleculeSplitConfig{}) },
	} {
		s, err := f()
		if err != nil {
			t.Fatal(err)
		}
		all := slices.Concat(s.Train, s.Valid, s.Test)
		slices.Sort(all)
		for i, v := range all {
			if v != i {
				t.Fatalf("%s: not a partition of 0..99: %v", name, all)
			}
		}
	}
}
