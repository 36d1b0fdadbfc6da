#!/usr/bin/env bash
# e2e_staff: bordersim staff end to end (docs/staffing.md).
#
#   tests/e2e_staff.sh ./bordersim        (from the repository root)
#
# The output folder (the staffed run's files, staffing.csv with its columns,
# staffing.ini), officer-hours on stdout, staffing.ini repeating the staffed
# run byte for byte, staff on the staffed scenario changing nothing, the same
# bytes for every -j, --block, --target by group, port and port group,
# max_servers binding reported met = no with a warning, -q, --hourly, and SIGTERM. The refusals
# of bad targets are rows of tests/e2e_badinput.sh. Prints "ok N - ..." lines.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-e2e-staff.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
PEAK=tests/data/staff/peak.ini
HEAD="stage,hour,servers_before,servers_after,wait_mean,wait_p95,utilization,target_metric,target_limit,met"

bs staff "$PEAK" -j 2 -o "$W/a"
files_ok=1
for f in summary.csv replications.csv hourly.csv scenario.ini hourly.svg report.html \
	staffing.csv staffing.ini; do
	[ -s "$W/a/$f" ] || files_ok=0
done
check "staff writes the run's files, staffing.csv and staffing.ini" \
	$((status != 0 || files_ok == 0)) "$(why)"
[ "$(head -1 "$W/a/staffing.csv")" = "$HEAD" ] &&
	[ "$(wc -l <"$W/a/staffing.csv")" -eq 49 ] &&
	awk -F, 'NR > 1 && ($10 != "yes" || $4 < 0) { exit 1 }' "$W/a/staffing.csv"
check "staffing.csv: its header, 24 hours of each of the 2 targeted stages, every hour met" $?
grep -q "^group booths " "$W/out" && grep -q "^group secondary " "$W/out" &&
	grep -q "^all targeted stages " "$W/out" && grep -q "staffed in [0-9]* simulations" "$W/err"
check "stdout: officer-hours a day by group and in all; stderr: the simulations made" $? \
	"$(cat "$W/out")" "$(why)"

# staffing.ini repeats the staffed run: the same servers, the same bytes.
bs run "$W/a/staffing.ini" -q -o "$W/rerun"
[ $status -eq 0 ] && same_files "$W/a" "$W/rerun" summary.csv replications.csv hourly.csv
check "bordersim run OUT/staffing.ini repeats the staffed run byte for byte" $? "$(why)"
bs staff "$W/a/staffing.ini" -q -o "$W/again"
[ $status -eq 0 ] && same_files "$W/a" "$W/again" staffing.ini hourly.csv &&
	cmp -s <(cut -d, -f1,2,4- "$W/a/staffing.csv") <(cut -d, -f1,2,4- "$W/again/staffing.csv")
check "staff on the staffed scenario changes nothing" $? "$(why)"
bs staff "$PEAK" -q -j 1 -o "$W/j1"
[ $status -eq 0 ] && same_files "$W/a" "$W/j1" staffing.csv staffing.ini summary.csv hourly.csv
check "the same bytes with -j 1 and -j 2" $? "$(why)"

# --block 8h: one staffing a shift.
bs staff "$PEAK" -q --block 8h -o "$W/b"
[ $status -eq 0 ] && awk -F, 'NR > 1 { k = $1 "," int($2 / 8); if (k in s && s[k] != $4) exit 1
		s[k] = $4 }
	END { exit NR != 49 }' "$W/b/staffing.csv"
check "--block 8h: the servers are the same through each 8-hour block" $? "$(why)"

# --target beside the scenario's targets; max_servers binds: met = no, a warning.
bs staff "$PEAK" --set stage.primary.max_servers=6 --target stage.primary.wait_mean=1min \
	-o "$W/c"
[ $status -eq 0 ] && grep -q "warning: stage 'primary', hours .*max_servers = 6 binds" "$W/err" &&
	awk -F, '$1 == "primary" && $4 == 6 && $10 == "no" { n++ } END { exit !n }' "$W/c/staffing.csv" &&
	grep -q "^metric = wait_mean" "$W/c/staffing.ini" &&
	awk -F, '$1 == "primary" && $8 == "wait_mean" && $9 == 1 { n++ } END { exit n != 24 }' \
		"$W/c/staffing.csv"
check "max_servers binding: met = no and a warning; --target rows beside the section's" $? \
	"$(why)"

# Ports and port groups; -q prints nothing.
bs staff tests/data/ports/two.ini -q -r 2 --target port_group.land.wait_mean=2min \
	--target port.extra.wait_p95=5min -o "$W/p"
[ $status -eq 0 ] && [ ! -s "$W/out" ] && [ ! -s "$W/err" ] &&
	[ "$(cut -d, -f1 "$W/p/staffing.csv" | sort -u | tr '\n' ' ')" = \
		"extra/booth north/booth south/booth stage " ]
check "ports and port groups as targets; -q: nothing on stdout or stderr" $? "$(why)"

# --hourly on staff: the staffed run's hourly.csv of the named port group
# only, its rows those of the complete file; staffing.csv the same.
bs staff tests/data/ports/two.ini -q -r 2 --target port_group.land.wait_mean=2min \
	--target port.extra.wait_p95=5min --hourly west -o "$W/pw"
[ $status -eq 0 ] && [ "$(awk -F, 'NR > 1 { print $5 }' "$W/pw/hourly.csv" | sort -u)" = "south/booth" ] &&
	awk -F, 'NR == 1 || $5 == "south/booth"' "$W/p/hourly.csv" | cmp -s - "$W/pw/hourly.csv" &&
	cmp -s "$W/p/staffing.csv" "$W/pw/staffing.csv" && cmp -s "$W/p/scenario.ini" "$W/pw/scenario.ini"
check "--hourly west (a port group): the staffed run's hourly.csv holds its stage's rows only; staffing.csv the same" $? \
	"$(why)"

# A run's folder may take a staffing; a staffing's is refused to a run.
bs run "$PEAK" -q -r 2 -o "$W/d"
bs staff "$PEAK" -q -o "$W/d"
st1=$status
bs run "$PEAK" -q -r 2 -o "$W/a"
[ $st1 -eq 0 ] && [ $status -eq 73 ] && grep -q "holds the output of a staffing" "$W/err"
check "staff writes into a run's folder; run refuses a staffing's (73)" $? "$(why)"

# SIGTERM while the simulations run: 143, "interrupted", no folder.
"$BIN" staff "$PEAK" -r 40 -o "$W/sig" >"$W/out" 2>"$W/err" &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
status=$?
[ $status -eq 143 ] && [ "$(cat "$W/err")" = "bordersim: interrupted" ] && [ ! -e "$W/sig" ]
check "SIGTERM during staff: 143, 'interrupted', nothing written" $? "$(why)"

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
