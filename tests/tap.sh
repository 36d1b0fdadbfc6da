# tap.sh: the ok / not ok lines of the end-to-end scripts, sourced by each,
# and the helpers they share (check, bs, why, same_files, fails). `ok DESC` and
# `not_ok DESC [DETAIL...]` number the checks in $n and count the failures in
# $failed; each script prints its own summary from them. bs, why and fails
# use $BIN and the work folder $W.
n=0
failed=0

# tap_bin "$@": the script's one argument, the program, as an absolute path
# in $BIN (the scripts change folders); otherwise the usage and status 2.
tap_bin() {
	if [ $# -ne 1 ]; then
		echo "usage: $0 PATH-TO-BORDERSIM" >&2
		exit 2
	fi
	case $1 in
	/*) BIN=$1 ;;
	*) BIN=$PWD/$1 ;;
	esac
}

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
# check DESC CONDITION-STATUS [DETAIL...]: ok when the status is 0.
check() {
	local desc=$1 st=$2
	shift 2
	if [ "$st" -eq 0 ]; then ok "$desc"; else not_ok "$desc" "$@"; fi
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

# fails DESC STATUS PATTERN... -- ARGS...: exits STATUS, stderr holds every
# PATTERN (fixed strings), the folder $W/f does not exist, stdout is empty.
fails() {
	local desc=$1 want=$2 p missing=""
	shift 2
	local pats=()
	while [ "$1" != "--" ]; do
		pats+=("$1")
		shift
	done
	shift
	rm -rf "$W/f"
	bs "$@"
	for p in "${pats[@]}"; do
		grep -qF -- "$p" "$W/err" || missing="$missing '$p'"
	done
	if [ $status -eq "$want" ] && [ -z "$missing" ] && [ ! -e "$W/f" ] && [ ! -s "$W/out" ]; then
		ok "$desc"
	else
		not_ok "$desc" "want status $want; missing in message:${missing:- none}" "$(why)"
	fi
}
