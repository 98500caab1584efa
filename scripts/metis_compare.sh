#!/usr/bin/env bash
# Compares graphjepa/partition with METIS 5 itself (gpmetis -ptype=rb, i.e.
# METIS_PartGraphRecursive with its default options) on exactly the same
# graphs: every PROTEINS graph with >= 32 nodes (>= 128 for k = 128), every
# DD graph with at least k nodes, and the first 200 REDDIT-BINARY graphs with
# at least k nodes, at k = 32 and k = 128.
#
# Needs Debian's metis package (apt-get install metis: gpmetis and
# libmetis5) and a C compiler; the project itself never depends on them.
#
#   scripts/metis_compare.sh [rounds]     # default 3 timing rounds per set
#
# For every set it
#   1. runs `graphjepa partition --write-metis DIR` once, which writes each
#      selected graph in METIS' graph-file format;
#   2. runs gpmetis -ptype=rb on every file: the edge cut it prints and its own
#      "Partitioning" time (gpmetis prints it to the millisecond, so on graphs
#      this small the sum is coarse; it excludes process start and I/O);
#   3. times METIS_PartGraphRecursive itself, called from a small C program
#      linked against libmetis.so.5 (the library gpmetis uses), one call per
#      graph, wall clock around the call only - the same measure as ours;
#   4. times ours, `graphjepa partition --json`, whose "seconds" are the wall
#      time spent inside Partitioner.Partition only;
#   and repeats 3 and 4 alternately `rounds` times, keeping the fastest round
#   of each (the machine may be shared), then prints one table row.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
data=${DATA:-../shared/data/graphs}
out=${OUT:-/tmp/jepa-metis-compare}
mkdir -p "$out"

command -v gpmetis >/dev/null || { echo "gpmetis not found: apt-get install metis" >&2; exit 1; }
lib=$(ls /usr/lib/*/libmetis.so.5 /usr/lib/libmetis.so.5 2>/dev/null | head -1 || true)
[ -n "$lib" ] || { echo "libmetis.so.5 not found (Debian package libmetis5)" >&2; exit 1; }

go build -o "$out/graphjepa" ./cmd/graphjepa

# The harness declares the one METIS entry point it needs (libmetis-dev, the
# header package, is not required). Debian builds METIS with 32-bit idx_t
# and real_t, which gpmetis confirms in its banner; the script checks it.
cat >"$out/metis_harness.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
typedef int32_t idx_t;
typedef float real_t;
int METIS_PartGraphRecursive(idx_t *nvtxs, idx_t *ncon, idx_t *xadj, idx_t *adjncy,
    idx_t *vwgt, idx_t *vsize, idx_t *adjwgt, idx_t *nparts, real_t *tpwgts,
    real_t *ubvec, idx_t *options, idx_t *objval, idx_t *part);
int METIS_SetDefaultOptions(idx_t *options);
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
/* usage: metis_harness K FILE... ; prints graphs, cut total, seconds in METIS */
int main(int argc, char **argv) {
  idx_t opt[40], k = atoi(argv[1]);
  long long cut = 0; double secs = 0; int graphs = 0;
  METIS_SetDefaultOptions(opt);
  for (int a = 2; a < argc; a++) {
    FILE *f = fopen(argv[a], "r");
    if (!f) { perror(argv[a]); return 1; }
    long n, m;
    if (fscanf(f, "%ld %ld", &n, &m) != 2) { fprintf(stderr, "%s: bad header\n", argv[a]); return 1; }
    idx_t *xadj = malloc((n + 1) * sizeof *xadj), *adj = malloc((2 * m + 1) * sizeof *adj), *part = malloc((n + 1) * sizeof *part);
    int c = fgetc(f);
    while (c != '\n' && c != EOF) c = fgetc(f);
    long e = 0; xadj[0] = 0;
    for (long v = 0; v < n; v++) {
      long x = 0; int have = 0;
      for (;;) {
        c = fgetc(f);
        if (c >= '0' && c <= '9') { x = 10 * x + (c - '0'); have = 1; continue; }
        if (have) { adj[e++] = x - 1; x = 0; have = 0; }
        if (c == '\n' || c == EOF) break;
      }
      xadj[v + 1] = e;
    }
    fclose(f);
    idx_t nv = n, ncon = 1, obj = 0;
    double t0 = now();
    int r = METIS_PartGraphRecursive(&nv, &ncon, xadj, adj, NULL, NULL, NULL, &k, NULL, NULL, opt, &obj, part);
    secs += now() - t0;
    if (r != 1) { fprintf(stderr, "%s: METIS error %d\n", argv[a], r); return 1; }
    cut += obj; graphs++;
    free(xadj); free(adj); free(part);
  }
  printf("%d %lld %.6f\n", graphs, cut, secs);
  return 0;
}
EOF
cc -O2 -o "$out/metis_harness" "$out/metis_harness.c" "$lib"
printf '2 1\n2\n1\n' >"$out/tiny.graph"
gpmetis "$out/tiny.graph" 2 | grep -q "idx_t: 32bits" || { echo "this METIS is not built with 32-bit idx_t; adjust the harness" >&2; exit 1; }
rm -f "$out"/tiny.graph*

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['graphs'], d['edge_cut_total'], '%.6f' % d['seconds'], '%.3f' % d['max_imbalance'])"; }

printf '%-14s %4s %6s %10s %10s %6s %9s %9s %6s %11s %8s %9s\n' set k graphs cut_ours cut_metis ratio t_ours t_metis ratio t_gpmetis imb_ours imb_metis
row() { # name path k limit
	local name=$1 path=$2 k=$3 limit=$4 dir="$out/$1-$3"
	rm -rf "$dir"; mkdir -p "$dir"
	local sel=(--data "$path" --parts "$k" --min-nodes "$k")
	[ "$limit" -gt 0 ] && sel+=(--limit "$limit")
	read -r graphs cut_ours _ imb <<<"$("$out/graphjepa" partition "${sel[@]}" --write-metis "$dir" --json | json)"
	# gpmetis itself: its cut and its own partitioning time
	local gp
	gp=$(for f in "$dir"/*.graph; do gpmetis -ptype=rb "$f" "$k"; done 2>&1 |
		awk '/Edgecut:/ {gsub(",", "", $3); c += $3; n++} /Partitioning:/ {t += $2} /constraint #0:/ {if ($3 > b) b = $3} END {printf "%d %d %.3f %.3f", n, c, t, b}')
	rm -f "$dir"/*.part.*
	read -r gp_graphs gp_cut gp_time gp_imb <<<"$gp"
	local best_ours=999999 best_metis=999999 metis_cut=0 s
	for _ in $(seq "$rounds"); do
		read -r _ metis_cut s <<<"$("$out/metis_harness" "$k" "$dir"/*.graph)"
		best_metis=$(awk -v a="$best_metis" -v b="$s" 'BEGIN {print (b < a ? b : a)}')
		read -r _ _ s _ <<<"$("$out/graphjepa" partition "${sel[@]}" --json | json)"
		best_ours=$(awk -v a="$best_ours" -v b="$s" 'BEGIN {print (b < a ? b : a)}')
	done
	[ "$gp_cut" = "$metis_cut" ] || echo "note: gpmetis cut $gp_cut differs from the library call's $metis_cut" >&2
	[ "$gp_graphs" = "$graphs" ] || echo "note: gpmetis ran on $gp_graphs graphs, ours on $graphs" >&2
	awk -v n="$name" -v k="$k" -v g="$graphs" -v co="$cut_ours" -v cm="$metis_cut" -v to="$best_ours" -v tm="$best_metis" -v tg="$gp_time" -v imb="$imb" -v gimb="$gp_imb" \
		'BEGIN {printf "%-14s %4d %6d %10d %10d %6.3f %9.4f %9.4f %6.3f %11.3f %8s %9s\n", n, k, g, co, cm, co/cm, to, tm, to/tm, tg, imb, gimb}'
}
echo "-- $(uptime)" >&2
for k in 32 128; do
	row PROTEINS "$data/tu/PROTEINS" "$k" 0
	row DD "$data/gin_format/DD.zip" "$k" 0
	row REDDIT-BINARY "$data/gin_format/REDDIT-BINARY.zip" "$k" 200
done
echo "-- $(uptime)" >&2
