#!/bin/bash
# Point-JEPA encoder ablation, speed only: the paper's transformer against
# the Set Transformer ISAB (Config.Encoder = isab, 32 inducing points) at 64
# and 512 patches per cloud, the small preset otherwise (1024 points, KNN
# 32; batch 32 at 64 patches, 8 at 512, where the tokenizer's 16,384
# grouped points per cloud at batch 32 would need over 20 GB). Runs
# alternate in one session so that the ratios share the machine's load
# (each under flock /tmp/bench.lock, so no other locked benchmark runs
# beside it); quote ratios, not absolute numbers.
#
#   scripts/bench_isab.sh [rounds] [GOMAXPROCS]   (defaults 1 and all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1}
procs=${2:-$(nproc)}
bin=$(mktemp -d)/pointjepa
go build -o "$bin" ./cmd/pointjepa
lscpu | grep -m1 "Model name" || true
echo "GOMAXPROCS=$procs, rounds $rounds"
printf "%-8s %-12s %-6s %12s %12s\n" groups encoder round train/s embed/s
for r in $(seq 1 "$rounds"); do
  for g in 64 512; do
    steps=6; emb=256; batch=32
    if [ "$g" = 512 ]; then steps=4; emb=64; batch=8; fi
    for enc in transformer isab; do
      out=$(GOMAXPROCS=$procs flock /tmp/bench.lock "$bin" bench --preset small --groups "$g" --encoder "$enc" --batch "$batch" \
        --steps "$steps" --embed-clouds "$emb" --embed-batch "$emb" --json 2>/dev/null)
      tr=$(echo "$out" | sed -n 's/.*"train_clouds_per_s": *\([0-9.e+-]*\).*/\1/p' | head -1)
      em=$(echo "$out" | sed -n 's/.*"embed_clouds_per_s": *\([0-9.e+-]*\).*/\1/p' | head -1)
      printf "%-8s %-12s %-6s %12s %12s\n" "$g" "$enc" "$r" "$tr" "$em"
    done
  done
done
