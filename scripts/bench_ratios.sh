#!/usr/bin/env bash
# Ours against the plain-PyTorch twins of ../shared/bench, alternated in the
# same minutes, and one summary line per workload with the ratio
# (twin time ÷ our time: above 1 means we are faster), the median of the
# rounds, on one core (GOMAXPROCS=1 against TT=1) and on all cores
# (GOMAXPROCS unset against TT=$(nproc)). Run it from the repository root on a
# quiet machine; the load average is printed with every summary line.
#
#   scripts/bench_ratios.sh [rounds] [workload...]
#
# rounds defaults to 3; workloads (default: all) are transformer, gine,
# minipointnet, graphjepa, pointjepa. The twins need Debian's python3-torch
# (apt-get install python3-torch); graphjepa needs ../shared/data.
set -u
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
want=${*:-transformer gine minipointnet graphjepa pointjepa}
bench=../shared/bench
cores=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
	echo "bench_ratios: python3-torch is not installed (apt-get install python3-torch)" >&2
	exit 1
fi
# Debian's torch calls whatever libblas.so.3 the alternatives system points
# to; without OpenBLAS installed that is the reference BLAS (≈ 6 GFLOP/s on a
# 1024^3 product where OpenBLAS gives 140), and every twin would be an order
# of magnitude slower for a reason that is not ours.
ref=$(TT=1 /usr/bin/python3 $bench/torch_matmul.py 2>/dev/null | sed -nE 's/.*float32 .*= *([0-9.]+) GFLOP.*/\1/p')
if [ -n "$ref" ] && awk -v g="$ref" 'BEGIN { exit !(g < 20) }'; then
	echo "bench_ratios: torch multiplies 1024^3 at $ref GFLOP/s on one thread: libblas.so.3 is not OpenBLAS (apt-get install libopenblas0-pthread)" >&2
	exit 1
fi
# OpenBLAS picks its kernels from the CPU model; a model newer than its
# tables falls back to an older kernel set: Debian's 0.3.21 takes Intel
# family 6 model 207 (Emerald Rapids) for "Prescott", SSE3 kernels at a third
# of the speed, and AMD family 26 (Zen 5, full-width AVX-512) for "Haswell",
# AVX2 kernels at 61-78 GFLOP/s where its SkylakeX kernels give 91. The twin
# would lose for a reason that is not ours, so on such CPUs (detected as
# Prescott, or as an AVX2 core type on a CPU with AVX-512) it gets the fastest
# of the kernels this CPU can run, timed on a 1024^3 product, and the choice
# is printed. BENCH_OPENBLAS_CORETYPE forces one ("" keeps OpenBLAS' own).
gflops() { # OPENBLAS_CORETYPE ; torch's 1024^3 float32 rate on one thread
	env -u OPENBLAS_CORETYPE ${1:+OPENBLAS_CORETYPE=$1} TT=1 /usr/bin/python3 $bench/torch_matmul.py 2>/dev/null |
		sed -nE 's/.*float32 .*= *([0-9.]+) GFLOP.*/\1/p'
}
coretype=${BENCH_OPENBLAS_CORETYPE-auto}
if [ "$coretype" = auto ]; then
	coretype=
	detected=$(/usr/bin/python3 -c 'import ctypes, ctypes.util, glob
for p in glob.glob("/usr/lib/x86_64-linux-gnu/openblas*/libopenblas*.so*"):
    l = ctypes.CDLL(p); l.openblas_get_corename.restype = ctypes.c_char_p
    print(l.openblas_get_corename().decode()); break' 2>/dev/null)
	avx512=no
	grep -qw avx512f /proc/cpuinfo && avx512=yes
	case $detected in
	Prescott) retry=yes ;;
	Haswell | Zen) retry=$avx512 ;;
	*) retry=no ;;
	esac
	if [ "$retry" = yes ]; then
		best=0
		# The detected kernel set is a candidate too (empty name).
		for c in "" SkylakeX Cooperlake Haswell; do
			case $c in SkylakeX | Cooperlake) [ $avx512 = yes ] || continue ;; esac
			g=$(gflops "$c")
			if [ -n "$g" ] && awk -v g="$g" -v b="$best" 'BEGIN { exit !(g > b) }'; then
				best=$g coretype=$c
			fi
		done
		echo "bench_ratios: OpenBLAS detects this CPU as $detected; the twins run with OPENBLAS_CORETYPE=${coretype:-$detected} (fastest of the kernels this CPU runs: $best GFLOP/s on 1024^3, one thread)"
	fi
fi
torch() { # threads script args... ; prints the twin's last line
	local tt=$1
	shift
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ${coretype:+OPENBLAS_CORETYPE=$coretype} TT=$tt OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$@" 2>&1 | tail -1
}
# gobench DIR BINARY PATTERN BENCHTIME [GOMAXPROCS] ; prints ms/op
gobench() {
	local dir=$1 bin=$2 pat=$3 bt=$4 procs=${5:-}
	(cd "$dir" && env ${procs:+GOMAXPROCS=$procs} "$bin" -test.run '^$' -test.bench "^Benchmark${pat}\$" -test.benchtime "$bt") |
		awk '/^Benchmark/ { for (i = 1; i <= NF; i++) if ($(i) == "ns/op") { printf "%.3f\n", $(i-1) / 1e6; exit } }'
}
# field REGEX ; the first number after REGEX on stdin
field() { sed -nE "s/.*$1 *([0-9.]+).*/\\1/p" | head -1; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2] + v[NR/2+1]) / 2 }'; }
# summary NAME UNIT OURS_FILE TWIN_FILE SETTING ; times (lower is better)
summary() {
	local name=$1 unit=$2 o t
	o=$(median <"$3")
	t=$(median <"$4")
	awk -v n="$name" -v u="$unit" -v o="$o" -v t="$t" -v s="$5" -v r="$rounds" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
		'BEGIN { printf "RATIO %-34s %-22s ours %9.2f %s  twin %9.2f %s  twin/ours %5.2f  (median of %d, load %s)\n", n, s, o, u, t, u, (o > 0 ? t / o : 0), r, l }'
}

for w in $want; do
	case $w in
	transformer | gine | minipointnet)
		pkg=nn
		[ "$w" != transformer ] && pkg=gnn
		[ -x "$tmp/$pkg.test" ] || go test -c -o "$tmp/$pkg.test" "./$pkg" || exit 1
		;;
	graphjepa | pointjepa)
		[ -x "$tmp/$w" ] || go build -o "$tmp/$w" "./cmd/$w" || exit 1
		;;
	*)
		echo "bench_ratios: unknown workload $w (want transformer, gine, minipointnet, graphjepa, pointjepa)" >&2
		exit 2
		;;
	esac
	for setting in 1 all; do
		procs=1 tt=1 label="1 core"
		if [ "$setting" = all ]; then procs="" tt=$cores label="$cores cores"; fi
		: >"$tmp/o" && : >"$tmp/t"
		for _ in $(seq "$rounds"); do
			case $w in
			transformer)
				gobench nn "$tmp/nn.test" TransformerStep 40x "$procs" >>"$tmp/o"
				torch "$tt" "$bench/torch_transformer_step.py" 20 | field 'step' >>"$tmp/t"
				;;
			gine)
				gobench gnn "$tmp/gnn.test" GINEStep 10x "$procs" >>"$tmp/o"
				torch "$tt" "$bench/torch_gine_step.py" 7500 15000 512 5 | field ':' >>"$tmp/t"
				;;
			minipointnet)
				gobench gnn "$tmp/gnn.test" MiniPointNetStep 3x "$procs" >>"$tmp/o"
				torch "$tt" "$bench/torch_minipointnet.py" 32 64 32 384 2 | field 'train' >>"$tmp/t"
				;;
			graphjepa)
				env ${procs:+GOMAXPROCS=$procs} "$tmp/graphjepa" bench --preset MUTAG --data ../shared/data/graphs/tu/MUTAG --timed-epochs 2 --json 2>/dev/null |
					field '"epoch_seconds":' >>"$tmp/o"
				torch "$tt" "$bench/torch_graphjepa_step.py" 128 2 --epoch | field 'test graphs\)' >>"$tmp/t"
				;;
			pointjepa)
				env ${procs:+GOMAXPROCS=$procs} "$tmp/pointjepa" bench --preset small --steps 5 --json 2>/dev/null >"$tmp/pj"
				# clouds/s → ms per cloud, so that lower is better for both.
				awk '{ print 1000 / $1 }' < <(field '"train_clouds_per_s":' <"$tmp/pj") >>"$tmp/o"
				awk '{ print 1000 / $1 }' < <(field '"embed_clouds_per_s":' <"$tmp/pj") >>"$tmp/oe"
				torch "$tt" "$bench/torch_pointjepa_step.py" small 32 5 >"$tmp/tp"
				awk '{ print 1000 / $1 }' < <(sed -nE 's/.*train [0-9.]+ ms\/step \(([0-9.]+) clouds\/s\).*/\1/p' "$tmp/tp") >>"$tmp/t"
				awk '{ print 1000 / $1 }' < <(sed -nE 's/.*embed B=[0-9]+ [0-9.]+ ms\/batch \(([0-9.]+) clouds\/s\).*/\1/p' "$tmp/tp") >>"$tmp/te"
				;;
			esac
		done
		case $w in
		transformer) summary "transformer step 4x128 (fwd+bwd+AdamW)" ms "$tmp/o" "$tmp/t" "$label" ;;
		gine) summary "GINE step 7500 nodes D=512" ms "$tmp/o" "$tmp/t" "$label" ;;
		minipointnet) summary "mini-PointNet step 32x64x32" ms "$tmp/o" "$tmp/t" "$label" ;;
		graphjepa) summary "Graph-JEPA MUTAG epoch" s "$tmp/o" "$tmp/t" "$label" ;;
		pointjepa)
			summary "Point-JEPA small pretrain" ms/cloud "$tmp/o" "$tmp/t" "$label"
			summary "Point-JEPA small embed" ms/cloud "$tmp/oe" "$tmp/te" "$label"
			: >"$tmp/oe" && : >"$tmp/te"
			;;
		esac
	done
done
