#!/usr/bin/env bash
# e2e: end-to-end runs of the bordersim program under a fixed seed.
#
#   tests/e2e.sh ./bordersim        (from the repository root)
#
# Checks what scripts outside the project rely on (docs/outputs.md, docs/commands.md): byte-identical
# output for the same seed whatever -j, a written scenario.ini that reproduces
# its run, the exit status and message of every class of bad input, that a
# failed run writes nothing, and which stages hourly.csv holds (--hourly, the
# rule above 500,000 rows). Prints "ok N - ..." / "not ok N - ..." lines and a
# summary; exits 1 when any check failed.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
DATA=tests/data/e2e
BASE=$DATA/two_stage.ini
FILES="summary.csv replications.csv hourly.csv scenario.ini hourly.svg report.html"
CSVS="summary.csv replications.csv hourly.csv"

W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-e2e.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT


# snapshot DIR: names (including hidden ones) and checksums of the files in DIR.
snapshot() {
	(cd "$1" && ls -A && cksum $(ls -A))
}

# ---- (1)-(3) reproducibility ----

bs run "$BASE" -q -o "$W/a"
if [ $status -eq 0 ] && same_files "$W/a" "$W/a" $FILES && [ ! -s "$W/err" ]; then
	ok "run writes the five files, quietly with -q"
else
	not_ok "run writes the five files, quietly with -q" "$(why)"
fi

if [ "$(cd "$W/a" && ls -A | tr '\n' ' ')" = "hourly.csv hourly.svg replications.csv report.html scenario.ini summary.csv " ] &&
	xmllint --noout "$W/a/hourly.svg" 2>/dev/null; then
	ok "the folder holds exactly those files; hourly.svg is well-formed XML"
else
	not_ok "the folder holds exactly those files; hourly.svg is well-formed XML" "$(ls -A "$W/a")"
fi

head_sum="scenario,scope,name,metric,unit,mean,stddev,ci95_low,ci95_high,min,max,replications,days"
head_rep="scenario,replication,seed,scope,name,metric,unit,value,days"
head_hour="scenario,replication,day,hour,stage,arrivals,departures,servers,queue_mean,queue_max,wait_mean,wait_p95,utilization,population_mean,elapsed_hour"
if [ "$(head -n 1 "$W/a/summary.csv")" = "$head_sum" ] &&
	[ "$(head -n 1 "$W/a/replications.csv")" = "$head_rep" ] &&
	[ "$(head -n 1 "$W/a/hourly.csv")" = "$head_hour" ] &&
	grep -q '^two_stage,stage,primary,arrivals,' "$W/a/summary.csv" &&
	grep -q '^two_stage,stage,secondary,wait_mean,' "$W/a/summary.csv" &&
	[ "$(cut -d, -f2 "$W/a/replications.csv" | sort -u | tr '\n' ' ')" = "1 2 3 replication " ] &&
	[ "$(cut -d, -f3 "$W/a/replications.csv" | sort -u | tr '\n' ' ')" = "7 seed " ] &&
	[ "$(grep -c '^two_stage,1,' "$W/a/hourly.csv")" -eq 96 ] &&
	! grep -q "$(printf '\r')" "$W/a/summary.csv"; then
	ok "headers as docs/outputs.md; scenario named after its file; 3 replications, seed 7, 2 days x 24 h x 2 stages"
else
	not_ok "headers as docs/outputs.md; scenario named after its file; 3 replications, seed 7, 2 days x 24 h x 2 stages" \
		"$(head -n 3 "$W/a/summary.csv" 2>&1)"
fi

bs run "$BASE" -q -o "$W/b"
if [ $status -eq 0 ] && same_files "$W/a" "$W/b" $FILES; then
	ok "same scenario and seed twice: byte-identical files"
else
	not_ok "same scenario and seed twice: byte-identical files" "$(why)"
fi

bs run "$BASE" -q -j 1 -o "$W/j1"
s1=$status
bs run "$BASE" -q --threads 2 -o "$W/j2"
s2=$status
bs run "$BASE" -q -j8 -o "$W/j8"
if [ $s1 -eq 0 ] && [ $s2 -eq 0 ] && [ $status -eq 0 ] &&
	same_files "$W/j1" "$W/j2" $FILES && same_files "$W/j1" "$W/j8" $FILES &&
	same_files "$W/a" "$W/j1" $FILES; then
	ok "-j 1, -j 2 and -j 8: byte-identical files"
else
	not_ok "-j 1, -j 2 and -j 8: byte-identical files" "$(why)"
fi

bs run "$W/a/scenario.ini" -q -o "$W/again"
if [ $status -eq 0 ] && same_files "$W/a" "$W/again" $CSVS; then
	ok "running the written scenario.ini again gives the same CSV bytes"
else
	not_ok "running the written scenario.ini again gives the same CSV bytes" "$(why)"
fi

bs run "$BASE" -q -s 8 -o "$W/s8"
if [ $status -eq 0 ] && ! cmp -s "$W/a/summary.csv" "$W/s8/summary.csv" &&
	grep -q '^seed = 8' "$W/s8/scenario.ini"; then
	ok "another seed (-s 8) gives other figures and is recorded in scenario.ini"
else
	not_ok "another seed (-s 8) gives other figures and is recorded in scenario.ini" "$(why)"
fi

bs run "$BASE" -q -r 2 --set scenario.replications=1 --set=stage.primary.servers=4 -o "$W/set"
if [ $status -eq 0 ] && [ "$(cut -d, -f2 "$W/set/replications.csv" | sort -u | tr '\n' ' ')" = "1 replication " ] &&
	grep -q '^replications = 1' "$W/set/scenario.ini" && grep -q '^servers = 4' "$W/set/scenario.ini"; then
	ok "-r and --set apply in the order given (the last wins); --set=KEY=VALUE works"
else
	not_ok "-r and --set apply in the order given (the last wins); --set=KEY=VALUE works" "$(why)"
fi

mkdir "$W/cwd"
(cd "$W/cwd" && "$BIN" run "$OLDPWD/$BASE" -r 1 >"$W/out" 2>"$W/err")
status=$?
if [ $status -eq 0 ] && same_files "$W/cwd/output/two_stage" "$W/cwd/output/two_stage" $FILES &&
	[ "$(head -n 1 "$W/err" | grep -Ec '^bordersim: two_stage: 1 replication, 2 stages, [0-9.]+ s -> output/two_stage/$')" -eq 1 ] &&
	[ "$(head -n 1 "$W/out")" = "two_stage: 1 replication of 2 days; mean and 95% interval" ]; then
	ok "default folder output/NAME, the one-line report on stderr, the results on stdout"
else
	not_ok "default folder output/NAME, the one-line report on stderr, the results on stdout" "$(why)"
fi

# ---- (4) bad input: status, message, nothing written (fails, in tap.sh) ----

fails "unknown key: 65, file:line, key and a suggestion" 65 \
	"bad_unknown_key.ini:14:" "stage.primary.serverz" "did you mean" "servers" -- \
	run $DATA/bad_unknown_key.ini -o "$W/f"
fails "wrong type: 65, file:line and key" 65 "bad_type.ini:14:" "stage.primary.servers" "ten" -- \
	run $DATA/bad_type.ini -o "$W/f"
fails "NaN value: 65, file:line and key" 65 "bad_nan.ini:9:" "stream.travelers.per_day" -- \
	run $DATA/bad_nan.ini -o "$W/f"
fails "negative value: 65, file:line and key" 65 "bad_negative.ini:9:" "stream.travelers.per_day" -- \
	run $DATA/bad_negative.ini -o "$W/f"
fails "missing unit: 65, file:line and key" 65 "bad_unit.ini:15:" "stage.primary.service" "unit" -- \
	run $DATA/bad_unit.ini -o "$W/f"
fails "unknown distribution: 65, file:line, key and the name" 65 \
	"bad_dist.ini:15:" "stage.primary.service" "exponentiel" -- run $DATA/bad_dist.ini -o "$W/f"
fails "probabilities not summing to 1: 65, file:line and key" 65 \
	"bad_prob.ini:16:" "stage.primary.next" -- run $DATA/bad_prob.ini -o "$W/f"
fails "route to an unknown stage: 65, file:line, key and the name" 65 \
	"bad_route.ini:16:" "stage.primary.next" "secondry" -- run $DATA/bad_route.ini -o "$W/f"
fails "missing scenario file: 66 and its name" 66 "no_such.ini" -- run $DATA/no_such.ini -o "$W/f"
fails "bad --set syntax: 64 with the hint" 64 "--set 'primary'" "try 'bordersim --help'" -- \
	run $BASE --set primary -o "$W/f"
fails "--set with a bad value: 65, quoting the --set argument and the key" 65 \
	"--set 'stage.primary.servers=ten'" "stage.primary.servers" -- \
	run $BASE --set stage.primary.servers=ten -o "$W/f"
fails "--set of an unknown key: 65 with a suggestion" 65 \
	"--set 'stage.primary.serverz=2'" "did you mean" -- run $BASE --set stage.primary.serverz=2 -o "$W/f"
t0=$(date +%s)
fails "a run over the event budget: 65 before it starts, with the estimate" 65 \
	"scenario.days" "the run would take about" "scenario.max_events" -- \
	run $BASE --set scenario.days=1e8 -o "$W/f"
[ $(($(date +%s) - t0)) -le 5 ] && ok "the budget check answers at once" ||
	not_ok "the budget check answers at once" "took $(($(date +%s) - t0)) s"
fails "a queue past scenario.max_entities: 65 naming the stage, nothing written" 65 \
	"scenario.max_entities" "stage 'primary' holds" -- \
	run $BASE --set stage.primary.servers=1 --set scenario.max_entities=3000 -o "$W/f"
fails "unknown option: 64 with the hint" 64 "unknown option '--frobnicate'" "try 'bordersim --help'" -- \
	run $BASE --frobnicate -o "$W/f"
fails "unknown command: 64 with the hint" 64 "unknown command 'frobnicate'" "try 'bordersim --help'" -- \
	frobnicate $BASE -o "$W/f"
for c in sweep compare merge; do
	bs $c
	if [ $status -eq 64 ] && ! grep -q "unknown command" "$W/err" && grep -qF "'$c' needs" "$W/err"; then
		ok "'$c' is a command now: without its arguments a usage error naming them"
	else
		not_ok "'$c' is a command now: without its arguments a usage error naming them" "$(why)"
	fi
done
fails "missing scenario: 64" 64 "SCENARIO" "try 'bordersim --help'" -- run -o "$W/f"
fails "missing option value: 64" 64 "'-o'" "try 'bordersim --help'" -- run $BASE -o
fails "-r 0: 65, as --set scenario.replications=0, with the key's range" 65 \
	"-r '0': scenario.replications" "from 1 to 100000" -- run $BASE -r 0 -o "$W/f"
fails "-j 0: 64" 64 "'-j'" -- run $BASE -j 0 -o "$W/f"
fails "non-numeric -r: 64" 64 "'-r'" "'ten'" -- run $BASE -r ten -o "$W/f"
fails "non-numeric --seed: 64" 64 "'--seed'" -- run $BASE --seed -1 -o "$W/f"
fails "non-numeric -j: 64" 64 "'-j'" -- run $BASE -j 2x -o "$W/f"
fails "output folder that cannot be created (-o /dev/null/x): 73 naming it" 73 "/dev/null/x" -- \
	run $BASE -q -o /dev/null/x

echo keep >"$W/plain"
fails "output folder under a regular file: 73 naming it" 73 "$W/plain/out" -- \
	run $BASE -q -o "$W/plain/out/deeper"
if [ "$(cat "$W/plain")" = keep ]; then
	ok "the regular file in the way is untouched"
else
	not_ok "the regular file in the way is untouched"
fi

# A folder from an earlier run stays byte for byte as it was through failures.
before=$(snapshot "$W/a")
for args in "$DATA/bad_type.ini" "$DATA/no_such.ini" "$BASE --set stage.primary.servers=ten" \
	"$BASE --set stage.primary.next=nowhere" "$BASE -r 0"; do
	bs run $args -q -o "$W/a"
	if [ $status -eq 0 ]; then break; fi
done
if [ $status -ne 0 ] && [ "$(snapshot "$W/a")" = "$before" ]; then
	ok "failed runs into an earlier run's folder leave its files byte-identical"
else
	not_ok "failed runs into an earlier run's folder leave its files byte-identical" "$(why)"
fi

# ---- (5) check ----

mkdir "$W/cwd_check"
(cd "$W/cwd_check" && "$BIN" check "$OLDPWD/$BASE" --set stage.primary.servers=4 -r 5 >"$W/out" 2>"$W/err")
status=$?
if [ $status -eq 0 ] && [ -z "$(ls -A "$W/cwd_check")" ] &&
	grep -q '^\[scenario\]' "$W/out" && grep -q '^\[stage.primary\]' "$W/out" &&
	grep -q '^\[stream.travelers\]' "$W/out" && grep -q '^name = two_stage' "$W/out" &&
	grep -q '^servers = 4' "$W/out" && grep -q '^replications = 5' "$W/out" &&
	grep -q '^service = lognormal(mean=5min,cv=0.5)' "$W/out"; then
	ok "check prints the effective scenario (with --set, -r) and writes nothing"
else
	not_ok "check prints the effective scenario (with --set, -r) and writes nothing" "$(why)" "$(head -n 20 "$W/out")"
fi

cp "$W/out" "$W/checked.ini"
bs check "$W/checked.ini"
if [ $status -eq 0 ] && cmp -s "$W/out" "$W/checked.ini"; then
	ok "check's output read back by check prints the same"
else
	not_ok "check's output read back by check prints the same" "$(why)"
fi

fails "check of a bad scenario: 65 with file:line and key" 65 "bad_route.ini:16:" "stage.primary.next" -- \
	check $DATA/bad_route.ini
fails "check takes no -o: 64" 64 "'-o'" "try 'bordersim --help'" -- check $BASE -o "$W/f"

# ---- (6) keys, --version, --help ----

bs keys
missing=""
for k in scenario.name scenario.days scenario.warmup_days scenario.replications scenario.seed \
	stream.NAME.per_day stream.NAME.profile stream.NAME.route stream.NAME.priority \
	stage.NAME.servers stage.NAME.service stage.NAME.next stage.NAME.capacity; do
	grep -qF -- "$k" "$W/out" || missing="$missing $k"
done
if [ $status -eq 0 ] && [ -z "$missing" ]; then
	ok "keys lists every key of the product contract"
else
	not_ok "keys lists every key of the product contract" "missing:$missing" "$(why)"
fi

bs keys --markdown
if [ $status -eq 0 ] && [ "$(head -n 1 "$W/out" | cut -c1-7)" = "| key |" ] &&
	grep -qF '`stage.NAME.servers`' "$W/out"; then
	ok "keys --markdown prints a Markdown table"
else
	not_ok "keys --markdown prints a Markdown table" "$(why)"
fi

bs --version
if [ $status -eq 0 ] && [ "$(cat "$W/out")" = "bordersim 0.1.0" ]; then
	ok "--version prints 'bordersim 0.1.0', status 0"
else
	not_ok "--version prints 'bordersim 0.1.0', status 0" "$(why)"
fi

bs --help
cp "$W/out" "$W/help"
missing=""
for w in "run SCENARIO" "sweep SCENARIO --vary KEY=VALUES" "compare BASE SCENARIO" "merge DIR... -o DIR" \
	"check SCENARIO" "keys" "--version" "-o DIR" "-r, --reps N" "-s, --seed N" \
	"-j, --threads N" "--set KEY=VALUE" "--vary KEY=VALUES" "--shard K/N" "-q, --quiet" "--markdown" \
	"exit status" "130"; do
	grep -qF -- "$w" "$W/help" || missing="$missing '$w'"
done
bs help
if [ $status -eq 0 ] && [ -z "$missing" ] && cmp -s "$W/out" "$W/help"; then
	ok "--help and help list every command and option, status 0"
else
	not_ok "--help and help list every command and option, status 0" "missing:$missing" "$(why)"
fi

fails "no command: 64 with the hint" 64 "try 'bordersim --help'" --

# ---- (7) the key reference in docs/scenarios.md ----

REF=docs/scenarios.md
if [ -f $REF ] && grep -qF '<!-- keys:begin -->' $REF && grep -qF '<!-- keys:end -->' $REF; then
	sed -n '/<!-- keys:begin -->/,/<!-- keys:end -->/p' $REF | sed '1d;$d' | grep -v '^[[:space:]]*$' >"$W/doc_keys"
	"$BIN" keys --markdown | grep -v '^[[:space:]]*$' >"$W/keys_md"
	if cmp -s "$W/doc_keys" "$W/keys_md"; then
		ok "$REF key reference matches 'bordersim keys --markdown'"
	else
		not_ok "$REF key reference matches 'bordersim keys --markdown'" \
			"$(diff "$W/doc_keys" "$W/keys_md" | head -n 10)"
	fi
else
	not_ok "$REF key reference matches 'bordersim keys --markdown'" \
		"$REF has no <!-- keys:begin --> ... <!-- keys:end --> markers"
fi

# ---- (8) the analyst's view: results on stdout, warnings, intervals, names ----

bs run "$BASE" -o "$W/view"
if [ $status -eq 0 ] && [ "$(head -n 1 "$W/out")" = "two_stage: 3 replications of 2 days; mean and 95% interval" ] &&
	[ "$(grep -E '^(primary|secondary) ' "$W/out" | cut -d' ' -f1 | tr '\n' ' ')" = "secondary primary " ] &&
	grep -qE '^secondary +[0-9,.]+  \[[0-9,.]+, [0-9,.]+\]' "$W/out" &&
	grep -qF "bordersim: warning: two_stage: stage 'secondary' ends the horizon overloaded:" "$W/err" &&
	! grep -q "stage 'primary'" "$W/err"; then
	ok "run prints its stages by p95 wait on stdout, each with its interval; warns of the overloaded stage"
else
	not_ok "run prints its stages by p95 wait on stdout, each with its interval; warns of the overloaded stage" \
		"$(why)" "stdout: $(head -c 400 "$W/out")"
fi

bs run "$BASE" -q -o "$W/view_q"
[ $status -eq 0 ] && [ ! -s "$W/out" ] && [ ! -s "$W/err" ] && same_files "$W/view" "$W/view_q" $CSVS
r=$?
bs run "$BASE" --set stage.secondary.servers=3 -o "$W/view_ok"
if [ $r -eq 0 ] && [ $status -eq 0 ] && ! grep -q 'warning' "$W/err" && [ -s "$W/out" ]; then
	ok "-q silences stdout and the warnings, same files; a staffed stage is not warned about"
else
	not_ok "-q silences stdout and the warnings, same files; a staffed stage is not warned about" "$(why)"
fi

{
	echo "include = $PWD/$BASE"
	printf '\n[surge.late]\nstreams = travelers\nfactor = 2\nstart = 3d\nduration = 1h\n'
	printf '\n[surge.long]\nstreams = travelers\nfactor = 1.5\nstart = 1d\nduration = 2d\n'
	printf '\n[closure.inside]\nstages = primary\nstart = 6h\nduration = 1h\n'
} >"$W/windows.ini"
bs run "$W/windows.ini" -r 1 -o "$W/win"
if [ $status -eq 0 ] &&
	grep -qF "bordersim: warning: windows: surge late lies outside the simulated time: it starts 3 days into the 2 reported days and changes nothing" "$W/err" &&
	grep -qF "bordersim: warning: windows: surge long runs past the simulated time: it ends 3 days into the 2 reported days; its end is not simulated" "$W/err" &&
	! grep -q 'closure inside' "$W/err"; then
	ok "windows outside or past the simulated time are warned about, status 0; one within is not"
else
	not_ok "windows outside or past the simulated time are warned about, status 0; one within is not" "$(why)"
fi

printf 'include = %s\n\n[scenario]\nname = named_elsewhere\n' "$PWD/$BASE" >"$W/named.ini"
printf 'include = named.ini\n' >"$W/child.ini"
bs check "$W/child.ini"
c1=$(grep -x 'name = .*' "$W/out")
bs check "$W/named.ini"
if [ $status -eq 0 ] && [ "$c1" = "name = child" ] && grep -qx 'name = named_elsewhere' "$W/out"; then
	ok "a scenario that includes a named one is named after its own file, not the included one"
else
	not_ok "a scenario that includes a named one is named after its own file, not the included one" \
		"child: '$c1'" "$(why)"
fi

# summary.csv: intervals within each figure's range, days last; hourly.csv's
# elapsed hours and populations.
awk -F, 'NR > 1 && (($8 != "" && $8 < 0) || ($5 == "fraction" && $9 != "" && $9 > 1) || $13 != 2) { bad++ }
	END { exit bad > 0 }' "$W/view/summary.csv" &&
	awk -F, 'NR > 1 && $9 != 2 { bad++ } END { exit bad > 0 }' "$W/view/replications.csv"
sum_ok=$?
awk -F, 'NR > 1 { if ($14 + 1e-9 < $9) bad++; if ($15 > max) max = $15
	if ($15 != ($3 - 1) * 24 + $4) bad++ } END { exit !(bad == 0 && max == 47) }' "$W/view/hourly.csv"
if [ $sum_ok -eq 0 ] && [ $? -eq 0 ]; then
	ok "intervals bounded (no count below 0, no utilisation above 1), days appended; population_mean >= queue_mean, elapsed_hour 0..47"
else
	not_ok "intervals bounded (no count below 0, no utilisation above 1), days appended; population_mean >= queue_mean, elapsed_hour 0..47" \
		"$(head -n 3 "$W/view/summary.csv")" "$(head -n 3 "$W/view/hourly.csv")"
fi

bs keys stage.
if [ $status -eq 0 ] && [ "$(grep -cE '^[a-z]' "$W/out")" -ge 5 ] &&
	[ -z "$(grep -E '^[a-z]' "$W/out" | grep -v '^key ' | grep -v '^stage\.')" ] &&
	"$BIN" keys | awk 'length($0) > 100 { bad++ } END { exit bad > 0 }'; then
	ok "keys WORD lists only the keys whose name holds it; every line of keys fits 100 columns"
else
	not_ok "keys WORD lists only the keys whose name holds it; every line of keys fits 100 columns" "$(why)"
fi

bs run scenarios/baseline.ini -r 1 --set scenario.warmup_days=1 -o "$W/nat"
missing=""
for m in traveler_wait_mean_air traveler_wait_p95_air traveler_wait_mean_sea traveler_wait_p95_sea \
	traveler_wait_mean_land traveler_wait_p95_land; do
	grep -q "^baseline,national,all,$m,min," "$W/nat/summary.csv" || missing="$missing $m (csv)"
	grep -qE "^$m +[0-9]" "$W/out" || missing="$missing $m (stdout)"
done
if [ $status -eq 0 ] && [ -z "$missing" ] && grep -qE '^travelers_processed +[0-9]{1,3}(,[0-9]{3})+ ' "$W/out"; then
	ok "a national run prints its national figures (thousands separated) and traveler waits by air, sea and land"
else
	not_ok "a national run prints its national figures (thousands separated) and traveler waits by air, sea and land" \
		"missing:$missing" "$(why)"
fi

# A scenario's [target.NAME] limits draw as target lines on its stages' panels.
printf 'include = %s\n[target.p95]\nstages = primary\nmetric = wait_p95\nlimit = 10min\n' \
	"$PWD/$BASE" >"$W/target.ini"
bs run "$W/target.ini" -q -o "$W/target"
if [ $status -eq 0 ] && [ "$(grep -c 'class="target"' "$W/target/hourly.svg")" -eq 1 ] &&
	grep -q 'target 10 min' "$W/target/hourly.svg" && grep -q 'class="target"' "$W/target/report.html" &&
	! grep -q 'class="target"' "$W/a/hourly.svg"; then
	ok "a target's limit is a line on its stage's panel (hourly.svg, report.html); none without targets"
else
	not_ok "a target's limit is a line on its stage's panel (hourly.svg, report.html); none without targets" "$(why)"
fi

# ---- (9) which stages hourly.csv holds (docs/outputs.md) ----

# stages FILE: the stages of hourly.csv's rows, sorted, one line.
stages() { awk -F, 'NR > 1 { print $5 }' "$1" | sort -u | tr '\n' ' '; }
# charted SVG: the stages of hourly.svg's panels, sorted, one line.
charted() { grep -o 'data-stage="[^"]*"' "$1" | sed 's/^data-stage="//; s/"$//' | sort -u | tr '\n' ' '; }
# rows_of FILE STAGES...: the header and the rows of those stages, in order.
rows_of() {
	local f=$1
	shift
	awk -F, -v list="$*" 'BEGIN { n = split(list, s, " "); for (i = 1; i <= n; i++) want[s[i]] = 1 }
		NR == 1 || ($5 in want)' "$f"
}
# no_note: stderr holds no note about hourly.csv.
no_note() { ! grep -q 'note: hourly.csv' "$W/err"; }
OTHER="summary.csv replications.csv scenario.ini hourly.svg report.html"

# Names of each kind: the rows of exactly their stages, byte for byte those of
# --hourly all; the other files and scenario.ini as they are; a complete file
# (the default here) the very bytes of --hourly all.
H=tests/data/hourly/eight.ini
bs run "$H" -o "$W/h_all" --hourly all -j 2
s_all=$status
bs run "$H" -o "$W/h_def" -j 1
s_def=$status
no_note
n_def=$?
bs run "$H" -q -o "$W/h_names" --hourly 'primary, s4' -j 2
if [ $s_all -eq 0 ] && [ $s_def -eq 0 ] && [ $n_def -eq 0 ] && [ $status -eq 0 ] &&
	same_files "$W/h_all" "$W/h_def" $FILES &&
	[ "$(stages "$W/h_all/hourly.csv")" = "p1 p2 p3 p4 s1 s2 s3 s4 " ] &&
	[ "$(stages "$W/h_names/hourly.csv")" = "p1 p2 p3 p4 s4 " ] &&
	rows_of "$W/h_all/hourly.csv" p1 p2 p3 p4 s4 | cmp -s - "$W/h_names/hourly.csv" &&
	same_files "$W/h_all" "$W/h_names" $OTHER; then
	ok "--hourly 'primary, s4' (a stage group, a stage): exactly their rows, byte for byte --hourly all's; the other files the same; the default's complete file is --hourly all's"
else
	not_ok "--hourly 'primary, s4' (a stage group, a stage): exactly their rows, byte for byte --hourly all's; the other files the same; the default's complete file is --hourly all's" \
		"$(why)" "stages: $(stages "$W/h_names/hourly.csv")"
fi

P=tests/data/ports/two.ini
bs run "$P" -q -r 2 -o "$W/p_all"
s_all=$status
bs run "$P" -q -r 2 -o "$W/p_east" --hourly east
s_east=$status
bs run "$P" -q -r 2 -o "$W/p_south" --hourly south,south/booth
if [ $s_all -eq 0 ] && [ $s_east -eq 0 ] && [ $status -eq 0 ] &&
	[ "$(stages "$W/p_east/hourly.csv")" = "extra/booth north/booth " ] &&
	rows_of "$W/p_all/hourly.csv" extra/booth north/booth | cmp -s - "$W/p_east/hourly.csv" &&
	[ "$(stages "$W/p_south/hourly.csv")" = "south/booth " ] &&
	rows_of "$W/p_all/hourly.csv" south/booth | cmp -s - "$W/p_south/hourly.csv" &&
	same_files "$W/p_all" "$W/p_east" $OTHER; then
	ok "--hourly east (a port group), south (a port, and its stage again): their stages' rows, as the complete file's"
else
	not_ok "--hourly east (a port group), south (a port, and its stage again): their stages' rows, as the complete file's" \
		"$(why)" "east: $(stages "$W/p_east/hourly.csv") south: $(stages "$W/p_south/hourly.csv")"
fi

# The rule: 50 replications x 8 stages x 1,250 reported hours is 500,000 rows,
# every stage; one hour more (1,251: 500,400 rows) and only the charted stages,
# the note saying so, the rows byte for byte --hourly all's; --chart's stages
# when it names them; -q prints no note.
AT="--set scenario.days=52.03125"
ABOVE="--set scenario.days=52.078125"
bs run "$H" $AT -o "$W/at"
if [ $status -eq 0 ] && [ "$(wc -l <"$W/at/hourly.csv")" -eq 500001 ] && no_note &&
	[ "$(stages "$W/at/hourly.csv")" = "p1 p2 p3 p4 s1 s2 s3 s4 " ]; then
	ok "hourly.csv at 500,000 rows (HOURLY_ROWS_MAX): every stage, no note"
else
	not_ok "hourly.csv at 500,000 rows (HOURLY_ROWS_MAX): every stage, no note" "$(why)" \
		"$(wc -l <"$W/at/hourly.csv") lines"
fi
bs run "$H" $ABOVE -o "$W/above_all" -q --hourly all
s_all=$status
bs run "$H" $ABOVE -o "$W/above"
kept=$(stages "$W/above/hourly.csv")
note="bordersim: note: hourly.csv holds the 6 charted stages of 8 (every stage would be 500,400 rows); --hourly all writes them all"
if [ $s_all -eq 0 ] && [ $status -eq 0 ] && [ "$(wc -l <"$W/above_all/hourly.csv")" -eq 500401 ] &&
	[ "$(echo $kept | wc -w)" -eq 6 ] && [ "$kept" = "$(charted "$W/above/hourly.svg")" ] &&
	[ "$(grep -c 'note: hourly.csv' "$W/err")" -eq 1 ] && grep -qxF "$note" "$W/err" &&
	rows_of "$W/above_all/hourly.csv" $kept | cmp -s - "$W/above/hourly.csv" &&
	same_files "$W/above_all" "$W/above" $OTHER; then
	ok "hourly.csv above 500,000 rows: only the 6 stages hourly.svg charts, their rows as --hourly all's, one note on stderr"
else
	not_ok "hourly.csv above 500,000 rows: only the 6 stages hourly.svg charts, their rows as --hourly all's, one note on stderr" \
		"$(why)" "kept: $kept; charted: $(charted "$W/above/hourly.svg")"
fi
bs run "$H" $ABOVE -o "$W/above_chart" -q --chart s2,p4
if [ $status -eq 0 ] && [ "$(stages "$W/above_chart/hourly.csv")" = "p4 s2 " ] && [ ! -s "$W/err" ] &&
	rows_of "$W/above_all/hourly.csv" p4 s2 | cmp -s - "$W/above_chart/hourly.csv"; then
	ok "above 500,000 rows with --chart s2,p4: hourly.csv holds those two stages; -q: no note"
else
	not_ok "above 500,000 rows with --chart s2,p4: hourly.csv holds those two stages; -q: no note" "$(why)"
fi

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
