#!/bin/sh
# calibrate-san-ysidro.sh: San Ysidro's general-lane officers, hour by hour,
# calibrated on the agency's published general-lane waits (docs/ports.md).
#
#   scripts/calibrate-san-ysidro.sh [BORDERSIM]     (from the repository root)
#
# The published figure is the historical average wait of an average weekday
# (days 1-5 of data/raw/bwt-san-ysidro-historical.csv, all months; 0 is
# Sunday), by clock hour. The model is San Ysidro alone, as in the baseline
# (templates/land.ini, its 2018 figures times the national factor), run for
# 20 days after 3 of warm-up so that queues that last past midnight settle.
# For each clock hour in turn, three times round the day, the general lane's
# servers are the whole number (within 4 of the last) that makes the sum of
# squared differences between simulated and published mean waits over the
# 24 hours smallest (an hour's queue carries into the next). The Ready and SENTRI
# lanes are not fitted: each gets, every hour, the general lane's servers per
# erlang of offered load (the same staffing level), so that their waits, and
# the ratios to the general lane's, come out of the model.
#
# Prints the 24 servers of each lane as scenario lines, and writes
# data/san_ysidro_waits.csv: hour, published and simulated waits of the three
# lanes (minutes). scenarios/baseline.ini holds the lines it printed.
set -eu
BIN=${1:-./bordersim}
RAW=data/raw/bwt-san-ysidro-historical.csv
W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-sy.XXXXXX")
trap 'rm -rf "$W"' EXIT

# The published waits of an average weekday: general, Ready Lane, SENTRI.
awk -F, 'NR > 1 && $2 >= 1 && $2 <= 5 { g[$3] += $6; r[$3] += $8; s[$3] += $7; n[$3]++ }
	END { for (h = 0; h < 24; h++) printf "%d %.2f %.2f %.2f\n", h, g[h] / n[h], r[h] / n[h], s[h] / n[h] }' \
	"$RAW" >"$W/published"

# San Ysidro's row of the catalog, and the factor and profile of the baseline.
row=$(grep '^san_ysidro,' data/ports_land.csv)
f=$(awk -F'[:,]' '/^scale/ { print $2; exit }' scenarios/baseline.ini)
profile=$(awk '/^\[stream.\{port\}\/pov\]/ { in_pov = 1 } in_pov && /^profile/ { sub(/^profile = /, ""); print; exit }' templates/land.ini)

# Offered load of each lane by hour, in erlangs: vehicles a day x factor x
# lane share x the hour's weight / 60 x mean service (34 s, 27 s, 10 s).
echo "$row" | awk -F, -v f="$f" -v prof="$profile" '{
	n = split(prof, w, " "); tot = 0
	for (h = 1; h <= n; h++) tot += w[h]
	for (h = 1; h <= n; h++) {
		v = $8 * f * w[h] / tot
		printf "%d %.6f %.6f %.6f\n", h - 1, v * 0.62 * 34 / 3600, v * 0.24 * 27 / 3600, v * 0.14 * 10 / 3600
	}
}' >"$W/load"

# scenario SERVERS_GENERAL...: San Ysidro alone with these general servers;
# the other lanes at the same servers per erlang.
scenario() {
	{
		echo "[scenario]"
		echo "days = 20"
		echo "warmup_days = 3"
		echo "replications = 1"
		echo "seed = 11"
		echo "[ports.land]"
		echo "template = $PWD/templates/land.ini"
		sed -n '/^\[ports.land\]/,/^$/p' scenarios/baseline.ini | grep -A1 '^scale'
		echo "[port.san_ysidro]"
		echo "kind = land"
		echo "$row" | awk -F, 'NR == 1 {
			split("port,name,code,mode,region,state,district,pov_per_day,pov_persons,pedestrians_per_day,buses_per_day,bus_passengers_per_day,trucks_per_day,truck_containers_per_day,trains_per_day,train_passengers_per_day,rail_containers_per_day,booths_pov,booths_truck", k, ",")
			for (i = 8; i <= 19; i++) printf "%s = %s\n", k[i], $i
		}'
		echo "[stage.san_ysidro/general]"
		echo "servers = $*"
		lanes "$@"
	}
}

# The Ready and SENTRI lanes' servers for general servers $@.
lanes() {
	echo "$@" | awk -v loadf="$W/load" '{
		while ((getline l < loadf) > 0) { split(l, a, " "); g[a[1]] = a[2]; r[a[1]] = a[3]; s[a[1]] = a[4] }
		ready = ""; sentri = ""
		for (h = 0; h < 24; h++) {
			per = $(h + 1) / g[h]
			cr = int(r[h] * per + 0.5); if (cr < 1) cr = 1
			cs = int(s[h] * per + 0.5); if (cs < 1) cs = 1
			ready = ready (h ? " " : "") cr; sentri = sentri (h ? " " : "") cs
		}
		print "[stage.san_ysidro/ready]"; print "servers = " ready
		print "[stage.san_ysidro/sentri]"; print "servers = " sentri
	}'
}

# waits SERVERS...: the simulated mean wait of each lane by clock hour,
# "hour general ready sentri", means over the reported days.
waits() {
	scenario "$@" >"$W/s.ini"
	rm -rf "$W/out"
	"$BIN" run "$W/s.ini" -q -o "$W/out" >/dev/null
	awk -F, 'NR > 1 && $5 ~ /^san_ysidro\/(general|ready|sentri)$/ && $11 != "" {
		split($5, a, "/"); k = a[2]; w[$4, k] += $11 * $7; n[$4, k] += $7 }
		END { for (h = 0; h < 24; h++)
			printf "%d %.2f %.2f %.2f\n", h, n[h, "general"] ? w[h, "general"] / n[h, "general"] : 0,
			       n[h, "ready"] ? w[h, "ready"] / n[h, "ready"] : 0,
			       n[h, "sentri"] ? w[h, "sentri"] / n[h, "sentri"] : 0 }' "$W/out/hourly.csv"
}

# Start from the load plus its square root; then hour by hour, three times
# round, the servers of the hour that make the squared errors of all 24
# hours' general waits smallest (an hour's queue carries into the next ones).
set -- $(awk '{ printf "%d ", int($2 + sqrt($2)) + 1 }' "$W/load")
for pass in 1 2 3; do
	for h in $(seq 0 23); do
		best=""; bestd=""
		cur=$(echo "$@" | awk -v h="$h" '{ print $(h + 1) }')
		lo=$((cur > 4 ? cur - 4 : 1))
		for c in $(seq "$lo" $((cur + 4))); do
			try=$(echo "$@" | awk -v h="$h" -v c="$c" '{ $(h + 1) = c; print }')
			waits $try >"$W/try"
			d=$(paste -d ' ' "$W/published" "$W/try" | awk '{ e = $6 - $2; sum += e * e } END { print sum }')
			if [ -z "$bestd" ] || awk -v a="$d" -v b="$bestd" 'BEGIN { exit !(a < b) }'; then
				best=$c; bestd=$d
			fi
		done
		set -- $(echo "$@" | awk -v h="$h" -v c="$best" '{ $(h + 1) = c; print }')
		echo "pass $pass hour $h: $best servers; squared error over the day $bestd" >&2
	done
done

echo "[stage.san_ysidro/general]"
echo "servers = $*"
lanes "$@"
waits "$@" >"$W/sim"
{
	echo "hour,published_general,published_ready,published_sentri,simulated_general,simulated_ready,simulated_sentri"
	paste -d ' ' "$W/published" "$W/sim" | awk '{ printf "%d,%s,%s,%s,%s,%s,%s\n", $1, $2, $3, $4, $6, $7, $8 }'
} >data/san_ysidro_waits.csv
