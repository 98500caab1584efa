#!/usr/bin/env bash
# Graph-JEPA on MoleculeNet (issue #16): pre-train once on the deduplicated
# union of the staged MoleculeNet files without the scaffold test split of
# any of them, then run the transfer protocol on each set
# (graphjepa reproduce --data FILE.csv --model M: frozen per-task probes of
# the pre-trained and untrained encoders, fine-tuning of both over seeds).
#
#   scripts/molecule_transfer.sh RUN_DIR [SEEDS [EPOCHS [PRETRAIN_EPOCHS [SETS...]]]]
#
# Defaults: 10 seeds × 100 fine-tuning epochs (pretrain-gnns' protocol),
# 3 pre-training epochs, every classification and regression set. Each set
# writes RUN_DIR/<set>.json (the reproduce summary) and <set>.log; the
# pre-trained model is RUN_DIR/union (reused when present). Fewer seeds or
# epochs are reported as reduced in every JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:?usage: scripts/molecule_transfer.sh RUN_DIR [SEEDS [EPOCHS [PRETRAIN_EPOCHS [SETS...]]]]}
seeds=${2:-10}
epochs=${3:-100}
pre_epochs=${4:-3}
shift $(( $# < 4 ? $# : 4 ))
data=${DATA:-../shared/data/molecules/moleculenet}
all=(bbbp bace clintox sider tox21 toxcast hiv muv delaney freesolv lipo)
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=("${all[@]}")
file() { for f in "$data/$1.csv" "$data/$1.csv.gz"; do [ -f "$f" ] && { echo "$f"; return; }; done; echo "missing: $data/$1.csv[.gz]" >&2; exit 1; }
mkdir -p "$run"
go build -o "$run/graphjepa" ./cmd/graphjepa
if [ ! -f "$run/union/config.json" ]; then
  list=$(for s in "${all[@]}"; do file "$s"; done | paste -sd, -)
  "$run/graphjepa" pretrain --data "$list" --exclude-test scaffold --epochs "$pre_epochs" \
    --out "$run/union" --run "$run/union-run" --json > "$run/union.json" 2> "$run/union.log"
fi
for s in "${sets[@]}"; do
  name=$(echo "$s" | tr a-z A-Z)
  [ "$name" = DELANEY ] && name=ESOL
  "$run/graphjepa" reproduce --dataset "$name" --data "$(file "$s")" --model "$run/union" \
    --runs "$seeds" --epochs "$epochs" --json > "$run/$s.json" 2> "$run/$s.log"
  echo "$s done: $run/$s.json"
done
