#!/usr/bin/env bash
# e2e_targets: the targets of a scenario in `bordersim run` (docs/staffing.md,
# "Targets in a run").
#
#   tests/e2e_targets.sh ./bordersim        (from the repository root)
#
# targets.csv (its columns, a row per targeted stage, hour and metric, met
# consistent with the waits and limits), the targets table on stdout (its
# counts and worst excess those of targets.csv) and in report.html, targets
# changing nothing of the run itself, a scenario without targets (no
# targets.csv, no table), the same bytes for every -j, a [staffing.NAME]
# factor on a targeted stage run (its chart's target line too; refused by
# staff), compare's table of both sides' targets, and a target of unlimited
# stages. Prints "ok N - ..." lines.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-e2e-targets.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
D=tests/data/targets
HEAD="stage,hour,servers,wait_mean,wait_p95,utilization,target_metric,target_limit,met"

# awk over targets.csv: the column of a row's metric is 4 (wait_mean) or 5.
VAL='function val() { return $7 == "wait_mean" ? $4 : $5 }'

bs run "$D/targets.ini" -j 2 -o "$W/t"
cp "$W/out" "$W/t.out"
sed -n '/^targets/,$p' "$W/t.out" >"$W/t.table"
[ $status -eq 0 ] && [ "$(head -1 "$W/t/targets.csv")" = "$HEAD" ] &&
	[ "$(wc -l <"$W/t/targets.csv")" -eq $((1 + 3 * 24)) ] &&
	[ "$(awk -F, 'NR > 1 { print $1 "," $7 }' "$W/t/targets.csv" | sort | uniq -c |
		awk '{ print $1 }' | tr '\n' ' ')" = "24 24 24 " ]
check "targets.csv: its header, 24 hours of each targeted stage and metric (3)" $? "$(why)"

# met = yes exactly where the hour's metric is within its limit (no hour of
# this day has arrivals without a service start).
awk -F, "$VAL"'
	NR > 1 { v = val(); if (v == "") { if ($9 != "yes") exit 1; next }
		if ((v <= $8 + 1e-9) != ($9 == "yes")) exit 1 }' "$W/t/targets.csv"
check "targets.csv: met = yes where the metric is within the limit, no where it exceeds it" $? \
	"$(head -5 "$W/t/targets.csv")"
awk -F, 'NR > 1 { lim = $1 == "primary" ? 15 : $7 == "wait_mean" ? 10 : $2 >= 7 && $2 <= 18 ? 40 : 20
	if ($3 != ($1 == "primary" ? 12 : 5) || $8 != lim) exit 1 }' "$W/t/targets.csv"
check "targets.csv: servers as scheduled, each hour's limit (24 limits by hour)" $?
awk -F, 'NR > 1 && $1 == "primary" && $9 != "yes" { exit 1 }
	NR > 1 && $7 == "wait_mean" { n[$9]++ } END { exit !(n["yes"] && n["no"]) }' \
	"$W/t/targets.csv"
check "the booths meet their target every hour; the secondary's mean wait misses some hours" $?

# The table: a row a target, its counts and worst excess those of targets.csv.
table_ok=1
for t in booths:primary:wait_p95 secondary:secondary:wait_mean \
	secondary_p95:secondary:wait_p95; do
	IFS=: read -r name stage metric <<<"$t"
	want=$(awk -F, -v s="$stage" -v k="$metric" "$VAL"'
		NR > 1 && $1 == s && $7 == k { v = val()
			if (v != "" || $9 == "no") { n++; met += $9 == "yes" }
			if (v != "" && (w == "" || v - $8 > w)) { w = v - $8; h = $2 } }
		END { printf "%d / %d|%s|%s, hour %d\n", met, n, w, s, h }' "$W/t/targets.csv")
	row=$(grep "^$name  " "$W/t.table")
	got_met=$(sed -E 's/.* ([0-9]+ \/ [0-9]+) .*/\1/' <<<"$row")
	got_at=$(sed -E 's/.*  ([^ ]+, hour [0-9]+)$/\1/' <<<"$row")
	got_w=$(sed -E 's/.* [0-9]+ \/ [0-9]+ +([-+0-9.,]+) .*/\1/' <<<"$row" | tr -d ',+')
	IFS='|' read -r w_met w_excess w_at <<<"$want"
	# the table rounds to 3 significant digits
	if [ "$got_met" != "$w_met" ] || [ "$got_at" != "$w_at" ] ||
		! awk -v a="$got_w" -v b="$w_excess" 'BEGIN { d = a - b; if (d < 0) d = -d
			m = b < 0 ? -b : b; exit !(d <= 0.005 * m + 0.0005) }'; then
		table_ok=0
		echo "# $name: table '$row'; targets.csv: $want"
	fi
	grep -q "^$name  *$metric " <<<"$row" || table_ok=0
done
[ "$(grep -c "  wait_" "$W/t.table")" -eq 3 ] && grep -q "^secondary_p95  .* by hour " "$W/t.table" &&
	[ $table_ok -eq 1 ]
check "stdout: a row a target; hours met, worst excess and where, as targets.csv has them" $? \
	"$(cat "$W/t.out")"

# Targets change nothing of the run: the same files and headline as without.
bs run "$D/day.ini" -j 2 -o "$W/d"
[ $status -eq 0 ] && [ ! -e "$W/d/targets.csv" ] && ! grep -q "^targets" "$W/out" &&
	same_files "$W/t" "$W/d" summary.csv replications.csv hourly.csv &&
	cmp -s "$W/out" <(sed '/^targets/,$d' "$W/t.out")
check "without targets: no targets.csv, no table; with them the run and headline are the same" \
	$? "$(why)"
grep -q "<h2>Targets" "$W/t/report.html" &&
	[ "$(grep -o "<tr><td>[a-z_0-9]*</td><td>wait_[a-z0-9]*</td>" "$W/t/report.html" |
		sed 's/<[^>]*>/ /g' | tr -s ' ' | tr '\n' ';')" = \
		" booths wait_p95 ; secondary wait_mean ; secondary_p95 wait_p95 ;" ] &&
	! grep -q "Targets" "$W/d/report.html"
check "report.html: a Targets panel, a row a target; none without targets" $?
bs run "$D/targets.ini" -q -j 1 -o "$W/j1"
[ $status -eq 0 ] && [ ! -s "$W/out" ] && same_files "$W/t" "$W/j1" targets.csv
check "-q: no table; targets.csv the same bytes with -j 1 and -j 2" $? "$(why)"
bs run "$D/day.ini" -q -o "$W/t"
[ $status -eq 0 ] && [ ! -e "$W/t/targets.csv" ] && [ -s "$W/t/summary.csv" ]
check "a run without targets into a folder with targets.csv removes it" $? "$(why)"

# A [staffing.NAME] factor on a targeted stage: run measures the staffing
# given; staff refuses it (its staffing.ini would be scaled again).
bs run "$D/short.ini" -o "$W/s"
[ $status -eq 0 ] && awk -F, 'NR > 1 && $1 == "primary" && $3 != 7 { exit 1 }' "$W/s/targets.csv" &&
	awk -F, "$VAL"'NR > 1 && $1 == "primary" && val() > $8 && $9 == "no" { n++ }
		END { exit !n }' "$W/s/targets.csv" && grep -q "^booths  .* [0-9]* / 24 " "$W/out" &&
	! grep -q "^booths  .* 24 / 24 " "$W/out"
check "run of a scaled targeted stage: 0.6 x 12 = 7 booths, hours that miss, in the table" $? \
	"$(why)" "$(cat "$W/out")"
[ "$(grep -o 'class="target"[^>]*data-limit="15"' "$W/s/hourly.svg" | wc -l)" -eq 1 ]
check "its chart draws the booths' p95 limit, as an unscaled scenario's does" $?
cp "$W/out" "$W/s.out"

# compare: both sides' targets, each as its own run has them (the two share
# seed and replications, so compare's runs are those runs).
bs compare "$D/targets.ini" "$D/short.ini" -o "$W/c"
cmp_ok=$((status != 0))
for name in booths secondary secondary_p95; do
	# the tables' columns are two or more spaces apart
	b=$(sed -n '/^targets/,$p' "$W/t.out" | awk -F '  +' -v n="$name" '$1 == n { print $5 "|" $6 }')
	s=$(sed -n '/^targets/,$p' "$W/s.out" | awk -F '  +' -v n="$name" '$1 == n { print $5 "|" $6 }')
	got=$(sed -n '/^targets, base vs scenario/,$p' "$W/out" |
		awk -F '  +' -v n="$name" '$1 == n { print $4 "|" $6 " " $5 "|" $7 }')
	[ -n "$b" ] && [ "$got" = "$b $s" ] || {
		cmp_ok=1
		echo "# $name: compare '$got'; runs '$b', '$s'"
	}
done
check "compare: a row a target, each side's hours met and worst excess as its run's" $cmp_ok \
	"$(why)" "$(cat "$W/out")"
bs compare "$D/day.ini" "$D/day.ini" -o "$W/c2"
[ $status -eq 0 ] && ! grep -q "^targets" "$W/out"
check "compare without targets: no targets table" $? "$(why)"

bs staff "$D/short.ini" -q -o "$W/s2"
[ $status -eq 65 ] && grep -q "staffing.retirements: scales stage 'primary', which has a target" \
	"$W/err" && [ ! -e "$W/s2" ]
check "staff of it: refused (65), as before" $? "$(why)"

bs run tests/data/staff/bad_unlimited.ini -o "$W/u"
[ $status -eq 0 ] && grep -q "^walk  .* 0  *0 / 0 " "$W/out" &&
	[ "$(cat "$W/u/targets.csv")" = "$HEAD" ]
check "run of a target of unlimited stages only (staff refuses it): 0 stages, no rows" $? \
	"$(why)" "$(cat "$W/out")"

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
