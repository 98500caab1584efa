#!/usr/bin/env python3
"""RDKit's time for the work datasets/mol's HIV benchmarks do (bench_test.go).

The project never depends on RDKit; this script is only the reference for
scripts/mol_speed.sh. Reads the SMILES column of a MoleculeNet CSV (.csv or
.csv.gz) once, then times one pass over every SMILES of:

  parse     Chem.MolFromSmiles
  pretrain  MolFromSmiles + the pretrain-gnns featurization loop of
            snap-stanford/pretrain-gnns chem/loader.py
            mol_to_graph_data_obj_simple (atom type and chirality tag per
            atom; bond type and bond direction per bond, each bond in both
            directions), producing plain Python lists instead of torch
            tensors (no torch here)
  scaffold  MolFromSmiles + MurckoScaffold.MurckoScaffoldSmiles(mol=m,
            includeChirality=True)

and prints one line per workload: "rdkit WORKLOAD MOLS SECONDS MOL/S".

    /usr/bin/python3 scripts/rdkit_speed.py ../shared/data/molecules/moleculenet/hiv.csv.gz [workload...]
"""
import csv
import gzip
import sys
import time

try:
    from rdkit import Chem, RDLogger
    from rdkit.Chem.Scaffolds import MurckoScaffold
except ImportError:
    sys.exit("rdkit_speed: rdkit is not installed for this python (Debian: apt-get install python3-rdkit; "
             "use /usr/bin/python3); the project itself never needs it")

RDLogger.DisableLog('rdApp.*')

# pretrain-gnns chem/loader.py allowable_features
ALLOWABLE = {
    'possible_atomic_num_list': list(range(1, 119)),
    'possible_chirality_list': [
        Chem.rdchem.ChiralType.CHI_UNSPECIFIED,
        Chem.rdchem.ChiralType.CHI_TETRAHEDRAL_CW,
        Chem.rdchem.ChiralType.CHI_TETRAHEDRAL_CCW,
        Chem.rdchem.ChiralType.CHI_OTHER,
    ],
    'possible_bonds': [
        Chem.rdchem.BondType.SINGLE,
        Chem.rdchem.BondType.DOUBLE,
        Chem.rdchem.BondType.TRIPLE,
        Chem.rdchem.BondType.AROMATIC,
    ],
    'possible_bond_dirs': [
        Chem.rdchem.BondDir.NONE,
        Chem.rdchem.BondDir.ENDUPRIGHT,
        Chem.rdchem.BondDir.ENDDOWNRIGHT,
    ],
}


def mol_to_graph_lists(mol):
    """mol_to_graph_data_obj_simple with lists in place of torch tensors."""
    atom_features_list = []
    for atom in mol.GetAtoms():
        atom_feature = [ALLOWABLE['possible_atomic_num_list'].index(atom.GetAtomicNum())] + \
                       [ALLOWABLE['possible_chirality_list'].index(atom.GetChiralTag())]
        atom_features_list.append(atom_feature)
    x = atom_features_list
    if len(mol.GetBonds()) > 0:
        edges_list = []
        edge_features_list = []
        for bond in mol.GetBonds():
            i = bond.GetBeginAtomIdx()
            j = bond.GetEndAtomIdx()
            edge_feature = [ALLOWABLE['possible_bonds'].index(bond.GetBondType())] + \
                           [ALLOWABLE['possible_bond_dirs'].index(bond.GetBondDir())]
            edges_list.append((i, j))
            edge_features_list.append(edge_feature)
            edges_list.append((j, i))
            edge_features_list.append(edge_feature)
        edge_index = [list(t) for t in zip(*edges_list)]  # as torch.tensor(...).t()
        edge_attr = edge_features_list
    else:
        edge_index = [[], []]
        edge_attr = []
    return x, edge_index, edge_attr


def read_smiles(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', newline='') as f:
        r = csv.reader(f)
        next(r)
        return [row[0].strip() for row in r]


def each_mol(smiles, work):
    """Parses every SMILES, runs work(mol) on those RDKit parses; returns the failures."""
    fails = 0
    for s in smiles:
        m = Chem.MolFromSmiles(s)
        if m is None:
            fails += 1
        elif work is not None:
            work(m)
    return fails


def parse(smiles):
    return each_mol(smiles, None)


def pretrain_lists(m):
    try:
        mol_to_graph_lists(m)
    except ValueError:  # an atom or bond outside the lists: the reference raises
        pass


def pretrain(smiles):
    return each_mol(smiles, pretrain_lists)


def scaffold(smiles):
    return each_mol(smiles, lambda m: MurckoScaffold.MurckoScaffoldSmiles(mol=m, includeChirality=True))


WORKLOADS = {'parse': parse, 'pretrain': pretrain, 'scaffold': scaffold}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    smiles = read_smiles(sys.argv[1])
    for w in sys.argv[2:] or list(WORKLOADS):
        t0 = time.perf_counter()
        fails = WORKLOADS[w](smiles)
        dt = time.perf_counter() - t0
        print(f'rdkit {w} {len(smiles)} {dt:.3f} {len(smiles) / dt:.0f} (unparsed {fails})', flush=True)


if __name__ == '__main__':
    main()
