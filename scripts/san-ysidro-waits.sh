#!/bin/sh
# san-ysidro-waits.sh: San Ysidro's general lane calibrated on the agency's
# published waits, and its Ready Lane and SENTRI waits as they come out of
# the model (docs/ports.md, "San Ysidro against its published waits").
#
#   scripts/san-ysidro-waits.sh [BORDERSIM]     (from the repository root)
#
# 1. Published: the historical average wait of an average weekday (days 1-5
#    of data/raw/bwt-san-ysidro-historical.csv, all months; day 0 is Sunday,
#    the week's longest) by clock hour, general lane, Ready Lane and SENTRI.
# 2. San Ysidro alone, as in the national baseline (templates/land.ini, its
#    2018 figures times the national factor) under the square-root rule
#    (servers = auto): each lane's arrivals by hour, and its waits.
# 3. Calibration of the general lane only, by fluid inversion of its published
#    waits: first come, first served, a car that joins at t leaves at
#    t + W(t), so the cars served by time s are the cars arrived by the t with
#    t + W(t) = s; the booths an hour are those departures over what a booth
#    serves in an hour (3600 s / 34 s), rounded to whole booths carrying the
#    remainder to the next hour. W(t) is the published wait of t's clock hour,
#    read at the hour's middle, linear between.
# 4. The Ready and SENTRI lanes are not fitted: each gets, every hour, the
#    general lane's booths per erlang of offered load (its arrivals times its
#    mean service, 27 s and 10 s), the nearest whole number, at least one.
# 5. scenarios/san_ysidro.ini (written): San Ysidro alone with those booths;
#    its run gives the simulated waits, the mean over 8 replications of 5
#    days after 2 of warm-up of each lane's mean wait in each clock hour (of
#    the cars whose service started in it), weighted by services.
#
# Writes scenarios/san_ysidro.ini and data/san_ysidro_waits.csv, and prints
# the day's mean waits and the ratios Ready/general and SENTRI/general,
# published and simulated (with the 95% interval over replications).
set -eu
BIN=${1:-./bordersim}
RAW=data/raw/bwt-san-ysidro-historical.csv
W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-sy.XXXXXX")
SCN=scenarios/san_ysidro.ini
CSV=data/san_ysidro_waits.csv
# both are written beside their place and moved there at the end: a failure
# leaves the shipped files as they were
trap 'rm -rf "$W" "$SCN.new" "$CSV.new"' EXIT
LANES="general ready sentri"

awk -F, 'NR > 1 && $2 >= 1 && $2 <= 5 { g[$3] += $6; r[$3] += $8; s[$3] += $7; n[$3]++ }
	END { for (h = 0; h < 24; h++) printf "%d %.2f %.2f %.2f\n", h, g[h] / n[h], r[h] / n[h], s[h] / n[h] }' \
	"$RAW" >"$W/published"

# San Ysidro alone: the baseline's [ports.land] template and factors, the
# catalog's row written as its [port.san_ysidro]. $1: the template's path
# from the scenario's folder; $2: the servers sections.
scenario() {
	echo "; San Ysidro alone (2504), its general lane calibrated on the agency's published"
	echo "; weekday waits. Written by scripts/san-ysidro-waits.sh: do not edit; the method"
	echo "; and the comparison are in docs/ports.md."
	echo "[scenario]"
	echo "name = san_ysidro"
	echo "days = 5"
	echo "warmup_days = 2"
	echo "replications = 8"
	echo "seed = 11"
	echo
	echo "[ports.land]"
	echo "template = $1"
	sed -n '/^\[ports.land\]/,/^$/p' scenarios/baseline.ini | sed -n '/^scale/,/^$/p' | sed '/^$/d'
	echo
	echo "[port.san_ysidro]"
	echo "kind = land"
	head -1 data/ports_land.csv | tr ',' '\n' >"$W/cols"
	grep '^san_ysidro,' data/ports_land.csv | awk -F, -v cols="$W/cols" '{
		for (i = 1; (getline c < cols) > 0; i++)
			if (i >= 8 && i <= 19) printf "%s = %s\n", c, $i
	}'
	printf '%s' "$2"
}

# Mean wait by clock hour of each lane in a run's hourly.csv ($1), weighted
# by services: "h general ready sentri".
waits() {
	awk -F, 'NR > 1 && $5 ~ /^san_ysidro\/(general|ready|sentri)$/ && $11 != "" {
		split($5, a, "/"); w[$4, a[2]] += $11 * $7; n[$4, a[2]] += $7 }
		END { for (h = 0; h < 24; h++)
			printf "%d %.2f %.2f %.2f\n", h, w[h, "general"] / n[h, "general"],
			       w[h, "ready"] / n[h, "ready"], w[h, "sentri"] / n[h, "sentri"] }' "$1"
}

# 2. The square-root rule; each lane's arrivals an hour.
scenario "$PWD/templates/land.ini" "" >"$W/sqrt.ini"
"$BIN" run "$W/sqrt.ini" -q -j 2 -o "$W/sqrt"
waits "$W/sqrt/hourly.csv" >"$W/sqrt_waits"
for l in $LANES; do
	awk -F, -v L="san_ysidro/$l" 'NR > 1 && $5 == L { a[$4] += $6; n[$4]++ }
		END { for (h = 0; h < 24; h++) printf "%d %.6f\n", h, a[h] / n[h] }' \
		"$W/sqrt/hourly.csv" >"$W/lam_$l"
done

# 3. Fluid inversion: "h booths(real) booths(whole)".
awk '{ print $1, $2 }' "$W/published" >"$W/w_general"
awk -v svc=34 '
function A(t,   d, h) {          # arrivals by t (hours from midnight), periodic
	d = 0
	while (t < 0) { t += 24; d -= tot }
	while (t >= 24) { t -= 24; d += tot }
	h = int(t)
	return d + cum[h] + (t - h) * lam[h]
}
function W(t,   x, h, f) {       # the published wait at t, hours
	x = t - 0.5
	while (x < 0) x += 24
	while (x >= 24) x -= 24
	h = int(x); f = x - h
	return (w[h] * (1 - f) + w[(h + 1) % 24] * f) / 60
}
function D(s,   lo, hi, mid, i) { # served by s: arrived by the t with t + W(t) = s
	lo = s - 3; hi = s
	for (i = 0; i < 60; i++) {
		mid = (lo + hi) / 2
		if (mid + W(mid) < s) lo = mid; else hi = mid
	}
	return A(lo)
}
FILENAME == ARGV[1] { lam[$1] = $2; next }
{ w[$1] = $2 }
END {
	for (h = 0; h < 24; h++) { cum[h] = tot; tot += lam[h] }
	carry = 0
	for (s = 0; s < 24; s++) {
		c = (D(s + 1) - D(s)) / (3600 / svc)
		n = int(c + carry + 0.5); carry += c - n
		printf "%d %.6f %d\n", s, c, n
	}
}' "$W/lam_general" "$W/w_general" >"$W/booths_general"

# 4. Ready and SENTRI: the general lane's booths per erlang.
share() {
	awk -v svc="$2" 'FILENAME == ARGV[1] { c[$1] = $2; next }
		FILENAME == ARGV[2] { g[$1] = $2; next }
		{ x = c[$1] * ($2 * svc) / (g[$1] * 34); n = int(x + 0.5); print $1, x, (n < 1 ? 1 : n) }' \
		"$W/booths_general" "$W/lam_general" "$W/lam_$1" >"$W/booths_$1"
}
share ready 27
share sentri 10

# 5. The calibrated scenario and its run.
servers() {
	printf '\n[stage.san_ysidro/%s]\n; %s\nservers =' "$1" "$2"
	awk '{ printf " %d", $3 }' "$W/booths_$1"
	echo
}
scenario ../templates/land.ini "$(servers general "booths by fluid inversion of the published general-lane waits"
	servers ready "the general lane's booths per erlang, nearest whole number, at least 1"
	servers sentri "the general lane's booths per erlang, nearest whole number, at least 1")
" >"$SCN.new"
"$BIN" run "$SCN.new" -q -j 2 -o "$W/cal"
waits "$W/cal/hourly.csv" >"$W/cal_waits"

{
	echo "hour,published_general,published_ready,published_sentri,simulated_general,simulated_ready,simulated_sentri,booths_general,booths_ready,booths_sentri,sqrt_rule_general,sqrt_rule_ready,sqrt_rule_sentri"
	paste -d ' ' "$W/published" "$W/cal_waits" "$W/booths_general" "$W/booths_ready" \
		"$W/booths_sentri" "$W/sqrt_waits" |
		awk '{ printf "%d,%s,%s,%s,%s,%s,%s,%d,%d,%d,%s,%s,%s\n", $1, $2, $3, $4, $6, $7, $8,
		       $11, $14, $17, $19, $20, $21 }'
} >"$CSV.new"

# The day's mean waits; the simulated ratios with their interval over the
# replications (each replication's ratio of its hours' mean waits).
awk -F, 'NR > 1 && $5 ~ /^san_ysidro\/(general|ready|sentri)$/ && $11 != "" {
	split($5, a, "/"); w[$2, $4, a[2]] += $11 * $7; n[$2, $4, a[2]] += $7; R[$2] = 1 }
	END {
		for (r in R) {
			for (h = 0; h < 24; h++)
				for (k = 1; k <= 3; k++) {
					l = k == 1 ? "general" : k == 2 ? "ready" : "sentri"
					m[r, k] += w[r, h, l] / n[r, h, l] / 24
				}
			for (k = 2; k <= 3; k++) { x = m[r, k] / m[r, 1]; s[k] += x; q[k] += x * x }
			nr++
		}
		for (k = 2; k <= 3; k++) {
			mean = s[k] / nr; sd = sqrt((q[k] - nr * mean * mean) / (nr - 1))
			printf "%s %.3f %.3f\n", k == 2 ? "ready" : "sentri", mean, 2.365 * sd / sqrt(nr)
		}
	}' "$W/cal/hourly.csv" >"$W/ratio_ci"
awk -F, 'NR > 1 { for (k = 2; k <= 13; k++) m[k] += $k / 24; d = $5 - $2; e += d * d / 24 }
	END {
		printf "mean wait over the day (min): published general %.1f, Ready %.1f, SENTRI %.1f;", m[2], m[3], m[4]
		printf " simulated %.1f, %.1f, %.1f (square-root rule: %.2f, %.2f, %.2f)\n", m[5], m[6], m[7], m[11], m[12], m[13]
		printf "general lane by hour: root-mean-square difference %.1f min (calibrated on it)\n", sqrt(e)
		printf "Ready/general: published %.2f, simulated %.2f; SENTRI/general: published %.2f, simulated %.2f\n",
		       m[3] / m[2], m[6] / m[5], m[4] / m[2], m[7] / m[5]
	}' "$CSV.new"
awk '{ printf "%s/general by replication: %.2f +- %.2f (95%%, 8 replications)\n", $1, $2, $3 }' "$W/ratio_ci"
mv "$SCN.new" "$SCN"
mv "$CSV.new" "$CSV"
