# bash completion for bordersim(1).
#
# Installed as share/bash-completion/completions/bordersim, where the
# bash-completion package loads it on the first <TAB> after `bordersim`; or
# source it from ~/.bashrc. It needs nothing but bash: commands, each
# command's options (the table below mirrors the one in src/cli.c;
# tests/e2e_install.sh checks it against the program), *.ini files and
# folders for scenarios, folders for -o and merge, and keys for --set and
# --vary: the scenario's own (`bordersim check` lists its sections, `bordersim
# keys` the keys a section of each kind takes), or the key table's patterns
# (stage.NAME.servers) before a scenario is on the line. The KEY=VALUE forms
# --set=KEY and --vary=KEY are not completed.

_bordersim_options() {
	local running="-o -r --reps -s --seed -j --threads --set -q --quiet"
	case $1 in
	run) echo "$running --chart --hourly -h --help" ;;
	compare) echo "$running --chart -h --help" ;;
	sweep) echo "$running --vary --shard -h --help" ;;
	staff) echo "$running --target --block --hourly -h --help" ;;
	merge) echo "-o -q --quiet -h --help" ;;
	check) echo "-r --reps -s --seed --set -q --quiet -h --help" ;;
	keys) echo "--markdown -h --help" ;;
	help) echo "-h --help" ;;
	esac
}

# The most positional arguments a command takes (merge: any number).
_bordersim_nargs() {
	case $1 in
	run | sweep | staff | check) echo 1 ;;
	compare) echo 2 ;;
	merge) echo 1000000 ;;
	*) echo 0 ;;
	esac
}

# _bordersim_keys PROGRAM [SCENARIO]: the keys --set and --vary take. With a
# scenario, each of its sections with the keys the key table gives a section
# of that kind (stage.NAME.servers for [stage.primary]: stage.primary.servers),
# and the keys its files set; without one, the key table's own names.
_bordersim_keys() {
	local table
	table=$("$1" keys 2>/dev/null | awk '/^[a-z][a-z_]*\.[^ ]/ { print $1 }')
	if [ -z "$2" ]; then
		printf '%s\n' "$table"
		return
	fi
	"$1" check "$2" 2>/dev/null | awk -v table="$table" '
		BEGIN {
			n = split(table, t, "\n")
			for (i = 1; i <= n; i++)
				if (t[i] ~ /^scenario\./)
					print t[i]
		}
		/^\[.*\]$/ {
			section = substr($0, 2, length($0) - 2)
			kind = section
			sub(/\..*/, "", kind)
			for (i = 1; i <= n; i++)
				if (index(t[i], kind ".") == 1 && split(t[i], parts, ".") == 3)
					print section "." parts[3]
			next
		}
		/^[^;# \t][^=]*=/ && section != "" {
			key = $0
			sub(/[ \t]*=.*/, "", key)
			print section "." key
		}' | sort -u
}

_bordersim() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prog=${COMP_WORDS[0]} i w cmd="" scenario="" nargs=0
	# The words before the cursor as the program sees them: readline splits
	# KEY=VALUE and START:STOP:STEP at '=' and ':', glued back here.
	local -a words=()
	local glue=0
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w =~ ^[=:]+$ ]] || ((glue)); then
			words[${#words[@]} - 1]+=$w
			[[ $w =~ ^[=:]+$ ]] && glue=1 || glue=0
		else
			words+=("$w")
		fi
	done
	[[ $cur =~ ^[=:]+$ ]] && return 0
	((glue)) && return 0

	if ((${#words[@]} == 0)); then
		case $cur in
		-*) COMPREPLY=($(compgen -W "--help -h --version" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "run sweep compare staff merge check keys help" -- "$cur")) ;;
		esac
		return 0
	fi
	cmd=${words[0]}

	# The option whose value is being typed, and the arguments so far.
	local prev="" takes_value=0
	for ((i = 1; i < ${#words[@]}; i++)); do
		w=${words[i]}
		if ((takes_value)); then
			takes_value=0
			continue
		fi
		case $w in
		-o | -r | --reps | -s | --seed | -j | --threads | --set | --vary | --shard | --chart | \
			--target | --block | --hourly)
			takes_value=1 ;;
		-*) ;;
		*)
			nargs=$((nargs + 1))
			[ -z "$scenario" ] && [[ $w == *.ini ]] && [ -f "$w" ] && scenario=$w ;;
		esac
	done
	((takes_value)) && prev=${words[${#words[@]} - 1]}

	case $prev in
	-o)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0 ;;
	--set | --vary)
		compopt -o nospace 2>/dev/null
		local keys
		keys=$(_bordersim_keys "$prog" "$scenario")
		COMPREPLY=($(compgen -W "$keys" -S = -- "$cur"))
		return 0 ;;
	--hourly)
		COMPREPLY=($(compgen -W "all" -- "$cur"))
		return 0 ;;
	?*) return 0 ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_bordersim_options "$cmd")" -- "$cur"))
		return 0
	fi
	if ((nargs >= $(_bordersim_nargs "$cmd"))); then
		return 0
	fi
	compopt -o filenames 2>/dev/null
	case $cmd in
	merge) COMPREPLY=($(compgen -d -- "$cur")) ;;
	*) COMPREPLY=($(compgen -f -X '!*.ini' -- "$cur") $(compgen -d -- "$cur")) ;;
	esac
	return 0
}

complete -F _bordersim bordersim
