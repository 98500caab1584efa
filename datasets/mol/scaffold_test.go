package mol

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestScaffoldKeyGroupsAsRDKit: two molecules get the same ScaffoldKey
// exactly when RDKit 2022.09's MurckoScaffoldSmiles(includeChirality=True)
// gives them the same scaffold. The expected scaffolds were printed by
//
//	from rdkit import Chem; from rdkit.Chem.Scaffolds import MurckoScaffold
//	MurckoScaffold.MurckoScaffoldSmiles(mol=Chem.MolFromSmiles(s), includeChirality=True)
//
// The cases are the kinds Tox21 split differently before: E/Z kept only
// when no atom bonded to the double bond is removed, hydrogens added to an
// atom kept for its double bond, and chirality dropped with a substituent.
func TestScaffoldKeyGroupsAsRDKit(t *testing.T) {
	cases := [][2]string{
		{`CC/C(=C(/CC)c1ccc(O)cc1)c1ccc(O)cc1`, `C(=Cc1ccccc1)c1ccccc1`},
		{`C(=Cc1ccccc1)c1ccccc1`, `C(=Cc1ccccc1)c1ccccc1`},
		{`C(=C/c1ccccc1)\c1ccccc1`, `C(=C/c1ccccc1)\c1ccccc1`},
		{`Oc1ccc(/C=C/c2cc(O)cc(O)c2)cc1`, `C(=C/c1ccccc1)\c1ccccc1`},
		{`O=CC=C(c1ccccc1)c1ccccc1`, `C=C(c1ccccc1)c1ccccc1`},
		{`ClC(Cl)=C(c1ccc(Cl)cc1)c1ccc(Cl)cc1`, `C=C(c1ccccc1)c1ccccc1`},
		{`C=C(c1ccccc1)c1ccccc1`, `C=C(c1ccccc1)c1ccccc1`},
		{`C=C1C2CCC(C2)C1(C)C`, `C=C1CC2CCC1C2`},
		{`C=C1C(C)(C)[C@@]2(Cl)C(Cl)[C@]1(Cl)C(Cl)(Cl)C2(Cl)Cl`, `C=C1CC2CCC1C2`},
		{`C=C1CC2CCC1C2`, `C=C1CC2CCC1C2`},
		{`CCO`, ``},
		{`C[C@H](N)c1ccccc1`, `c1ccccc1`},
		{`c1ccccc1`, `c1ccccc1`},
	}
	keys := make([]string, len(cases))
	for i, c := range cases {
		m, err := Parse(c[0])
		require.NoError(t, err, c[0])
		keys[i] = m.ScaffoldKey()
	}
	for i := range cases {
		for j := range cases {
			same := cases[i][1] == cases[j][1]
			require.Equalf(t, same, keys[i] == keys[j], "%s and %s: RDKit scaffolds %q and %q", cases[i][0], cases[j][0], cases[i][1], cases[j][1])
		}
	}
	require.Empty(t, keys[10], "an acyclic molecule has the empty scaffold")
}
