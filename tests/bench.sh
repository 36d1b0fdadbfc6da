#!/usr/bin/env bash
# Runs the benchmark models, each in its own process, into a CSV file and
# prints it. Usage: tests/bench.sh BENCH_BINARY OUT.csv
#
# Rows (columns model,customers,events,wall_s,events_per_s,peak_rss_mb):
#   A_1M, A, B  one replication each, the engine alone (BENCH_BINARY)
#   NATIONAL    one replication of scenarios/baseline.ini, warm-up included,
#               the fastest of 3 tries
#   J1, J2      the whole command `bordersim run` of model A shortened to about
#               1 million customers a replication, 8 replications, with -j 1
#               and -j 2: of 5 pairs of runs, the pair with the median ratio
#   SWEEP12     the whole command `bordersim sweep` of a 12-point grid (4
#               primary staffings x 3 car volumes) of a small three-stage
#               network (tests/data/cluster/network.ini), 7 days and 10
#               replications a point, the best of 3 tries; customers and
#               events are the totals over the grid
# After the table: the -j speed-up (J1 wall over J2 wall, with the ratios of
# all 5 pairs) and the sweep throughput in points x replications a second.
#
# The bordersim program is $BORDERSIM when set, else ./bordersim at the
# repository root, brought up to date with `make bordersim` first.
set -euo pipefail
bench=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=$here/data/bench
case $bench in /*) ;; *) bench=$PWD/$bench ;; esac
if [ -n "${BORDERSIM:-}" ]; then
	bs=$BORDERSIM
else
	make -C "$root" --no-print-directory -s bordersim >&2
	bs=$root/bordersim
fi
case $bs in /*) ;; *) bs=$PWD/$bs ;; esac

tmp=$(mktemp "$out.XXXXXX")
work=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-bench.XXXXXX")
trap 'rm -rf "$tmp" "$work"' EXIT
notes=$work/notes

# counts FILE: "customers visits" summed over a run's replications.csv
# (columns scenario,replication,seed,scope,name,metric,unit,value): stream
# arrivals are customers, stage arrivals are visits to stages.
counts() {
	awk -F, 'NR > 1 && $6 == "arrivals" {
		if ($4 == "stream") c += $8; else if ($4 == "stage") v += $8 }
		END { printf "%.0f %.0f\n", c, v }' "$1"
}

# sweep_counts FILE: the same totals from a sweep.csv, whose leading columns
# are the varied keys: mean x replications of each point's arrivals, found by
# the header's column names.
sweep_counts() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["metric"] == "arrivals" {
			n = $col["mean"] * $col["replications"]
			if ($col["scope"] == "stream") c += n; else if ($col["scope"] == "stage") v += n }
		END { printf "%.0f %.0f\n", c, v }' "$1"
}

# row LABEL CUSTOMERS VISITS TIMING: one CSV row; TIMING is "wall_s,peak_rss_mb".
row() {
	awk -v l="$1" -v c="$2" -v v="$3" -v t="$4" 'BEGIN {
		split(t, a, ","); e = 2 * v
		printf "%s,%.0f,%.0f,%.3f,%.0f,%.1f\n", l, c, e, a[1], e / a[1], a[2] }'
}

# timed OUTDIR CMD...: runs CMD, which writes OUTDIR (emptied first); prints
# "wall_s,peak_rss_mb" of the whole command. Stops the benchmark when CMD fails.
timed() {
	rm -rf "$1"
	shift
	"$bench" --time "$@" || { echo "bench: failed ($?): $*" >&2; kill $$; exit 1; }
}

# faster T1 T2: the timing of the two with the smaller wall time. Other load
# on the machine only ever slows a try down, so the fastest of a few tries is
# the best estimate of the program's own time.
faster() {
	if [ -z "$1" ] || awk -v a="${2%%,*}" -v b="${1%%,*}" 'BEGIN { exit !(a < b) }'; then
		echo "$2"
	else
		echo "$1"
	fi
}

{
	echo "model,customers,events,wall_s,events_per_s,peak_rss_mb"
	# A at a tenth of the horizon first: its peak memory against A's shows
	# that memory does not grow with the number of customers.
	"$bench" A_1M "$dir/model_a.ini" scenario.days=77.16
	"$bench" A "$dir/model_a.ini"
	"$bench" B "$dir/model_b.ini"

	# The national typical day: one replication of scenarios/baseline.ini, its
	# warm-up included (7 + 1 simulated days), the engine alone; the fastest
	# of 3 tries, as for SWEEP12 (other load only slows a try), with all 3
	# times in the note.
	nat="" tries=""
	for try in 1 2 3; do
		t=$("$bench" NATIONAL "$root/scenarios/baseline.ini")
		tries="$tries $(cut -d, -f4 <<<"$t")"
		if [ -z "$nat" ] || awk -v a="$(cut -d, -f4 <<<"$t")" -v b="$(cut -d, -f4 <<<"$nat")" \
			'BEGIN { exit !(a < b) }'; then
			nat=$t
		fi
	done
	echo "$nat"
	awk -F, -v d=8 -v tries="$tries" '{ printf "national day: %d simulated days (warm-up included) in %.3f s = %.2f days a second on one thread (target >= 4), peak %.1f MB (target < 200); the 3 tries:%s s\n", d, $4, d / $4, $6, tries }' \
		<<<"$nat" >>"$notes"

	# The -j speed-up: the whole program, reading, 8 replications, writing.
	# The speed of a core on this (virtual, shared) machine drifts by tens of
	# percent from second to second, so -j 1 and -j 2 are timed in 5 pairs,
	# back to back, the order alternating; the rows are the pair whose ratio
	# is the median of the 5.
	jargs=(run "$dir/model_a.ini" --set scenario.days=77.16 -r 8 -q)
	pairs=()
	for k in 1 2 3 4 5; do
		if ((k % 2)); then
			a=$(timed "$work/j1" "$bs" "${jargs[@]}" -j 1 -o "$work/j1")
			b=$(timed "$work/j2" "$bs" "${jargs[@]}" -j 2 -o "$work/j2")
		else
			b=$(timed "$work/j2" "$bs" "${jargs[@]}" -j 2 -o "$work/j2")
			a=$(timed "$work/j1" "$bs" "${jargs[@]}" -j 1 -o "$work/j1")
		fi
		pairs+=("$(awk -v a="${a%%,*}" -v b="${b%%,*}" 'BEGIN { printf "%.6f", a / b }') $a $b")
	done
	read -r _ t1 t2 < <(printf '%s\n' "${pairs[@]}" | sort -n | sed -n 3p)
	ratios=$(printf '%s\n' "${pairs[@]}" | cut -d' ' -f1 | sort -n | awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 }')
	read -r c v < <(counts "$work/j1/replications.csv")
	row J1 "$c" "$v" "$t1"
	row J2 "$c" "$v" "$t2"
	if ! cmp -s "$work/j1/summary.csv" "$work/j2/summary.csv" ||
		! cmp -s "$work/j1/hourly.csv" "$work/j2/hourly.csv"; then
		echo "warning: -j 1 and -j 2 wrote different files" >>"$notes"
	fi
	awk -v a="${t1%%,*}" -v b="${t2%%,*}" -v all="$ratios" 'BEGIN {
		s = a / b
		printf "speed-up -j 2 over -j 1 (J1 wall / J2 wall, 8 replications): %.2f (target >= 1.8 on 2 cores)%s; the 5 pairs: %s\n",
			s, (s < 1.8 ? " BELOW TARGET" : ""), all }' >>"$notes"

	# Sweep throughput: 12 points (4 x 3) of the small network, 7 days and
	# 10 replications a point.
	pts=12 reps=10 t=""
	for _ in 1 2 3; do
		t=$(faster "$t" "$(timed "$work/sweep" "$bs" sweep "$here/data/cluster/network.ini" \
			--vary stage.primary.servers=4:7:1 --vary stream.cars.per_day=4000,6000,8000 \
			--set scenario.days=7 -r $reps -q -o "$work/sweep")")
	done
	read -r c v < <(sweep_counts "$work/sweep/sweep.csv")
	row SWEEP12 "$c" "$v" "$t"
	awk -v w="${t%%,*}" -v p=$pts -v r=$reps 'BEGIN {
		printf "sweep throughput: %d points x %d replications in %.3f s = %.1f points x replications a second\n",
			p, r, w, p * r / w }' >>"$notes"

	# Reading the national baseline: reading, catalogs, templates and the
	# compile (bordersim check), the fastest of 3.
	t=""
	for _ in 1 2 3; do
		t=$(faster "$t" "$(timed "$work/read" "$bs" check "$root/scenarios/baseline.ini" -q)")
	done
	row READ 0 0 "$t"
	awk -v w="${t%%,*}" 'BEGIN { printf "reading the national baseline (check): %.3f s (target < 0.5)\n", w }' >>"$notes"

	# The default national run: 10 replications of the baseline with -j 2,
	# reading to writing.
	t=$(timed "$work/nat10" "$bs" run "$root/scenarios/baseline.ini" -j 2 -q -o "$work/nat10")
	read -r c v < <(counts "$work/nat10/replications.csv")
	row NAT10 "$c" "$v" "$t"
	size=$(du -sk "$work/nat10" | cut -f1)
	awk -v t="$t" -v k="$size" 'BEGIN { split(t, a, ",")
		printf "national run, 10 replications, -j 2: %.1f s, peak %.0f MB (target < 500), output %.1f MB (target < 100)\n",
			a[1], a[2], k / 1024 }' >>"$notes"

	export STAFF_ERR="$work/staff.err"
	# Staffing to a target: the national per-port baseline's staffing as
	# scripts/staff-baseline.sh finds it (every staffed stage to the
	# baseline's targets in 8-hour shifts, 4 replications of a day after one
	# of warm-up), -j 2.
	t=$(timed "$work/staff" sh -c 'exec "$0" "$@" 2>"$STAFF_ERR"' "$bs" staff \
		"$root/scenarios/baseline.ini" -r 4 -j 2 --set scenario.warmup_days=1 --block 8h \
		-o "$work/staff")
	read -r c v < <(counts "$work/staff/replications.csv")
	row STAFF "$c" "$v" "$t"
	sims=$(sed -n 's/.*staffed in \([0-9]*\) simulations.*/\1/p' "$STAFF_ERR")
	awk -v t="$t" -v n="$sims" 'BEGIN { split(t, a, ",")
		printf "staffing the national baseline to its targets (scripts/staff-baseline.sh), -j 2: %.1f s, %s simulation passes, peak %.0f MB\n",
			a[1], n, a[2] }' >>"$notes"
} >"$tmp"
mv "$tmp" "$out"
column -s, -t <"$out" 2>/dev/null || cat "$out"
cat "$notes"
echo "written to $out"
