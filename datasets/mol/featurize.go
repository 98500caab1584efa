package mol

import "fmt"

// Pretrain-GNNs feature scheme (Hu et al., "Strategies for Pre-training
// Graph Neural Networks", ICLR 2020; chem/loader.py
// mol_to_graph_data_obj_simple): every transfer-learning paper on
// MoleculeNet uses it.
//
//	atom: [atomic number - 1 (0..117), chirality tag (0..3)]
//	bond: [bond type (single 0, double 1, triple 2, aromatic 3),
//	       bond direction (none 0, ENDUPRIGHT 1, ENDDOWNRIGHT 2)]
const (
	PretrainAtomTypes     = 118 // atomic numbers 1..118
	PretrainChiralityTags = 4   // unspecified, CW, CCW, other
	PretrainBondTypes     = 4
	PretrainBondDirs      = 3
)

// PretrainAtom returns atom a's pretrain-gnns features. The reference
// raises on atoms outside its lists (the wildcard '*'); so does this, with
// an error.
func (m *Mol) PretrainAtom(a int) ([2]int, error) {
	at := &m.Atoms[a]
	if at.Element < 1 || at.Element > 118 {
		return [2]int{}, fmt.Errorf("mol: atom %d (%s) has no pretrain-gnns atom type", a, Symbol(at.Element))
	}
	return [2]int{at.Element - 1, int(at.Chiral)}, nil
}

// PretrainBond returns bond b's pretrain-gnns features; quadruple bonds
// (outside the reference's list) are an error.
func (m *Mol) PretrainBond(b int) ([2]int, error) {
	bd := &m.Bonds[b]
	var t int
	switch bd.Type {
	case Single:
		t = 0
	case Double:
		t = 1
	case Triple:
		t = 2
	case Aromatic:
		t = 3
	default:
		return [2]int{}, fmt.Errorf("mol: bond %d has type %d, outside the pretrain-gnns bond types", b, bd.Type)
	}
	d := 0
	switch bd.Dir {
	case DirUpRight:
		d = 1
	case DirDownRight:
		d = 2
	}
	return [2]int{t, d}, nil
}

// OGBAtomDims and OGBBondDims are the vocabulary sizes of OGB's
// smiles2graph features (ogb.utils.features.get_atom_feature_dims and
// get_bond_feature_dims); the last value of each is its "misc" entry.
var (
	OGBAtomDims = [9]int{119, 5, 12, 12, 10, 6, 6, 2, 2}
	OGBBondDims = [3]int{5, 6, 2}
)

// OGBAtom returns atom a's nine OGB features (ogb.utils.features
// atom_to_feature_vector): atomic number - 1, chirality tag, total degree
// (hydrogens included), formal charge + 5, total hydrogens, radical
// electrons, hybridisation (SP, SP2, SP3, SP3D, SP3D2), aromatic, in ring;
// values outside a list take its misc index.
func (m *Mol) OGBAtom(a int) [9]int {
	at := &m.Atoms[a]
	clamp := func(v, lo, hi, misc int) int {
		if v < lo || v > hi {
			return misc
		}
		return v - lo
	}
	var f [9]int
	f[0] = clamp(at.Element, 1, 118, 118)
	f[1] = int(at.Chiral)
	if at.Chiral > ChiralOther {
		f[1] = 4
	}
	f[2] = clamp(m.Degree(a)+at.NumHs, 0, 10, 11)
	f[3] = clamp(at.Charge, -5, 5, 11)
	f[4] = clamp(at.NumHs, 0, 8, 9)
	f[5] = clamp(at.Radicals, 0, 4, 5)
	switch at.Hybrid {
	case HybridSP:
		f[6] = 0
	case HybridSP2:
		f[6] = 1
	case HybridSP3:
		f[6] = 2
	case HybridSP3D:
		f[6] = 3
	case HybridSP3D2:
		f[6] = 4
	default:
		f[6] = 5
	}
	if at.Aromatic {
		f[7] = 1
	}
	if at.InRing {
		f[8] = 1
	}
	return f
}

// OGBBond returns bond b's three OGB features (bond_to_feature_vector):
// type (single, double, triple, aromatic, misc), stereo (none, Z, E, cis,
// trans, any), conjugated.
func (m *Mol) OGBBond(b int) [3]int {
	bd := &m.Bonds[b]
	var f [3]int
	switch bd.Type {
	case Single:
		f[0] = 0
	case Double:
		f[0] = 1
	case Triple:
		f[0] = 2
	case Aromatic:
		f[0] = 3
	default:
		f[0] = 4
	}
	switch bd.Stereo {
	case StereoNone:
		f[1] = 0
	case StereoZ:
		f[1] = 1
	case StereoE:
		f[1] = 2
	case StereoCis:
		f[1] = 3
	case StereoTrans:
		f[1] = 4
	case StereoAny:
		f[1] = 5
	}
	if bd.Conjugated {
		f[2] = 1
	}
	return f
}
