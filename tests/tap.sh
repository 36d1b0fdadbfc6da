# tap.sh: the ok / not ok lines of the end-to-end scripts, sourced by each,
# and the helpers they share. `ok DESC` and `not_ok DESC [DETAIL...]` number
# the checks in $n and count the failures in $failed; each script prints its
# own summary from them. bs and why use $BIN and the work folder $W.
n=0
failed=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do echo "#   $line"; done
}

# bs ARGS...: runs the program; $status, $W/out and $W/err hold the outcome.
bs() {
	"$BIN" "$@" >"$W/out" 2>"$W/err"
	status=$?
}

# Shows the last run's outcome on a failed check.
why() {
	echo "status $status; stderr: $(head -c 600 "$W/err")"
}

# same_files A B FILES: each file exists in both folders, byte for byte equal.
same_files() {
	local a=$1 b=$2 f
	shift 2
	for f in "$@"; do
		[ -f "$a/$f" ] && [ -f "$b/$f" ] && cmp -s "$a/$f" "$b/$f" || return 1
	done
}
