#!/bin/sh
# Calibrates the O'Hare Terminal 5 model (scenarios/ord_t5.ini) on the mean
# days of 2016, 2017 and 2018 at once, and checks it on the held-out days.
#
#   scripts/calibrate-ord.sh [grid|validate|chart|all]     (default all)
#
# grid      runs every point of the grid below on each year's mean day (the
#           set's passengers, profile, flight sizes and booths from
#           data/ord_t5_hourly.csv and data/ord_t5_sizes.csv, set with --set on
#           scenarios/ord_t5.ini) and writes data/ord_t5_calibration.csv, the
#           points sorted by score, best first; then scripts/derive-ord.sh
#           writes the scenarios with the best point.
# validate  runs the best point on the four sets (the three years and the
#           held-out days) and writes data/ord_t5_validation.csv, hour by hour
#           simulated against published; then each held-out day on its own,
#           into data/ord_t5_validation_days.csv; prints the errors.
# chart     draws docs/airport-ord-t5.svg from data/ord_t5_validation.csv.
#
# The simulated figure of an hour comparable with the published all_avg_wait
# is the booths' mean wait of the hour (over the replications, weighted by the
# services started) plus the mean spread and the mean service: a passenger's
# time in system (docs/airport.md). The score, in passenger-minutes squared, is
# the sum over the 72 hours of the three years of the hour's passengers times
# the squared difference; mae and bias are passenger-weighted means over the
# same hours, in minutes; p95_error is the mean over the years of the absolute
# difference of the day's 95th percentile of waits (simulated: the mean over
# replications of time_in_system_p95; published: data/ord_t5_waits.csv),
# reported, not scored (docs/airport.md says why).
#
# Environment: BORDERSIM (the program; default ./bordersim), REPS (replications
# of a mean day, default 100), DAYREPS (of a held-out day, default 20), SEED
# (default 1), and the grid SVC (service means, s), CV (service cvs), LO and HI
# (the spread's ends, min); the defaults are the grid of data/ord_t5_calibration.csv.
set -eu
export LC_ALL=C
cd "$(dirname "$0")/.."
bin=${BORDERSIM:-./bordersim}
reps=${REPS:-100}
seed=${SEED:-1}
SVC=${SVC:-"27 30 33 36"}
CV=${CV:-"0.5 1"}
LO=${LO:-"0 3 6"}
HI=${HI:-"24 28 32 36"}
hourly=data/ord_t5_hourly.csv
sizes=data/ord_t5_sizes.csv
waits=data/ord_t5_waits.csv
calib=data/ord_t5_calibration.csv
valid=data/ord_t5_validation.csv
vdays=data/ord_t5_validation_days.csv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# sim SET SVC CV LO HI: runs the set's mean day; prints "hour simulated" lines
# (hours in which services started) and "p95 time_in_system_p95".
sim() {
	set_=$1
	prof=$(awk -F, -v s="$set_" '$1 == s { printf "%s%s", (n++ ? " " : ""), $5 }' "$hourly")
	perday=$(awk -F, -v s="$set_" '$1 == s { t += $5 } END { printf "%.0f", t }' "$hourly")
	serv=$(awk -F, -v s="$set_" '$1 == s { printf "%s%s", (n++ ? " " : ""), $9 }' "$hourly")
	batch=$(awk -F, -v s="$set_" '$1 == s { printf "%s%s:%s", (n++ ? ", " : ""), $2, $3 }' "$sizes")
	"$bin" run scenarios/ord_t5.ini -q -r "$reps" -s "$seed" -o "$work/run" \
		--set "stream.passengers.per_day=$perday" \
		--set "stream.passengers.profile=$prof" \
		--set "stream.passengers.batch=$batch" \
		--set "stream.passengers.batch_spread=uniform(${4}min, ${5}min)" \
		--set "stage.booths.servers=$serv" \
		--set "stage.booths.service=lognormal(mean=${2}s, cv=$3)"
	awk -F, -v add="$(echo "$2 $4 $5" | awk '{ print $1 / 60 + ($2 + $3) / 2 }')" '
	NR > 1 && $5 == "booths" && $11 != "" { n[$4] += $7; w[$4] += $7 * $11 }
	END { for (h = 0; h < 24; h++) if (n[h]) printf "%d %.4f\n", h, w[h] / n[h] + add }' "$work/run/hourly.csv"
	awk -F, '$2 == "stream" && $3 == "passengers" && $4 == "time_in_system_p95" { print "p95", $6, $12 }' \
		"$work/run/summary.csv"
}

# daysim SVC CV LO HI: runs each held-out day on its own with the day's own
# passengers by hour, booths by hour and its year's flight sizes, $DAYREPS
# replications each, two at a time; prints "date hour simulated" lines. A
# day's servers in an hour are its booths; an hour without booths takes the
# hour before's (booths stay open for a flight's last passengers), and an
# hour with passengers and neither gets one booth.
daysim() {
	awk -F, '
	FILENAME ~ /sizes/ { if (FNR > 1) sz[$1] = sz[$1] (sz[$1] == "" ? "" : ", ") $2 ":" $3; next }
	FNR == 1 { next }
	{
		if (!($2 in seen)) {
			seen[$2] = 1
			if ($1 == "holdout") order[++nd] = $2
		}
		pax[$2, $3] = $4; bo[$2, $3] = $6
	}
	END {
		for (i = 1; i <= nd; i++) {
			d = order[i]; t = 0; prof = ""; serv = ""
			for (h = 0; h < 24; h++) {
				p = pax[d, h] + 0; t += p
				b = bo[d, h] + 0
				if (b == 0) b = bo[d, (h + 23) % 24] + 0
				if (b == 0 && p > 0) b = 1
				prof = prof (h ? " " : "") p; serv = serv (h ? " " : "") b
			}
			printf "%s|%d|%s|%s|%s\n", d, t, prof, serv, sz[substr(d, 1, 4)]
		}
	}' "$sizes" data/ord_t5_days.csv >"$work/daylist"
	add=$(echo "$1 $3 $4" | awk '{ print $1 / 60 + ($2 + $3) / 2 }')
	rm -rf "$work"/part.* "$work"/res.* "$work"/run.*
	split -n l/2 "$work/daylist" "$work/part."
	for part in "$work"/part.*; do
		k=${part##*.}
		while IFS='|' read -r d t prof serv batch; do
			"$bin" run scenarios/ord_t5.ini -q -j 1 -r "${DAYREPS:-20}" -s "$seed" -o "$work/run.$k" \
				--set "stream.passengers.per_day=$t" \
				--set "stream.passengers.profile=$prof" \
				--set "stream.passengers.batch=$batch" \
				--set "stream.passengers.batch_spread=uniform(${3}min, ${4}min)" \
				--set "stage.booths.servers=$serv" \
				--set "stage.booths.service=lognormal(mean=${1}s, cv=$2)"
			awk -F, -v d="$d" -v add="$add" '
			NR > 1 && $5 == "booths" && $11 != "" { n[$4] += $7; w[$4] += $7 * $11 }
			END { for (h = 0; h < 24; h++) if (n[h]) printf "%s %d %.4f\n", d, h, w[h] / n[h] + add }' \
				"$work/run.$k/hourly.csv"
		done <"$part" >"$work/res.$k" &
	done
	wait
	cat "$work"/res.*
}

# score SET...: sim's lines on stdin, "set hour simulated" and "set p95 value",
# against the published figures; prints "score,mae,bias,p95_error".
score() {
	awk -F, -v sets="$*" '
	BEGIN { split(sets, s, " "); for (i in s) want[s[i]] = 1 }
	FILENAME == "-" { split($0, f, " "); sim[f[1], f[2]] = f[3]; next }
	FILENAME ~ /waits/ && want[$1] {
		d = sim[$1, "p95"] - $11
		pe += d < 0 ? -d : d; np++
		next
	}
	FILENAME !~ /waits/ && want[$1] && $11 != "" && (($1, $2) in sim) {
		d = sim[$1, $2] - $11
		sc += $5 * d * d; ae += $5 * (d < 0 ? -d : d); bi += $5 * d; p += $5
	}
	END { printf "%.1f,%.3f,%.3f,%.3f\n", sc, ae / p, bi / p, pe / np }' - "$hourly" "$waits"
}

grid() {
	echo "service_mean_s,service_cv,spread_min,spread_max,score,mae,bias,p95_error" >"$work/grid"
	for s in $SVC; do for c in $CV; do for lo in $LO; do for hi in $HI; do
		[ "$(echo "$lo $hi" | awk '{ print ($1 < $2) }')" = 1 ] || continue
		for y in 2016 2017 2018; do
			sim $y "$s" "$c" "$lo" "$hi" | awk -v y=$y '{ print y, $1, $2 }'
		done >"$work/sims"
		printf '%s,%s,%s,%s,%s\n' "$s" "$c" "$lo" "$hi" \
			"$(score 2016 2017 2018 <"$work/sims")" >>"$work/grid"
		tail -n 1 "$work/grid" >&2
	done; done; done; done
	{ head -n 1 "$work/grid"; tail -n +2 "$work/grid" | sort -t, -k5,5g -k1,1n -k2,2n -k3,3n -k4,4n; } >"$calib"
	scripts/derive-ord.sh >/dev/null
	echo "$calib: best $(sed -n 2p "$calib")"
}

validate() {
	set -- $(awk -F, 'NR == 2 { print $1, $2, $3, $4 }' "$calib")
	echo "set,hour,passengers,servers,published,simulated,difference" >"$work/valid"
	for y in 2016 2017 2018 holdout; do
		sim $y "$@" | awk -v s=$y '{ print s, $1, $2 }' >"$work/sims"
		awk -F, -v s=$y '
		FILENAME == "-" { split($0, f, " "); sim[f[2]] = f[3]; next }
		$1 == s {
			printf "%s,%d,%s,%d,%s,%.2f,%s\n", s, $2, $5, $9, $11, sim[$2],
			       $11 == "" ? "" : sprintf("%.2f", sim[$2] - $11)
		}' - "$hourly" <"$work/sims" >>"$work/valid"
	done
	mv "$work/valid" "$valid"
	awk -F, 'NR > 1 && $5 != "" {
		d = $6 - $5; ae[$1] += $3 * (d < 0 ? -d : d); bi[$1] += $3 * d; p[$1] += $3
		uae[$1] += d < 0 ? -d : d; n[$1]++
	}
	END { for (s in p) printf "%s: mae %.2f min, bias %+.2f min (passenger-weighted); mae %.2f min unweighted\n",
	      s, ae[s] / p[s], bi[s] / p[s], uae[s] / n[s] }' "$valid" | sort

	# Each held-out day on its own, with its own passengers and booths.
	daysim "$@" >"$work/hold"
	awk -F, 'BEGIN { print "date,hour,passengers,booths,measured,published,simulated" }
	FILENAME == "-" { split($0, f, " "); sim[f[1], f[2]] = f[3]; next }
	FNR > 1 && $1 == "holdout" && $7 > 0 && (($2, $3) in sim) {
		printf "%s,%d,%d,%d,%d,%d,%.2f\n", $2, $3, $4, $6, $7, $8, sim[$2, $3]
	}' - data/ord_t5_days.csv <"$work/hold" >"$vdays"
	awk -F, 'NR > 1 {
		d = $7 - $6; ae += $5 * (d < 0 ? -d : d); bi += $5 * d; p += $5
		dw[$1] += $5 * $6; ds[$1] += $5 * $7; dn[$1] += $5
	}
	END {
		for (k in dn) { d = (ds[k] - dw[k]) / dn[k]; dae += d < 0 ? -d : d; dbi += d; nd++ }
		printf "held-out days (%d): hours mae %.2f min, bias %+.2f min; day means mae %.2f min, bias %+.2f min\n",
		       nd, ae / p, bi / p, dae / nd, dbi / nd
	}' "$vdays"
}

# chart: docs/airport-ord-t5.svg, published and simulated mean wait by hour,
# one panel a set, from data/ord_t5_validation.csv.
chart() {
	awk -F, '
	function x(h) { return px + 40 + h * 11 }
	function y(v) { return py + 190 - v * 5 }
	NR == 1 { next }
	{ pub[$1, $2 + 0] = $5; sim[$1, $2 + 0] = $6; pax[$1, $2 + 0] = $3 }
	END {
		split("2016 2017 2018 holdout", sets, " ")
		print "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"660\" height=\"520\" font-family=\"sans-serif\" font-size=\"11\">"
		print "<rect width=\"660\" height=\"520\" fill=\"white\"/>"
		print "<text x=\"330\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">O&apos;Hare Terminal 5: mean wait by hour of the mean day, published (black) and simulated (blue)</text>"
		for (i = 1; i <= 4; i++) {
			s = sets[i]; px = (i - 1) % 2 * 330; py = 30 + int((i - 1) / 2) * 245
			print "<text x=\"" px + 170 "\" y=\"" py + 10 "\" text-anchor=\"middle\" font-size=\"12\">" \
			      (s == "holdout" ? "held-out days (prediction)" : s " (calibration)") "</text>"
			for (v = 0; v <= 35; v += 5) {
				print "<line x1=\"" x(0) "\" x2=\"" x(23) "\" y1=\"" y(v) "\" y2=\"" y(v) "\" stroke=\"#ddd\"/>"
				print "<text x=\"" x(0) - 4 "\" y=\"" y(v) + 4 "\" text-anchor=\"end\">" v "</text>"
			}
			for (h = 0; h < 24; h += 6)
				print "<text x=\"" x(h) "\" y=\"" y(0) + 14 "\" text-anchor=\"middle\">" h "h</text>"
			print "<text x=\"" px + 12 "\" y=\"" y(17.5) "\" transform=\"rotate(-90 " px + 12 " " y(17.5) ")\" text-anchor=\"middle\">min</text>"
			for (k = 1; k <= 2; k++) {
				line = ""
				for (h = 0; h < 24; h++) {
					v = k == 1 ? pub[s, h] : sim[s, h]
					if (v != "") line = line sprintf("%.1f,%.1f ", x(h), y(v))
				}
				printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", k == 1 ? "black" : "#1f5fbf", line
			}
		}
		print "</svg>"
	}' "$valid" >docs/airport-ord-t5.svg
	echo "docs/airport-ord-t5.svg"
}

case ${1:-all} in
grid) grid ;;
validate) validate ;;
chart) chart ;;
all) grid; validate; chart ;;
*) echo "usage: $0 [grid|validate|chart|all]" >&2; exit 64 ;;
esac
