#!/bin/bash
# Smoke test of deploy/slurm on one machine: installs Debian's slurm-wlm and
# munge (as root, apt-get), configures this machine as a one-node cluster,
# submits the reproduce array on a tiny protocol (2 runs × 2 folds of the
# synthetic graph set, a tiny model, 1 epoch: 4 array tasks) with
# deploy/slurm/submit.sh, waits for the dependent merge job, and compares
# its report (text and JSON) with an unsharded run of the same protocol:
# identical except wall times and run directories. Exits 0 only then.
#
#   sudo scripts/slurm_smoke.sh            # from anywhere in the repository
#
# It starts munged, slurmctld and slurmd and stops them (by pid) at the end;
# it overwrites /etc/slurm/slurm.conf. Run it on a scratch machine or
# container, not on a host that is part of a cluster.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/slurm-smoke.XXXXXX)
echo "== work directory $work"

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
	echo "== apt-get install slurm-wlm munge"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq slurm-wlm munge >/dev/null
fi

echo "== build graphjepa"
(cd "$repo" && go build -buildvcs=false -o "$work/graphjepa" ./cmd/graphjepa)

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "== munge"
if [ ! -s /etc/munge/munge.key ]; then
	mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null ||
		dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n >/dev/null 2>&1; then
	runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
	sleep 1
	pids+=("$(cat /run/munge/munged.pid)")
fi
munge -n | unmunge >/dev/null && echo "munge works"

echo "== slurm.conf (one node)"
host=$(hostname -s)
node=$(slurmd -C | head -1 | sed -E 's/ RealMemory=[0-9]+//')
mem=$(($(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) / 2))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat >/etc/slurm/slurm.conf <<CONF
ClusterName=smoke
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
SlurmUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
$node NodeAddr=127.0.0.1 RealMemory=$mem State=UNKNOWN
PartitionName=smoke Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
grep -E '^(NodeName|PartitionName)' /etc/slurm/slurm.conf

echo "== start slurmctld and slurmd"
slurmctld -i
sleep 1
pids+=("$(cat /run/slurmctld.pid)")
slurmd
sleep 1
pids+=("$(cat /run/slurmd.pid)")
for _ in $(seq 30); do
	sinfo -h -o %T | grep -qE '^(idle|mixed)' && break
	sleep 1
done
sinfo

echo "== unsharded reference run"
proto=(--runs 2 --folds 2 --hidden 16 --heads 2 --encoder-layers 1 --gnn-layers 1 --epochs 1)
GOMAXPROCS=1 "$work/graphjepa" reproduce --dataset MUTAG --data synthetic --run "$work/ref" "${proto[@]}" --json >"$work/ref.json" 2>"$work/ref.log"
GOMAXPROCS=1 "$work/graphjepa" reproduce --dataset MUTAG --data synthetic --run "$work/ref" "${proto[@]}" >"$work/ref.txt" 2>>"$work/ref.log"

echo "== submit the array (4 tasks) and the dependent merge"
cd "$work"
ids=$(GRAPHJEPA="$work/graphjepa" DATASET=MUTAG DATA=synthetic RUN="$work/run" EXTRA="${proto[*]}" \
	"$repo/deploy/slurm/submit.sh" --array=0-3 --cpus-per-task=1 --mem=500M --time=00:10:00)
echo "$ids"
merge=$(echo "$ids" | sed -E 's/.*merge job ([0-9]+).*/\1/')
for _ in $(seq 300); do
	[ -z "$(squeue -h -j "$merge" 2>/dev/null)" ] && break
	sleep 1
done
squeue
echo "== task outputs"
tail -n 3 graphjepa-reproduce-*.out
echo "== merge output"
cat graphjepa-merge-*.out

echo "== compare with the unsharded run"
strip() { grep -vE '"(wall_seconds|seconds|pretrain_seconds|run_dir)":' "$1"; }
diff <(strip "$work/ref.json") <(strip "$work/run/report.json")
diff <(grep -v '^wall time' "$work/ref.txt") <(grep -v '^wall time' "$work/run/report.txt")
echo "SLURM SMOKE PASSED: the merged report of 4 array tasks equals the unsharded run"
