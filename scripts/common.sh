# common.sh: what scripts/sweep-parallel.sh and scripts/sweep-slurm.sh share,
# sourced by each after it sets $me and $quiet.

die() {
	echo "$me: $*" >&2
	exit 64
}

say() {
	[ -n "$quiet" ] || echo "$me: $*" >&2
}

abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PWD/$1" ;;
	esac
}

# find_bin: sets $bin to the absolute path of the bordersim program: $bin as
# given (--bin or $BORDERSIM), else the build beside scripts/, else the PATH.
find_bin() {
	if [ -z "$bin" ]; then
		local here
		here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
		if [ -x "$here/../bordersim" ]; then
			bin=$here/../bordersim
		else
			bin=$(command -v bordersim) || die "no bordersim program: give --bin PATH or set BORDERSIM"
		fi
	fi
	case $bin in
	*/*) bin=$(abspath "$bin") ;;
	*) command -v "$bin" >/dev/null || die "no program '$bin' in PATH"; bin=$(command -v "$bin") ;;
	esac
	[ -x "$bin" ] || die "'$bin' is not an executable program"
}
