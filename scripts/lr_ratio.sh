#!/bin/bash
# 10-fold logistic regression on 2,000 × 512 generated features (Graph-JEPA's
# folds, LogisticRegression(max_iter=10000)): probe's CrossValidate against
# scikit-learn on the same data, alternated in one session, per core (ours
# GOMAXPROCS=1 serial folds; scikit-learn with OpenBLAS/OpenMP pinned to 1
# thread) and on all cores (ours folds in parallel; scikit-learn's default
# threads). Prints seconds per round and the median ratio sklearn ÷ ours.
# Comparison only: needs /usr/bin/python3 with scikit-learn (Debian's
# python3-sklearn); the project never does.
#
#   scripts/lr_ratio.sh [rounds]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
py=${PYTHON:-/usr/bin/python3}
if ! "$py" -c 'import sklearn' 2>/dev/null; then
  echo "lr_ratio: $py has no scikit-learn (apt install python3-sklearn); the project itself never needs it" >&2
  exit 2
fi
bin=$(mktemp -d)/probe.test
go test -c -o "$bin" ./probe
lscpu | grep -m1 "Model name" || true
ours() { # $1 GOMAXPROCS, $2 sub-benchmark
  (cd probe && GOMAXPROCS=$1 flock /tmp/bench.lock "$bin" -test.run '^$' -test.bench "CrossValidateLogistic/$2\$" -test.benchtime 1x) |
    awk '/ns\/op/ {printf "%.3f\n", $3/1e9}'
}
theirs() { # $1 threads ("" = default)
  if [ -n "$1" ]; then export OPENBLAS_NUM_THREADS=$1 OMP_NUM_THREADS=$1; else unset OPENBLAS_NUM_THREADS OMP_NUM_THREADS; fi
  flock /tmp/bench.lock "$py" scripts/sklearn_probe_bench.py logistic | awk '{print $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for mode in per-core all-cores; do
  ratios=()
  for r in $(seq 1 "$rounds"); do
    if [ "$mode" = per-core ]; then o=$(ours 1 serial); s=$(theirs 1); else o=$(ours "$(nproc)" parallel); s=$(theirs ""); fi
    ratio=$(awk -v s="$s" -v o="$o" 'BEGIN {printf "%.2f", s/o}')
    echo "$mode round $r: ours $o s, scikit-learn $s s, ratio $ratio"
    ratios+=("$ratio")
  done
  echo "$mode: median ratio scikit-learn ÷ ours $(printf '%s\n' "${ratios[@]}" | median)"
done
