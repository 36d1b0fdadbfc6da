#!/usr/bin/env bash
# sweep-slurm.sh: a bordersim sweep on a Slurm cluster: a job array with one
# shard of the sweep a task, and a merge job that runs when every task has
# succeeded and writes the one output folder the unsharded sweep writes (the
# same bytes).
#
#   scripts/sweep-slurm.sh SCENARIO -o OUTDIR [-n SHARDS] [--wait] [--bin PATH] [-q]
#                          [SWEEP OPTIONS...] [--SBATCH-OPTION=VALUE...] [-- SBATCH OPTIONS...]
#
# SWEEP OPTIONS are any options of `bordersim sweep` but -o and --shard:
#   --vary KEY=VALUES, -r/--reps N, -s/--seed N, -j/--threads N, --set KEY=VALUE.
# Any other option of the form --name or --name=value, and every argument after
# `--`, goes to sbatch for both jobs, e.g. --partition=batch --time=30
# --cpus-per-task=4 or `-- -p batch -t 30 -A myproject`.
#
#   -n SHARDS    tasks of the array (default 4); task K runs
#                `bordersim sweep ... --shard K/SHARDS`
#   --wait       wait until the merge job has finished (sbatch --wait) and exit
#                with the outcome: 0 when OUTDIR is written; else the status of
#                the merge, or of the first shard that failed (1 when unknown)
#   --bin PATH   the bordersim program (default: $BORDERSIM, else the bordersim
#                beside this scripts folder, else the one in PATH)
#   -q           no messages but errors (the job ids are still printed)
#
# Prints the two job ids on standard output, one line each:
#   array JOBID SHARDS
#   merge JOBID
#
# Each task runs its shard on the cores Slurm gave it: -j $SLURM_CPUS_PER_TASK
# (1 unless --cpus-per-task is given) when no -j is given.
#
# The bordersim program, the scenario (with any file it includes) and OUTDIR's
# parent folder must be at the same path on every node, as on a cluster's
# shared file system; paths are made absolute before submission. The shards
# and the jobs' logs go into a folder beside OUTDIR, .NAME.shards.XXXXXX, which
# the merge job removes when it succeeds. When a task fails the merge job is
# cancelled (--kill-on-invalid-dep=yes), OUTDIR is not written, and that
# folder stays with the logs (shard-K.log, merge.log); with --wait it is
# removed after its logs of the failed tasks are shown.
set -uo pipefail

me=sweep-slurm
. "$(dirname "$0")/common.sh"

scenario="" outdir="" shards=4 wait="" bin=${BORDERSIM:-} quiet="" threads_given=""
pass=() sbopts=()
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help)
		sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
		exit 0
		;;
	--) shift; sbopts+=("$@"); break ;;
	-o) [ $# -ge 2 ] || die "option '-o' needs a value"; outdir=$2; shift ;;
	-n | --shards) [ $# -ge 2 ] || die "option '$1' needs a value"; shards=$2; shift ;;
	--shards=*) shards=${1#*=} ;;
	--wait) wait=1 ;;
	--bin) [ $# -ge 2 ] || die "option '--bin' needs a value"; bin=$2; shift ;;
	--bin=*) bin=${1#*=} ;;
	-q | --quiet) quiet=1 ;;
	--shard | --shard=*) die "'--shard' is set by this script for each task" ;;
	--array | --array=* | --dependency | --dependency=* | --wrap | --wrap=*)
		die "'${1%%=*}' is set by this script" ;;
	-j | --threads) threads_given=1; [ $# -ge 2 ] || die "option '$1' needs a value"
		pass+=("$1" "$2"); shift ;;
	-j* | --threads=*) threads_given=1; pass+=("$1") ;;
	-r | --reps | -s | --seed | --set | --vary)
		[ $# -ge 2 ] || die "option '$1' needs a value"
		pass+=("$1" "$2")
		shift
		;;
	-r* | -s* | --reps=* | --seed=* | --set=* | --vary=*) pass+=("$1") ;;
	--*) sbopts+=("$1") ;;
	-*) die "unknown option '$1' (sbatch's short options go after '--')" ;;
	*)
		[ -z "$scenario" ] || die "a second scenario '$1': one sweep at a time"
		scenario=$1
		;;
	esac
	shift
done
[ -n "$scenario" ] || die "no SCENARIO; try '$0 --help'"
[ -n "$outdir" ] || die "no -o OUTDIR; try '$0 --help'"
[ -f "$scenario" ] || { echo "$me: cannot open scenario '$scenario'" >&2; exit 66; }
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "-n wants a whole number from 1, not '$shards'"
command -v sbatch >/dev/null || { echo "$me: sbatch not found: is this a Slurm cluster's login node?" >&2; exit 69; }

find_bin
scenario=$(abspath "$scenario")
outdir=$(abspath "$outdir")
parent=$(dirname "$outdir")
mkdir -p "$parent" || { echo "$me: cannot create '$parent'" >&2; exit 73; }
stage=$(mktemp -d "$parent/.$(basename "$outdir").shards.XXXXXX") ||
	{ echo "$me: cannot create a folder in '$parent'" >&2; exit 73; }
chmod 755 "$stage"

# q ARGS...: the arguments quoted for sh.
q() {
	local a out=""
	for a in "$@"; do
		out+=" '${a//\'/\'\\\'\'}'"
	done
	printf '%s' "${out# }"
}

# The array task. -j from the task's allocation unless -j was given.
jopt='-j "${SLURM_CPUS_PER_TASK:-1}"'
[ -z "$threads_given" ] || jopt=""
cat >"$stage/shard.sh" <<EOF
#!/bin/sh
# One shard of the sweep: task K of the array runs shard K of $shards.
k=\$SLURM_ARRAY_TASK_ID
exec $(q "$bin") sweep $(q "$scenario" "${pass[@]}") $jopt --shard "\$k/$shards" -q -o $(q "$stage")/"\$k"
EOF

dirs=()
for ((k = 1; k <= shards; k++)); do dirs+=("$stage/$k"); done
cat >"$stage/merge.sh" <<EOF
#!/bin/sh
# The merge: the $shards shard folders into OUTDIR, then the shards removed.
$(q "$bin") merge $(q "${dirs[@]}") -o $(q "$outdir") -q || exit \$?
rm -rf $(q "$stage")
EOF

name=bordersim-$(basename "$scenario" .ini)
out=$(sbatch --parsable --job-name="$name" --array="1-$shards" \
	--output="$stage/shard-%a.log" "${sbopts[@]}" "$stage/shard.sh" 2>&1) || {
	echo "$me: sbatch of the array failed: $out" >&2
	rm -rf "$stage"
	exit 1
}
array=${out%%;*}
array=$(printf '%s\n' "$array" | tail -n 1)
echo "array $array $shards"

mopts=(--parsable --job-name="$name-merge" --dependency="afterok:$array" --kill-on-invalid-dep=yes
	--output="$stage/merge.log" "${sbopts[@]}")
if [ -z "$wait" ]; then
	out=$(sbatch "${mopts[@]}" "$stage/merge.sh" 2>&1) || {
		echo "$me: sbatch of the merge job failed: $out; cancelling array job $array" >&2
		scancel "$array" 2>/dev/null
		exit 1
	}
	merge=$(printf '%s\n' "${out%%;*}" | tail -n 1)
	echo "merge $merge"
	say "array job $array ($shards shards) then merge job $merge -> $outdir; logs in $stage"
	exit 0
fi

# --wait: sbatch --wait blocks until the merge job ends; the id it prints
# first is read from its output file as soon as it is there.
stdbuf -oL sbatch --wait "${mopts[@]}" "$stage/merge.sh" >"$stage/merge.id" 2>"$stage/merge.err" &
sbpid=$!
merge=""
cancel() {
	echo "$me: interrupted: cancelling jobs $array ${merge:-}; their logs are in $stage" >&2
	kill "$sbpid" 2>/dev/null
	scancel "$array" ${merge:+"$merge"} 2>/dev/null
	exit 130
}
trap cancel INT TERM
for ((i = 0; i < 300; i++)); do
	merge=$(head -n 1 "$stage/merge.id" 2>/dev/null)
	merge=${merge%%;*}
	[ -n "$merge" ] && break
	kill -0 "$sbpid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$merge" ]; then
	wait "$sbpid"
	echo "$me: sbatch of the merge job failed: $(cat "$stage/merge.err"); cancelling array job $array" >&2
	scancel "$array" 2>/dev/null
	exit 1
fi
echo "merge $merge"
say "array job $array ($shards shards) then merge job $merge -> $outdir; waiting"
wait "$sbpid"
status=$?
trap - INT TERM

# sbatch --wait says 0 for a merge job cancelled because a task failed, so
# the job's state decides: COMPLETED, or (once Slurm has forgotten the job)
# the shards' folder gone, which only a successful merge does.
state=$(scontrol show job -o "$merge" 2>/dev/null | tr ' ' '\n' | sed -n 's/^JobState=//p')
if { [ -n "$state" ] && [ "$state" = COMPLETED ] && [ $status = 0 ]; } ||
	{ [ -z "$state" ] && [ ! -d "$stage" ]; }; then
	rm -rf "$stage"
	say "done: $outdir"
	exit 0
fi
echo "$me: the sweep failed (merge job $merge: ${state:-unknown state}, status $status); nothing written to $outdir" >&2
first=""
for ((k = 1; k <= shards; k++)); do
	log=$stage/shard-$k.log
	tstate=$(scontrol show job -o "${array}_$k" 2>/dev/null | tr ' ' '\n' | sed -n 's/^\(JobState\|ExitCode\)=//p' | tr '\n' ' ')
	case $tstate in COMPLETED\ 0:0*) continue ;; esac
	echo "$me: shard $k/$shards (job ${array}_$k): ${tstate:-state unknown}" >&2
	[ -s "$log" ] && sed 's/^/  /' "$log" | head -n 20 >&2
	# ExitCode=STATUS:SIGNAL of the first failed task
	code=$(printf '%s\n' "$tstate" | sed -n 's/.* \([0-9]*\):0 $/\1/p')
	[ -n "$first" ] || { [ -n "$code" ] && [ "$code" -ge 1 ] && [ "$code" -le 125 ] && first=$code; }
done
[ -s "$stage/merge.log" ] && { echo "$me: merge job log:" >&2; sed 's/^/  /' "$stage/merge.log" | head -n 20 >&2; }
rm -rf "$stage"
[ $status = 0 ] || exit $status
exit "${first:-1}"
