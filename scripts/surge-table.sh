#!/usr/bin/env bash
# Runs the baseline and every surge scenario on the same seed and prints the
# results table of docs/national.md (Markdown): headline figures per reported day, means
# over the replications. Usage: scripts/surge-table.sh [REPS] [OUTDIR]
# (default 4 replications, output under output/surge-table/).
set -euo pipefail
reps=${1:-4}
out=${2:-output/surge-table}
bin=${BORDERSIM:-./bordersim}
scenarios="baseline migrant_surge holiday_peak cargo_surge staffing_shortfall
hurricane_closure nii_expansion trusted_traveler_expansion biometric_air"
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
