#!/usr/bin/env bash
# Runs the baseline and every surge scenario on the same seed and prints the
# results tables of docs/national.md (Markdown): the national headline figures
# per reported day, then per port group (the kinds of port) and for the ports
# a scenario names, means over the replications. Usage:
# scripts/surge-table.sh [REPS] [OUTDIR] (default 4 replications, output under
# output/surge-table/).
set -euo pipefail
reps=${1:-4}
out=${2:-output/surge-table}
bin=${BORDERSIM:-./bordersim}
scenarios="baseline migrant_surge holiday_peak cargo_surge staffing_shortfall
hurricane_closure nii_expansion trusted_traveler_expansion biometric_air port_closure"
for s in $scenarios; do
	"$bin" run "scenarios/$s.ini" -r "$reps" -s 1 -q -o "$out/$s"
done
echo "| scenario | days | travelers a day | containers a day | mean wait (min) | p95 wait (min) | custody peak | time in custody (h) | NII scans a day | drugs a day (lb) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for s in $scenarios; do
	days=$(awk -F' *= *' '$1 == "days" { print $2; exit }' "$out/$s/scenario.ini")
	awk -F, -v s="$s" -v d="$days" '
		$2 == "national" { v[$4] = $6 }
		END {
			printf "| %s | %g | %.0f | %.0f | %.1f | %.1f | %.0f | %.1f | %.0f | %.0f |\n", s, d,
			       v["travelers_processed"] / d, v["containers_processed"] / d,
			       v["traveler_wait_mean"], v["traveler_wait_p95"], v["custody_peak"],
			       v["custody_time_mean"] / 60, v["nii_scans"] / d, v["drugs_seized_lb"] / d
		}' "$out/$s/summary.csv"
done

echo
echo "| scenario | port group or port | travelers a day | containers a day | mean wait (min) | p95 wait (min) | officer-hours a day | backlog at the end | diverted a day (out / in) |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for s in $scenarios; do
	days=$(awk -F' *= *' '$1 == "days" { print $2; exit }' "$out/$s/scenario.ini")
	# the kinds of port, and the ports the scenario names (ports = ...)
	named=$(awk -F' *= *' '$1 == "ports" { gsub(/,/, " ", $2); print $2 }' "scenarios/$s.ini" | tr '\n' ' ')
	[ "$s" = port_closure ] && named="$named otay_mesa tecate"
	named=$(printf '%s\n' $named | awk '!seen[$0]++' | tr '\n' ' ')
	awk -F, -v s="$s" -v d="$days" -v named="$named" '
		function f(v, k) { return (k in v) ? v[k] : "" }
		function row(name, scope,    t, c) {
			t = f(val, scope SUBSEP name SUBSEP "travelers_processed")
			c = f(val, scope SUBSEP name SUBSEP "containers_processed")
			o = f(val, scope SUBSEP name SUBSEP "diverted_out")
			i = f(val, scope SUBSEP name SUBSEP "diverted_in")
			printf "| %s | %s | %s | %s | %s | %s | %.0f | %.0f | %s |\n", s, (scope == "port" ? "port " : "") name,
			       t == "" ? "" : sprintf("%.0f", t / d), c == "" ? "" : sprintf("%.0f", c / d),
			       fmt(f(val, scope SUBSEP name SUBSEP "traveler_wait_mean")),
			       fmt(f(val, scope SUBSEP name SUBSEP "traveler_wait_p95")),
			       f(val, scope SUBSEP name SUBSEP "officer_hours") / d,
			       f(val, scope SUBSEP name SUBSEP "backlog_end"),
			       o == "" ? "" : sprintf("%.0f / %.0f", o / d, i / d)
		}
		function fmt(v) { return v == "" ? "" : sprintf("%.1f", v) }
		$2 == "port_group" || $2 == "port" { val[$2, $3, $4] = $6 }
		END {
			n = split("land air sea border_patrol checkpoint", g, " ")
			for (k = 1; k <= n; k++) row(g[k], "port_group")
			n = split(named, p, " ")
			for (k = 1; k <= n; k++) row(p[k], "port")
		}' "$out/$s/summary.csv"
done
