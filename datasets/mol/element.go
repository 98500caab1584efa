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

// valenceList holds RDKit's allowed valences per element (its
// atomic_data table); nil means "any" (RDKit's -1: transition metals,
// lanthanides, actinides), where no hydrogens are added.
var valenceList = func() [][]int {
	v := make([][]int, len(elementSymbols))
	set := func(vals []int, zs ...int) {
		for _, z := range zs {
			v[z] = vals
		}
	}
	set([]int{1}, 1, 3, 9, 11, 19, 37, 55, 87, 17, 35)
	set([]int{0}, 2, 10, 18, 36, 86)
	set([]int{2}, 4, 8, 12, 20, 38, 56, 88)
	set([]int{3}, 5, 7, 13, 31, 49)
	set([]int{4}, 6, 14, 32)
	set([]int{3, 5, 7}, 15, 33, 51)
	set([]int{2, 4, 6}, 16, 34, 52, 84)
	set([]int{1, 3, 5}, 53, 85)
	set([]int{0, 2, 4, 6}, 54)
	set([]int{2, 4}, 50, 82)
	set([]int{1, 3}, 81)
	set([]int{3, 5}, 83)
	return v
}()

// defaultValence is the first allowed valence, -1 when any is allowed.
func defaultValence(z int) int {
	if z <= 0 || z > MaxAtomicNumber || valenceList[z] == nil {
		return -1
	}
	return valenceList[z][0]
}

// outerElectrons is the number of valence-shell electrons RDKit assigns
// (its periodic table's nOuterElecs).
func outerElectrons(z int) int {
	switch {
	case z <= 0:
		return 0
	case z <= 2:
		return z
	case z <= 10:
		return z - 2
	case z <= 18:
		return z - 10
	case z <= 36:
		g := z - 18 // 1..18 across the period
		if g <= 12 {
			if g == 12 {
				return 2
			}
			return g
		}
		return g - 10
	case z <= 54:
		g := z - 36
		if g <= 12 {
			if g == 12 {
				return 2
			}
			return g
		}
		return g - 10
	default:
		// Periods 6 and 7: s, f, d, p blocks.
		base := 54
		if z > 86 {
			base = 86
		}
		g := z - base
		switch {
		case g <= 2:
			return g
		case g <= 17: // La..Yb (Ac..No): f block
			return 3
		case g <= 26: // Lu..Pt
			return g - 14
		case g == 27: // Au
			return 11
		case g == 28: // Hg
			return 2
		default: // Tl..Rn
			return g - 26
		}
	}
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
	return outerElectrons(z) < 4 && valenceList[z] != nil
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
