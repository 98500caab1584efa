#!/usr/bin/env bash
# Reruns every performance figure quoted in README.md, ours and the PyTorch
# twins side by side, and prints the raw benchmark lines. Run it from the
# repository root on a quiet machine (it prints the load average between
# groups). PyTorch figures need Debian's python3-torch
# (apt-get install python3-torch); they are skipped without it. The OpenBLAS
# comparison needs libopenblas-dev and cgo; it is skipped without them.
#
#   scripts/bench.sh [rounds]      # default 3 rounds per figure
set -u
cd "$(dirname "$0")/.."
rounds=${1:-3}
bench=../shared/bench
torch() { # threads script args...
	local tt=$1; shift
	if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
		env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE TT=$tt OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$@" 2>&1 | tail -1
	else
		echo "(python3-torch not installed: skipped)"
	fi
}
load() { echo "-- $(uptime)"; }

go test -c -o /tmp/jepa-bench-nn.test ./nn
go test -c -o /tmp/jepa-bench-gnn.test ./gnn
go test -c -o /tmp/jepa-bench-datasets.test ./datasets
go test -c -o /tmp/jepa-bench-probe.test ./probe

echo "== transformer step (4 layers, D=128, 4 heads, batch 32x16, fwd+bwd+AdamW)"; load
for r in $(seq "$rounds"); do
	(cd nn && /tmp/jepa-bench-nn.test -test.run '^$' -test.bench 'TransformerStep$' -test.benchtime 40x | grep Bench)
	(cd nn && GOMAXPROCS=1 /tmp/jepa-bench-nn.test -test.run '^$' -test.bench 'TransformerStep$' -test.benchtime 40x | grep Bench)
	(cd nn && NN_TEST_BLAS=gonum /tmp/jepa-bench-nn.test -test.run '^$' -test.bench 'TransformerStep$' -test.benchtime 10x | sed 's/^/gonum BLAS: /' | grep Bench)
	echo -n "torch 1 thread:  "; torch 1 $bench/torch_transformer_step.py 20
	echo -n "torch 2 threads: "; torch 2 $bench/torch_transformer_step.py 20
done

echo "== GINE block step (7,500 nodes, 15,000 edges, D=512, fwd+bwd+Adam)"; load
for r in $(seq "$rounds"); do
	(cd gnn && GOMAXPROCS=1 /tmp/jepa-bench-gnn.test -test.run '^$' -test.bench 'GINEStep$' -test.benchtime 10x | grep Bench)
	(cd gnn && /tmp/jepa-bench-gnn.test -test.run '^$' -test.bench 'GINEStep$|GINEBuildFirstRun$' -test.benchtime 10x | grep Bench)
	echo -n "torch 1 thread:  "; torch 1 $bench/torch_gine_step.py 7500 15000 512 5
	echo -n "torch 2 threads: "; torch 2 $bench/torch_gine_step.py 7500 15000 512 5
done

echo "== mini-PointNet step (32 clouds x 64 patches x 32 points, C=384)"; load
for r in $(seq "$rounds"); do
	(cd gnn && GOMAXPROCS=1 /tmp/jepa-bench-gnn.test -test.run '^$' -test.bench 'MiniPointNetStep$' -test.benchtime 3x | grep Bench)
	(cd gnn && /tmp/jepa-bench-gnn.test -test.run '^$' -test.bench 'MiniPointNetStep$' -test.benchtime 3x | grep Bench)
	echo -n "torch 1 thread:  "; torch 1 $bench/torch_minipointnet.py 32 64 32 384 2
	echo -n "torch 2 threads: "; torch 2 $bench/torch_minipointnet.py 32 64 32 384 2
done

echo "== SGEMM 1024^3 (ours, gonum; OpenBLAS with -tags openblas)"; load
if ! env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE go test -tags openblas -run '^$' -bench 'Sgemm/Square1024/' -benchtime 20x ./nn/gemm 2>/dev/null | grep Bench; then
	echo "(OpenBLAS build not available: ours and gonum only)"
	go test -run '^$' -bench 'Sgemm/Square1024/' -benchtime 20x ./nn/gemm | grep Bench
fi

echo "== data loading and point grouping"; load
(cd datasets && /tmp/jepa-bench-datasets.test -test.run '^$' -test.bench 'LoadTUNCI1$|NaiveSplitNCI1$|LoadModelNetNpy$|FPS$|KNNGroup$' -test.benchmem -test.count "$rounds" | grep Bench)

echo "== 10-fold probes, 2,000 x 512 features, 10 classes"; load
(cd probe && /tmp/jepa-bench-probe.test -test.run '^$' -test.bench 'CrossValidate' -test.benchtime 1x | grep Bench)
if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 scripts/sklearn_probe_bench.py
else
	echo "(python3-sklearn not installed: skipped)"
fi
load
