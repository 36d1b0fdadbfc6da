#!/bin/sh
# san-ysidro-waits.sh: San Ysidro's simulated waits by hour against the
# agency's published ones (docs/ports.md), three lanes.
#
#   scripts/san-ysidro-waits.sh [BORDERSIM]     (from the repository root)
#
# The published figure is the historical average wait of an average weekday
# (days 1-5 of data/raw/bwt-san-ysidro-historical.csv, all months; day 0 is
# Sunday: its waits are the week's longest, as northbound Sunday traffic is),
# by clock hour, for the general lane, the Ready Lane and SENTRI. The model
# is San Ysidro as in the national baseline (templates/land.ini, its 2018
# figures times the national factor, servers = auto), alone, for 20 days after
# 3 of warm-up, 2 replications: the mean wait at each lane in each clock hour
# (of those whose service started in it), weighted by the services.
#
# Writes data/san_ysidro_waits.csv (hour, published and simulated waits of the
# three lanes, minutes) and prints the ratios Ready/general and
# SENTRI/general of the day's means, published and simulated.
set -eu
BIN=${1:-./bordersim}
RAW=data/raw/bwt-san-ysidro-historical.csv
W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-sy.XXXXXX")
trap 'rm -rf "$W"' EXIT

awk -F, 'NR > 1 && $2 >= 1 && $2 <= 5 { g[$3] += $6; r[$3] += $8; s[$3] += $7; n[$3]++ }
	END { for (h = 0; h < 24; h++) printf "%d %.2f %.2f %.2f\n", h, g[h] / n[h], r[h] / n[h], s[h] / n[h] }' \
	"$RAW" >"$W/published"

# San Ysidro alone: the baseline's [ports.land] (its template and factors)
# with the catalog's one row written as its [port.san_ysidro].
row=$(grep '^san_ysidro,' data/ports_land.csv)
{
	echo "[scenario]"
	echo "name = san_ysidro"
	echo "days = 20"
	echo "warmup_days = 3"
	echo "replications = 2"
	echo "seed = 11"
	echo "[ports.land]"
	echo "template = $PWD/templates/land.ini"
	sed -n '/^\[ports.land\]/,/^$/p' scenarios/baseline.ini | grep -A1 '^scale'
	echo "[port.san_ysidro]"
	echo "kind = land"
	head -1 data/ports_land.csv | tr ',' '\n' >"$W/cols"
	echo "$row" | awk -F, -v cols="$W/cols" '{
		for (i = 1; (getline c < cols) > 0; i++)
			if (i >= 8 && i <= 19) printf "%s = %s\n", c, $i
	}'
} >"$W/s.ini"
"$BIN" run "$W/s.ini" -q -j 2 -o "$W/out"

awk -F, 'NR > 1 && $5 ~ /^san_ysidro\/(general|ready|sentri)$/ && $11 != "" {
	split($5, a, "/"); w[$4, a[2]] += $11 * $7; n[$4, a[2]] += $7 }
	END { for (h = 0; h < 24; h++)
		printf "%d %.2f %.2f %.2f\n", h, w[h, "general"] / n[h, "general"],
		       w[h, "ready"] / n[h, "ready"], w[h, "sentri"] / n[h, "sentri"] }' \
	"$W/out/hourly.csv" >"$W/sim"

{
	echo "hour,published_general,published_ready,published_sentri,simulated_general,simulated_ready,simulated_sentri"
	paste -d ' ' "$W/published" "$W/sim" |
		awk '{ printf "%d,%s,%s,%s,%s,%s,%s\n", $1, $2, $3, $4, $6, $7, $8 }'
} >data/san_ysidro_waits.csv

awk -F, 'NR > 1 { for (k = 2; k <= 7; k++) m[k] += $k / 24 }
	END {
		printf "mean wait over the day (min): published general %.1f, Ready %.1f, SENTRI %.1f; simulated %.2f, %.2f, %.2f\n",
		       m[2], m[3], m[4], m[5], m[6], m[7]
		printf "Ready/general: published %.2f, simulated %.2f; SENTRI/general: published %.2f, simulated %.2f\n",
		       m[3] / m[2], m[6] / m[5], m[4] / m[2], m[7] / m[5]
	}' data/san_ysidro_waits.csv
