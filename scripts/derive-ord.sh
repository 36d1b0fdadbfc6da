#!/bin/sh
# Derives the O'Hare Terminal 5 model's inputs from the agency's airport wait
# times, data/raw/awt-ord-t5-2016.csv ... 2018.csv (one row per date and hour
# with passengers, flights, booths open and the average wait).
#
#   scripts/derive-ord.sh [DIR]       (from anywhere; DIR defaults to the repository)
#
# Writes, under DIR (LC_ALL=C, the same bytes for the same inputs):
#
#   data/ord_t5_hourly.csv   per set and clock hour: the mean day's passengers,
#                            flights, booths, the servers schedule and the
#                            published wait (columns in data/README.md)
#   data/ord_t5_sizes.csv    per set: flight sizes and their shares
#   data/ord_t5_waits.csv    per set: the day's published waits, their mean,
#                            distribution and 95th percentile
#   data/ord_t5_days.csv     every date's hours: passengers, flights, booths, wait
#   scenarios/ord_t5.ini     the average day of 2018 (set 2018)
#   scenarios/ord_t5_holdout.ini  the average held-out day (set holdout)
#
# The hold-out rule: the date's day number counted from 1 January 2016 (which
# is 0) leaves 4 when divided by 5: every fifth date, on a weekday that moves on
# by one every week. Sets 2016, 2017 and 2018 are the other dates of each
# year (calibration); set holdout is the held-out dates of all three years.
#
# A date is a day of the set when the file has a row for it; an hour missing
# from the file on such a date is an hour without flights: zero passengers,
# flights and booths. (Whole dates absent from the file, 3 in 2016 and 1 in
# 2018, are gaps in the data, not days without flights, and are left out.)
#
# The service time and the spread of the scenarios are read from the first
# data row of data/ord_t5_calibration.csv, which scripts/calibrate-ord.sh
# writes (its grid sorted by score, best first), always from the repository.
set -eu
export LC_ALL=C
cd "$(dirname "$0")/.."
dir=${1:-.}
mkdir -p "$dir/data" "$dir/scenarios"
hourly=$dir/data/ord_t5_hourly.csv
sizes=$dir/data/ord_t5_sizes.csv
waits=$dir/data/ord_t5_waits.csv
days=$dir/data/ord_t5_days.csv
calib=data/ord_t5_calibration.csv
tmp=$dir/data/ord_t5.tmp.$$
trap 'rm -f "$tmp".*' EXIT

# One line per raw row: set, date, hour, passengers, flights, booths, the
# passengers the wait is measured on (all but the excluded), the average wait.
awk -F, '
BEGIN { split("31 29 31 30 31 30 31 31 30 31 30 31", ml, " ") }
FNR == 1 { next }
{
	split($3, d, "/")
	y = d[3] + 0; m = d[1] + 0; day = d[2] + 0
	n = day - 1
	for (i = 1; i < m; i++) n += ml[i] - (i == 2 && y % 4 != 0)
	for (i = 2016; i < y; i++) n += i % 4 == 0 ? 366 : 365
	set = n % 5 == 4 ? "holdout" : y
	printf "%s,%d,%d,%d,%d,%d,%d,%d", set, n, substr($4, 1, 2) + 0, $19, $20, $21, $19 - $18, $9
	for (i = 11; i <= 17; i++) printf ",%d", $i
	printf ",%04d-%02d-%02d\n", y, m, day
}' data/raw/awt-ord-t5-2016.csv data/raw/awt-ord-t5-2017.csv data/raw/awt-ord-t5-2018.csv >"$tmp.rows"

# The mean day of each set, hour by hour. servers: booths_open rounded, the
# booths open in the hours that had flights (an hour of the mean day whose
# mean booths count their absent hours as zero would staff a flight at 3 am
# with a fraction of a booth).
awk -F, '
{
	if (!(($1, $2) in seen)) { seen[$1, $2] = 1; days[$1]++ }
	k = $1 SUBSEP $3
	rows[k]++; pax[k] += $4; fl[k] += $5; bo[k] += $6; wn[k] += $7; ww[k] += $7 * $8
	sets[$1] = 1
}
END {
	print "set,hour,days,flight_hours,passengers,flights,booths,booths_open,servers,pax_per_flight,wait"
	for (s in sets) for (h = 0; h < 24; h++) {
		k = s SUBSEP h; nd = days[s]
		open = rows[k] ? bo[k] / rows[k] : 0
		printf "%s,%d,%d,%d,%.2f,%.4f,%.3f,%.3f,%d,%s,%s\n", s, h, nd, rows[k] + 0,
		       pax[k] / nd, fl[k] / nd, bo[k] / nd, open, int(open + 0.5),
		       fl[k] ? sprintf("%.2f", pax[k] / fl[k]) : "",
		       wn[k] ? sprintf("%.3f", ww[k] / wn[k]) : ""
	}
}' "$tmp.rows" | { IFS= read -r head; echo "$head"; sort -t, -k1,1 -k2,2n; } >"$tmp.hourly"

# Every date's hours with flights, for the calibration on single days and the
# prediction of each held-out day.
awk -F, 'BEGIN { print "set,date,hour,passengers,flights,booths,measured,wait" }
{ printf "%s,%s,%d,%d,%d,%d,%d,%d\n", $1, $16, $3, $4, $5, $6, $7, $8 }' "$tmp.rows" >"$tmp.days"

# The day's distribution of published waits: the passengers of each wait
# bucket, as shares of those measured at or below each bucket's upper end
# (all the set's days pooled), and p95, the mean over the set's days of each
# day's 95th percentile, interpolated linearly inside its bucket (the buckets'
# ends: 15, 30, 45, 60, 90, 120 and, for the last, 180 minutes): the figure
# comparable with the mean over replications of a simulated day's
# time_in_system_p95.
awk -F, '
BEGIN { split("15 30 45 60 90 120 180", ub, " ") }
function p95(k,    c, lo, i, t) {
	t = 0; for (i = 1; i <= 7; i++) t += db[k, i]
	if (t == 0) return -1
	c = 0; lo = 0
	for (i = 1; i <= 7; i++) {
		if (c + db[k, i] >= 0.95 * t) return lo + (0.95 * t - c) / db[k, i] * (ub[i] - lo)
		c += db[k, i]; lo = ub[i]
	}
}
{
	if (!(($1, $2) in seen)) { seen[$1, $2] = 1; days[$1]++; dset[$2] = $1 }
	pax[$1] += $4; wn[$1] += $7; ww[$1] += $7 * $8
	for (i = 1; i <= 7; i++) { b[$1, i] += $(8 + i); tot[$1] += $(8 + i); db[$2, i] += $(8 + i) }
}
END {
	for (d in dset) if ((q = p95(d)) >= 0) { psum[dset[d]] += q; pn[dset[d]]++ }
	print "set,days,passengers,wait,le15,le30,le45,le60,le90,le120,p95"
	for (s in days) {
		printf "%s,%d,%.2f,%.3f", s, days[s], pax[s] / days[s], ww[s] / wn[s]
		c = 0
		for (i = 1; i < 7; i++) { c += b[s, i]; printf ",%.4f", c / tot[s] }
		printf ",%.2f\n", psum[s] / pn[s]
	}
}' "$tmp.rows" | { IFS= read -r head; echo "$head"; sort -t, -k1,1; } >"$tmp.waits"

# Flight sizes: a flight's passengers are seen alone in the hours with one
# flight. Their distribution in bins of 50 passengers (350 and more in one),
# each bin at the mean size of its flights, scaled by the set's passengers per
# flight over the one-flight hours' mean so that the groups a day are the
# set's flights a day. Shares to 4 decimals, the largest bin taking the rest.
awk -F, '
{ ptot[$1] += $4; ftot[$1] += $5 }
$5 == 1 && $4 > 0 {
	b = int($4 / 50); if (b > 7) b = 7
	cnt[$1, b]++; sum[$1, b] += $4; one[$1]++; onesum[$1] += $4
}
END {
	print "set,size,share,flights,pax_per_flight"
	for (s in one) {
		scale = (ptot[s] / ftot[s]) / (onesum[s] / one[s])
		big = -1; rest = 0
		for (b = 0; b < 8; b++) if (cnt[s, b] && (big < 0 || cnt[s, b] > cnt[s, big])) big = b
		for (b = 0; b < 8; b++) if (cnt[s, b] && b != big) {
			sh[b] = sprintf("%.4f", cnt[s, b] / one[s]); rest += sh[b]
		}
		sh[big] = sprintf("%.4f", 1 - rest)
		for (b = 0; b < 8; b++) if (cnt[s, b])
			printf "%s,%d,%s,%d,%.2f\n", s, int(sum[s, b] / cnt[s, b] * scale + 0.5), sh[b],
			       cnt[s, b], ptot[s] / ftot[s]
	}
}' "$tmp.rows" | { IFS= read -r head; echo "$head"; sort -t, -k1,1 -k2,2n; } >"$tmp.sizes"

# The calibrated service time and spread: the best row of the grid.
if [ -f "$calib" ]; then
	params=$(awk -F, 'NR == 2 { print $1, $2, $3, $4; exit }' "$calib")
else
	params="60 0.6 5 20"
fi
set -- $params
svc_mean=$1 svc_cv=$2 sp_lo=$3 sp_hi=$4

# scenario SET NAME TITLE: the scenario of a set's mean day on stdout.
scenario() {
	awk -F, -v set="$1" -v name="$2" -v title="$3" -v sizes="$tmp.sizes" \
	    -v sm="$svc_mean" -v sc="$svc_cv" -v lo="$sp_lo" -v hi="$sp_hi" '
	BEGIN {
		while ((getline line < sizes) > 0) {
			split(line, f, ",")
			if (f[1] != set) continue
			batch = batch (batch == "" ? "" : ", ") f[2] ":" f[3]
			ppf = f[5]
		}
	}
	$1 == set {
		h = $2 + 0; total += $5; days = $3
		prof = prof (h % 6 == 0 ? (h ? "\n          " : "") : " ") sprintf("%.1f", $5)
		serv = serv (h % 12 == 0 ? (h ? "\n          " : "") : " ") $9
	}
	END {
		print "; O'\''Hare Terminal 5 (ORD), " title ": passengers arriving by flight to the"
		print "; primary booths. Written by scripts/derive-ord.sh from data/ord_t5_hourly.csv (set " set ","
		print "; " days " days) and data/ord_t5_calibration.csv; do not edit, run the script."
		print "; stream.passengers time_in_system_mean is the figure comparable with the agency'\''s"
		print "; all_avg_wait (gate arrival to release from primary, less a walking allowance):"
		print "; see docs/airport.md."
		print ""
		print "[scenario]"
		print "name = " name
		print "days = 1"
		print "warmup_days = 1            ; the day before, so that midnight starts with its queue"
		print "replications = 100"
		print ""
		print "[stream.passengers]"
		printf "per_day = %.0f            ; passengers a day: the sum of the profile\n", total
		print "profile = " prof
		print "                           ; mean passengers by clock hour (hours without flights as 0)"
		print "batch = " batch
		print "                           ; flight sizes (data/ord_t5_sizes.csv), " ppf " passengers a flight"
		print "batch_spread = uniform(" lo "min, " hi "min)"
		print "                           ; deplaning and the walk to the hall, less the walking"
		print "                           ; allowance (calibrated)"
		print "route = booths"
		print "counts_as = travelers_air"
		print ""
		print "[stage.booths]"
		print "servers = " serv
		print "                           ; booths open by clock hour, in the hours with flights"
		print "service = lognormal(mean=" sm "s, cv=" sc ")   ; calibrated on 2016-2018"
	}' "$tmp.hourly"
}
scenario 2018 ord_t5 "an average day of 2018" >"$tmp.ord"
scenario holdout ord_t5_holdout "the average held-out day of 2016-2018 (every fifth date)" >"$tmp.hold"

mv "$tmp.hourly" "$hourly"
mv "$tmp.sizes" "$sizes"
mv "$tmp.waits" "$waits"
mv "$tmp.days" "$days"
mv "$tmp.ord" "$dir/scenarios/ord_t5.ini"
mv "$tmp.hold" "$dir/scenarios/ord_t5_holdout.ini"
echo "$hourly, $sizes, $waits, $days, $dir/scenarios/ord_t5.ini, $dir/scenarios/ord_t5_holdout.ini"
