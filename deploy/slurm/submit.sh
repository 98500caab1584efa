#!/bin/bash
# Submits the reproduce array and the merge as a job that starts only when
# every array task has succeeded. Prints the two job ids.
#
#   DATASET=MUTAG DATA=/shared/data/graphs/tu/MUTAG RUN=/shared/runs/mutag \
#     deploy/slurm/submit.sh                    # the paper's 50 jobs
#   ... deploy/slurm/submit.sh --array=0-3      # any sbatch options for the array
#
# Environment: as reproduce-array.sbatch (GRAPHJEPA, DATASET, DATA, RUN,
# SHARDS, EXTRA).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${DATA:?set DATA to the data set folder}"
: "${RUN:?set RUN to the shared run directory}"
mkdir -p "$RUN"
array=$(sbatch --parsable --export=ALL "$@" "$here/reproduce-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --export=ALL --dependency="afterok:$array" "$here/merge.sbatch")
merge=${merge%%;*}
echo "array job $array, merge job $merge (report: $RUN/report.txt)"
