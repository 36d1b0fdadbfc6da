#!/usr/bin/env bash
# e2e_ports: the national baseline as the sum of its ports (docs/ports.md).
#
#   tests/e2e_ports.sh ./bordersim        (from the repository root)
#
# The catalogs derive again from the public files byte for byte, San
# Ysidro's calibration too; every land
# port's simulated vehicles, pedestrians and trucks are its BTS 2018 daily
# mean times the national factor, within sampling error; a port's figure set
# on the command line changes that port and, bit for bit, no other; ports
# and port groups in surges and closures. Prints "ok N - ..." lines.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-e2e-ports.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
BASE=scenarios/baseline.ini
SHORT="--set scenario.warmup_days=0.25 --set scenario.days=0.5"

# ---- the catalogs are what the script derives --------------------------------

mkdir -p "$W/tree/data" && cp -r scripts "$W/tree/" && cp -r data/raw data/*.csv "$W/tree/data/"
if (cd "$W/tree" && sh scripts/derive-data.sh >/dev/null 2>&1) &&
	for f in data/ports_land.csv data/catalog_*.csv; do cmp -s "$f" "$W/tree/$f" || exit 1; done; then
	ok "scripts/derive-data.sh writes every catalog of data/ again, byte for byte"
else
	not_ok "scripts/derive-data.sh writes every catalog of data/ again, byte for byte"
fi

# ---- San Ysidro's calibration is what the script writes -----------------------

# scripts/san-ysidro-waits.sh (docs/ports.md) calibrates the general lane on
# the published waits and writes scenarios/san_ysidro.ini and
# data/san_ysidro_waits.csv; run again, it writes the same bytes, so the
# shipped scenario and the docs' table are those of today's model.
mkdir -p "$W/sy/scenarios" && cp -r scripts templates "$W/sy/" && cp -r data "$W/sy/" &&
	cp "$BASE" "$W/sy/scenarios/"
if (cd "$W/sy" && sh scripts/san-ysidro-waits.sh "$BIN" >"$W/sy.out" 2>&1) &&
	cmp -s scenarios/san_ysidro.ini "$W/sy/scenarios/san_ysidro.ini" &&
	cmp -s data/san_ysidro_waits.csv "$W/sy/data/san_ysidro_waits.csv" &&
	grep -q "Ready/general: published 0.76" "$W/sy.out"; then
	ok "scripts/san-ysidro-waits.sh writes scenarios/san_ysidro.ini and data/san_ysidro_waits.csv again, byte for byte"
else
	not_ok "scripts/san-ysidro-waits.sh writes scenarios/san_ysidro.ini and data/san_ysidro_waits.csv again, byte for byte"
	sed 's/^/# /' "$W/sy.out" | head -5
fi

# ---- every land port's volumes -------------------------------------------------

# 4 replications of a day after a quarter day's warm-up: each port's
# vehicles, pedestrians and trucks processed against the catalog's daily mean
# times the factor of [ports.land] (trucks: 1). A count of a day is Poisson
# (arrivals) less what is still inside at the end: the mean of R days is
# within 4.5 standard errors sqrt(mean / R), plus the backlog at the end, of
# its expectation for every one of the 342 port-measures but once in 10,000.
bs run "$BASE" -q -r 4 -j 2 --set scenario.warmup_days=0.25 -o "$W/day"
f=$(awk -F'[:,]' '/^scale/ { print $2; exit }' "$BASE")
if [ $status -eq 0 ] && awk -F, -v f="$f" -v R=4 '
	FNR == 1 { file++ }
	file == 1 && FNR > 1 { pov[$1] = $8 * f; ped[$1] = $10 * f; trk[$1] = $13; land[$1] = 1 }
	file == 2 && $2 == "port" { v[$3, $4] = $6 }
	END {
		bad = 0
		for (p in land) {
			n = split("vehicles_processed pedestrians_processed trucks_processed", m, " ")
			want[1] = pov[p]; want[2] = ped[p]; want[3] = trk[p]
			for (k = 1; k <= n; k++) {
				if (want[k] == 0) {
					if ((p, m[k]) in v) { print p, m[k], "present for a port without"; bad++ }
					continue
				}
				got = v[p, m[k]] + 0; back = v[p, "backlog_end"] + 0
				tol = 4.5 * sqrt(want[k] / R) + back
				if (got < want[k] - tol || got > want[k] + tol) {
					print p, m[k], got, "expected", want[k], "+-", tol; bad++
				}
				checked++
			}
		}
		print checked " checked" > "/dev/stderr"
		exit bad > 0 || checked < 200
	}' data/ports_land.csv "$W/day/summary.csv" >"$W/vol" 2>"$W/vol.n"; then
	ok "each land port's vehicles, pedestrians and trucks a day: its BTS 2018 mean x $f (trucks x 1) within sampling error ($(cat "$W/vol.n"))"
else
	not_ok "each land port's vehicles, pedestrians and trucks a day: its BTS 2018 mean x $f (trucks x 1) within sampling error" \
		"$(why) $(head -5 "$W/vol")"
fi

# ---- a port's figure changes that port only ---------------------------------

bs run "$BASE" -q -r 2 $SHORT -o "$W/crn0"
s0=$status
bs run "$BASE" -q -r 2 $SHORT --set port.san_ysidro.pov_per_day=80000 -o "$W/crn1"
# every row of a stage, stream, find or port outside San Ysidro
others() { awk -F, '$4 != "national" && $4 != "port_group" && $5 !~ /^san_ysidro/' "$1"; }
if [ $s0 -eq 0 ] && [ $status -eq 0 ] && others "$W/crn0/replications.csv" >"$W/o0" &&
	others "$W/crn1/replications.csv" >"$W/o1" && cmp -s "$W/o0" "$W/o1" &&
	[ "$(wc -l <"$W/o0")" -gt 20000 ] &&
	! cmp -s <(grep ',port,san_ysidro,' "$W/crn0/replications.csv") \
		<(grep ',port,san_ysidro,' "$W/crn1/replications.csv"); then
	ok "--set port.san_ysidro.pov_per_day changes San Ysidro and leaves every other port's $(wc -l <"$W/o0") rows bit-identical"
else
	not_ok "--set port.san_ysidro.pov_per_day changes San Ysidro and leaves every other port's rows bit-identical" "$(why)"
fi
# the cars that reach its three lanes (arrivals, not those served: the
# baseline's staffing is for its own traffic, so twice the cars wait)
lanes() {
	awk -F, '$2 == "stage" && $3 ~ /^san_ysidro\/(general|ready|sentri)$/ && $4 == "arrivals" {
		n += $6 } END { print n }' "$1"
}
v0=$(lanes "$W/crn0/summary.csv")
v1=$(lanes "$W/crn1/summary.csv")
if awk -v a="$v0" -v b="$v1" 'BEGIN { exit !(b > 1.8 * a && b < 2.2 * a) }'; then
	ok "San Ysidro's vehicles follow its figure: $v0 -> $v1 at its lanes for 39,740.56 -> 80,000 a day"
else
	not_ok "San Ysidro's vehicles follow its figure" "$v0 -> $v1"
fi
if grep -q '^per_day = {pov_per_day}' "$W/crn1/scenario.ini" &&
	grep -q '^pov_per_day = 80000' "$W/crn1/scenario.ini" &&
	! grep -q '^template\|^catalog' "$W/crn1/scenario.ini" &&
	bs run "$W/crn1/scenario.ini" -q -o "$W/again" && same_files "$W/crn1" "$W/again" summary.csv replications.csv hourly.csv; then
	ok "scenario.ini holds the ports written out with their figures, and runs again to the same bytes"
else
	not_ok "scenario.ini holds the ports written out with their figures, and runs again to the same bytes" "$(why)"
fi

# ---- ports and port groups in surges and closures ---------------------------

cat >"$W/groups.ini" <<EOF
include = $PWD/$BASE
[scenario]
name = groups
[surge.texas]
port_groups = texas
factor = 2
duration = 1d
EOF
bs run "$W/groups.ini" -q -r 2 $SHORT -o "$W/g"
if [ $status -eq 0 ] && awk -F, '
	FNR == 1 { file++ }
	$2 == "stream" && $4 == "arrivals" { a[file, $3] = $6 }
	$2 == "port" && $4 == "travelers_processed" { t[file, $3] = $6 }
	END {
		# Laredo (Texas) doubles; San Ysidro (California) is the same bytes
		exit !(a[2, "laredo/pov"] > 1.8 * a[1, "laredo/pov"] &&
		       a[2, "bp_el_paso/apprehensions"] > 1.8 * a[1, "bp_el_paso/apprehensions"] &&
		       a[2, "san_ysidro/pov"] == a[1, "san_ysidro/pov"] &&
		       t[2, "san_ysidro"] == t[1, "san_ysidro"])
	}' "$W/crn0/summary.csv" "$W/g/summary.csv"; then
	ok "a surge of port_groups = texas doubles the arrivals at Laredo and in the El Paso sector, and leaves San Ysidro as it was"
else
	not_ok "a surge of port_groups = texas doubles the arrivals at Laredo and in the El Paso sector, and leaves San Ysidro as it was" "$(why)"
fi

bs run scenarios/port_closure.ini -q -r 2 --set scenario.warmup_days=1 --set scenario.days=1 -o "$W/pc"
if [ $status -eq 0 ] && awk -F, '$5 == "san_ysidro/general" && $3 == 1 && $4 >= 12 && $4 <= 15 { if ($6 == 0 || $8 != 0) bad = 1; n++ }
	END { exit bad || n != 8 }' "$W/pc/hourly.csv" &&
	awk -F, '$2 == "port" && $3 == "san_ysidro" && $4 == "traveler_wait_p95" { exit !($6 > 60) }' "$W/pc/summary.csv"; then
	ok "port_closure.ini: San Ysidro has no server from 12:00 to 16:00 while arrivals go on; its p95 wait passes an hour"
else
	not_ok "port_closure.ini: San Ysidro has no server from 12:00 to 16:00 while arrivals go on; its p95 wait passes an hour" "$(why)"
fi

# Diversion: while San Ysidro is closed, a third of its drivers go to Otay
# Mesa and a tenth to Tecate, counted at both ends; none before the closure.
if [ $status -eq 0 ] && awk -F, '
	$2 == "port" && $4 == "diverted_out" { out += $6; if ($3 != "san_ysidro" && $6 != 0) bad = 1 }
	$2 == "port" && $4 == "diverted_in" { inn[$3] = $6 }
	END {
		tot = inn["otay_mesa"] + inn["tecate"]
		exit bad || out <= 0 || out != tot || !(inn["otay_mesa"] > 2 * inn["tecate"])
	}' "$W/pc/summary.csv" &&
	awk -F, '$5 == "san_ysidro/general" && $3 == 1 && $4 < 11 { print }' "$W/pc/hourly.csv" | grep -q .; then
	ok "port_closure.ini: San Ysidro's diverted_out equals the diverted_in of Otay Mesa and Tecate, a third against a tenth"
else
	not_ok "port_closure.ini: San Ysidro's diverted_out equals the diverted_in of Otay Mesa and Tecate, a third against a tenth" "$(why)"
fi

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
