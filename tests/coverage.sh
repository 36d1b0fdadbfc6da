#!/usr/bin/env bash
# coverage: how often a 95% interval from 10 replications covers the truth,
# for a skewed figure (docs/outputs.md, "Intervals").
#
#   tests/coverage.sh ./bordersim [POINTS]     (from the repository root)
#
# Runs tests/data/coverage/mm1.ini (M/M/1 at utilisation 0.8, mean wait in
# queue Wq = 4 min exactly) as a sweep over POINTS seeds (default 10000), each
# point 10 replications of one day, and counts the points whose interval for
# the stage's wait_mean holds 4, and, for comparison, those whose interval for
# utilization holds 0.8. Prints the shares with their own 95% binomial
# margins. Not part of `make test`: it measures, it does not pass or fail.
set -u
BIN=${1:?usage: tests/coverage.sh PATH-TO-BORDERSIM [POINTS]}
POINTS=${2:-10000}
W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-coverage.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
"$BIN" sweep tests/data/coverage/mm1.ini -q --vary "scenario.seed=1:$POINTS:1" -o "$W/s" || exit $?
# sweep.csv: seed, scenario, scope, name, metric, unit, mean, stddev, ci95_low, ci95_high, ...
awk -F, 'NR > 1 && $3 == "stage" && ($5 == "wait_mean" || $5 == "utilization") {
		truth = $5 == "wait_mean" ? 4 : 0.8
		n[$5]++
		if ($9 <= truth && truth <= $10) hit[$5]++
	}
	END {
		for (m in n) {
			p = hit[m] / n[m]
			printf "%-12s %d of %d intervals cover %g: %.1f%% (+- %.1f%%)\n", m, hit[m], n[m],
			       m == "wait_mean" ? 4 : 0.8, 100 * p, 196 * sqrt(p * (1 - p) / n[m])
		}
	}' "$W/s/sweep.csv" | sort
