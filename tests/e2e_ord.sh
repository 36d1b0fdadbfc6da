#!/usr/bin/env bash
# e2e_ord: the O'Hare Terminal 5 model (docs/airport.md) against its data.
#
#   tests/e2e_ord.sh ./bordersim        (from the repository root)
#
# scripts/derive-ord.sh writes its files again byte for byte; scenarios/ord_t5.ini
# carries the data's booths schedule, its simulated passengers a day are the
# data's within sampling error, and its mean time in system (the figure
# comparable with the published all_avg_wait) is the published mean wait of
# the day within the replications' interval plus the calibration's stated
# error; the held-out day is predicted within the same bound.
# Prints "ok N - ..." / "not ok N - ..." lines and a summary; exits 1 when any
# check failed.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
HOURLY=data/ord_t5_hourly.csv
CALIB=data/ord_t5_calibration.csv
REPS=40

W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-e2e-ord.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT

# metric FOLDER SCOPE NAME METRIC: "mean stddev ci95_low ci95_high replications"
metric() {
	awk -F, -v s="$2" -v n="$3" -v m="$4" '$2 == s && $3 == n && $4 == m {
		print $6, $7, $8, $9, $12 }' "$1/summary.csv"
}

# ---- the derived files, again ----

sh scripts/derive-ord.sh "$W/derive" >/dev/null 2>"$W/err"
st=$?
bad=""
for f in data/ord_t5_hourly.csv data/ord_t5_sizes.csv data/ord_t5_waits.csv data/ord_t5_days.csv \
	scenarios/ord_t5.ini scenarios/ord_t5_holdout.ini; do
	cmp -s "$f" "$W/derive/$f" || bad="$bad $f"
done
[ $st -eq 0 ] && [ -z "$bad" ]
check "scripts/derive-ord.sh writes its six files again byte for byte" $? \
	"status $st; differ:${bad:- none}; $(head -c 300 "$W/err")"

# ---- the average day of 2018 ----

bs run scenarios/ord_t5.ini -q -r $REPS -o "$W/ord"
check "scenarios/ord_t5.ini runs ($REPS replications)" $status "$(why)"

# The booths' schedule: the data's servers column of set 2018, as the
# scenario states it and as hourly.csv reports it hour by hour.
want=$(awk -F, '$1 == "2018" { printf "%s%s", (n++ ? " " : ""), $9 }' $HOURLY)
got=$("$BIN" check scenarios/ord_t5.ini | awk '/^\[stage.booths\]/ { b = 1; next }
	/^\[/ { b = 0 } b && /^servers = / { sub(/^servers = /, ""); print }')
hours=$(awk -F, '$5 == "booths" && $2 == 1 { printf "%s%s", (n++ ? " " : ""), $8 }' "$W/ord/hourly.csv")
[ -n "$want" ] && [ "$got" = "$want" ] && [ "$hours" = "$want" ]
check "stage booths: servers by hour are the data's (set 2018)" $? \
	"data:     $want" "scenario: $got" "hourly:   $hours"

# Passengers a day: the data's mean day against the replications' mean. At
# 3.29 standard errors (two-sided 99.9%) a correct model fails one seed in a
# thousand; the seed is fixed, so the check is deterministic.
pax=$(awk -F, '$1 == "2018" { t += $5 } END { printf "%.2f", t }' $HOURLY)
read -r mean sd lo hi nrep <<<"$(metric "$W/ord" stream passengers arrivals)"
awk -v d="$pax" -v m="$mean" -v s="$sd" -v n="$nrep" \
	'BEGIN { e = d - m; exit !((e < 0 ? -e : e) <= 3.29 * s / sqrt(n)) }'
check "passengers a day: the data's $pax within 3.29 standard errors of the simulated $mean" $? \
	"simulated mean $mean, stddev $sd, $nrep replications"

# The mean wait of the day. Published: the hours' all_avg_wait weighted by
# their passengers; simulated: stream passengers' time_in_system_mean. The
# tolerance is the half-width of the replications' 95% interval (sampling)
# plus the calibration's stated error, the passenger-weighted mean absolute
# error of its 72 hours (the best row of data/ord_t5_calibration.csv): the
# day's error is a weighted mean of the hours' errors, so its size is at most
# theirs.
cal_mae=$(awk -F, 'NR == 2 { print $6 }' $CALIB)
# day_wait SET FOLDER DESC: checks the simulated mean wait of FOLDER's run against SET's.
day_wait() {
	local pub mean sd lo hi nrep
	pub=$(awk -F, -v s="$1" '$1 == s && $11 != "" { w += $5 * $11; p += $5 } END { printf "%.3f", w / p }' $HOURLY)
	read -r mean sd lo hi nrep <<<"$(metric "$2" stream passengers time_in_system_mean)"
	awk -v p="$pub" -v m="$mean" -v lo="$lo" -v hi="$hi" -v c="$cal_mae" \
		'BEGIN { e = p - m; exit !(c > 0 && (e < 0 ? -e : e) <= (hi - lo) / 2 + c) }'
	check "$3: published mean wait $pub min, simulated $mean min (interval $lo..$hi, calibration error $cal_mae)" $? \
		"off by more than the interval's half-width plus $cal_mae min"
}
day_wait 2018 "$W/ord" "2018 mean day"

# ---- the held-out day: predicted with the calibrated service and spread ----

bs run scenarios/ord_t5_holdout.ini -q -r $REPS -o "$W/hold"
check "scenarios/ord_t5_holdout.ini runs ($REPS replications)" $status "$(why)"
same=$(for f in scenarios/ord_t5.ini scenarios/ord_t5_holdout.ini; do
	"$BIN" check $f | grep -E '^(service|batch_spread) = '; done | sort | uniq -u)
[ -z "$same" ]
check "the held-out day has the calibrated service and spread of scenarios/ord_t5.ini" $? "$same"
day_wait holdout "$W/hold" "held-out mean day (prediction)"

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
