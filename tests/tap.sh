# tap.sh: the ok / not ok lines of the end-to-end scripts, sourced by each.
# `ok DESC` and `not_ok DESC [DETAIL...]` number the checks in $n and count
# the failures in $failed; each script prints its own summary from them.
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
