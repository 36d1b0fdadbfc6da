#!/bin/sh
# staff-baseline.sh: the national baseline's staffing, as `bordersim staff`
# finds it against the baseline's own targets ([target.*] in
# scenarios/baseline.ini; docs/staffing.md, "The baseline's staffing").
#
#   scripts/staff-baseline.sh [BORDERSIM]          (from the repository root)
#   scripts/staff-baseline.sh --check [BORDERSIM]  staff again, compare, write nothing
#
# Writes data/baseline_staffing.ini, which scenarios/baseline.ini
# includes: the servers of every targeted stage, hour by hour, in three
# 8-hour shifts (0-7, 8-15, 16-23), on 4 replications of the baseline's day
# and seed after one day of warm-up (the queues at ports settle within hours;
# the week of warm-up is for custody, which has no servers). The staffing
# is a fixed point: staffing the baseline again with
# the same options (which --check does) finds the same servers, because the
# search starts from the offered loads, not from the servers it is given.
set -eu
CHECK=0
if [ "${1:-}" = --check ]; then
	CHECK=1
	shift
fi
BIN=${1:-./bordersim}
OPTS="-r 4 --block 8h --set scenario.warmup_days=1"
OUT=data/baseline_staffing.ini
W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-staff.XXXXXX")
trap 'rm -rf "$W" "$OUT.new"' EXIT

# shellcheck disable=SC2086
"$BIN" staff scenarios/baseline.ini $OPTS -j 2 -o "$W/out" >"$W/hours" 2>"$W/err" || {
	cat "$W/err" >&2
	exit 1
}
{
	echo "; baseline_staffing: the servers of the national baseline's staffed stages, hour by"
	echo "; hour, as \`bordersim staff scenarios/baseline.ini $OPTS\` finds them against the"
	echo "; baseline's targets ([target.*] in baseline.ini). Written by"
	echo "; scripts/staff-baseline.sh: do not edit; run it again when a template, a catalog or"
	echo "; a target changes (docs/staffing.md, \"The baseline's staffing\")."
	awk '/^\[stage\./ { p = 1 } p' "$W/out/staffing.ini"
} >"$W/staffing.ini"
if [ $CHECK -eq 1 ]; then
	if cmp -s "$W/staffing.ini" "$OUT"; then
		echo "$OUT: staffing the baseline again finds the same servers"
	else
		echo "$OUT: staffing the baseline again finds other servers:" >&2
		diff "$OUT" "$W/staffing.ini" | head -20 >&2
		exit 1
	fi
else
	cp "$W/staffing.ini" "$OUT.new" && mv "$OUT.new" "$OUT"   # whole, or as it was
	cat "$W/hours" "$W/err"
fi
