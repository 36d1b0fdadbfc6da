#!/usr/bin/env bash
# slurm: a sharded sweep through a single-node Slurm cluster on localhost
# (`make test-slurm`).
#
#   tests/slurm.sh ./bordersim        (from the repository root, as root)
#
# Installs slurm-wlm and munge when they are missing (as root with apt-get;
# otherwise says the command and fails). Starts, in a temporary folder, a
# munged with a fresh key and a socket of its own, and slurmctld and slurmd
# with a slurm.conf of their own on free ports (so an existing munge or Slurm
# on the machine is neither used nor disturbed); waits until the node is
# idle; runs scripts/sweep-slurm.sh --wait with 3 shards and checks the merged
# output byte for byte against the same sweep run whole; then a sweep whose
# shards fail, which must write nothing. Always stops the daemons it started
# and removes its folder. Prints "ok N - ..." / "not ok N - ..." lines and a
# summary; on a failure, the daemons' logs. Exits 1 when any check failed.
#
# TIMEOUT (seconds, default 180) bounds each sweep; every other wait has its
# own bound.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SWEEP=$ROOT/scripts/sweep-slurm.sh
SCEN=$ROOT/tests/data/cluster/network.ini
GRID=(--vary stage.primary.servers=4:7:1 --vary stage.secondary.servers=3,4 -r 3)
TIMEOUT=${TIMEOUT:-180}

summary() {
	echo "# $n tests, $((n - failed)) passed, $failed failed"
	[ $failed -eq 0 ]
}
indent() {
	sed 's/^/#   /'
}

# ---- slurm-wlm and munge ----

# munged, slurmctld and slurmd live in sbin, not in every user's PATH.
PATH=$PATH:/usr/sbin:/sbin

need=""
for c in munged munge slurmctld slurmd sbatch scontrol sinfo; do
	command -v $c >/dev/null || need=1
done
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "# installing slurm-wlm and munge"
		if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge; }; }; then
			not_ok "slurm-wlm and munge installed" "apt-get install -y slurm-wlm munge failed"
			summary
			exit 1
		fi
	else
		not_ok "slurm-wlm and munge installed" \
			"they are missing; install them with: sudo apt-get install -y slurm-wlm munge" \
			"(and run this test as root: the daemons run as root)"
		summary
		exit 1
	fi
fi
if [ "$(id -u)" != 0 ]; then
	not_ok "running as root" "slurmd runs jobs as their user and needs root: run 'sudo make test-slurm'"
	summary
	exit 1
fi

# ---- the cluster, in a folder of its own ----

# munged wants every folder above its socket searchable by all.
T=$(mktemp -d /tmp/bordersim-slurm.XXXXXX) || exit 2
chmod 755 "$T"
mkdir -p "$T/munge" "$T/state" "$T/spool" "$T/log" "$T/out"
pids=()
cluster_up=""

show_logs() {
	local f
	for f in "$T"/log/*; do
		[ -s "$f" ] || continue
		# X.out is the daemon's stderr: the same lines as X.log once that exists
		case $f in *.out) [ ! -s "${f%.out}.log" ] || continue ;; esac
		echo "# --- $f (last 25 lines)"
		tail -n 25 "$f" | indent
	done
}

stop_all() {
	local p i
	# Jobs of this cluster still there (after a failure): cancelled, and
	# slurmd given a few seconds to end their processes.
	if [ -n "$cluster_up" ] && [ -n "$(squeue -h 2>/dev/null)" ]; then
		scancel --user="$(id -un)" >/dev/null 2>&1
		wait_for 15 sh -c '[ -z "$(squeue -h)" ]'
	fi
	# slurmd, slurmctld, munged: the reverse order of their start.
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		p=${pids[i]}
		kill -TERM "$p" 2>/dev/null || continue
		for _ in $(seq 1 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for SECONDS COMMAND...: until COMMAND succeeds (every 0.2 s) or the
# time is up.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}

# free_port: a TCP port nothing listens on, from 20000 up.
free_port() {
	local p
	for p in $(seq "$1" "$(($1 + 2000))"); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

fail_cluster() {
	not_ok "$1" "${@:2}"
	show_logs
	summary
	exit 1
}

# munge: a random 1024-byte key of our own, readable by its owner only.
head -c 1024 /dev/urandom >"$T/munge/munge.key"
chmod 400 "$T/munge/munge.key"
munged -F --key-file="$T/munge/munge.key" --socket="$T/munge/munge.socket" \
	--pid-file="$T/munge/munged.pid" --seed-file="$T/munge/munged.seed" \
	--log-file="$T/log/munged.log" >"$T/log/munged.out" 2>&1 &
pids+=($!)
if wait_for 15 sh -c "munge -n -S '$T/munge/munge.socket' | unmunge -S '$T/munge/munge.socket'"; then
	ok "munged started (own key and socket)"
else
	fail_cluster "munged started (own key and socket)" "no credential within 15 s"
fi

host=$(hostname -s)
cport=$(free_port 20817) && dport=$(free_port $((cport + 1))) ||
	fail_cluster "two free TCP ports for slurmctld and slurmd" "none free from 20817"
mem=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
export SLURM_CONF=$T/slurm.conf
cat >"$SLURM_CONF" <<EOF
# A single-node cluster on localhost for tests/slurm.sh.
ClusterName=bordersimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MinJobAge=600
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -D -c -f "$SLURM_CONF" >"$T/log/slurmctld.out" 2>&1 &
pids+=($!)
cluster_up=1
wait_for 30 scontrol ping ||
	fail_cluster "slurmctld answers" "scontrol ping failed for 30 s"
slurmd -D -f "$SLURM_CONF" -N "$host" >"$T/log/slurmd.out" 2>&1 &
pids+=($!)
node_idle() {
	[ "$(sinfo -h -N -n "$host" -o %t 2>/dev/null)" = idle ]
}
if wait_for 60 node_idle; then
	ok "slurmctld and slurmd started; node $host idle ($(nproc) CPUs)"
else
	fail_cluster "slurmctld and slurmd started; node $host idle" \
		"node state after 60 s: $(sinfo -h -N -o '%t %E' 2>&1)"
fi

# ---- the sweep, whole and through Slurm ----

"$BIN" sweep "$SCEN" "${GRID[@]}" -q -o "$T/out/whole" 2>"$T/err"
status=$?
if [ $status -eq 0 ] && [ -f "$T/out/whole/sweep.csv" ]; then
	ok "the whole sweep, here"
else
	not_ok "the whole sweep, here" "status $status: $(head -c 600 "$T/err")"
fi

same_tree() {
	local f diff=""
	if [ "$(cd "$1" && find . -type f | LC_ALL=C sort)" != "$(cd "$2" && find . -type f | LC_ALL=C sort)" ]; then
		echo "file lists differ"
		return 1
	fi
	while IFS= read -r f; do
		cmp -s "$1/$f" "$2/$f" || diff="$diff $f"
	done < <(cd "$1" && find . -type f | LC_ALL=C sort)
	[ -z "$diff" ] || { echo "files differ:$diff"; return 1; }
}

t0=$SECONDS
timeout "$TIMEOUT" "$SWEEP" "$SCEN" -o "$T/out/slurm" -n 3 --wait --bin "$BIN" "${GRID[@]}" \
	--time=10 >"$T/out.txt" 2>"$T/err"
status=$?
took=$((SECONDS - t0))
if [ $status -eq 0 ] && grep -Eq '^array [0-9]+ 3$' "$T/out.txt" && grep -Eq '^merge [0-9]+$' "$T/out.txt"; then
	ok "sweep-slurm.sh --wait: a 3-task array and a merge job, done in ${took} s"
else
	[ $status -ne 124 ] || echo "# timed out after $TIMEOUT s" >>"$T/err"
	not_ok "sweep-slurm.sh --wait: a 3-task array and a merge job" "status $status" \
		"stdout: $(cat "$T/out.txt")" "stderr: $(head -c 1500 "$T/err")" \
		"queue: $(squeue -h 2>&1 | tr '\n' ';')"
	show_logs
fi
array=$(sed -n 's/^array \([0-9]*\) .*/\1/p' "$T/out.txt")
states=$(for k in 1 2 3; do scontrol show job -o "${array}_$k" 2>/dev/null | tr ' ' '\n' | sed -n 's/^JobState=//p'; done | tr '\n' ' ')
if [ "$states" = "COMPLETED COMPLETED COMPLETED " ]; then
	ok "the three array tasks completed"
else
	not_ok "the three array tasks completed" "states: $states"
fi
if [ -d "$T/out/whole" ] && [ -d "$T/out/slurm" ] && d=$(same_tree "$T/out/whole" "$T/out/slurm"); then
	ok "merged output: every file byte for byte as the whole sweep ($(cd "$T/out/slurm" && find . -type f | wc -l) files)"
else
	not_ok "merged output: every file byte for byte as the whole sweep" "${d:-an output folder is missing}"
fi
if [ -z "$(ls -A "$T/out" | grep -F .shards.)" ]; then
	ok "the shards' folder removed after the merge"
else
	not_ok "the shards' folder removed after the merge" "$(ls -A "$T/out")"
fi

# ---- without --wait: the ids at once, the merge job writes the output ----

t0=$SECONDS
timeout 60 "$SWEEP" "$SCEN" -o "$T/out/nowait" -n 2 --bin "$BIN" "${GRID[@]}" -q \
	>"$T/out.txt" 2>"$T/err"
status=$?
merge=$(sed -n 's/^merge \([0-9]*\)$/\1/p' "$T/out.txt")
merge_done() {
	[ "$(scontrol show job -o "$merge" 2>/dev/null | tr ' ' '\n' | sed -n 's/^JobState=//p')" = COMPLETED ]
}
if [ $status -eq 0 ] && [ -n "$merge" ] && wait_for "$TIMEOUT" merge_done &&
	d=$(same_tree "$T/out/whole" "$T/out/nowait") && [ -z "$(ls -A "$T/out" | grep -F .shards.)" ]; then
	ok "without --wait: job ids printed at once; the merge job wrote the same files ($((SECONDS - t0)) s)"
else
	not_ok "without --wait: job ids printed at once; the merge job wrote the same files" "status $status" \
		"stdout: $(cat "$T/out.txt")" "stderr: $(head -c 1500 "$T/err")" "${d:-}" \
		"merge job: $(scontrol show job -o "$merge" 2>&1 | head -c 600)"
fi

# ---- shards that fail: the merge is cancelled, nothing written ----

t0=$SECONDS
timeout "$TIMEOUT" "$SWEEP" "$SCEN" -o "$T/out/bad" -n 2 --wait --bin "$BIN" "${GRID[@]}" \
	--set stage.cargo.servers=ten --time=10 >"$T/out.txt" 2>"$T/err"
status=$?
took=$((SECONDS - t0))
if [ $status -eq 65 ] && [ ! -e "$T/out/bad" ] && grep -q 'stage.cargo.servers' "$T/err" &&
	grep -q 'CANCELLED' "$T/err" && [ -z "$(ls -A "$T/out" | grep -F .shards.)" ]; then
	ok "failing shards: status 65 with bordersim's message, merge cancelled, nothing written (${took} s)"
else
	not_ok "failing shards: status 65 with bordersim's message, merge cancelled, nothing written" \
		"status $status" "stderr: $(head -c 1500 "$T/err")" "left: $(ls -A "$T/out" | tr '\n' ' ')"
fi

[ $failed -eq 0 ] || show_logs
summary
