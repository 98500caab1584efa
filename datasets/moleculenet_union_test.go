package datasets

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nongrid/jepa/datasets/split"
	"github.com/nongrid/jepa/internal/shareddata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeCSV(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

// TestUnionMolecules: the same molecule written two ways is kept once,
// stereoisomers are distinct, excluded keys are left out, and the counts
// say so per set.
func TestUnionMolecules(t *testing.T) {
	a, err := LoadMoleculeNet(writeCSV(t, "a.csv", "smiles,y\nCCO,1\nc1ccccc1O,0\nC[C@H](N)O,1\nOCC,0\n"), MoleculeNetConfig{})
	require.NoError(t, err)
	b, err := LoadMoleculeNet(writeCSV(t, "b.csv", "smiles,y\nOc1ccccc1,1\nC[C@@H](N)O,0\nCCCl,1\n"), MoleculeNetConfig{})
	require.NoError(t, err)
	ka, kb := a.CanonicalKeys(), b.CanonicalKeys()
	assert.Equal(t, ka[0], ka[3], "CCO and OCC")
	assert.Equal(t, ka[1], kb[0], "phenol, Kekulé-free either way")
	assert.NotEqual(t, ka[2], kb[1], "enantiomers differ")

	u, src, parts, err := UnionMolecules("union", []*MoleculeSet{a, b}, nil, map[string]bool{kb[2]: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"CCO", "c1ccccc1O", "C[C@H](N)O", "C[C@@H](N)O"}, u.SMILES)
	assert.Equal(t, []int{2, 3, 4, 3}, u.Lines)
	assert.Equal(t, []string{a.Source, a.Source, a.Source, b.Source}, src)
	assert.Equal(t, []UnionPart{{Name: "a", Molecules: 4, Kept: 3, Duplicate: 1}, {Name: "b", Molecules: 3, Kept: 1, Duplicate: 1, Excluded: 1}}, parts)
	assert.Empty(t, u.Tasks)
	assert.Equal(t, 4, len(u.Graphs))
	require.NoError(t, u.Validate())

	_, _, _, err = UnionMolecules("u", []*MoleculeSet{a}, nil, map[string]bool{ka[0]: true, ka[1]: true, ka[2]: true})
	assert.ErrorContains(t, err, "every molecule was excluded")
	_, _, _, err = UnionMolecules("u", nil, nil, nil)
	assert.ErrorContains(t, err, "no sets")
	_, _, _, err = UnionMolecules("u", []*MoleculeSet{a}, [][]string{ka[:2]}, nil)
	assert.ErrorContains(t, err, "2 keys for the 4 molecules")
	o, err := LoadMoleculeNet(writeCSV(t, "o.csv", "smiles\nCC\n"), MoleculeNetConfig{Features: FeaturesOGB})
	require.NoError(t, err)
	_, _, _, err = UnionMolecules("u", []*MoleculeSet{a, o}, nil, nil)
	assert.ErrorContains(t, err, "feature widths")
}

// TestUnionMoleculesReal joins BBBP and BACE without their scaffold test
// splits: no test molecule of either is in the union.
func TestUnionMoleculesReal(t *testing.T) {
	dir := shareddata.Dir(t, "molecules", "moleculenet")
	var sets []*MoleculeSet
	var keys [][]string
	exclude := map[string]bool{}
	for _, f := range []string{"bbbp.csv", "bace.csv"} {
		s, err := LoadMoleculeNet(filepath.Join(dir, f), MoleculeNetConfig{})
		require.NoError(t, err)
		k := s.CanonicalKeys()
		sp, err := split.ScaffoldSplit(s.ScaffoldKeys(), split.MoleculeSplitConfig{})
		require.NoError(t, err)
		for _, i := range sp.Test {
			exclude[k[i]] = true
		}
		sets, keys = append(sets, s), append(keys, k)
	}
	u, _, parts, err := UnionMolecules("union", sets, keys, exclude)
	require.NoError(t, err)
	t.Logf("%+v", parts)
	got := map[string]bool{}
	for _, k := range u.CanonicalKeys() {
		require.False(t, exclude[k], "a test molecule is in the union")
		require.False(t, got[k], "a molecule is in the union twice")
		got[k] = true
	}
	assert.Equal(t, parts[0].Kept+parts[1].Kept, len(u.Graphs))
	assert.Greater(t, parts[0].Excluded, 200, "BBBP's 204 test molecules (and duplicates of them)")
	assert.Greater(t, parts[0].Duplicate, 0, "BBBP lists some molecules twice")
}
