#!/usr/bin/env bash
# e2e_batch: end-to-end runs of sweep, --shard, merge, compare, the progress
# line and interruption, under fixed seeds.
#
#   tests/e2e_batch.sh ./bordersim        (from the repository root)
#
# Checks what scripts and clusters rely on (docs/sweeps.md): a sweep point is the
# run of its scenario to the byte; sweeps are byte-identical whatever -j;
# shards merged give the unsharded sweep byte for byte, and merge refuses what
# does not belong together; compare pairs on common random numbers (exact
# zeros where nothing changed, a narrower interval than independent runs); a
# progress line only on a terminal; SIGINT and SIGTERM leave nothing behind.
# Prints "ok N - ..." / "not ok N - ..." lines and a summary; exits 1 when any
# check failed.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
BASE=tests/data/e2e/two_stage.ini
CBASE=tests/data/batch/base.ini
FASTER=tests/data/batch/faster.ini
SUM_HEAD="scenario,scope,name,metric,unit,mean,stddev,ci95_low,ci95_high,min,max,replications,days"

W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-e2e-batch.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT

listing() {
	(cd "$1" && ls -A | tr '\n' ' ')
}
# no_temp DIR: no temporary file or lock of a write anywhere under DIR.
no_temp() {
	[ -z "$(find "$1" \( -name '.bordersim-tmp.*' -o -name '.bordersim.lock' -o -name '*.tmp*' \) \
		2>/dev/null)" ]
}

# ---- sweep ----

bs sweep "$BASE" -q --vary stage.primary.servers=3:5:1 -o "$W/sw"
rows=$(($(wc -l <"$W/sw/sweep.csv") - 1))
bs run "$BASE" -q -o "$W/run"
per=$(($(wc -l <"$W/run/summary.csv") - 1))
[ $status -eq 0 ] && [ "$(listing "$W/sw")" = "report.html scenario.ini sweep.csv sweep.svg " ] &&
	[ "$(head -n 1 "$W/sw/sweep.csv")" = "stage.primary.servers,$SUM_HEAD" ] &&
	[ "$rows" -eq $((3 * per)) ] &&
	[ "$(cut -d, -f1 "$W/sw/sweep.csv" | uniq | tr '\n' ' ')" = "stage.primary.servers 3 4 5 " ]
check "sweep over 3:5:1 writes sweep.csv (key column, then summary.csv's), scenario.ini, sweep.svg" $? \
	"$(why)" "$(head -n 2 "$W/sw/sweep.csv")"

# Every point is the run of its scenario, to the byte: the same seeds.
good=0
for s in 3 4 5; do
	"$BIN" run "$BASE" -q --set stage.primary.servers=$s -o "$W/p$s" &&
		tail -n +2 "$W/p$s/summary.csv" >"$W/p$s.rows" &&
		grep "^$s," "$W/sw/sweep.csv" | cut -d, -f2- >"$W/sw$s.rows" &&
		cmp -s "$W/p$s.rows" "$W/sw$s.rows" && good=$((good + 1))
done
[ $good -eq 3 ] && ! cmp -s "$W/p3.rows" "$W/p5.rows"
check "each sweep point equals 'run --set KEY=VALUE' byte for byte (common random numbers)" $? \
	"$good of 3 points equal"

cmp -s "$W/sw/scenario.ini" "$W/run/scenario.ini"
check "a sweep's scenario.ini is the base effective scenario" $?

xmllint --noout "$W/sw/sweep.svg" 2>"$W/xml"
check "sweep.svg is well-formed XML" $? "$(head -c 300 "$W/xml")"

bs sweep "$BASE" --vary stage.primary.servers=3,4 --vary stage.secondary.servers=1:2:1 -j 1 -o "$W/g1"
s1=$status
grep -Eq '^bordersim: two_stage: 4 points x 3 replications, [0-9.]+ s -> .*/g1/$' "$W/err"
msg=$?
bs sweep "$BASE" -q --vary stage.primary.servers=3,4 --vary stage.secondary.servers=1:2:1 -j 2 -o "$W/g2"
[ $s1 -eq 0 ] && [ $status -eq 0 ] && same_files "$W/g1" "$W/g2" sweep.csv scenario.ini report.html &&
	[ "$(listing "$W/g1")" = "report.html scenario.ini sweep.csv " ]
check "a 2-key grid with -j 1 and -j 2: byte-identical; no sweep.svg for two keys" $? "$(why)"
check "sweep reports points x replications and the folder on stderr" $msg "$(cat "$W/err")"
[ "$(head -n 1 "$W/g1/sweep.csv" | cut -d, -f1-3)" = "stage.primary.servers,stage.secondary.servers,scenario" ] &&
	[ "$(tail -n +2 "$W/g1/sweep.csv" | cut -d, -f1,2 | uniq | tr '\n' ' ')" = "3,1 3,2 4,1 4,2 " ]
check "grid order: the first --vary varies slowest" $? "$(cut -d, -f1,2 "$W/g1/sweep.csv" | uniq | head)"

# ---- sweep errors ----

fails "--vary without '=': 64 naming the argument" 64 "--vary 'stage.primary.servers'" "KEY=VALUES" \
	"try 'bordersim --help'" -- sweep "$BASE" --vary stage.primary.servers -o "$W/f"
fails "--vary with a range that misses STOP: 64" 64 "--vary 'stage.primary.servers=1:2:0.3'" -- \
	sweep "$BASE" --vary stage.primary.servers=1:2:0.3 -o "$W/f"
fails "--vary with STEP 0: 64" 64 "STEP" -- sweep "$BASE" --vary stage.primary.servers=1:3:0 -o "$W/f"
fails "sweep without --vary: 64" 64 "--vary" -- sweep "$BASE" -o "$W/f"
fails "--vary on run: 64" 64 "option '--vary' does not apply to 'run'" -- \
	run "$BASE" --vary stage.primary.servers=1,2 -o "$W/f"
for bad in 3 0/2 3/2 a/b; do
	fails "--shard '$bad': 64" 64 "--shard '$bad'" "K/N" -- \
		sweep "$BASE" --vary stage.primary.servers=3,4 --shard "$bad" -o "$W/f"
done
fails "--vary of an unknown key: 65 naming --vary and a suggestion" 65 \
	"--vary 'stage.primary.serverz=3,4'" "did you mean" -- \
	sweep "$BASE" --vary stage.primary.serverz=3,4 -o "$W/f"

# A bad value at the last point fails before the first runs: the points of
# this sweep would take minutes.
start=$(date +%s)
fails "a bad value at point 6 of 6: 65 at once, naming --vary, the value and the key" 65 \
	"--vary 'stage.primary.servers=3,4,5,6,7,ten'" "value 'ten'" "stage.primary.servers" -- \
	sweep "$BASE" -r 500 --set scenario.days=100 --vary stage.primary.servers=3,4,5,6,7,ten -o "$W/f"
[ $(($(date +%s) - start)) -le 3 ]
check "... and nothing ran first" $?
fails "a bad point outside the shard fails the shard too: 65" 65 "value 'ten'" -- \
	sweep "$BASE" --vary stage.primary.servers=3,ten --shard 1/2 -o "$W/f"

# ---- shards and merge ----

GRID="--vary stage.primary.servers=3:7:1"
bs sweep "$BASE" -q $GRID -o "$W/whole"
for k in 1 2 3; do
	"$BIN" sweep "$BASE" -q $GRID --shard $k/3 -o "$W/s$k" 2>>"$W/shard_err"
done
[ "$(listing "$W/s2")" = "report.html scenario.ini shard.csv sweep.csv " ] &&
	[ "$(tail -n +2 "$W/s2/sweep.csv" | cut -d, -f1 | uniq | tr '\n' ' ')" = "4 7 " ] &&
	grep -qx 'shard,,2/3' "$W/s2/shard.csv" && grep -qx 'seed,,7' "$W/s2/shard.csv"
check "shard 2/3 of 5 points runs points 2 and 5 (4 and 7) and writes its manifest" $? \
	"$(listing "$W/s2")" "$(cat "$W/shard_err")"

bs merge "$W/s3" "$W/s1" "$W/s2" -o "$W/merged"
[ $status -eq 0 ] && same_files "$W/whole" "$W/merged" sweep.csv scenario.ini sweep.svg report.html &&
	[ "$(listing "$W/merged")" = "$(listing "$W/whole")" ] &&
	grep -q "3 shards merged, 5 points" "$W/err"
check "3 shards merged (in any order) = the unsharded sweep, byte for byte (cmp), the same files" $? \
	"$(why)" "$(listing "$W/merged")"

"$BIN" sweep "$BASE" -q $GRID --shard 2/3 -s 8 -o "$W/seed8"
fails "merge of shards with different seeds: 65" 65 "shards of different sweeps" "seed 8" -- \
	merge "$W/s1" "$W/seed8" "$W/s3" -o "$W/f"
"$BIN" sweep "$BASE" -q --vary stage.primary.servers=3:8:1 --shard 2/3 -o "$W/grid"
fails "merge of shards of different grids: 65" 65 "shards of different sweeps" "varies" -- \
	merge "$W/s1" "$W/grid" "$W/s3" -o "$W/f"
fails "merge with a shard missing: 65" 65 "shard 2/3 is missing" -- merge "$W/s1" "$W/s3" -o "$W/f"
cp -r "$W/s2" "$W/s2copy"
fails "merge with a shard given twice: 65" 65 "shard 2/3 given twice" -- \
	merge "$W/s1" "$W/s2" "$W/s2copy" "$W/s3" -o "$W/f"
cp -r "$W/s3" "$W/cut"
head -n -1 "$W/s3/sweep.csv" >"$W/cut/sweep.csv"
fails "merge with a truncated sweep.csv: 65" 65 "cut/sweep.csv: truncated" -- \
	merge "$W/s1" "$W/s2" "$W/cut" -o "$W/f"
head -c -7 "$W/s3/sweep.csv" >"$W/cut/sweep.csv"
fails "merge with a sweep.csv cut mid-row: 65" 65 "cut/sweep.csv" -- \
	merge "$W/s1" "$W/s2" "$W/cut" -o "$W/f"
cp "$W/s3/sweep.csv" "$W/cut/sweep.csv"
head -n 5 "$W/s3/shard.csv" >"$W/cut/shard.csv"
fails "merge with a truncated manifest: 65" 65 "cut/shard.csv: malformed or truncated" -- \
	merge "$W/s1" "$W/s2" "$W/cut" -o "$W/f"
fails "merge of a folder that is not a shard: 66" 66 "not a sweep shard" -- \
	merge "$W/s1" "$W/s2" "$W/whole" -o "$W/f"
fails "merge without -o: 64" 64 "-o DIR" -- merge "$W/s1" "$W/s2" "$W/s3"
fails "merge takes no -r: 64" 64 "'-r'" -- merge "$W/s1" -r 3 -o "$W/f"

# A folder from an earlier merge stays as it was through a refused merge.
before=$(cd "$W/merged" && cksum *)
bs merge "$W/s1" "$W/s3" -o "$W/merged"
[ $status -eq 65 ] && [ "$(cd "$W/merged" && cksum *)" = "$before" ]
check "a refused merge into an earlier folder leaves it byte-identical" $? "$(why)"

# ---- compare ----

bs compare "$CBASE" "$FASTER" -r 20 -o "$W/cmp"
C=$W/cmp/compare.csv
[ $status -eq 0 ] &&
	[ "$(head -n 1 "$C")" = "scope,name,metric,unit,base_mean,scenario_mean,diff_mean,diff_ci95_low,diff_ci95_high,replications,base,scenario" ] &&
	[ "$(cut -d, -f11,12 "$C" | sort -u | tr '\n' ' ')" = "base,faster base,scenario " ] &&
	[ "$(listing "$W/cmp")" = "base.ini compare.csv report.html scenario.ini " ] &&
	grep -q "note: '$FASTER' runs with the seed (7) and replications (20) of '$CBASE'" "$W/err"
check "compare writes compare.csv (header as docs/sweeps.md), base.ini, scenario.ini; says whose seed" $? \
	"$(why)" "$(head -n 2 "$C")"

prim=$(grep -c '^stage,primary,' "$C")
zero=$(grep '^stage,primary,' "$C" | awk -F, '$5 == $6 && $7 == "0" && $8 == "0" && $9 == "0" && $10 == 20' | wc -l)
[ "$prim" -eq 12 ] && [ "$zero" -eq 12 ] &&
	grep -q '^stream,travelers,arrivals,count,[0-9.]*,[0-9.]*,0,0,0,20,base,faster$' "$C"
check "the unchanged stage (primary) and the arrivals: differences exactly 0, interval [0, 0]" $? \
	"$zero of $prim primary rows are zero" "$(grep '^stage,primary,' "$C" | head -n 3)"

awk -F, '$1 == "stage" && $2 == "secondary" && $3 == "wait_mean" { exit !($7 < 0 && $9 < 0) }' "$C"
check "a faster secondary: its wait falls, the whole interval below zero" $? "$(grep secondary,wait_mean "$C")"

grep -q '^seed = 7' "$W/cmp/scenario.ini" && grep -q '^replications = 20' "$W/cmp/scenario.ini" &&
	grep -q '^name = faster' "$W/cmp/scenario.ini" && grep -q '^name = base' "$W/cmp/base.ini"
check "the written scenario.ini runs SCENARIO on BASE's seed and replications" $?

# Independent runs of the same two scenarios: BASE on its seed, SCENARIO on
# another; the same Student-t interval of the 20 differences is wider.
"$BIN" run "$CBASE" -q -r 20 -o "$W/ib" && "$BIN" run "$FASTER" -q -r 20 -s 1007 -o "$W/if"
# width FILE-A FILE-B SCOPE NAME METRIC: the 95% interval width of B - A by replication.
width() {
	paste -d, <(grep ",$3,$4,$5," "$1/replications.csv" | cut -d, -f8) \
		<(grep ",$3,$4,$5," "$2/replications.csv" | cut -d, -f8) |
		awk -F, '{ d = $2 - $1; s += d; q += d * d; k++ }
			END { m = s / k; v = (q - k * m * m) / (k - 1); printf "%.10g\n", 2 * 2.093024054 * sqrt(v / k) }'
}
good=0
for m in "stage secondary wait_mean" "stage secondary queue_mean" "stream travelers time_in_system_mean"; do
	set -- $m
	paired=$(awk -F, -v s="$1" -v nm="$2" -v mt="$3" '$1 == s && $2 == nm && $3 == mt { printf "%.10g\n", $9 - $8 }' "$C")
	indep=$(width "$W/ib" "$W/if" "$1" "$2" "$3")
	if awk -v p="$paired" -v i="$indep" 'BEGIN { exit !(p > 0 && i > 0 && p < i) }'; then
		good=$((good + 1))
	else
		echo "#   $m: paired width $paired, independent $indep"
	fi
done
[ $good -eq 3 ]
check "paired intervals are narrower than independent seeds' for 3 metrics" $?

mkdir "$W/cwd"
(cd "$W/cwd" && "$BIN" compare "$OLDPWD/$CBASE" "$OLDPWD/$FASTER" -q -r 2 >"$W/out" 2>"$W/err")
status=$?
[ $status -eq 0 ] && [ -f "$W/cwd/output/faster-vs-base/compare.csv" ] && [ ! -s "$W/err" ]
check "compare's default folder is output/NAME-vs-BASENAME; -q is quiet" $? "$(why)"
bs compare "$CBASE" "$FASTER" -q -r 4 -j 1 -o "$W/cj1"
bs compare "$CBASE" "$FASTER" -q -r 4 -j 2 -o "$W/cj2"
same_files "$W/cj1" "$W/cj2" compare.csv base.ini scenario.ini report.html
check "compare with -j 1 and -j 2: byte-identical" $?
fails "compare with one scenario: 64" 64 "BASE and SCENARIO" -- compare "$CBASE" -o "$W/f"
fails "compare with a bad SCENARIO: 65, nothing written" 65 "stage.primary.servers" -- \
	compare "$CBASE" tests/data/e2e/bad_type.ini -o "$W/f"

# ---- progress ----

# A pseudo-terminal from script(1), when the machine can give one (a chroot
# without /dev/pts cannot): without it every check below would pass or fail
# for the wrong reason, so they are reported as skipped, with the reason.
pty=0
if command -v script >/dev/null 2>&1; then
	script -qec "echo pty-ok" "$W/ttyprobe" </dev/null >/dev/null 2>&1
	grep -aq pty-ok "$W/ttyprobe" 2>/dev/null && pty=1
fi
if [ $pty -eq 1 ]; then
	script -qec "'$BIN' run '$BASE' -r 30 --set scenario.days=20 -o '$W/pr'" "$W/tty" </dev/null >/dev/null 2>&1
	grep -aq $'\rbordersim: two_stage: 0/30 replications, 0:00 elapsed, ? left' "$W/tty" &&
		grep -aq $'\rbordersim: two_stage: 30/30 replications, [0-9:]* elapsed, [0-9:]* left' "$W/tty" &&
		grep -aq $'\r\033\\[Kbordersim: two_stage: 30 replications' "$W/tty"
	check "on a terminal, run draws one line in place (done of total, elapsed, left), cleared at the end" $? \
		"$(cat -v "$W/tty" | head -c 400)"
	script -qec "'$BIN' sweep '$BASE' -r 5 $GRID -o '$W/pr2'" "$W/tty2" </dev/null >/dev/null 2>&1
	grep -aq $'\rbordersim: two_stage: 5/5 points (25/25 replications), ' "$W/tty2"
	check "on a terminal, sweep counts points (and replications)" $? "$(cat -v "$W/tty2" | head -c 400)"
	script -qec "'$BIN' run '$BASE' -q -r 30 -o '$W/pr3'" "$W/tty3" </dev/null >/dev/null 2>&1
	! grep -aq 'replications' "$W/tty3"
	check "on a terminal with -q: no progress line" $? "$(cat -v "$W/tty3" | head -c 400)"
else
	ok "progress on a terminal # skip: no pseudo-terminal (script(1) missing or /dev/pts absent)"
fi
bs run "$BASE" -r 30 -o "$W/pr4"
[ $status -eq 0 ] && ! grep -q $'\r' "$W/err" && [ "$(grep -vc '^bordersim: warning: ' "$W/err")" -eq 1 ]
check "stderr not a terminal: no progress, only the final line (and warnings)" $? "$(cat -v "$W/err")"

# ---- interruption ----

# interrupt SIGNAL DELAY ARGS...: starts the program in its own process group
# (job control, so SIGINT is not ignored as in a background job), sends
# SIGNAL after DELAY seconds; $status, $W/err hold the outcome.
interrupt() {
	local sig=$1 delay=$2 pid
	shift 2
	set -m
	"$BIN" "$@" >"$W/out" 2>"$W/err" &
	pid=$!
	set +m
	sleep "$delay"
	kill -s "$sig" $pid 2>/dev/null
	wait $pid
	status=$?
}

LONG="-r 400 --set scenario.days=40"
start=$(date +%s)
interrupt INT 0.5 run "$BASE" $LONG -o "$W/int"
[ $status -eq 130 ] && [ "$(cat "$W/err")" = "bordersim: interrupted" ] && [ ! -e "$W/int" ] && no_temp "$W" &&
	[ $(($(date +%s) - start)) -le 5 ]
check "SIGINT during run: status 130, 'bordersim: interrupted', promptly, no folder, no temporary file" $? "$(why)"

interrupt TERM 0.5 sweep "$BASE" $LONG --vary stage.primary.servers=3,4 -o "$W/int"
[ $status -eq 143 ] && grep -qx 'bordersim: interrupted' "$W/err" && [ ! -e "$W/int" ] && no_temp "$W"
check "SIGTERM during sweep: status 143, no folder, no temporary file" $? "$(why)"

interrupt INT 0.5 compare "$CBASE" "$FASTER" $LONG -o "$W/int"
[ $status -eq 130 ] && [ ! -e "$W/int" ] && no_temp "$W"
check "SIGINT during compare: status 130, no folder" $? "$(why)"

before=$(cd "$W/run" && cksum *)
interrupt INT 0.5 run "$BASE" $LONG -o "$W/run"
[ $status -eq 130 ] && [ "$(cd "$W/run" && cksum *)" = "$before" ] && no_temp "$W"
check "SIGINT during a run into an earlier run's folder: its files stay byte-identical" $? "$(why)"

bs run "$BASE" -q -o "$W/run"
[ $status -eq 0 ] && [ "$(cd "$W/run" && cksum *)" = "$before" ]
check "the next run starts clean and writes the same bytes" $? "$(why)"

# Signals at many moments, through the engine and the writing of a large
# hourly.csv: each run either finishes with complete files or leaves nothing.
"$BIN" run "$BASE" -q -r 60 --set scenario.days=30 -o "$W/ref"
bad=""
for d in 0.05 0.2 0.4 0.6 0.8 1.0 1.2 1.5; do
	rm -rf "$W/prop"
	interrupt INT $d run "$BASE" -r 60 --set scenario.days=30 -o "$W/prop"
	if [ $status -eq 0 ]; then
		same_files "$W/ref" "$W/prop" summary.csv replications.csv hourly.csv scenario.ini hourly.svg ||
			bad="$bad $d:incomplete"
	elif [ $status -eq 130 ]; then
		# Interrupted: nothing written, or — a signal that came after the
		# last file was in place, when the program had put back the
		# default action — every file complete.
		[ ! -e "$W/prop" ] ||
			same_files "$W/ref" "$W/prop" summary.csv replications.csv hourly.csv scenario.ini \
				hourly.svg || bad="$bad $d:left-folder"
	else
		bad="$bad $d:status-$status"
	fi
	no_temp "$W" || bad="$bad $d:temp"
done
[ -z "$bad" ]
check "SIGINT at 8 moments: complete files or none, never a temporary one" $? "$bad"

# A SIGINT ignored from the start (a background job of a script) stays ignored.
"$BIN" run "$BASE" -q -r 40 --set scenario.days=5 -o "$W/ign" &
pid=$!
sleep 0.2
kill -s INT $pid 2>/dev/null
wait $pid
status=$?
[ $status -eq 0 ] && [ -f "$W/ign/summary.csv" ]
check "a SIGINT that was ignored when the program started is still ignored" $? "status $status"

# ---- the analyst's view: results on stdout, list values in --vary ----

bs compare "$CBASE" "$FASTER" -r 20 -o "$W/cmp_out"
[ $status -eq 0 ] && [ "$(head -n 1 "$W/out" | cut -d: -f1)" = "faster vs base" ] &&
	grep -qE '^stage secondary wait_mean +[0-9.]+ +[0-9.]+ +-[0-9.]+  \[-[0-9.]+, -[0-9.]+\] min +-[0-9.]+%$' "$W/out" &&
	! grep -q '^stage primary ' "$W/out" &&
	cmp -s "$W/cmp_out/compare.csv" "$W/cmp/compare.csv"
check "compare prints the differences whose interval excludes 0 (none of the unchanged stage), the same compare.csv" $? \
	"$(why)" "$(head -n 4 "$W/out")"

bs sweep "$BASE" --vary stage.primary.servers=3:5:1 -o "$W/sw_out"
[ $status -eq 0 ] && [ "$(wc -l <"$W/out")" -eq 3 ] &&
	[ "$(cut -d';' -f1 "$W/out" | tr '\n' ' ')" = "stage.primary.servers=3 stage.primary.servers=4 stage.primary.servers=5 " ] &&
	grep -qE '^stage.primary.servers=3; longest p95 wait: [a-z]+ [0-9,.]+  \[[0-9,.]+, [0-9,.]+\] min$' "$W/out" &&
	cmp -s "$W/sw_out/sweep.csv" "$W/sw/sweep.csv"
check "sweep prints one line a point, in grid order; the same sweep.csv" $? "$(why)" "$(cat "$W/out")"

bs sweep "$BASE" -q --vary 'stage.primary.next=secondary:0.1,exit; secondary:0.3,exit' -o "$W/sw_list"
[ $status -eq 0 ] && [ "$(cut -d, -f1,2 "$W/sw_list/sweep.csv" | sort -u | tr '\n' '|')" = '"secondary:0.1,exit"|"secondary:0.3,exit"|stage.primary.next,scenario|' ] &&
	a=$(grep '^"secondary:0.1,exit",two_stage,stage,secondary,arrivals,' "$W/sw_list/sweep.csv" | cut -d, -f8) &&
	b=$(grep '^"secondary:0.3,exit",two_stage,stage,secondary,arrivals,' "$W/sw_list/sweep.csv" | cut -d, -f8) &&
	awk -v a="$a" -v b="$b" 'BEGIN { exit !(a > 0 && b > 2 * a) }'
check "--vary with ';' varies a list value (route shares): two points, the secondary's arrivals follow the share" $? \
	"$(why)" "$(head -n 3 "$W/sw_list/sweep.csv")"

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
