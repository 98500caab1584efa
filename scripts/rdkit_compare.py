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
    print(json.dumps({k: v for k, v in out.items() if k != 'agreement'}))
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
