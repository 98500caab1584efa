package mol

// elementSymbols lists the element symbols by atomic number (index 0 is
// the wildcard '*').
var elementSymbols = [...]string{"*",
	"H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne",
	"Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar", "K", "Ca",
	"Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn",
	"Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr",
	"Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn",
	"Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
	"Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb",
	"Lu", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg",
	"Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th",
	"Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm",
	"Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds",
	"Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
}

// MaxAtomicNumber is the largest atomic number the parser knows (Og).
const MaxAtomicNumber = len(elementSymbols) - 1

// Symbol returns the element symbol of atomic number z ("*" for 0, "" if
// out of range).
func Symbol(z int) string {
	if z < 0 || z > MaxAtomicNumber {
		return ""
	}
	return elementSymbols[z]
}

var symbolToZ = func() map[string]int {
	m := make(map[string]int, len(elementSymbols))
	for z, s := range elementSymbols {
		m[s] = z
	}
	return m
}()

// valenceList is RDKit's allowed-valence list of element z.
func valenceList(z int) []int {
	if z < 0 || z > MaxAtomicNumber {
		return []int{-1}
	}
	return rdValences[z]
}

// defaultValence is the first allowed valence, -1 when any is allowed.
func defaultValence(z int) int {
	if z <= 0 || z > MaxAtomicNumber {
		return -1
	}
	return rdValences[z][0]
}

// outerElectrons is the number of valence-shell electrons RDKit assigns.
func outerElectrons(z int) int {
	if z < 0 || z > MaxAtomicNumber {
		return 0
	}
	return rdOuterElectrons[z]
}

// isEarlyAtom reports whether hydrogens add to the element as H⁻ (RDKit's
// isEarlyAtom: groups 1, 2, 13 and the early transition metals), which
// flips the sign of the charge in valence arithmetic.
func isEarlyAtom(z int) bool {
	if z <= 1 || z > MaxAtomicNumber {
		return false
	}
	if z == 6 {
		return false
	}
	return outerElectrons(z) < 4
}

// moreElectronegative is RDKit's ordering: more outer electrons wins, then
// the lighter element.
func moreElectronegative(a, b int) bool {
	na, nb := outerElectrons(a), outerElectrons(b)
	if na != nb {
		return na > nb
	}
	return a < b
}
