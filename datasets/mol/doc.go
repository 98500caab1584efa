// Package mol reads SMILES into molecular graphs with the properties
// RDKit's MolFromSmiles computes (implicit hydrogens, Kekulé structure,
// rings, RDKit's default aromaticity model, conjugation, hybridisation,
// chirality and double-bond stereo), and featurises them with the
// pretrain-gnns (Hu et al. 2020) and OGB smiles2graph schemes. Scaffold
// and ScaffoldKey give Bemis–Murcko scaffolds as RDKit's MurckoDecompose
// builds them, for datasets/split.ScaffoldSplit.
//
// The package does not depend on RDKit; scripts/rdkit_compare.py checks
// it against RDKit 2022.09 on the MoleculeNet sets (via the
// internal/molfeatures command).
package mol
