#!/usr/bin/env bash
# e2e_install: `make install` and what it installs.
#
#   tests/e2e_install.sh ./bordersim        (from the repository root)
#
# Installs the given program with `make install` into a temporary PREFIX and
# checks: the files are there, the same bytes as the tree's; the installed
# program runs a shipped scenario (which includes another) from another
# folder, into that folder, with the same results as the tree's; the man page
# renders with no warning (man, groff, mandoc's lint), carries the program's
# version, and has an entry for every command, option and exit status of
# `bordersim --help`; the bash completion
# completes commands, each command's options (exactly those the program
# accepts), scenario files, folders and keys; DESTDIR stages an install and
# `make uninstall` removes it. Prints "ok N - ..." / "not ok N - ..." lines
# and a summary; exits 1 when any check failed.
set -u

. "$(dirname "$0")/tap.sh"
tap_bin "$@"
ROOT=$(cd "$(dirname "$0")/.." && pwd)

W=$(mktemp -d "${TMPDIR:-/tmp}/bordersim-install.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
P=$W/prefix
D=$P/share/bordersim

# mk ARGS...: make in the source tree with the program under test as the one
# to install (never rebuilt: -o), apart from any make this script runs under.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s -C "$ROOT" --no-print-directory -o "$BIN" PROG="$BIN" "$@" >"$W/make.log" 2>&1
}

# ---- the files ----

mk install PREFIX="$P"
status=$?
want="bin/bordersim share/bash-completion/completions/bordersim share/man/man1/bordersim.1"
for f in "$ROOT"/scenarios/*.ini; do want="$want share/bordersim/scenarios/${f##*/}"; done
for f in "$ROOT"/templates/*.ini; do want="$want share/bordersim/templates/${f##*/}"; done
for f in "$ROOT"/data/*.csv "$ROOT"/data/baseline_staffing.ini "$ROOT"/data/README.md; do want="$want share/bordersim/data/${f##*/}"; done
want=$(printf '%s\n' $want | sort)
have=$(cd "$P" 2>/dev/null && find . -type f | sed 's|^\./||' | sort)
if [ $status -eq 0 ] && [ "$have" = "$want" ] && [ -x "$P/bin/bordersim" ]; then
	ok "make install PREFIX=DIR: the program, man page, completion, every scenario and template, the data and its README, nothing else"
else
	not_ok "make install PREFIX=DIR: the program, man page, completion, every scenario, the data and its README, nothing else" \
		"status $status: $(head -c 400 "$W/make.log")" "$(diff <(echo "$want") <(echo "$have") | head -n 8)"
fi

same=1
cmp -s "$BIN" "$P/bin/bordersim" || same=0
cmp -s "$ROOT/completion/bordersim.bash" "$P/share/bash-completion/completions/bordersim" || same=0
for f in "$ROOT"/scenarios/*.ini; do cmp -s "$f" "$D/scenarios/${f##*/}" || same=0; done
for f in "$ROOT"/templates/*.ini; do cmp -s "$f" "$D/templates/${f##*/}" || same=0; done
for f in "$ROOT"/data/*.csv "$ROOT"/data/baseline_staffing.ini "$ROOT"/data/README.md; do cmp -s "$f" "$D/data/${f##*/}" || same=0; done
if [ $same -eq 1 ] && [ -f "$D/scenarios/../data/ports_land.csv" ] &&
	[ "$(stat -c %a "$D/scenarios/baseline.ini" "$P/share/man/man1/bordersim.1")" = "$(printf '644\n644')" ]; then
	ok "installed files are the tree's bytes, mode 644 but the program; scenarios/../data/ holds the catalogs as in the tree"
else
	not_ok "installed files are the tree's bytes, mode 644 but the program; scenarios/../data/ holds the catalogs as in the tree" \
		"$(ls -lR "$P" | head -n 20)"
fi

# ---- the installed program, from another folder ----

SHORT="-r 1 --set scenario.warmup_days=0.5 --set scenario.days=1"
mkdir -p "$W/elsewhere"
(cd "$W/elsewhere" && "$P/bin/bordersim" run "$D/scenarios/holiday_peak.ini" -q $SHORT) \
	>"$W/out" 2>"$W/err"
status=$?
(cd "$ROOT" && "$BIN" run scenarios/holiday_peak.ini -q $SHORT -o "$W/tree") >/dev/null 2>&1
if [ $status -eq 0 ] && [ ! -s "$W/err" ] &&
	same_files "$W/elsewhere/output/holiday_peak" "$W/tree" summary.csv replications.csv hourly.csv \
		scenario.ini; then
	ok "installed program runs the installed holiday_peak.ini (which includes baseline.ini) from another folder, into output/ there, as the tree's does"
else
	not_ok "installed program runs the installed holiday_peak.ini (which includes baseline.ini) from another folder, into output/ there, as the tree's does" \
		"$(why)" "$(ls "$W/elsewhere/output/holiday_peak" 2>&1)"
fi

# ---- the man page ----

MAN=$P/share/man/man1/bordersim.1
MANWIDTH=80 man --warnings=w -E UTF-8 -l "$MAN" >"$W/man.txt" 2>"$W/man.err"
status=$?
groff -man -Tutf8 -ww -z "$MAN" >"$W/groff.err" 2>&1
gstatus=$?
# mandoc's lint, style included, on the page as written (installed, a long
# PREFIX may make an example's line longer than its style of 80 bytes).
mandoc -T lint -W all "$ROOT/man/bordersim.1" >"$W/lint" 2>&1
lstatus=$?
sections=$(grep -E '^[A-Z][A-Z ]*$' "$W/man.txt" | tr '\n' ',')
desc="man -l and groff -ww render the installed man page, mandoc -T lint passes it, without a warning; its sections in order"
if [ $status -eq 0 ] && [ ! -s "$W/man.err" ] && [ $gstatus -eq 0 ] && [ ! -s "$W/groff.err" ] &&
	[ $lstatus -eq 0 ] && [ ! -s "$W/lint" ] &&
	[ "$sections" = "NAME,SYNOPSIS,DESCRIPTION,COMMANDS,OPTIONS,EXIT STATUS,ENVIRONMENT,FILES,EXAMPLES,SEE ALSO," ]; then
	ok "$desc"
else
	not_ok "$desc" "man status $status, groff $gstatus, mandoc $lstatus: $(head -c 600 "$W/man.err" "$W/groff.err" "$W/lint")" \
		"sections: $sections"
fi

version=$("$BIN" --version | awk '{ print $2 }')
th=$(grep '^\.TH ' "$ROOT/man/bordersim.1")
if [ -n "$version" ] && [[ $th == *"\"bordersim $version\""* ]] &&
	grep -q "^ *$D/scenarios/$" "$W/man.txt" && grep -q "^ *$D/data/$" "$W/man.txt" &&
	! grep -q /usr/local "$W/man.txt"; then
	ok "the man page carries the program's version ($version) and names the installed scenarios and data"
else
	not_ok "the man page carries the program's version ($version) and names the installed scenarios and data" \
		"$th" "$(grep -n share/bordersim "$W/man.txt")"
fi

# The commands, options and exit statuses of --help, each in the tag of an
# entry (the line after .TP; font escapes and macro names taken off:
# `-r  n,  --reps  n`), an option in an option's.
awk 'prev == ".TP" { print } { prev = $0 }' "$MAN" |
	sed 's/^\.[A-Z]* //; s/\\f[BIR]//g; s/\\-/-/g; s/"//g' >"$W/tags"
"$BIN" --help >"$W/help"
commands=$(sed -n '/^commands:/,/^$/p' "$W/help" | awk '/^  [a-z]/ { sub(/,$/, "", $1); print $1 }')
options=$(grep -oE '(^|[ ,|])--?[a-z][a-z-]*' "$W/help" | sed 's/^[ ,|]//' | sort -u)
missing=""
for c in $commands; do
	grep -qE "^$c( |,|$)" "$W/tags" || missing="$missing $c"
done
for o in $options; do
	grep -E -- '^-' "$W/tags" | grep -qE -- "(^|[ ,])$o( |,|$)" || missing="$missing $o"
done
statuses=$(sed -n '/^exit status:/,$p' "$W/help" | grep -oE '(^|[ :])[0-9]+ ' | tr -d ' :' | sort -n | uniq)
for e in $statuses; do
	[ "$e" -lt 128 ] && { grep -qx "$e" "$W/tags" || missing="$missing status-$e"; }
done
grep -q '^128+ ' "$W/tags" || missing="$missing status-128+N"
desc="every command ($(echo $commands)), option ($(echo $options | wc -w)) and exit status ($(echo $statuses)) of --help has its entry in the man page"
if [ "$(echo $commands)" = "run sweep compare merge staff check keys help" ] && [ "$(echo $options | wc -w)" -ge 15 ] &&
	[ "$(echo $statuses | wc -w)" -ge 6 ] && [ -z "$missing" ]; then
	ok "$desc"
else
	not_ok "$desc" \
		"not in the man page:${missing:- none}"
fi

# ---- bash completion ----

# comp WORDS...: what the installed completion offers for the last word, as
# bash gives its function COMP_WORDS; one line, sorted. The installed program
# is on PATH, as it would be.
comp() {
	PATH="$P/bin:$PATH" bash --norc --noprofile -c '
		. "$1" || exit 1
		shift
		complete -p bordersim >/dev/null || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_bordersim
		((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		comp "$P/share/bash-completion/completions/bordersim" "$@"
}

r=$(comp bordersim r)
s=$(comp bordersim run --s)
all=$(comp bordersim "")
if [ "$r" = "run " ] && [ "$s" = "--seed --set " ] &&
	[ "$all" = "$(printf '%s\n' $commands | sort | tr '\n' ' ')" ]; then
	ok "completion: 'bordersim r' is run, 'bordersim run --s' is --seed and --set, 'bordersim ' every command of --help"
else
	not_ok "completion: 'bordersim r' is run, 'bordersim run --s' is --seed and --set, 'bordersim ' every command of --help" \
		"r: '$r'; run --s: '$s'; all: '$all'"
fi

# Each command's options as completed, against what the program accepts:
# an option it refuses for the command is "does not apply to".
wrong=""
for c in $commands; do
	offered=" $(comp bordersim "$c" -)"
	for o in $options; do
		[ "$o" = --version ] && continue
		"$BIN" "$c" "$o" "$W/none.ini" >/dev/null 2>"$W/err"
		if grep -q 'does not apply' "$W/err"; then applies=0; else applies=1; fi
		if [[ $offered == *" $o "* ]]; then completed=1; else completed=0; fi
		[ $applies -eq $completed ] || wrong="$wrong $c:$o(program $applies, completion $completed)"
	done
done
if [ -z "$wrong" ]; then
	ok "completion offers each command exactly the options the program accepts for it"
else
	not_ok "completion offers each command exactly the options the program accepts for it" "$wrong"
fi

mkdir -p "$W/c/sub" && touch "$W/c/a.ini" "$W/c/b.txt"
scen=$(comp bordersim run "$W/c/")
outs=$(comp bordersim run -o "$W/c/")
merged=$(comp bordersim merge "$W/c/")
second=$(comp bordersim run "$W/c/a.ini" "$W/c/")
if [ "$scen" = "$W/c/a.ini $W/c/sub " ] && [ "$outs" = "$W/c/sub " ] && [ "$merged" = "$W/c/sub " ] &&
	[ -z "$second" ]; then
	ok "completion: a scenario is an .ini file or a folder, -o and merge's arguments folders; nothing past run's one scenario"
else
	not_ok "completion: a scenario is an .ini file or a folder, -o and merge's arguments folders; nothing past run's one scenario" \
		"scenario: '$scen'; -o: '$outs'; merge: '$merged'; second: '$second'"
fi

kiosk=$(comp bordersim run "$D/scenarios/holiday_peak.ini" --set stage.jfk/k)
seed=$(comp bordersim sweep --vary scenario.days = 1 : 3 : 1 --set scenario.se)
pattern=$(comp bordersim run --set stage.NAME.serve)
if [[ " $kiosk" == *" stage.jfk/kiosk.servers= "* ]] && [[ " $kiosk" == *" stage.jfk/kiosk.service= "* ]] &&
	[ -z "$(printf '%s\n' $kiosk | grep -v '^stage\.jfk/kiosk\.[a-z_]*=$')" ] &&
	[ "$seed" = "scenario.seed= " ] && [ "$pattern" = "stage.NAME.servers= " ]; then
	ok "completion: --set completes the scenario's own keys (stage.jfk/kiosk.servers=), the key table's without one"
else
	not_ok "completion: --set completes the scenario's own keys (stage.jfk/kiosk.servers=), the key table's without one" \
		"kiosk: '$kiosk'" "seed: '$seed'; pattern: '$pattern'"
fi

# ---- DESTDIR and uninstall ----

mk install DESTDIR="$W/stage" PREFIX=/usr
status=$?
if [ $status -eq 0 ] && [ -x "$W/stage/usr/bin/bordersim" ] &&
	[ -f "$W/stage/usr/share/bordersim/scenarios/baseline.ini" ] &&
	grep -q '^\.B /usr/share/bordersim/scenarios/$' "$W/stage/usr/share/man/man1/bordersim.1" &&
	! grep -q "$W" "$W/stage/usr/share/man/man1/bordersim.1"; then
	ok "make install DESTDIR=DIR PREFIX=/usr: staged under DIR, the man page naming /usr/share/bordersim"
else
	not_ok "make install DESTDIR=DIR PREFIX=/usr: staged under DIR, the man page naming /usr/share/bordersim" \
		"status $status: $(head -c 400 "$W/make.log")"
fi

mk uninstall DESTDIR="$W/stage" PREFIX=/usr
s1=$?
mk uninstall PREFIX="$P"
s2=$?
if [ $s1 -eq 0 ] && [ $s2 -eq 0 ] && [ -z "$(find "$W/stage" "$P" -type f)" ] &&
	[ ! -e "$W/stage/usr/share/bordersim" ] && [ ! -e "$D" ]; then
	ok "make uninstall removes every installed file and share/bordersim"
else
	not_ok "make uninstall removes every installed file and share/bordersim" \
		"$(find "$W/stage" "$P" -type f | head -n 5)"
fi

echo "# $n tests, $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
