#!/usr/bin/env bash
# Writes a scenario of N stages in a chain, each routing to the next and the
# last to exit, fed by one stream: the load-time benchmark of the scenario
# reader (docs/scenarios.md, "Limits of what is read"). Usage: tests/gen_stages.sh N > FILE
set -euo pipefail
n=$1
awk -v n="$n" 'BEGIN {
	print "[scenario]\nname = chain\ndays = 1\nreplications = 1\n"
	print "[stream.travelers]\nper_day = 100\nprofile = flat\nroute = s1\n"
	for (i = 1; i <= n; i++) {
		printf "[stage.s%d]\nservers = 1\nservice = exponential(mean=1s)\n", i
		if (i < n) printf "next = s%d\n\n", i + 1; else print "next = exit\n"
	}
}'
