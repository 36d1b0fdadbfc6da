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
	      "rail_containers_per_day,booths_pov,booths_truck,groups"
	for (c in name) {
		s = slug(name[c])
		if (names[name[c]] > 1) s = s "_" postal(state[c])
		pov = sum[c, "Personal Vehicles"]
		occ = sum[c, "Personal Vehicle Passengers"]
		printf "%s,%s,%04d,land,%s,%s,%02d,%.2f,%s,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%s,%s,\"land, %s_border, %s, district_%02d\"\n",
		       s, name[c], c, region[c], state[c], int(c / 100), pov / 365,
		       (pov > 0 ? sprintf("%.4f", occ / pov) : ""),
		       sum[c, "Pedestrians"] / 365, sum[c, "Buses"] / 365,
		       sum[c, "Bus Passengers"] / 365, sum[c, "Trucks"] / 365,
		       (sum[c, "Truck Containers Full"] + sum[c, "Truck Containers Empty"]) / 365,
		       sum[c, "Trains"] / 365, sum[c, "Train Passengers"] / 365,
		       (sum[c, "Rail Containers Full"] + sum[c, "Rail Containers Empty"]) / 365,
		       bpov[c], btruck[c], region[c], slug(state[c]), int(c / 100)
	}
}' "$raw" | { IFS= read -r head; echo "$head"; sort -t, -k1,1; } >"$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "$out: $(($(wc -l <"$out") - 1)) ports"

# ---------------------------------------------------------------- catalogs of
# the other kinds of port, for their templates (templates/*.ini): the files
# above and these are the scenarios' catalogs. Each row gets `groups`, the
# port groups it is in (mode, region, state, ...), for surges, closures,
# staffing and the port_group rows of the outputs.

# csv(line): the fields of one CSV line into f[1..n] (quoted fields, "" in them).
csvawk='
function csv(line,    n, c, q, i, ch, cur) {
	n = 0; cur = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		ch = substr(line, i, 1)
		if (q) {
			if (ch == "\"" && substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ }
			else if (ch == "\"") q = 0
			else cur = cur ch
		} else if (ch == "\"") q = 1
		else if (ch == ",") { f[++n] = cur; cur = "" }
		else cur = cur ch
	}
	f[++n] = cur
	return n
}
function slug(s) {
	s = tolower(s)
	gsub(/[^a-z0-9]+/, "_", s)
	sub(/^_/, "", s); sub(/_$/, "", s)
	return s
}
function states(s,    n, a, i, out) {
	n = split(s, a, ";")
	out = ""
	for (i = 1; i <= n; i++) if (a[i] != "") out = out ", " slug(a[i])
	return out
}'

catalog() {   # catalog OUT AWK-PROGRAM INPUT
	tmp=$1.tmp.$$
	trap 'rm -f "$tmp"' EXIT
	awk "$csvawk
$2" "$3" >"$tmp"
	mv "$tmp" "$1"
	trap - EXIT
	echo "$1: $(($(wc -l <"$1") - 1)) ports"
}

# Airports: inbound international passengers a year; booths where known.
catalog data/catalog_air.csv '
/^#/ { next }
!head { head = 1; print "port,name,code,state,intl_arrivals_per_year,booths,groups"; next }
{
	n = csv($0)
	g = "air" (f[5] != "" ? ", " f[5] : "") states(f[6])
	printf "%s,\"%s\",%s,%s,%s,%s,\"%s\"\n", f[1], f[2], f[3], f[6], f[7], f[n], g
}' data/ports_air.csv

# Seaports: cruise passenger movements and import TEU a year.
catalog data/catalog_sea.csv '
/^#/ { next }
!head { head = 1; print "port,name,state,cruise_passengers_per_year,import_teu_per_year,groups"; next }
{
	csv($0)
	if (f[1] == "ketchikan")   # a land port of that name too
		f[1] = "ketchikan_seaport"
	g = "sea" (f[4] != "" ? ", " f[4] : "") states(f[5])
	printf "%s,\"%s\",\"%s\",%s,%s,\"%s\"\n", f[1], f[2], f[5], f[6] == "" ? 0 : f[6],
	       f[8] == "" ? 0 : f[8], g
}' data/ports_sea.csv

# Border Patrol sectors: the nine southwest ones, and the northern and coastal
# ones as one row of the FY2023 figures found (Swanton's alone; the others
# were not found: see bp_sectors.csv). Named bp_SECTOR: sector names repeat
# port names (Laredo, El Paso, San Diego, Miami).
catalog data/catalog_bp.csv '
/^#/ { next }
!head { head = 1; next }
{
	csv($0)
	if (f[3] == "southwest") {
		n++; port[n] = "bp_" f[1]; name[n] = f[2]; st[n] = f[4]; a[n] = f[5]
		g[n] = "border_patrol, southwest, " f[1] states(f[4])
		total += f[5]
	} else if (f[5] != "") {
		other += f[5]
	}
}
END {
	n++; port[n] = "bp_northern_coastal"; name[n] = "Northern and coastal sectors"
	a[n] = other; g[n] = "border_patrol, northern_coastal"
	total += other
	# rated places for people awaiting processing (2,000) and in custody
	# (12,000) in the country (*assumption*, release 1), shared by apprehensions
	print "port,name,states,apprehensions_per_year,processing_rated,custody_rated,groups"
	for (i = 1; i <= n; i++)
		printf "%s,\"%s\",\"%s\",%d,%d,%d,\"%s\"\n", port[i], name[i], st[i], a[i],
		       int(2000 * a[i] / total + 0.5), int(12000 * a[i] / total + 0.5), g[i]
}' data/bp_sectors.csv

# Highway checkpoints with a public traffic figure.
catalog data/catalog_checkpoints.csv '
/^#/ { next }
!head { head = 1; print "port,name,sector,highway,state,vehicles_per_day,groups"; next }
{
	csv($0)
	if (f[6] == "") next
	printf "chk_%s,\"%s\",%s,%s,%s,%s,\"checkpoint, bp_%s%s\"\n", f[1], f[2], f[3], f[4], f[5],
	       f[6], f[3], states(f[5])
}' data/checkpoints.csv
