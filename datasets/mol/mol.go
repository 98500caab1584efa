package mol

// Chirality is an atom's tetrahedral chirality tag with RDKit's meaning:
// looking from the first neighbour in the atom's bond order (Mol.AtomBonds),
// the other neighbours (an implicit hydrogen counted last) turn clockwise
// or counter-clockwise. The values are RDKit's ChiralType numbers.
type Chirality uint8

// The chirality tags (rdkit.Chem.ChiralType).
const (
	ChiralUnspecified Chirality = iota // CHI_UNSPECIFIED
	ChiralCW                           // CHI_TETRAHEDRAL_CW  (@@ in SMILES order)
	ChiralCCW                          // CHI_TETRAHEDRAL_CCW (@ in SMILES order)
	ChiralOther                        // CHI_OTHER (allene, square-planar, ... classes)
)

// BondType is the bond order after aromaticity perception; values are
// RDKit's BondType numbers for the types SMILES can write.
type BondType uint8

// The bond types.
const (
	Single    BondType = 1
	Double    BondType = 2
	Triple    BondType = 3
	Quadruple BondType = 4
	Aromatic  BondType = 12
)

// BondDir is the single-bond direction that '/' and '\' write (RDKit's
// BondDir, relative to the bond's begin atom).
type BondDir uint8

// The bond directions.
const (
	DirNone      BondDir = 0 // NONE
	DirDownRight BondDir = 3 // ENDDOWNRIGHT, '\'
	DirUpRight   BondDir = 4 // ENDUPRIGHT, '/'
)

// BondStereo is a double bond's configuration (RDKit's BondStereo).
type BondStereo uint8

// The bond stereo values.
const (
	StereoNone  BondStereo = 0 // STEREONONE
	StereoAny   BondStereo = 1 // STEREOANY
	StereoZ     BondStereo = 2 // STEREOZ
	StereoE     BondStereo = 3 // STEREOE
	StereoCis   BondStereo = 4 // STEREOCIS
	StereoTrans BondStereo = 5 // STEREOTRANS
)

// Hybridization is RDKit's HybridizationType.
type Hybridization uint8

// The hybridization values.
const (
	HybridUnspecified Hybridization = 0
	HybridS           Hybridization = 1
	HybridSP          Hybridization = 2
	HybridSP2         Hybridization = 3
	HybridSP3         Hybridization = 4
	HybridSP2D        Hybridization = 5
	HybridSP3D        Hybridization = 6
	HybridSP3D2       Hybridization = 7
	HybridOther       Hybridization = 8
)

// Atom is one heavy atom (or an explicit [H] written in the SMILES) of a
// molecule, with the properties RDKit computes on sanitisation.
type Atom struct {
	Element   int  // atomic number; 0 for the wildcard '*'
	Isotope   int  // mass number, 0 when not written
	Charge    int  // formal charge
	NumHs     int  // total attached hydrogens (bracket count or implicit)
	Radicals  int  // radical electrons
	Class     int  // atom class (":n" in a bracket atom), 0 if none
	Aromatic  bool // aromatic after perception (RDKit's default model)
	Bracket   bool // written in brackets (no implicit hydrogens)
	InRing    bool // member of at least one ring
	Chiral    Chirality
	Hybrid    Hybridization
	ExplicitH int // hydrogens written in the bracket (the rest are implicit)
	// valence is the explicit valence (sum of Kekulé bond orders plus
	// bracket hydrogens).
	valence int
}

// Bond is one bond between atoms Begin and End (indices into Mol.Atoms).
type Bond struct {
	Begin, End int
	Type       BondType
	Dir        BondDir
	Stereo     BondStereo
	Conjugated bool
	InRing     bool
	// kekule is the Kekulé order (1, 2, 3, 4) before aromaticity perception.
	kekule int
	// stereoAtoms are the substituents (of Begin, of End) that Stereo
	// refers to: cis for StereoZ, trans for StereoE.
	stereoAtoms [2]int
}

// Other returns the atom at the other end of the bond from atom a.
func (b *Bond) Other(a int) int {
	if b.Begin == a {
		return b.End
	}
	return b.Begin
}

// Mol is a molecular graph: atoms, bonds, and each atom's bonds in RDKit's
// order (chain bonds as the SMILES creates them, then ring-closure bonds in
// the order they close), which the chirality tags refer to.
type Mol struct {
	Atoms []Atom
	Bonds []Bond
	// adj[adjPtr[a]:adjPtr[a+1]] are the bond indices of atom a.
	adjPtr []int
	adj    []int
	// Rings are the ring atom lists of the symmetrised smallest set of
	// smallest rings (each in ring order), computed on demand by Rings.
	rings [][]int
}

// NumAtoms is the number of atoms (explicit hydrogens written as [H]
// included, implicit ones not).
func (m *Mol) NumAtoms() int { return len(m.Atoms) }

// NumBonds is the number of bonds.
func (m *Mol) NumBonds() int { return len(m.Bonds) }

// AtomBonds returns the bond indices of atom a in RDKit's order. The slice
// is shared; do not modify it.
func (m *Mol) AtomBonds(a int) []int { return m.adj[m.adjPtr[a]:m.adjPtr[a+1]] }

// Degree is the number of bonded (explicit) atoms of atom a.
func (m *Mol) Degree(a int) int { return m.adjPtr[a+1] - m.adjPtr[a] }

// BondBetween returns the index of the bond joining atoms a and b, or -1.
func (m *Mol) BondBetween(a, b int) int {
	for _, bi := range m.AtomBonds(a) {
		if m.Bonds[bi].Other(a) == b {
			return bi
		}
	}
	return -1
}

// buildAdjacency fills adjPtr/adj from Bonds in bond index order.
func (m *Mol) buildAdjacency() {
	n := len(m.Atoms)
	if cap(m.adjPtr) >= n+1 {
		m.adjPtr = m.adjPtr[:n+1]
		clear(m.adjPtr)
	} else {
		m.adjPtr = make([]int, n+1)
	}
	for _, b := range m.Bonds {
		m.adjPtr[b.Begin+1]++
		m.adjPtr[b.End+1]++
	}
	for i := 0; i < n; i++ {
		m.adjPtr[i+1] += m.adjPtr[i]
	}
	need := 2 * len(m.Bonds)
	if cap(m.adj) >= need {
		m.adj = m.adj[:need]
	} else {
		m.adj = make([]int, need)
	}
	fill := make([]int, n)
	copy(fill, m.adjPtr[:n])
	for i, b := range m.Bonds {
		m.adj[fill[b.Begin]] = i
		fill[b.Begin]++
		m.adj[fill[b.End]] = i
		fill[b.End]++
	}
}
