#!/usr/bin/env bash
# e2e_badinput: the table "What bad input gets" of docs/errors.md, row by row.
#
#   tests/e2e_badinput.sh ./bordersim        (from the repository root)
#
# Each row of that table is one check here, in the same order: the exit
# status; the message (file:line and key when the fault is in a file); and
# that the output folder is untouched, both when -o names a folder that does
# not exist (it is not made, and nothing is left beside it) and when -o names
# the folder of an earlier successful run (its files byte-identical after).
# The rows about the output folder itself (signals at any moment, a closed
# pipe, a file-size limit, planted links, two writers, a folder of another
# command, kill -9) check what their row says, each in its own way.
# The scenarios are in tests/data/bad/, each one fault in a small network.
# Prints "ok N - ..." / "not ok N - ..." lines and a summary; exits 1 when any
# check failed.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
D=tests/data/bad
BASE=tests/data/e2e/two_stage.ini

W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-e2e-bad.XXXXXX") || exit 2
MNT=
cleanup() {
	if [ -n "$MNT" ]; then umount "$MNT" 2>/dev/null; fi
	chmod -R u+rwx "$W" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
chmod 711 "$W"   # an unprivileged run (below) must reach the folders in it
: >"$W/out"
: >"$W/err"


# snapshot DIR: names (including hidden ones) and checksums of the files in DIR.
snapshot() {
	(cd "$1" && ls -A && cksum $(ls -A))
}

# Runs the program, as an unprivileged user when AS says so (see below); a
# run that hangs is stopped after a minute (status 124).
AS=()
run_bin() {
	timeout 60 ${AS[@]+"${AS[@]}"} "$BIN" "$@" >"$W/out" 2>"$W/err"
	status=$?
}

# row DESC STATUS PATTERN... -- ARGS...: runs ARGS twice, with -o $NEW (a folder
# that does not exist) and with -o $PREV (an earlier run's folder). Each time
# the program exits STATUS, stderr holds every PATTERN (fixed strings) and
# stdout nothing; $NEW is not made and the listing of its parent is as before
# (no temporary file left); $PREV's files are byte-identical. With PREV empty,
# only the first run.
NEW=$W/new
PREV=$W/prev
row() {
	local desc=$1 want=$2 p problems="" parent before_parent before_prev target
	shift 2
	local pats=()
	while [ "$1" != "--" ]; do
		pats+=("$1")
		shift
	done
	shift
	parent=$(dirname "$NEW")
	before_parent=$(ls -A "$parent")
	[ -z "$PREV" ] || before_prev=$(snapshot "$PREV")
	for target in "$NEW" ${PREV:+"$PREV"}; do
		run_bin "$@" -o "$target"
		[ $status -eq "$want" ] || problems="$problems; -o ${target##*/}: status $status, not $want"
		for p in "${pats[@]}"; do
			grep -qF -- "$p" "$W/err" || problems="$problems; -o ${target##*/}: no '$p' in the message"
		done
		[ -s "$W/out" ] && problems="$problems; -o ${target##*/}: stdout not empty"
		last_err=$(head -c 600 "$W/err")
	done
	[ -e "$NEW" ] && problems="$problems; $NEW was made"
	[ "$(ls -A "$parent")" = "$before_parent" ] || problems="$problems; the listing of $parent changed"
	[ -z "$PREV" ] || [ "$(snapshot "$PREV")" = "$before_prev" ] || problems="$problems; $PREV changed"
	if [ -z "$problems" ]; then
		ok "$desc"
	else
		not_ok "$desc" "${problems#; }" "stderr: $last_err"
	fi
}

# interrupt SIGNAL DIR ARGS...: starts the program in its own process group
# (job control, so SIGINT is not ignored as in a background job), waits until
# a temporary file appears in DIR — the files are being written — and sends
# SIGNAL; $status and $W/err hold the outcome.
interrupt() {
	local sig=$1 dir=$2 pid hit
	shift 2
	set -m
	"$BIN" "$@" >"$W/out" 2>"$W/err" &
	pid=$!
	set +m
	shopt -s nullglob dotglob
	while kill -0 $pid 2>/dev/null; do
		hit=("$dir"/.bordersim-tmp.*)
		[ ${#hit[@]} -gt 0 ] && break
	done
	shopt -u nullglob dotglob
	kill -s "$sig" $pid 2>/dev/null
	wait $pid
	status=$?
}

# signal_problems SIGNAL STATUS: the signal comes while the files are being
# written, into a new folder and into an earlier run's folder; adds what went
# wrong to $problems. A signal that lands after the last rename lets the run
# finish (status 0), or kills it once the program has put back the default
# action (status 128 + SIGNAL with no message, the files complete); then the
# moment is tried again, up to three times.
LONG="run $BASE -q -j 1 -r 100 --set scenario.days=5"
signal_problems() {
	local sig=$1 want=$2 before try
	for try in 1 2 3; do
		rm -rf "$W/sig_new"
		before=$(ls -A "$W")
		interrupt "$sig" "$W/sig_new" $LONG -o "$W/sig_new"
		[ $status -ne 0 ] && [ -s "$W/err" ] && break
	done
	[ $status -eq "$want" ] || problems="$problems; $sig, new folder: status $status, not $want"
	[ "$(cat "$W/err")" = "bordersim: interrupted" ] || problems="$problems; $sig, new folder: message '$(head -c 300 "$W/err")'"
	[ -e "$W/sig_new" ] && problems="$problems; $sig: the new folder was left"
	[ "$(ls -A "$W")" = "$before" ] || problems="$problems; $sig: the listing of $W changed"
	rm -rf "$W/sig_new"
	for try in 1 2 3; do
		rm -rf "$W/sig_prev"
		cp -a "$PREV" "$W/sig_prev"
		before=$(snapshot "$W/sig_prev")
		interrupt "$sig" "$W/sig_prev" $LONG -o "$W/sig_prev"
		[ $status -ne 0 ] && [ -s "$W/err" ] && break
	done
	[ $status -eq "$want" ] || problems="$problems; $sig, earlier folder: status $status, not $want"
	[ "$(cat "$W/err")" = "bordersim: interrupted" ] || problems="$problems; $sig, earlier folder: message '$(head -c 300 "$W/err")'"
	[ "$(snapshot "$W/sig_prev")" = "$before" ] || problems="$problems; $sig: the earlier folder changed"
	rm -rf "$W/sig_prev"
}

# signal_row DESC SIGNAL STATUS: signal_problems as one check.
signal_row() {
	problems=""
	signal_problems "$2" "$3"
	if [ -z "$problems" ]; then ok "$1"; else not_ok "$1" "${problems#; }"; fi
}

# simulating SIGNAL STATUS: the signal comes while the replications run (the
# program has started its second thread, -j 2), into a new folder; adds what
# went wrong to $problems, as signal_problems.
simulating() {
	local sig=$1 want=$2 pid t before try
	for try in 1 2 3; do
		rm -rf "$W/sim"
		before=$(ls -A "$W")
		set -m
		"$BIN" run $BASE -q -j 2 -r 100 --set scenario.days=5 -o "$W/sim" >"$W/out" 2>"$W/err" &
		pid=$!
		set +m
		while kill -0 $pid 2>/dev/null; do
			t=(/proc/$pid/task/*)
			[ ${#t[@]} -ge 2 ] && break
		done
		kill -s "$sig" $pid 2>/dev/null
		wait $pid
		status=$?
		[ $status -ne 0 ] && [ -s "$W/err" ] && break
	done
	[ $status -eq "$want" ] || problems="$problems; $sig, simulating: status $status, not $want"
	[ "$(cat "$W/err")" = "bordersim: interrupted" ] || problems="$problems; $sig, simulating: message '$(head -c 300 "$W/err")'"
	[ -e "$W/sim" ] && problems="$problems; $sig, simulating: the new folder was left"
	[ "$(ls -A "$W")" = "$before" ] || problems="$problems; $sig, simulating: the listing of $W changed"
	rm -rf "$W/sim"
}

skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}

# As root, file permissions stop nothing: the rows about them run the program
# as nobody (setpriv), which the modes do stop.
unpriv=()
can_unpriv=1
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		unpriv=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	else
		can_unpriv=0
	fi
fi

# The earlier successful run whose folder every row tries to write into.
if ! "$BIN" run "$BASE" -q -r 1 -o "$PREV" >/dev/null 2>"$W/err"; then
	echo "Bail out! cannot make the earlier run's folder: $(cat "$W/err")"
	exit 1
fi

# ---- the table, row by row ----

# A missing or unreadable file.
row "missing scenario file: 66, naming it" 66 "cannot open '$D/no_such.ini'" "No such file" -- \
	run $D/no_such.ini
if [ $can_unpriv -eq 1 ]; then
	cp $BASE "$W/unreadable.ini"
	chmod 000 "$W/unreadable.ini"
	AS=(${unpriv[@]+"${unpriv[@]}"})
	row "an unreadable scenario (mode 000): 66, naming it" 66 "cannot open '$W/unreadable.ini'" \
		"Permission denied" -- run "$W/unreadable.ini"
	AS=()
else
	skip "root without setpriv: mode 000 does not stop root reading"
fi
row "a folder given as the scenario: 66, naming it" 66 "cannot read '$D'" "Is a directory" -- \
	run $D

# What is not a regular file, or is too large, is refused before it is read.
mkfifo "$W/fifo.ini"
row "a FIFO given as the scenario: 66 at once, naming it" 66 \
	"cannot read '$W/fifo.ini': a FIFO, not a regular file" -- run "$W/fifo.ini"
truncate -s 17M "$W/big.ini"
row "a scenario file over 16 MiB: 65 before it is read, its size and the limit" 65 \
	"$W/big.ini: too large: 17825792 bytes; a scenario and its includes may hold 16 MiB" -- \
	run "$W/big.ini"

# INI syntax.
row "section header without ']': 65, file:line" 65 "syntax_section.ini:13:" "'[stage.primary'" -- \
	run $D/syntax_section.ini
row "a line that is not key = value: 65, file:line" 65 "syntax_line.ini:10:" "'profile flat'" -- \
	run $D/syntax_line.ini
row "text after a section header: 65, file:line, the text" 65 "header_text.ini:14:" \
	"[stage.primary]: text after the section header: 'servers = 5'" -- run $D/header_text.ini
row "an indented key under any section: 65, file:line, the key" 65 "indented_key.ini:25:" \
	"indented 'factor = 3' would continue the value above" -- run $D/indented_key.ini
row "CR line ends: 65, file:line" 65 "cr_line_ends.ini:1:" \
	"a carriage return (CR) not followed by a line feed" -- run $D/cr_line_ends.ini

# Unknown names.
row "unknown section kind: 65, file:line, the nearest kind" 65 "unknown_section.ini:18:" \
	"[stag.secondary]" "did you mean 'stage'" -- run $D/unknown_section.ini
row "unknown key: 65, file:line, key, the nearest key" 65 "unknown_key.ini:14:" \
	"stage.primary.serverz" "did you mean 'stage.primary.servers'" -- run $D/unknown_key.ini

# Wrong types and values out of range.
row "wrong type: 65, file:line, key, the value" 65 "type.ini:14:" "stage.primary.servers" "'ten'" -- \
	run $D/type.ini
row "negative: 65, file:line, key" 65 "negative.ini:9:" "stream.travelers.per_day" "'-2000'" -- \
	run $D/negative.ini
row "zero where more is needed: 65, file:line, key" 65 "zero.ini:3:" "scenario.days" "greater than 0" -- \
	run $D/zero.ini
row "NaN: 65, file:line, key" 65 "nan.ini:9:" "stream.travelers.per_day" "'nan'" -- run $D/nan.ini
row "infinity: 65, file:line, key" 65 "inf.ini:9:" "stream.travelers.per_day" "'inf'" -- run $D/inf.ini
row "a control character in a value: 65, escaped as \\xHH in the message" 65 "control.ini:9:" \
	"stream.travelers.per_day" "got '2000\\x1b[31m'" -- run $D/control.ini
if grep -q "$(printf '\033')" "$W/err"; then
	not_ok "the control character does not reach stderr raw" "$(cat -A "$W/err")"
else
	ok "the control character does not reach stderr raw"
fi
row "absurdly large: 65, file:line, key, the range" 65 "huge.ini:5:" "scenario.replications" \
	"from 1 to 100000" -- run $D/huge.ini
row "absurdly many replications by -r: 65, naming -r, key, the range" 65 \
	"-r '1000000000': scenario.replications" "from 1 to 100000" -- run $BASE -r 1000000000
row "-r 0: 65 as -r 100001, the key's range" 65 \
	"-r '0': scenario.replications: expected a whole number from 1 to 100000, got '0'" -- \
	run $BASE -r 0
row "-r 100001: 65 as -r 0, the key's range" 65 \
	"-r '100001': scenario.replications: expected a whole number from 1 to 100000" -- \
	run $BASE -r 100001
row "-r not a whole number: 64 with the hint" 64 "option '-r' expects a whole number, got 'ten'" \
	"try 'bordersim --help'" -- run $BASE -r ten
row "servers above their limit: 65, the limit stated" 65 \
	"stage.primary.servers: expected a whole number from 0 to 100000, 24 of them, or unlimited or auto" \
	"'100001'" -- run $BASE --set stage.primary.servers=100001
row "a number too close to 0 for a double: 65, saying so" 65 "stream.travelers.per_day:" \
	"'1e-400' is too close to 0 to hold" -- run $BASE --set stream.travelers.per_day=1e-400
row "a value whose total could overflow: 65, the limit" 65 "stream.travelers.value:" \
	"expected a number from 0 to 1e+12, got '1e308'" -- run $BASE --set stream.travelers.value=1e308

# More events than scenario.max_events: refused at once, with the estimate.
row "a horizon over the event budget: 65, file:line, key, the estimate" 65 "budget_days.ini:3:" \
	"scenario.days" "the run would take about 1.44e+12 events" "scenario.max_events = 1e+10" -- \
	run $D/budget_days.ini
row "a volume over the event budget: 65, file:line, key, the estimate" 65 "budget_volume.ini:8:" \
	"stream.travelers.per_day" "the run would take about 7.2e+12 events" -- \
	run $D/budget_volume.ini
row "a volume over the budget by --set: 65, the --set named" 65 \
	"--set 'stream.travelers.per_day=1e9': stream.travelers.per_day" "about 1.8e+10 events" -- \
	run $BASE --set stream.travelers.per_day=1e9
row "a horizon of clock hours over the budget, with no arrivals: 65, file:line, key" 65 \
	"budget_hours.ini:3:" "scenario.days" "about 7.2e+301 clock hours" -- run $D/budget_hours.ini
row "a routing loop all but closed, over the event budget: 65 at once, the estimate" 65 \
	"budget_loop.ini:9:" "stream.travelers.per_day" "the run would take about 2e+14 events" \
	"scenario.max_events = 1e+10" -- run $D/budget_loop.ini
row "hourly weights whose sum overflows: 65, file:line, key" 65 "weights.ini:10:" \
	"stream.travelers.profile" "add up to more than" -- run $D/weights.ini

# Distributions, units, routes.
row "missing unit: 65, file:line, key" 65 "unit.ini:15:" "stage.primary.service" "missing unit in '2'" -- \
	run $D/unit.ini
row "unknown distribution: 65, file:line, key, the known ones" 65 "dist.ini:15:" \
	"stage.primary.service" "unknown distribution 'exponentiel'" "exponential(mean)" -- \
	run $D/dist.ini
row "unknown distribution parameter: 65, file:line, key, the right one" 65 "dist_param.ini:15:" \
	"stage.primary.service" "no parameter 'mena'" "it takes mean" -- run $D/dist_param.ini
row "a duration beyond any horizon: 65, file:line, key, the limit" 65 "duration_huge.ini:15:" \
	"stage.primary.service" "is too long: at most 1e+12 min" -- run $D/duration_huge.ini
row "a cv too small to draw from: 65, file:line, key, the limit" 65 "cv_tiny.ini:20:" \
	"stage.secondary.service" "cv must be at least 1e-06" -- run $D/cv_tiny.ini
row "probabilities not adding up to 1: 65, file:line, key, the sum" 65 "prob.ini:16:" \
	"stage.primary.next" "add up to 0.7" -- run $D/prob.ini
row "a group size of 0 (and any below 1): 65, file:line, key" 65 "batch_zero.ini:12:" \
	"stream.travelers.batch" "expected a whole number from 1 to 1000000" "got '0'" -- run $D/batch_zero.ini
row "a negative group size: 65, file:line, key" 65 "batch_negative.ini:12:" \
	"stream.travelers.batch" "expected a whole number from 1 to 1000000" "got '-150'" -- run $D/batch_negative.ini
row "group-size shares not adding up to 1: 65, file:line, key" 65 "batch_shares.ini:12:" \
	"stream.travelers.batch" "shares of batch add up to 0.8" -- run $D/batch_shares.ini
row "a group-size distribution reaching below 0: 65, file:line, key" 65 "batch_dist.ini:12:" \
	"stream.travelers.batch" "uniform parameter 'a'" "got '-10'" -- run $D/batch_dist.ini
row "a group-size distribution whose mean is above 1000000: 65, file:line, key" 65 \
	"batch_mean.ini:12:" "stream.travelers.batch" "mean size must be at most 1e+06" -- \
	run $D/batch_mean.ini
row "a group spread that is not a duration (no unit): 65, file:line, key" 65 "batch_spread.ini:12:" \
	"stream.travelers.batch_spread" "missing unit in '0'" -- run $D/batch_spread.ini
row "route to an unknown stage: 65, file:line, key, the nearest stage" 65 "route.ini:16:" \
	"stage.primary.next" "unknown stage 'secondry'" "did you mean 'secondary'" -- run $D/route.ini
row "a surge naming an unknown stream: 65, file:line, key, the nearest stream" 65 \
	"surge_stream.ini:23: surge.rush.streams: unknown stream 'travellers'; did you mean 'travelers'?" -- \
	run $D/surge_stream.ini
row "a surge naming a group nothing is in: 65, file:line, key, the nearest group" 65 \
	"surge_group.ini:23: surge.rush.group: no stream is in group 'land_travle'; did you mean 'land_travel'?" -- \
	run $D/surge_group.ini
row "routing loop with no way out: 65 before running, file:line, key" 65 "loop.ini:17:" \
	"stage.primary.next" "can never leave" -- run $D/loop.ini

# Includes.
row "include cycle: 65, the include line, the cycle" 65 "include_cycle_b.ini:2: include:" \
	"include cycle $D/include_cycle_a.ini -> $D/include_cycle_b.ini -> $D/include_cycle_a.ini" -- \
	run $D/include_cycle_a.ini
row "missing include: 65, the include line, the file" 65 "include_missing.ini:3: include:" \
	"cannot open '$D/no_such_part.ini'" -- run $D/include_missing.ini
mkdir "$W/chain"
for k in $(seq 0 7699); do echo "include = f$((k + 1)).ini" >"$W/chain/f$k.ini"; done
cp $BASE "$W/chain/f7700.ini"
row "an include chain of 7,700 files: 65 at depth 33, the include line" 65 \
	"$W/chain/f32.ini:1: include: includes nested more than 32 deep: 'f33.ini' is one too many" -- \
	run "$W/chain/f0.ini"
row "an include that is a device (/dev/zero): 65 at once, the include line" 65 \
	"include_device.ini:3: include: cannot read '/dev/zero': a character device, not a regular file" -- \
	run $D/include_device.ini
row "an include that is a folder: 65, the include line" 65 \
	"include_folder.ini:3: include: cannot read '$D/.': Is a directory" -- run $D/include_folder.ini
row "an include that fails to read (EIO): 65, the include line, the error" 65 \
	"include_read_error.ini:3: include: cannot read '/proc/self/mem': Input/output error" -- \
	run $D/include_read_error.ini
echo "include = big.ini" >"$W/inc_big.ini"
row "an include over 16 MiB: 65, the include line, its size" 65 \
	"$W/inc_big.ini:1: include: '$W/big.ini' too large: 17825792 bytes" -- run "$W/inc_big.ini"

# Ports: catalogs, templates, port names.
row "a port catalog without a port column: 65, the catalog's header line" 65 \
	"ports/catalog_noport.csv:1: a catalog needs a column 'port'" -- run $D/port_catalog.ini
row "a template's figure the port lacks: 65, the template's line, the nearest figure" 65 \
	"ports/tmpl_figure.ini:3: stream.north/cars.per_day: {cars_per_dya}: port north has no such figure" \
	"did you mean {cars_per_day}?" -- run $D/port_figure.ini
row "a PORT/NAME stage of a port nobody gives: 65, the stage's line" 65 \
	"port_missing.ini:10: stage.east/booth.service: 'east/booth' names port 'east', which has no [port.east] section" -- \
	run $D/port_missing.ini
row "a closure of a port the scenario lacks: 65, the line, the nearest port" 65 \
	"port_unknown.ini:10: closure.storm.ports: unknown port 'nrth'; did you mean 'north'?" -- \
	run $D/port_unknown.ini

# The command line.
row "--set without '=': 64 with the hint" 64 "--set 'primary': expected KEY=VALUE" \
	"try 'bordersim --help'" -- run $BASE --set primary
row "--set with a bad value: 65, the argument and the key" 65 \
	"--set 'stage.primary.servers=ten': stage.primary.servers:" "'ten'" -- \
	run $BASE --set stage.primary.servers=ten
LONGWORD=$(printf 'w%.0s' $(seq 1 198))
row "--set with a word longer than a scenario line: 65, its length" 65 \
	"stage.primary.next: a word of 198 characters; a line of a scenario file holds at most 197" -- \
	run $BASE --set "stage.primary.next=exit, $LONGWORD"
row "--set naming a section the scenario does not have: 65, the nearest section" 65 \
	"--set 'stage.primry.service=fixed(3min)': stage.primry: no such section in the scenario" \
	"did you mean 'stage.primary'?" -- run $BASE --set "stage.primry.service=fixed(3min)"
row "--set of a port's figure the port lacks: 65, the nearest figure" 65 \
	"--set 'port.north.cars_per_dy=3': port.north.cars_per_dy: port north has no such figure" \
	"did you mean 'port.north.cars_per_day'?" -- run $D/port_unknown.ini --set port.north.cars_per_dy=3
row "--vary without '=': 64 with the hint" 64 "--vary 'stage.primary.servers': expected KEY=VALUES" \
	"try 'bordersim --help'" -- sweep $BASE --vary stage.primary.servers
row "--vary with a bad value: 65, the argument, the value and the key" 65 \
	"--vary 'stage.primary.servers=3,ten': value 'ten': stage.primary.servers:" -- \
	sweep $BASE --vary stage.primary.servers=3,ten
row "--vary naming a section the scenario does not have: 65, the nearest section" 65 \
	"--vary 'stage.primry.servers=3,4': stage.primry: no such section in the scenario" \
	"did you mean 'stage.primary'?" -- sweep $BASE --vary stage.primry.servers=3,4
row "--chart naming no stage, group or port: 65 before anything runs, the nearest stage" 65 \
	"--chart 'primary,secondry': no stage, group or port 'secondry' in 'two_stage'" \
	"did you mean 'secondary'?" -- run $BASE --chart primary,secondry
row "--hourly naming no stage, group, port or port group: 65 before anything runs, the nearest" 65 \
	"--hourly 'primary,secondry': no stage, group, port or port group 'secondry' in 'two_stage'" \
	"did you mean 'secondary'?" -- run $BASE --hourly primary,secondry
row "--hourly empty, with an empty name, or all among names: 64 with the hint" 64 \
	"--hourly 'all,primary': 'all' with other names" "try 'bordersim --help'" -- \
	run $BASE --hourly all,primary
row "compare of scenarios whose reported days differ: 65, both files and their days" 65 \
	"'$BASE' reports 2 days and '$D/days_14.ini' 14: their totals are not comparable" \
	"--set scenario.days=14" -- compare $BASE $D/days_14.ini

# keys takes no -o: checked here rather than by row.
run_bin keys no_such_key
if [ $status -eq 64 ] && grep -qF "no key name contains 'no_such_key'" "$W/err" &&
	grep -qF "try 'bordersim --help'" "$W/err" && [ ! -s "$W/out" ]; then
	ok "keys WORD that no key name contains: 64 with the hint, nothing on stdout"
else
	not_ok "keys WORD that no key name contains: 64 with the hint, nothing on stdout" "$(why)"
fi
row "--shard out of its form: 64 with the hint" 64 "--shard '3/2'" "K/N" "try 'bordersim --help'" -- \
	sweep $BASE --vary stage.primary.servers=3,4 --shard 3/2

# staff: targets and blocks.
T=tests/data/staff
row "staff with no target: 65, saying how to give one" 65 \
	"$BASE: no targets: give a [target.NAME] section or --target" -- staff $BASE
row "--target not KIND.NAME.METRIC=LIMIT: 64 with the hint" 64 "--target 'primary=5min'" \
	"expected KIND.NAME.METRIC=LIMIT" "try 'bordersim --help'" -- staff $BASE --target primary=5min
row "--target naming a stage the scenario lacks: 65, the nearest" 65 \
	"--target 'stage.primery.wait_p95=5min': no stage 'primery'; did you mean 'primary'?" -- \
	staff $BASE --target stage.primery.wait_p95=5min
row "--target with an unknown metric: 65" 65 \
	"--target 'stage.primary.wait_p90=5min': unknown metric 'wait_p90'" -- \
	staff $BASE --target stage.primary.wait_p90=5min
row "--target with a limit that is not a duration: 65" 65 \
	"--target 'stage.primary.wait_p95=5': limit: missing unit in '5'" -- \
	staff $BASE --target stage.primary.wait_p95=5
row "--block not dividing the day: 64 with the hint" 64 "option '--block' expects hours that divide" \
	"got '5h'" "try 'bordersim --help'" -- staff $BASE --target stage.primary.wait_mean=1min --block 5h
row "[target.NAME] naming an unknown stage: 65, file:line and key" 65 \
	"$T/bad_target.ini:19: target.booths.stages: unknown stage 'secondry'" -- staff $T/bad_target.ini
row "[target.NAME] without its limit: 65, file:line and key" 65 \
	"$T/bad_limit.ini:16: target.booths.limit: required key missing" -- staff $T/bad_limit.ini
row "[target.NAME] with 3 limits, neither one nor 24: 65, file:line and key" 65 \
	"$T/bad_hours.ini:19: target.booths.limit: expected a duration, or 24, one a clock hour, got 3" -- \
	run $T/bad_hours.ini
row "a targeted stage a staffing section scales: 65, file:line" 65 \
	"$T/bad_scaled.ini:22: staffing.night: scales stage 'primary', which has a target" -- \
	staff $T/bad_scaled.ini
row "a target of unlimited stages only: 65, file:line and key" 65 \
	"$T/bad_unlimited.ini:17: target.walk.stages: its stages all have servers = unlimited" -- \
	staff $T/bad_unlimited.ini
row "unknown option: 64 with the hint" 64 "unknown option '--frobnicate'" "try 'bordersim --help'" -- \
	run $BASE --frobnicate

# The output folder: one that cannot be made (there is no earlier folder to
# try then), one that cannot be written, and a disk that fills.
NEW=/dev/null/x
PREV=
row "output folder that cannot be made: 73, naming it" 73 "cannot create folder '/dev/null/x'" -- \
	run $BASE -q
NEW=$W/new
PREV=$W/prev
if [ $can_unpriv -eq 1 ]; then
	mkdir "$W/ro"
	cp -a "$PREV" "$W/ro/prev"
	chmod 555 "$W/ro/prev" "$W/ro"
	NEW=$W/ro/new
	PREV=$W/ro/prev
	AS=(${unpriv[@]+"${unpriv[@]}"})
	row "output folder without write permission: 73, naming it" 73 "Permission denied" \
		"'$W/ro/" -- run $BASE -q
	AS=()
	NEW=$W/new
	PREV=$W/prev
else
	skip "root without setpriv: folder modes do not stop root writing"
fi

# A disk that fills while writing: a 64 KiB tmpfs and a run of 88 KiB of files.
if [ "$(id -u)" -ne 0 ]; then
	skip "not root: cannot mount a tmpfs"
elif mkdir "$W/mnt" && mount -t tmpfs -o size=64k tmpfs "$W/mnt"; then
	MNT=$W/mnt
	problems=""
	run_bin run $BASE -q -o "$MNT/out"
	[ $status -eq 73 ] || problems="$problems; new folder: status $status, not 73"
	grep -qF "cannot write '$MNT/out/" "$W/err" && grep -qF "No space left on device" "$W/err" ||
		problems="$problems; new folder: message '$(head -c 300 "$W/err")'"
	[ -z "$(ls -A "$MNT")" ] || problems="$problems; left in the tmpfs: $(ls -A "$MNT")"
	# An earlier, smaller run (17 KiB) fits; the full one into its folder does not.
	if "$BIN" run $BASE -q -r 1 --set scenario.days=0.25 --set scenario.warmup_days=0 -o "$MNT/prev"; then
		before=$(snapshot "$MNT/prev")
		run_bin run $BASE -q -o "$MNT/prev"
		[ $status -eq 73 ] || problems="$problems; earlier folder: status $status, not 73"
		grep -qF "No space left on device" "$W/err" ||
			problems="$problems; earlier folder: message '$(head -c 300 "$W/err")'"
		[ "$(snapshot "$MNT/prev")" = "$before" ] || problems="$problems; the earlier folder changed"
		[ "$(ls -A "$MNT")" = prev ] || problems="$problems; left in the tmpfs: $(ls -A "$MNT")"
	else
		problems="$problems; the small run does not fit in 64 KiB"
	fi
	if [ -z "$problems" ]; then
		ok "disk full while writing: 73, naming the file; nothing half-written left"
	else
		not_ok "disk full while writing: 73, naming the file; nothing half-written left" "${problems#; }"
	fi
else
	not_ok "disk full while writing: 73, naming the file; nothing half-written left" \
		"root, but cannot mount a tmpfs on $W/mnt"
fi

# A sweep streams sweep.csv's rows into an unlinked file in $TMPDIR as its
# points finish: a $TMPDIR where none can be made fails before anything runs.
AS=(env "TMPDIR=$W/no_such_tmp")
row "sweep with a TMPDIR where no file can be made: 73, naming it" 73 \
	"cannot create a temporary file in '$W/no_such_tmp'" "No such file or directory" -- \
	sweep $BASE -q -r 1 --vary stage.primary.servers=3,4
AS=()

# Signals while the files are being written.
signal_row "SIGINT while writing: 130, 'interrupted', no folder, no temporary file, earlier folder unchanged" \
	INT 130
signal_row "SIGTERM while writing: 143, 'interrupted', no folder, no temporary file, earlier folder unchanged" \
	TERM 143

# A signal before any file is written: while the replications of a long run
# are under way. (A FIFO no longer holds the reader: it is refused at once.)
problems=""
before_parent=$(ls -A "$W")
before_prev=$(snapshot "$PREV")
for target in "$NEW" "$PREV"; do
	set -m
	"$BIN" run $BASE -q -j 1 -r 100 --set scenario.days=1000 -o "$target" >"$W/out" 2>"$W/err" &
	pid=$!
	set +m
	sleep 0.3
	kill -s INT $pid 2>/dev/null
	wait $pid
	status=$?
	[ $status -eq 130 ] || problems="$problems; -o ${target##*/}: status $status, not 130"
	[ "$(cat "$W/err")" = "bordersim: interrupted" ] ||
		problems="$problems; -o ${target##*/}: message '$(head -c 300 "$W/err")'"
done
[ -e "$NEW" ] && problems="$problems; $NEW was made"
[ "$(ls -A "$W")" = "$before_parent" ] || problems="$problems; the listing of $W changed"
[ "$(snapshot "$PREV")" = "$before_prev" ] || problems="$problems; $PREV changed"
if [ -z "$problems" ]; then
	ok "SIGINT before the files, while the replications run: 130, 'interrupted'"
else
	not_ok "SIGINT before the files, while the replications run: 130, 'interrupted'" \
		"${problems#; }"
fi

# Every other signal whose default action ends a program, while the
# replications run and while the files are written. SIGPIPE and SIGXFSZ come
# from kill here (the ones a write of the program raises are the next rows),
# and so do SIGSEGV and the other faults (a real fault is not caught). Under
# the sanitizers (make sanitize), AddressSanitizer installs its own handlers
# for SIGSEGV, SIGBUS and SIGFPE before main, and the program leaves a signal
# another handler holds alone; these runs turn ASan's off so that the
# program's own handling is what is checked (no effect on other builds).
problems=""
asan_saved=${ASAN_OPTIONS-}
export ASAN_OPTIONS="${asan_saved:+$asan_saved:}handle_segv=0:handle_sigbus=0:handle_sigfpe=0"
for sig in INT TERM HUP QUIT PIPE XFSZ USR1 USR2 XCPU ALRM VTALRM PROF IO PWR STKFLT RTMIN RTMIN+5 RTMAX \
	SEGV BUS FPE ILL ABRT TRAP SYS; do
	want=$((128 + $(kill -l "$sig")))
	simulating "$sig" $want
	case $sig in
	INT | TERM) ;;   # while writing: the two rows above
	*) signal_problems "$sig" $want ;;
	esac
done
if [ -n "$asan_saved" ]; then export ASAN_OPTIONS=$asan_saved; else unset ASAN_OPTIONS; fi
if [ -z "$problems" ]; then
	ok "any other signal that ends a program, while simulating or writing: 128 + its number, 'interrupted', nothing left"
else
	not_ok "any other signal that ends a program, while simulating or writing: 128 + its number, 'interrupted', nothing left" \
		"${problems#; }"
fi

# Standard error a pipe whose reader is gone (waited for, so the pipe has
# none): the note compare prints before it runs, and the line run prints when
# it is done, fail with EPIPE; the command goes on and writes its folder.
problems=""
exec 4> >(:)
wait $!
rm -rf "$W/pipe_cmp" "$W/pipe_run"
"$BIN" compare tests/data/batch/base.ini tests/data/batch/faster.ini -r 4 -o "$W/pipe_cmp" >/dev/null 2>&4
status=$?
[ $status -eq 0 ] || problems="$problems; compare: status $status, not 0"
[ "$(ls "$W/pipe_cmp" 2>&1 | tr '\n' ' ')" = "base.ini compare.csv report.html scenario.ini " ] ||
	problems="$problems; compare: the folder holds '$(ls -A "$W/pipe_cmp" 2>&1 | tr '\n' ' ')'"
"$BIN" run $BASE -r 1 -o "$W/pipe_run" >/dev/null 2>&4
status=$?
exec 4>&-
[ $status -eq 0 ] || problems="$problems; run: status $status, not 0"
same_files "$PREV" "$W/pipe_run" summary.csv replications.csv hourly.csv scenario.ini hourly.svg ||
	problems="$problems; run: the files differ from the earlier run's"
rm -rf "$W/pipe_cmp" "$W/pipe_run"
if [ -z "$problems" ]; then
	ok "standard error a closed pipe: the command goes on and writes its folder (0)"
else
	not_ok "standard error a closed pipe: the command goes on and writes its folder (0)" "${problems#; }"
fi

# A file-size limit (ulimit -f, in KiB in bash) below hourly.csv's 1.8 MB:
# the write fails with EFBIG instead of SIGXFSZ killing the program.
AS=(bash -c 'ulimit -f 1000 && exec "$0" "$@"')
row "a file-size limit (ulimit -f) while writing: 73, naming the file" 73 \
	"hourly.csv': File too large" "cannot write '" -- $LONG
AS=()
rm -rf "$NEW"   # what a failure of the row left would fail the rows below

# A link planted at a temporary name, pointing at a file only root may write.
# The name carries the process id: sh plants the links and execs the program,
# which keeps the id. Where the link can be removed (root's own folder) it is,
# and the run writes its files; in a sticky folder that everyone may write
# (like /tmp), as nobody, it cannot: 73, naming it. The file it points to is
# untouched either way.
problems=""
printf 'only root writes here\n' >"$W/secret"
chmod 600 "$W/secret"
plant='for f in summary.csv replications.csv hourly.csv scenario.ini hourly.svg report.html; do
	ln -s "$1" "$2/.bordersim-tmp.$$.$f"; done; shift 2; exec "$@"'
cp -a "$PREV" "$W/planted"
sh -c "$plant" sh "$W/secret" "$W/planted" "$BIN" run $BASE -q -r 1 -o "$W/planted" >"$W/out" 2>"$W/err"
status=$?
[ $status -eq 0 ] || problems="$problems; root's folder: $(why)"
[ "$(ls -A "$W/planted" | tr '\n' ' ')" = "hourly.csv hourly.svg replications.csv report.html scenario.ini summary.csv " ] ||
	problems="$problems; root's folder holds '$(ls -A "$W/planted" | tr '\n' ' ')'"
rm -rf "$W/planted"
if [ $can_unpriv -eq 1 ]; then
	mkdir "$W/sticky"
	chmod 1777 "$W/sticky"
	before=$(ls -A "$W/sticky")
	sh -c "$plant" sh "$W/secret" "$W/sticky" ${unpriv[@]+"${unpriv[@]}"} "$BIN" run $BASE -q -r 1 \
		-o "$W/sticky" >"$W/out" 2>"$W/err"
	status=$?
	[ $status -eq 73 ] && grep -qF "cannot create '$W/sticky/.bordersim-tmp." "$W/err" &&
		grep -qF ".summary.csv' to write '$W/sticky/summary.csv': File exists" "$W/err" ||
		problems="$problems; sticky folder: $(why)"
	[ "$(ls -A "$W/sticky" | grep -vc '^\.bordersim-tmp\.')" -eq 0 ] ||
		problems="$problems; sticky folder holds '$(ls -A "$W/sticky" | tr '\n' ' ')'"
	rm -rf "$W/sticky"
	# The folder's own name a link that nobody planted, to a folder of root's.
	mkdir "$W/roots"
	ln -s "$W/roots" "$W/linked"
	chown -h 65534 "$W/linked"
	run_bin run $BASE -q -r 1 -o "$W/linked"
	[ $status -eq 73 ] && grep -qF "cannot write into '$W/linked': it is a link that another user (uid 65534) owns" "$W/err" ||
		problems="$problems; a link as the folder: $(why)"
	[ -z "$(ls -A "$W/roots")" ] || problems="$problems; written through the link: $(ls -A "$W/roots" | tr '\n' ' ')"
	rm -rf "$W/roots" "$W/linked"
fi
[ "$(cat "$W/secret")" = "only root writes here" ] || problems="$problems; the linked file changed"
if [ -z "$problems" ]; then
	ok "a link planted at a temporary name or as the folder: not followed; removed, or 73 naming it"
else
	not_ok "a link planted at a temporary name or as the folder: not followed; removed, or 73 naming it" \
		"${problems#; }"
fi

# Two writers into one folder: the first is stopped (SIGSTOP) once its first
# temporary file is there, so it holds the folder's lock; the second fails at
# once; the first, continued, writes its files. Tried again, up to three times,
# if the first was done before it could be stopped.
problems=""
"$BIN" $LONG -o "$W/long_ref" 2>/dev/null
for try in 1 2 3; do
	rm -rf "$W/two"
	"$BIN" $LONG -o "$W/two" >/dev/null 2>"$W/err_a" &
	pid=$!
	shopt -s nullglob dotglob
	while kill -0 $pid 2>/dev/null; do
		hit=("$W/two"/.bordersim-tmp.*)
		[ ${#hit[@]} -gt 0 ] && kill -s STOP $pid && break
	done
	shopt -u nullglob dotglob
	run_bin sweep $BASE -q -r 1 --vary stage.primary.servers=3,4 -o "$W/two"
	second=$status
	run_bin run $BASE -q -r 1 -o "$W/two"
	kill -s CONT $pid 2>/dev/null
	wait $pid
	first=$?
	[ $second -ne 0 ] && [ $status -ne 0 ] && break
done
[ $status -eq 73 ] && grep -qF "'$W/two' is being written by another bordersim: wait until it is done" "$W/err" ||
	problems="$problems; second run: $(why)"
[ $first -eq 0 ] || problems="$problems; first run: status $first, $(head -c 300 "$W/err_a")"
[ "$(ls -A "$W/two" | tr '\n' ' ')" = "hourly.csv hourly.svg replications.csv report.html scenario.ini summary.csv " ] &&
	same_files "$W/long_ref" "$W/two" summary.csv replications.csv hourly.csv scenario.ini hourly.svg ||
	problems="$problems; the folder does not hold the first run's files alone: $(ls -A "$W/two" | tr '\n' ' ')"
rm -rf "$W/two" "$W/long_ref"
if [ -z "$problems" ]; then
	ok "two writers into one folder at once: the second 73, saying why; the first's files, whole"
else
	not_ok "two writers into one folder at once: the second 73, saying why; the first's files, whole" \
		"${problems#; }"
fi

# A folder that holds another command's output: sweep, compare and merge into
# a run's folder, run into a sweep's, a shard's and a compare's. Refused,
# untouched.
problems=""
"$BIN" sweep $BASE -q -r 1 --vary stage.primary.servers=3,4 -o "$W/kind_sweep"
"$BIN" sweep $BASE -q -r 1 --vary stage.primary.servers=3,4 --shard 1/1 -o "$W/kind_shard"
"$BIN" compare tests/data/batch/base.ini tests/data/batch/faster.ini -q -r 2 -o "$W/kind_cmp"
runs="summary.csv, replications.csv, hourly.csv, hourly.svg"
for c in "sweep|$PREV|a sweep or merge|a run ($runs)|sweep $BASE -q -r 1 --vary stage.primary.servers=3,4" \
	"compare|$PREV|a compare|a run ($runs)|compare tests/data/batch/base.ini tests/data/batch/faster.ini -q -r 2" \
	"merge|$PREV|a sweep or merge|a run ($runs)|merge $W/kind_shard" \
	"run|$W/kind_sweep|a run|a sweep or merge (sweep.csv, sweep.svg)|run $BASE -q -r 1" \
	"run|$W/kind_shard|a run|a sweep or merge (sweep.csv, shard.csv)|run $BASE -q -r 1" \
	"run|$W/kind_cmp|a run|a compare (compare.csv, base.ini)|run $BASE -q -r 1"; do
	IFS='|' read -r name dir what there args <<<"$c"
	before=$(snapshot "$dir")
	run_bin $args -o "$dir"
	[ $status -eq 73 ] &&
		grep -qF "cannot write $what into '$dir': it holds the output of $there; choose another folder with -o, or remove that one first" "$W/err" ||
		problems="$problems; $name into ${dir##*/}: $(why)"
	[ "$(snapshot "$dir")" = "$before" ] || problems="$problems; $name into ${dir##*/}: the folder changed"
done
rm -rf "$W/kind_sweep" "$W/kind_shard" "$W/kind_cmp"
if [ -z "$problems" ]; then
	ok "a folder holding another command's output: 73, saying what is there, untouched"
else
	not_ok "a folder holding another command's output: 73, saying what is there, untouched" \
		"${problems#; }"
fi

# kill -9 while writing leaves hidden temporary files (and the lock file) in
# the folder; the next write into it removes them. Into a new folder: the
# folder then holds nothing else, and a next write that fails (ulimit -f)
# removes it; one that succeeds leaves its files alone.
problems=""
killed() {
	local try
	for try in 1 2 3; do
		{ interrupt KILL "$1" $LONG -o "$1"; } 2>/dev/null
		[ -n "$(ls -A "$1" 2>/dev/null | grep '^\.bordersim-tmp\.')" ] && return 0
		rm -rf "$1"
		[ -z "$2" ] || cp -a "$2" "$1"
	done
	problems="$problems; kill -9 left no temporary file in ${1##*/}"
}
rm -rf "$W/k9"
killed "$W/k9" ""
AS=(bash -c 'ulimit -f 1000 && exec "$0" "$@"')
run_bin $LONG -o "$W/k9"
AS=()
[ $status -eq 73 ] || problems="$problems; a failing write after kill -9: $(why)"
[ -e "$W/k9" ] && problems="$problems; a failing write left the killed run's folder: $(ls -A "$W/k9" | tr '\n' ' ')"
killed "$W/k9" ""
run_bin run $BASE -q -r 1 -o "$W/k9"
[ $status -eq 0 ] || problems="$problems; the write after kill -9: $(why)"
[ "$(ls -A "$W/k9" | tr '\n' ' ')" = "hourly.csv hourly.svg replications.csv report.html scenario.ini summary.csv " ] ||
	problems="$problems; after kill -9 and a run, the new folder holds: $(ls -A "$W/k9" | tr '\n' ' ')"
rm -rf "$W/k9"
cp -a "$PREV" "$W/k9"
killed "$W/k9" "$PREV"
run_bin run $BASE -q -r 1 -o "$W/k9"
[ $status -eq 0 ] && same_files "$PREV" "$W/k9" summary.csv replications.csv hourly.csv scenario.ini hourly.svg ||
	problems="$problems; the write after kill -9 into an earlier folder: $(why)"
[ "$(ls -A "$W/k9" | tr '\n' ' ')" = "hourly.csv hourly.svg replications.csv report.html scenario.ini summary.csv " ] ||
	problems="$problems; after kill -9 and a run, the earlier folder holds: $(ls -A "$W/k9" | tr '\n' ' ')"
rm -rf "$W/k9"
if [ -z "$problems" ]; then
	ok "kill -9 while writing: hidden temporary files, removed by the next write into the folder"
else
	not_ok "kill -9 while writing: hidden temporary files, removed by the next write into the folder" \
		"${problems#; }"
fi

# A queue past scenario.max_entities: the run stops, naming the stage.
row "a queue past scenario.max_entities: 65, the key and the stage" 65 \
	"scenario.max_entities: more than 3000 entities" "stage 'primary' holds" -- \
	run $D/entities.ini -j 1
row "max_entities with -j 3: 65, each replication running at once holds a third" 65 \
	"scenario.max_entities: more than 1000 entities" "the limit of 3000 is for the whole run" \
	"shared by the 3 replications running at once" -- run $D/entities.ini -j 3

# merge: folders that are not shards of one sweep, a corrupt sweep.csv.
for k in 1 2; do
	"$BIN" sweep $BASE -q -r 1 --vary stage.primary.servers=3,4 --shard $k/2 -o "$W/s$k"
done
"$BIN" sweep $BASE -q -r 1 -s 8 --vary stage.primary.servers=3,4 --shard 2/2 -o "$W/other"
cp -a "$W/s2" "$W/corrupt"
sed -i '3s/,two_stage,/,two"stage,/' "$W/corrupt/sweep.csv"
row "merge of a folder that is not a shard: 66, naming it" 66 "'$W/prev' is not a sweep shard" -- \
	merge "$W/s1" "$W/prev"
row "merge of shards of different sweeps: 65, saying how they differ" 65 \
	"shards of different sweeps: '$W/s1' has seed 7, '$W/other' seed 8" -- merge "$W/s1" "$W/other"
row "merge of a corrupt sweep.csv: 65, file:line and what is wrong" 65 \
	"$W/corrupt/sweep.csv:3: malformed CSV:" -- merge "$W/s1" "$W/corrupt"
cp -a "$W/s2" "$W/huge"
rm "$W/huge/sweep.csv"
truncate -s 1073741825 "$W/huge/sweep.csv"   # sparse: takes no room
row "merge of a sweep.csv over 1 GiB: 65 before it is read, its size and the limit" 65 \
	"$W/huge/sweep.csv: too large: 1073741825 bytes; an input read back may hold 1024 MiB" -- \
	merge "$W/s1" "$W/huge"
cp -a "$W/s2" "$W/pipe"
rm "$W/pipe/sweep.csv"
mkfifo "$W/pipe/sweep.csv"
row "merge of a sweep.csv that is a FIFO: 66 at once" 66 \
	"cannot read '$W/pipe/sweep.csv': a FIFO, not a regular file" -- merge "$W/s1" "$W/pipe"

# merge into one of its own shard folders, by another path to it: refused
# before anything is read, the shard as it was.
before=$(snapshot "$W/s1")
run_bin merge "$W/s1" "$W/s2" -o "$W/./s1/"
if [ $status -eq 64 ] && grep -qF "is the shard folder '$W/s1'" "$W/err" &&
	[ "$(snapshot "$W/s1")" = "$before" ]; then
	ok "merge into one of its shard folders: 64, the shard untouched"
else
	not_ok "merge into one of its shard folders: 64, the shard untouched" "$(why)"
fi

# Standard output that cannot be written (check, keys and help write there;
# run, compare and sweep their results, once their folder is written).
problems=""
for args in "check $BASE" "keys" "help" "run $BASE -r 1 -o $W/full_run"; do
	"$BIN" $args >/dev/full 2>"$W/err"
	status=$?
	[ $status -eq 73 ] && grep -qF "cannot write standard output: No space left on device" "$W/err" &&
		[ "$(grep -c 'cannot write' "$W/err")" -eq 1 ] && ! grep -qx 'bordersim: *' "$W/err" ||
		problems="$problems; $args: $(why)"
done
if [ -z "$problems" ]; then
	ok "check, keys, help, run > /dev/full: 73, 'cannot write standard output'"
else
	not_ok "check, keys, help, run > /dev/full: 73, 'cannot write standard output'" "${problems#; }"
fi

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
