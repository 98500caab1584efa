#!/usr/bin/env bash
# datasets/mol against RDKit on all of MoleculeNet's HIV (41,127 SMILES):
# parse, parse + pretrain-gnns features, parse + Bemis–Murcko scaffold.
# Alternates ours (go test -bench HIV in datasets/mol, GOMAXPROCS=1) with
# scripts/rdkit_speed.py (RDKit is single-threaded) for some rounds, each
# round under flock /tmp/bench.lock, and prints one summary line per
# workload: the median of the rounds' mol/s, ours and RDKit's, and the ratio
# (ours ÷ RDKit: above 1 means we are faster), with the CPU model.
#
#   scripts/mol_speed.sh [rounds]        # from anywhere; rounds defaults to 3
#
# The project never depends on RDKit: this comparison needs Debian's
# python3-rdkit for /usr/bin/python3 (override with PYTHON=...).
set -u
cd "$(dirname "$0")/.."
rounds=${1:-3}
data=../shared/data/molecules/moleculenet/hiv.csv.gz
py=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$data" ]; then
	echo "mol_speed: $data is absent" >&2
	exit 1
fi
if ! "$py" -c 'import rdkit' 2>/dev/null; then
	echo "mol_speed: rdkit is not installed for $py (Debian: apt-get install python3-rdkit); the project never needs it, only this comparison" >&2
	exit 1
fi
go test -c -o "$tmp/mol.test" ./datasets/mol || exit 1
cpu=$(lscpu | sed -nE 's/^Model name: *//p' | head -1)
fam=$(lscpu | sed -nE 's/^CPU family: *//p' | head -1)
model=$(lscpu | sed -nE 's/^Model: *//p' | head -1)

for r in $(seq "$rounds"); do
	# bench_test.go finds the data relative to datasets/mol
	(cd datasets/mol && GOMAXPROCS=1 flock /tmp/bench.lock "$tmp/mol.test" -test.run '^$' \
		-test.bench 'HIV(Parse|Pretrain|Scaffold)$' -test.benchtime 2x) >"$tmp/go.$r" 2>&1 ||
		{ cat "$tmp/go.$r" >&2; exit 1; }
	flock /tmp/bench.lock "$py" scripts/rdkit_speed.py "$data" >"$tmp/rdkit.$r" 2>&1 ||
		{ cat "$tmp/rdkit.$r" >&2; exit 1; }
	echo "round $r: $(grep -h '^Benchmark' "$tmp/go.$r" | awk '{printf "%s %s mol/s, %s allocs/op; ", $1, $5, $11}')$(awk '{printf "rdkit %s %s mol/s; ", $2, $5}' "$tmp/rdkit.$r")"
done

median() { sort -g | awk '{v[NR] = $1} END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "mol_speed $(date -u +%F), $rounds rounds, GOMAXPROCS=1 against single-threaded RDKit $("$py" -c 'import rdkit; print(rdkit.__version__)'), $cpu (family $fam model $model), load $(cut -d' ' -f1-3 /proc/loadavg):"
for w in Parse:parse Pretrain:pretrain Scaffold:scaffold; do
	g=${w%%:*} p=${w##*:}
	ours=$(cat "$tmp"/go.* | awk -v b="BenchmarkHIV$g" '$1 ~ "^"b"(-[0-9]+)?$" {print $5}' | median)
	theirs=$(cat "$tmp"/rdkit.* | awk -v w="$p" '$2 == w {print $5}' | median)
	awk -v w="$p" -v o="$ours" -v t="$theirs" 'BEGIN { printf "%-9s ours %8.0f mol/s   RDKit %8.0f mol/s   ratio %.2f\n", w, o, t, o / t }'
done
