#!/usr/bin/env bash
# sweep-parallel.sh: a bordersim sweep run as N shards by GNU parallel, on this
# machine or across hosts, then merged into the one output folder that the
# unsharded sweep writes (the same bytes).
#
#   scripts/sweep-parallel.sh SCENARIO -o OUTDIR [-n SHARDS] [--sshloginfile FILE]
#                             [--jobs-per-host J] [--bin PATH] [-q] [SWEEP OPTIONS...]
#
# SWEEP OPTIONS are any options of `bordersim sweep` but -o and --shard, e.g.
#   --vary stage.primary.servers=4:8:1 --vary stream.cars.per_day=4000,6000
#   -r 20 -s 7 -j 2 --set scenario.days=3
#
#   -n SHARDS           number of shards (default: one per host of the
#                       sshloginfile; 1 without it). Shard K runs
#                       `bordersim sweep ... --shard K/SHARDS`.
#   --sshloginfile FILE hosts to run the shards on, one sshlogin a line as GNU
#                       parallel reads them (`host`, `user@host`, `:` for this
#                       machine, `ssh -p 2222 host`). Without it, every shard
#                       runs on this machine.
#   --jobs-per-host J   shards running at once on each host (default 1: each
#                       shard already runs its replications on every core of
#                       its host, as bordersim's -j does by default)
#   --bin PATH          the bordersim program (default: $BORDERSIM, else the
#                       bordersim beside this scripts folder, else the one in PATH)
#   -q                  no messages but errors
#
# Across hosts: every host must have the bordersim program and the scenario
# (with any file it includes) at the same absolute path as here, e.g. on a
# shared file system or copied there beforehand; the paths given are made
# absolute before they are sent. Hosts need no shared output folder: each
# shard writes into a temporary folder on its host and sends it back as a tar
# stream on its standard output; the merge runs here. Hosts are reached by ssh
# without a password prompt (keys or an agent), with sh and tar installed.
#
# Exit status: 0 done; that of the first shard that failed (or 1); 64 for a
# usage error of this script. When anything fails, OUTDIR is left as it was
# (a failed merge writes nothing) and the shards' folders are removed.
set -uo pipefail

me=sweep-parallel
usage() {
	sed -n '/^#   scripts\//,/^#$/p' "$0" | sed '$d; s/^#   //; 1s/^/usage: /; 2,$s/^/       /' >&2
	echo "try '$0 --help'" >&2
	exit 64
}
. "$(dirname "$0")/common.sh"

scenario="" outdir="" shards="" slf="" perhost=1 bin=${BORDERSIM:-} quiet=""
pass=()
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help)
		sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-o) [ $# -ge 2 ] || die "option '-o' needs a value"; outdir=$2; shift ;;
	-o=*) outdir=${1#-o=} ;;
	-n | --shards) [ $# -ge 2 ] || die "option '$1' needs a value"; shards=$2; shift ;;
	--shards=*) shards=${1#*=} ;;
	--sshloginfile | --slf) [ $# -ge 2 ] || die "option '$1' needs a value"; slf=$2; shift ;;
	--sshloginfile=* | --slf=*) slf=${1#*=} ;;
	--jobs-per-host) [ $# -ge 2 ] || die "option '$1' needs a value"; perhost=$2; shift ;;
	--jobs-per-host=*) perhost=${1#*=} ;;
	--bin) [ $# -ge 2 ] || die "option '--bin' needs a value"; bin=$2; shift ;;
	--bin=*) bin=${1#*=} ;;
	-q | --quiet) quiet=1 ;;
	--shard | --shard=*) die "'--shard' is set by this script for each shard" ;;
	# bordersim's options that take a value: passed on with it.
	-r | --reps | -s | --seed | -j | --threads | --set | --vary)
		[ $# -ge 2 ] || die "option '$1' needs a value"
		pass+=("$1" "$2")
		shift
		;;
	-*) pass+=("$1") ;;
	*)
		[ -z "$scenario" ] || die "a second scenario '$1': one sweep at a time"
		scenario=$1
		;;
	esac
	shift
done
[ -n "$scenario" ] || { echo "$me: no SCENARIO" >&2; usage; }
[ -n "$outdir" ] || { echo "$me: no -o OUTDIR" >&2; usage; }
[ -f "$scenario" ] || { echo "$me: cannot open scenario '$scenario'" >&2; exit 66; }
[[ $perhost =~ ^[1-9][0-9]*$ ]] || die "--jobs-per-host wants a whole number from 1, not '$perhost'"
if [ -n "$slf" ]; then
	[ -r "$slf" ] || { echo "$me: cannot read sshloginfile '$slf'" >&2; exit 66; }
	hosts=$(grep -cv -e '^[[:space:]]*$' -e '^[[:space:]]*#' "$slf")
	[ "$hosts" -gt 0 ] || die "sshloginfile '$slf' names no host"
else
	hosts=1
fi
shards=${shards:-$hosts}
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "-n wants a whole number from 1, not '$shards'"

find_bin
command -v parallel >/dev/null || {
	echo "$me: GNU parallel is not installed; on Debian: apt-get install parallel" >&2
	exit 69
}
scenario=$(abspath "$scenario")

# The shards' folders go beside OUTDIR when its parent exists (the same file
# system, often the larger one), else in $TMPDIR.
parent=$(dirname "$outdir")
if [ -d "$parent" ] && [ -w "$parent" ]; then
	work=$(mktemp -d "$parent/.$(basename "$outdir").shards.XXXXXX")
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-shards.XXXXXX")
fi || { echo "$me: cannot create a folder for the shards" >&2; exit 73; }
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The job each shard runs, on whatever host: sh -c JOB job BIN SCENARIO K N
# DEST [SWEEP OPTIONS]. DEST is a folder to write, or - for a temporary folder
# on the host sent back as a tar stream on standard output.
job='bin=$1 scen=$2 k=$3 n=$4 dest=$5
shift 5
if [ "$dest" != - ]; then
	exec "$bin" sweep "$scen" "$@" --shard "$k/$n" -q -o "$dest"
fi
d=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-shard.XXXXXX") || exit 73
trap '"'"'rm -rf "$d"'"'"' EXIT
trap "exit 130" INT
trap "exit 143" TERM
"$bin" sweep "$scen" "$@" --shard "$k/$n" -q -o "$d/out" >&2 || exit $?
tar -C "$d/out" -cf - . || exit 74'

popts=(--will-cite --halt soon,fail=1 --joblog "$work/joblog" -j "$perhost"
	--results "$work/log/{}/")
if [ -n "$slf" ]; then
	popts+=(--sshloginfile "$slf")
	dest=-
else
	dest="$work/{}"
fi
# GNU parallel's own messages are kept, and shown when they explain a
# failure; the progress bar is drawn when stderr is a terminal.
perr=$work/parallel.err
if [ -z "$quiet" ] && [ -t 2 ]; then
	popts+=(--bar)
	perr=/dev/stderr
fi

say "$shards shard(s) on $hosts host(s): $(basename "$scenario") -> $outdir"
parallel "${popts[@]}" -q sh -c "$job" job "$bin" "$scenario" {} "$shards" "$dest" "${pass[@]}" \
	::: $(seq 1 "$shards") >/dev/null 2>"$perr"
pstatus=$?

# Which shards failed, from the job log (seq, host, start, runtime, send,
# receive, exit value, signal, command): the exit value of the first, and
# each one's message.
status=0
if [ -f "$work/joblog" ]; then
	while IFS=$'\t' read -r seq host _ _ _ _ exitval sig _; do
		[ "$seq" = Seq ] && continue
		if [ "$exitval" != 0 ] || [ "$sig" != 0 ]; then
			[ "$host" = : ] && host=localhost
			if [ "$sig" != 0 ]; then
				echo "$me: shard $seq/$shards on $host was killed by signal $sig" >&2
			else
				echo "$me: shard $seq/$shards on $host failed with status $exitval:" >&2
			fi
			if [ -s "$work/log/$seq/stderr" ]; then
				sed 's/^/  /' "$work/log/$seq/stderr" | head -n 20 >&2
			elif [ -s "$work/parallel.err" ]; then
				sed 's/^/  /' "$work/parallel.err" | head -n 20 >&2
			fi
			if [ $status = 0 ]; then
				status=$exitval
				[ "$status" -ge 1 ] && [ "$status" -le 125 ] 2>/dev/null || status=1
			fi
		fi
	done <"$work/joblog"
fi
done=$(awk -F'\t' 'NR > 1 && $7 == 0 && $8 == 0' "$work/joblog" 2>/dev/null | wc -l)
if [ $status != 0 ] || [ $pstatus != 0 ] || [ "$done" -ne "$shards" ]; then
	if [ $status = 0 ]; then
		echo "$me: GNU parallel failed (status $pstatus); $done of $shards shard(s) done" >&2
		[ ! -s "$work/parallel.err" ] || sed 's/^/  /' "$work/parallel.err" | head -n 20 >&2
		status=1
	fi
	echo "$me: nothing written to $outdir" >&2
	exit $status
fi

dirs=()
for ((k = 1; k <= shards; k++)); do
	if [ "$dest" = - ]; then
		mkdir "$work/$k" && tar -C "$work/$k" -xf "$work/log/$k/stdout" || {
			echo "$me: shard $k/$shards sent back no readable output; nothing written to $outdir" >&2
			exit 1
		}
	fi
	dirs+=("$work/$k")
done

mopts=()
[ -z "$quiet" ] || mopts+=(-q)
"$bin" merge "${dirs[@]}" -o "$outdir" "${mopts[@]}" || {
	status=$?
	echo "$me: merging the $shards shard(s) failed (status $status); nothing written to $outdir" >&2
	exit $status
}
say "done: $shards shard(s) merged into $outdir"
