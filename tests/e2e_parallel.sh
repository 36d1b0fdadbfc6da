#!/usr/bin/env bash
# e2e_parallel: a sweep sharded by GNU parallel (scripts/sweep-parallel.sh)
# against the same sweep run whole.
#
#   tests/e2e_parallel.sh ./bordersim        (from the repository root)
#
# The sweep of tests/data/cluster/network.ini over an 8-point grid runs whole,
# then in 3 shards through GNU parallel on this machine, then in 3 shards on
# two "hosts" reached through a stand-in for ssh that runs the command here
# in a home and temporary folder of that host's own; every file of the merged
# output must equal the whole sweep's byte for byte. Then a failing shard: the
# script fails with the shard's status and message and writes nothing. Prints
# "ok N - ..." / "not ok N - ..." lines and a summary; exits 1 when any check
# failed.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SWEEP=$ROOT/scripts/sweep-parallel.sh
SCEN=$ROOT/tests/data/cluster/network.ini
# 4 x 2 = 8 points: shards of 3, 3 and 2 points.
GRID=(--vary stage.primary.servers=4:7:1 --vary stage.secondary.servers=3,4 -r 3)

W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-e2e-parallel.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT


# sh_run ARGS...: runs ARGS; $status, $W/out and $W/err hold the outcome.
sh_run() {
	"$@" >"$W/out" 2>"$W/err"
	status=$?
}
why() {
	echo "status $status; stderr: $(head -c 800 "$W/err")"
}

# same_tree A B: the same files under A and B, each byte for byte equal;
# prints what differs.
same_tree() {
	local f diff=""
	if [ "$(cd "$1" && find . -type f | LC_ALL=C sort)" != "$(cd "$2" && find . -type f | LC_ALL=C sort)" ]; then
		echo "file lists differ: $(cd "$1" && find . -type f | LC_ALL=C sort | tr '\n' ' ') vs $(cd "$2" && find . -type f | LC_ALL=C sort | tr '\n' ' ')"
		return 1
	fi
	while IFS= read -r f; do
		cmp -s "$1/$f" "$2/$f" || diff="$diff $f"
	done < <(cd "$1" && find . -type f | LC_ALL=C sort)
	[ -z "$diff" ] || { echo "files differ:$diff"; return 1; }
}

# leftovers: whatever a run left beside its output or in the temporary folder.
leftovers() {
	ls -A "$W" | grep -F '.shards.'
	ls -A "$W/tmp" "$W"/hosts/*/tmp 2>/dev/null | grep -F bordersim-sh
}

if ! command -v parallel >/dev/null; then
	not_ok "GNU parallel is installed" "apt-get install parallel (make deps does it)"
	echo "# $n tests, $((n - failed)) passed, $failed failed"
	exit 1
fi
mkdir "$W/tmp"
export TMPDIR=$W/tmp

# ---- the whole sweep, the reference ----

sh_run "$BIN" sweep "$SCEN" "${GRID[@]}" -q -o "$W/whole"
if [ $status -eq 0 ] && [ -f "$W/whole/sweep.csv" ] &&
	[ "$(grep -c ',stage,primary,arrivals,' "$W/whole/sweep.csv")" -eq 8 ]; then
	ok "the whole sweep: 8 points in sweep.csv"
else
	not_ok "the whole sweep: 8 points in sweep.csv" "$(why)"
fi

# ---- 3 shards through GNU parallel on this machine ----

sh_run "$SWEEP" "$SCEN" -o "$W/par" -n 3 --bin "$BIN" -q "${GRID[@]}"
if [ $status -eq 0 ] && [ ! -s "$W/err" ] && [ ! -s "$W/out" ]; then
	ok "sweep-parallel.sh -n 3: status 0, quiet with -q"
else
	not_ok "sweep-parallel.sh -n 3: status 0, quiet with -q" "$(why)"
fi
if d=$(same_tree "$W/whole" "$W/par"); then
	ok "3 shards merged: every file byte for byte as the whole sweep ($(cd "$W/par" && find . -type f | wc -l) files)"
else
	not_ok "3 shards merged: every file byte for byte as the whole sweep" "$d"
fi
if [ -z "$(leftovers)" ]; then
	ok "no shard folder left behind"
else
	not_ok "no shard folder left behind" "$(leftovers | tr '\n' ' ')"
fi

# One varied key (so the chart, sweep.svg, too), the options in another
# order, with --set, -s and -r, against the whole sweep with the same options.
ONE=(--vary stream.cars.per_day=4000:8000:1000 -r 2)
sh_run "$BIN" sweep "$SCEN" "${ONE[@]}" -s 5 --set scenario.days=0.5 -q -o "$W/whole5"
s1=$status
sh_run "$SWEEP" -q --set scenario.days=0.5 "${ONE[@]}" -n 2 -o "$W/par5" --bin="$BIN" "$SCEN" -s 5
if [ $s1 -eq 0 ] && [ $status -eq 0 ] && [ -f "$W/par5/sweep.svg" ] && d=$(same_tree "$W/whole5" "$W/par5"); then
	ok "one key, options in any order, --set and -s passed on: 2 shards as the whole sweep, sweep.svg too"
else
	not_ok "one key, options in any order, --set and -s passed on: 2 shards as the whole sweep, sweep.svg too" \
		"$(why)" "${d:-}" "files: $(ls "$W/par5" 2>&1 | tr '\n' ' ')"
fi

# ---- 3 shards on two hosts through --sshloginfile ----

# A stand-in for ssh: skips ssh's options, takes the host, runs the command
# with sh as ssh would, in $W/hosts/HOST with its own TMPDIR. Like sshd, it
# sets SHELL to the login shell: GNU parallel's remote worker runs the job
# with $SHELL, and the test's own environment may have none (CI has none).
cat >"$W/fake-ssh" <<EOF
#!/usr/bin/env bash
while [ \$# -gt 0 ]; do
	case \$1 in
	-[oOlpiSFJcmEDLRW]) shift 2 ;;
	-*) shift ;;
	*) break ;;
	esac
done
host=\$1
shift
[ "\${1:-}" = -- ] && shift
echo "\$host" >>"$W/hosts.log"
mkdir -p "$W/hosts/\$host/tmp"
cd "$W/hosts/\$host" && SHELL=/bin/sh HOME="$W/hosts/\$host" TMPDIR="$W/hosts/\$host/tmp" exec sh -c "\$*"
EOF
chmod +x "$W/fake-ssh"
printf '# two hosts\n%s\n\n%s\n' "$W/fake-ssh hosta" "$W/fake-ssh hostb" >"$W/sshlogins"
sh_run "$SWEEP" "$SCEN" -o "$W/remote" -n 3 --sshloginfile "$W/sshlogins" --jobs-per-host 2 --bin "$BIN" "${GRID[@]}"
if [ $status -eq 0 ] && d=$(same_tree "$W/whole" "$W/remote"); then
	ok "3 shards on two hosts through --sshloginfile: every file as the whole sweep"
else
	not_ok "3 shards on two hosts through --sshloginfile: every file as the whole sweep" "$(why)" "${d:-}"
fi
if [ "$(sort -u "$W/hosts.log" 2>/dev/null | tr '\n' ' ')" = "hosta hostb " ] && [ -z "$(leftovers)" ]; then
	ok "both hosts ran shards; no temporary folder left on them"
else
	not_ok "both hosts ran shards; no temporary folder left on them" \
		"hosts: $(sort "$W/hosts.log" 2>/dev/null | tr '\n' ' '); left: $(leftovers | tr '\n' ' ')"
fi
if grep -q '3 shard(s) on 2 host(s)' "$W/err" && grep -q 'merged into' "$W/err"; then
	ok "without -q: a line at the start and one at the end"
else
	not_ok "without -q: a line at the start and one at the end" "$(why)"
fi

# ---- a shard that fails ----

# A bordersim whose shard 2 of 3 fails; everything else is the real program.
cat >"$W/failing-bordersim" <<EOF
#!/bin/sh
case " \$* " in
*" --shard 2/3 "*) echo "bordersim: shard 2/3 failed on purpose" >&2; exit 70 ;;
esac
exec "$BIN" "\$@"
EOF
chmod +x "$W/failing-bordersim"
sh_run "$SWEEP" "$SCEN" -o "$W/fail" -n 3 --bin "$W/failing-bordersim" "${GRID[@]}"
if [ $status -eq 70 ] && grep -q 'shard 2/3 .*failed with status 70' "$W/err" &&
	grep -q 'shard 2/3 failed on purpose' "$W/err" && [ ! -e "$W/fail" ] && [ -z "$(leftovers)" ]; then
	ok "a failing shard: its status (70) and message, no output folder, nothing left behind"
else
	not_ok "a failing shard: its status (70) and message, no output folder, nothing left behind" \
		"$(why)" "left: $(leftovers | tr '\n' ' ')"
fi

before=$(cd "$W/par" && find . -type f | LC_ALL=C sort | xargs cksum)
sh_run "$SWEEP" "$SCEN" -o "$W/par" -n 3 --bin "$W/failing-bordersim" -q "${GRID[@]}"
if [ $status -ne 0 ] && [ "$(cd "$W/par" && find . -type f | LC_ALL=C sort | xargs cksum)" = "$before" ]; then
	ok "a failing sweep into an earlier output folder leaves it byte for byte as it was"
else
	not_ok "a failing sweep into an earlier output folder leaves it byte for byte as it was" "$(why)"
fi

sh_run "$SWEEP" "$SCEN" -o "$W/bad" -n 2 --bin "$BIN" -q --set stage.cargo.servers=ten "${GRID[@]}"
if [ $status -eq 65 ] && grep -q "stage.cargo.servers" "$W/err" && [ ! -e "$W/bad" ]; then
	ok "a bad --set: status 65 from the shards, with bordersim's message; nothing written"
else
	not_ok "a bad --set: status 65 from the shards, with bordersim's message; nothing written" "$(why)"
fi

# ---- usage ----

sh_run "$SWEEP" "$SCEN" -n 3 --bin "$BIN" "${GRID[@]}"
s1=$status
grep -q 'no -o OUTDIR' "$W/err"
m1=$?
sh_run "$SWEEP" "$SCEN" -o "$W/u" --shard 1/2 --bin "$BIN" "${GRID[@]}"
s2=$status
sh_run "$SWEEP" "$SCEN" -o "$W/u" -n 0 --bin "$BIN" "${GRID[@]}"
if [ $s1 -eq 64 ] && [ $m1 -eq 0 ] && [ $s2 -eq 64 ] && [ $status -eq 64 ] && [ ! -e "$W/u" ]; then
	ok "usage errors (no -o, --shard given, -n 0): status 64, nothing written"
else
	not_ok "usage errors (no -o, --shard given, -n 0): status 64, nothing written" "$(why)"
fi

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
