#!/usr/bin/env python3
"""Cross-check datasets/mol against RDKit (the project never depends on RDKit).

Reads the JSON lines written by `go run ./datasets/mol/internal/molfeatures
-in FILE` (one object per CSV row: our atoms, bonds, scaffold key) and
recomputes the same properties with RDKit's MolFromSmiles on the same SMILES.
Prints, per feature, the share of molecules (that RDKit parses) whose values
all equal RDKit's, and the most common kinds of difference.

    go run ./datasets/mol/internal/molfeatures -in bbbp.csv > ours.jsonl
    python3 scripts/rdkit_compare.py ours.jsonl [--examples 5] [--json]

Scaffold check (--scaffold): the partition of molecules by our scaffold key
must equal the partition by RDKit's MurckoScaffoldSmiles(includeChirality=True).
"""
import argparse
import collections
import json
import sys
import time

from rdkit import Chem, RDLogger
from rdkit.Chem.Scaffolds import MurckoScaffold

RDLogger.DisableLog('rdApp.*')

ATOM_FEATURES = ['atomic_num', 'chirality', 'degree', 'formal_charge', 'num_hs',
                 'radicals', 'hybridization', 'aromatic', 'in_ring']
BOND_FEATURES = ['bond_type', 'bond_dir', 'stereo', 'conjugated', 'bond_in_ring']


def rdkit_features(m):
    atoms = []
    for a in m.GetAtoms():
        atoms.append([a.GetAtomicNum(), int(a.GetChiralTag()), a.GetDegree(), a.GetFormalCharge(),
                      a.GetTotalNumHs(), a.GetNumRadicalElectrons(), int(a.GetHybridization()),
                      int(a.GetIsAromatic()), int(a.IsInRing())])
    bonds = {}
    for b in m.GetBonds():
        i, j = b.GetBeginAtomIdx(), b.GetEndAtomIdx()
        d = int(b.GetBondDir())
        bonds[(min(i, j), max(i, j))] = [int(b.GetBondType()), d, int(b.GetStereo()),
                                         int(b.GetIsConjugated()), int(b.IsInRing()), i]
    return atoms, bonds


PRETRAIN_FEATURES = ['a.atom_type', 'a.chirality', 'a.bond_type', 'a.bond_dir']
OGB_FEATURES = ['b.atomic_num', 'b.chirality', 'b.degree', 'b.formal_charge', 'b.num_hs', 'b.radicals',
                'b.hybridization', 'b.aromatic', 'b.in_ring', 'b.bond_type', 'b.stereo', 'b.conjugated']
CH = Chem.ChiralType
BT = Chem.BondType
BD = Chem.BondDir
HY = Chem.HybridizationType
ST = Chem.BondStereo


def pretrain_reference(m):
    """pretrain-gnns chem/loader.py mol_to_graph_data_obj_simple, as index lists; None where it raises."""
    chir = [CH.CHI_UNSPECIFIED, CH.CHI_TETRAHEDRAL_CW, CH.CHI_TETRAHEDRAL_CCW, CH.CHI_OTHER]
    bts = [BT.SINGLE, BT.DOUBLE, BT.TRIPLE, BT.AROMATIC]
    dirs = [BD.NONE, BD.ENDUPRIGHT, BD.ENDDOWNRIGHT]
    try:
        atoms = [[list(range(1, 119)).index(a.GetAtomicNum()), chir.index(a.GetChiralTag())] for a in m.GetAtoms()]
        bonds = {}
        for b in m.GetBonds():
            i, j = b.GetBeginAtomIdx(), b.GetEndAtomIdx()
            bonds[(min(i, j), max(i, j))] = [bts.index(b.GetBondType()), dirs.index(b.GetBondDir())]
    except ValueError:
        return None
    return atoms, bonds


def safe_index(lst, e):
    try:
        return lst.index(e)
    except ValueError:
        return len(lst) - 1


def ogb_reference(m):
    """ogb/utils/features.py atom_to_feature_vector / bond_to_feature_vector."""
    chir = ['CHI_UNSPECIFIED', 'CHI_TETRAHEDRAL_CW', 'CHI_TETRAHEDRAL_CCW', 'CHI_OTHER', 'misc']
    hyb = ['SP', 'SP2', 'SP3', 'SP3D', 'SP3D2', 'misc']
    bts = ['SINGLE', 'DOUBLE', 'TRIPLE', 'AROMATIC', 'misc']
    sts = ['STEREONONE', 'STEREOZ', 'STEREOE', 'STEREOCIS', 'STEREOTRANS', 'STEREOANY']
    atoms = []
    for a in m.GetAtoms():
        atoms.append([safe_index(list(range(1, 119)) + ['misc'], a.GetAtomicNum()),
                      safe_index(chir, str(a.GetChiralTag())),
                      safe_index(list(range(11)) + ['misc'], a.GetTotalDegree()),
                      safe_index(list(range(-5, 6)) + ['misc'], a.GetFormalCharge()),
                      safe_index(list(range(9)) + ['misc'], a.GetTotalNumHs()),
                      safe_index(list(range(5)) + ['misc'], a.GetNumRadicalElectrons()),
                      safe_index(hyb, str(a.GetHybridization())),
                      int(a.GetIsAromatic()), int(a.IsInRing())])
    bonds = {}
    for b in m.GetBonds():
        i, j = b.GetBeginAtomIdx(), b.GetEndAtomIdx()
        bonds[(min(i, j), max(i, j))] = [safe_index(bts, str(b.GetBondType())), sts.index(str(b.GetStereo())),
                                         int(b.GetIsConjugated())]
    return atoms, bonds


def compare_vectors(r, m, agree, kinds, n_atom_feats, names, ours_a, ours_b, ref):
    """Per feature column: does every atom (bond) of the molecule agree?"""
    ra, rb = ref
    ob = {}
    for k, b in enumerate(r.get('bonds', [])):
        ob[(min(b[0], b[1]), max(b[0], b[1]))] = ours_b[k]
    for k, f in enumerate(names):
        if k < n_atom_feats:
            bad = [(i, ours_a[i][k], ra[i][k]) for i in range(len(ra)) if ours_a[i][k] != ra[i][k]]
        else:
            kk = k - n_atom_feats
            bad = [(key, ob[key][kk], v[kk]) for key, v in rb.items() if ob[key][kk] != v[kk]]
        if not bad:
            agree[f] += 1
        else:
            kinds[f][bad[0][1:]] += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ours')
    ap.add_argument('--examples', type=int, default=3)
    ap.add_argument('--scaffold', action='store_true')
    ap.add_argument('--json', action='store_true')
    args = ap.parse_args()
    rows = [json.loads(l) for l in open(args.ours)]
    n_rd = 0
    ours_fail_rd_ok = []
    rd_fail = 0
    structure_mismatch = []
    agree = collections.Counter()
    kinds = {f: collections.Counter() for f in ATOM_FEATURES + BOND_FEATURES}
    examples = {f: [] for f in ATOM_FEATURES + BOND_FEATURES}
    our_scaf, rd_scaf = {}, {}
    feat_agree = collections.Counter()
    feat_kinds = {f: collections.Counter() for f in PRETRAIN_FEATURES + OGB_FEATURES}
    pretrain_ref_fail = 0
    pretrain_err_mismatch = 0
    t0 = time.time()
    for r in rows:
        m = Chem.MolFromSmiles(r['smiles'])
        if m is None:
            rd_fail += 1
            continue
        n_rd += 1
        if r.get('err'):
            ours_fail_rd_ok.append((r['i'], r['smiles'], r['err']))
            continue
        ra, rb = rdkit_features(m)
        oa = r.get('atoms', [])
        ob = {}
        for b in r.get('bonds', []):
            ob[(min(b[0], b[1]), max(b[0], b[1]))] = b[2:] + [b[0]]
        if len(ra) != len(oa) or set(rb) != set(ob):
            structure_mismatch.append((r['i'], r['smiles'], len(ra), len(oa)))
            continue
        if 'oa' in r:
            compare_vectors(r, m, feat_agree, feat_kinds, 9, OGB_FEATURES, r['oa'], r.get('ob', []), ogb_reference(m))
            pref = pretrain_reference(m)
            if pref is None:
                pretrain_ref_fail += 1
                if not r.get('pretrain_err'):
                    pretrain_err_mismatch += 1
            else:
                if r.get('pretrain_err'):
                    pretrain_err_mismatch += 1
                else:
                    compare_vectors(r, m, feat_agree, feat_kinds, 2, PRETRAIN_FEATURES, r['pa'], r.get('pb', []), pref)
        if args.scaffold:
            our_scaf[r['i']] = r.get('scaffold', '')
            rd_scaf[r['i']] = MurckoScaffold.MurckoScaffoldSmiles(mol=m, includeChirality=True)
        for k, f in enumerate(ATOM_FEATURES):
            bad = [(i, oa[i][k], ra[i][k]) for i in range(len(ra)) if oa[i][k] != ra[i][k]]
            if not bad:
                agree[f] += 1
            else:
                for i, o, x in bad[:1]:
                    kinds[f][(Chem.MolFromSmiles(r['smiles']).GetAtomWithIdx(i).GetSymbol(), o, x)] += 1
                if len(examples[f]) < args.examples:
                    examples[f].append((r['i'], r['smiles'], bad[:3]))
        for k, f in enumerate(BOND_FEATURES):
            bad = []
            for key, rv in rb.items():
                ov = ob[key]
                o, x = ov[k], rv[k]
                if f == 'bond_dir' and o != x and ov[-1] != rv[-1]:
                    # reversed begin/end: same direction written the other way
                    o = {3: 4, 4: 3}.get(o, o)
                if o != x:
                    bad.append((key, o, x))
            if not bad:
                agree[f] += 1
            else:
                for key, o, x in bad[:1]:
                    kinds[f][(o, x)] += 1
                if len(examples[f]) < args.examples:
                    examples[f].append((r['i'], r['smiles'], bad[:3]))
    compared = n_rd - len(ours_fail_rd_ok) - len(structure_mismatch)
    out = {'file': args.ours, 'rows': len(rows), 'rdkit_parsed': n_rd, 'rdkit_failed': rd_fail,
           'ours_failed_rdkit_ok': len(ours_fail_rd_ok), 'structure_mismatch': len(structure_mismatch),
           'compared': compared,
           'agreement': {f: (agree[f] / n_rd if n_rd else 0) for f in ATOM_FEATURES + BOND_FEATURES}}
    out['pretrain_reference_raises'] = pretrain_ref_fail
    out['pretrain_raise_mismatch'] = pretrain_err_mismatch
    n_pre = n_rd - pretrain_ref_fail
    out['feature_agreement'] = {f: (feat_agree[f] / (n_pre if f.startswith('a.') else n_rd) if n_rd else 0)
                                for f in PRETRAIN_FEATURES + OGB_FEATURES}
    out['feature_diff_kinds'] = {f: [[list(k) if isinstance(k, tuple) else k, c] for k, c in feat_kinds[f].most_common(4)]
                                 for f in PRETRAIN_FEATURES + OGB_FEATURES if feat_kinds[f]}
    if args.scaffold:
        def partition(d):
            g = collections.defaultdict(list)
            for i, k in d.items():
                g[k].append(i)
            return sorted(tuple(v) for v in g.values())
        po, pr = partition(our_scaf), partition(rd_scaf)
        out['scaffold_sets_ours'] = len(po)
        out['scaffold_sets_rdkit'] = len(pr)
        out['scaffold_partition_equal'] = po == pr
        # molecules whose group differs
        go = {i: frozenset(v) for v in po for i in v}
        gr = {i: frozenset(v) for v in pr for i in v}
        diff = [i for i in go if go[i] != gr.get(i)]
        out['scaffold_molecules_in_differing_groups'] = len(diff)
        out['scaffold_examples'] = [(i, rows[i]['smiles'], rd_scaf[i], sorted(go[i]), sorted(gr.get(i, []))) for i in diff[:args.examples]]
    if args.json:
        print(json.dumps(out))
        return
    print(json.dumps({k: v for k, v in out.items() if k not in ('agreement', 'feature_agreement')}))
    print('featurizer agreement (share of molecules, all atoms/bonds equal):')
    for f in PRETRAIN_FEATURES + OGB_FEATURES:
        print(f'  {f:16s} {100 * out["feature_agreement"][f]:8.3f} %')
    print('share of RDKit-parsed molecules whose feature values all equal RDKit\'s:')
    for f in ATOM_FEATURES + BOND_FEATURES:
        print(f'  {f:15s} {100 * out["agreement"][f]:8.3f} %   diffs(first per mol, ours->rdkit): {kinds[f].most_common(6)}')
        for e in examples[f]:
            print('      e.g.', e)
    for e in ours_fail_rd_ok[:args.examples]:
        print('  ours failed:', e)
    for e in structure_mismatch[:args.examples]:
        print('  structure mismatch:', e)


if __name__ == '__main__':
    main()
