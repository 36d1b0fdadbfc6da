#!/usr/bin/env bash
# Runs the benchmark models, each in its own process, into a CSV file and
# prints it. Usage: tests/bench.sh BENCH_BINARY OUT.csv
set -euo pipefail
bench=$1 out=$2
dir=$(dirname "$0")/data/bench
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
{
	echo "model,customers,events,wall_s,events_per_s,peak_rss_mb"
	# A at a tenth of the horizon first: its peak memory against A's shows
	# that memory does not grow with the number of customers.
	"$bench" A_1M "$dir/model_a.ini" scenario.days=77.16
	"$bench" A "$dir/model_a.ini"
	"$bench" B "$dir/model_b.ini"
} > "$tmp"
mv "$tmp" "$out"
trap - EXIT
column -s, -t < "$out" 2>/dev/null || cat "$out"
echo "written to $out"
