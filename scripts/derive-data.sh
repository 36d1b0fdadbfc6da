#!/bin/sh
# Derives the project's port catalog from the public raw files in data/raw/.
#
#   scripts/derive-data.sh            (from the repository root)
#
# Writes data/ports_land.csv: one row a land port of the BTS Border Crossing
# Entry Data for calendar 2018 (data/raw/bts-border-crossing-entry-2018.csv),
# each measure summed over the twelve months and divided by 365 days (a month
# missing from the file counts as no traffic). Booth counts, where a public
# figure is known, come from data/land_booths.csv (each row names its source).
# The slug is the port's name in lower case, runs of other characters as one
# '_'; a name that two ports share (Eastport, Idaho and Maine) takes the
# state's postal code as a suffix. Rows are sorted by slug; the output is the
# same bytes for the same inputs (LC_ALL=C). Plain POSIX sh and awk: no
# dependency beyond what a Debian system has.
set -eu
export LC_ALL=C
cd "$(dirname "$0")/.."
raw=data/raw/bts-border-crossing-entry-2018.csv
booths=data/land_booths.csv
out=data/ports_land.csv
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT

awk -F, -v booths="$booths" '
function slug(s) {
	s = tolower(s)
	gsub(/[^a-z0-9]+/, "_", s)
	sub(/^_/, "", s); sub(/_$/, "", s)
	return s
}
function postal(st) { return st in post ? post[st] : tolower(substr(st, 1, 2)) }
BEGIN {
	split("Alaska ak Arizona az California ca Idaho id Maine me Michigan mi Minnesota mn " \
	      "Montana mt New_Mexico nm New_York ny North_Dakota nd Texas tx Vermont vt " \
	      "Washington wa", a, " ")
	for (i = 1; i < 28; i += 2) { st = a[i]; gsub(/_/, " ", st); post[st] = a[i + 1] }
	while ((getline line < booths) > 0) {
		if (line ~ /^#/ || line ~ /^code,/) continue
		split(line, b, ",")
		bpov[b[1]] = b[2]; btruck[b[1]] = b[3]
	}
}
NR == 1 { next }
{
	code = $3 + 0
	name[code] = $1; state[code] = $2
	region[code] = $4 == "US-Canada Border" ? "canada" : "mexico"
	sum[code, $6] += $7
}
END {
	for (c in name) names[name[c]] = names[name[c]] + 1
	print "port,name,code,mode,region,state,district,pov_per_day,pov_persons," \
	      "pedestrians_per_day,buses_per_day,bus_passengers_per_day,trucks_per_day," \
	      "truck_containers_per_day,trains_per_day,train_passengers_per_day," \
	      "rail_containers_per_day,booths_pov,booths_truck"
	for (c in name) {
		s = slug(name[c])
		if (names[name[c]] > 1) s = s "_" postal(state[c])
		pov = sum[c, "Personal Vehicles"]
		occ = sum[c, "Personal Vehicle Passengers"]
		printf "%s,%s,%04d,land,%s,%s,%02d,%.2f,%s,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%s,%s\n",
		       s, name[c], c, region[c], state[c], int(c / 100), pov / 365,
		       (pov > 0 ? sprintf("%.4f", occ / pov) : ""),
		       sum[c, "Pedestrians"] / 365, sum[c, "Buses"] / 365,
		       sum[c, "Bus Passengers"] / 365, sum[c, "Trucks"] / 365,
		       (sum[c, "Truck Containers Full"] + sum[c, "Truck Containers Empty"]) / 365,
		       sum[c, "Trains"] / 365, sum[c, "Train Passengers"] / 365,
		       (sum[c, "Rail Containers Full"] + sum[c, "Rail Containers Empty"]) / 365,
		       bpov[c], btruck[c]
	}
}' "$raw" | { IFS= read -r head; echo "$head"; sort -t, -k1,1; } >"$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "$out: $(($(wc -l <"$out") - 1)) ports"
