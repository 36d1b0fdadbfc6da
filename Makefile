# bordersim — build, test, benchmark.
#   make run       set-up (the run packages), build in parallel, run scenarios/baseline.ini
#                  into output/baseline/
#   make test      set-up (the test packages too), build, every unit and end-to-end test
#   make install   the program, man page, scenarios, data and bash completion under
#                  PREFIX (/usr/local); DESTDIR=DIR stages them there; make uninstall
#   make sanitize  the tests built and run with AddressSanitizer + UBSan
#   make fuzz      each libFuzzer harness for FUZZ_TIME seconds (clang)
#   make valgrind  the unit tests and a short national run under valgrind
#   make bench     the benchmark, into output/bench/bench.csv
#   make test-slurm  a sharded sweep through a single-node Slurm cluster

CC      ?= cc
OPT     ?= -O2 -g
# Link-time optimisation for the program and the benchmark: the engine's
# calls into the calendar, the generators and the distributions inline across
# files, 6% fewer instructions for a national day and the same bytes out (ISO
# C mode: no contracted floating point). The library's objects are fat, so
# the tests link their plain code with -fno-lto.
LTO     ?= -flto=auto -ffat-lto-objects
STD      = -std=c11 -D_POSIX_C_SOURCE=200809L
WARN     = -Wall
WARN    += -Wextra
WARN    += -Werror
WARN    += -Wshadow
WARN    += -Wpointer-arith
WARN    += -Wstrict-prototypes
WARN    += -Wmissing-prototypes
WARN    += -Wno-unused-parameter
CFLAGS  += $(STD) $(OPT) $(WARN) $(XCFLAGS)
CPPFLAGS+= -Iinclude -MMD -MP
LDLIBS   = -linih -lcsv -lgsl -lgslcblas -lm -lpthread
TESTLIBS = -lcmocka

B       ?= build
LIB      = $(B)/libbordersim.a
SRC      = $(filter-out src/main.c,$(wildcard src/*.c))
OBJ      = $(SRC:src/%.c=$(B)/obj/%.o)
TSRC     = $(wildcard tests/test_*.c)
TBIN     = $(TSRC:tests/%.c=$(B)/tests/%)
PROG    ?= bordersim

# The Debian packages: what building and running need, and what the tests
# need besides (cmocka; GNU parallel, xmllint, groff, man and mandoc for e2e*.sh).
RUN_PKGS  = libgsl-dev libcsv-dev libinih-dev pkg-config
TEST_PKGS = libcmocka-dev parallel libxml2-utils groff-base man-db mandoc
DEB_PKGS  = $(RUN_PKGS) $(TEST_PKGS)
NPROC    := $(shell nproc 2>/dev/null || echo 1)

# Where `make install` puts things. The scenarios and the data go side by
# side under DATADIR, as in the source tree, so that scenarios/x.ini can name
# ../data/y.csv; the man page names DATADIR, written in at install.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/bordersim
MANDIR  ?= $(PREFIX)/share/man/man1
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install
SCENARIOS = $(wildcard scenarios/*.ini)
TEMPLATES = $(wildcard templates/*.ini)
DATA      = $(wildcard data/*.csv) data/baseline_staffing.ini data/README.md

.PHONY: all deps deps-run deps-fuzz run test check-unit check-fuzz check-scenarios check-e2e \
        sanitize valgrind bench fuzz test-slurm install uninstall clean

all: $(PROG) $(TBIN) $(B)/bench

$(B)/obj/%.o: src/%.c | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LTO) -c $< -o $@

$(LIB): $(OBJ)
	rm -f $@
	ar rcs $@ $^

$(PROG): $(B)/obj/main.o $(LIB)
	$(CC) $(CFLAGS) $(LTO) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(B)/tests/%: tests/%.c $(LIB) | $(B)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -fno-lto $(LDFLAGS) $< $(LIB) $(TESTLIBS) $(LDLIBS) -o $@

$(B)/bench: tests/bench.c $(LIB) | $(B)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LTO) $(LDFLAGS) $< $(LIB) $(LDLIBS) -o $@

$(B) $(B)/obj $(B)/tests $(B)/fuzz:
	mkdir -p $@

# $(call install,TARGET,PACKAGES): installs the Debian packages that are
# missing when it can (root with apt-get); otherwise says the exact command.
define install
	@missing=""; \
	for p in $(2); do \
	  dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -q '^installed$$' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "$(1): installing$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing || exit 1; \
	  else \
	    echo "$(1): missing$$missing; install them with:" >&2; \
	    echo "  sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install,deps,$(DEB_PKGS))

deps-run:
	$(call install,deps-run,$(RUN_PKGS))

run: deps-run
	@$(MAKE) --no-print-directory -j$(NPROC) $(PROG)
	./$(PROG) run scenarios/baseline.ini

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check-unit check-fuzz check-e2e

UNIT    ?= $(TBIN)

check-unit: $(UNIT)
	@fail=0; for t in $(UNIT); do echo "== $$t"; $$t || fail=1; done; exit $$fail

# Every shipped scenario, one replication of a short day: under the sanitizers
# this stands in for test_national, whose hundreds of simulated national days
# would take most of an hour there.
check-scenarios: $(PROG)
	@fail=0; for f in scenarios/*.ini; do echo "== $$f"; \
	  ./$(PROG) run $$f -q -r 1 --set scenario.warmup_days=0.5 --set scenario.days=1 \
	    -o $(B)/scenario-check || fail=1; done; exit $$fail

check-e2e: $(PROG)
	@fail=0; for t in tests/e2e*.sh; do echo "== $$t"; $$t ./$(PROG) || fail=1; done; exit $$fail

# The fuzz corpus and every crash the fuzzers ever found, replayed through
# each harness built by $(CC) with tests/fuzz/replay.c instead of libFuzzer
# (no clang needed); under `make sanitize` with the sanitizers, so a leak or
# UB once found stays fixed.
FUZZ        = scenario dist merge
FUZZ_REPLAY = $(FUZZ:%=$(B)/fuzz/fuzz_%)

$(B)/fuzz/replay.o: tests/fuzz/replay.c | $(B)/fuzz
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(B)/fuzz/replay.o $(LIB) | $(B)/fuzz
	$(CC) $(CPPFLAGS) $(CFLAGS) -fno-lto $(LDFLAGS) $< $(B)/fuzz/replay.o $(LIB) $(LDLIBS) -o $@

check-fuzz: $(FUZZ_REPLAY)
	@fail=0; for n in $(FUZZ); do echo "== $(B)/fuzz/fuzz_$$n"; \
	  $(B)/fuzz/fuzz_$$n tests/fuzz/corpus/$$n tests/fuzz/crashes/$$n || fail=1; \
	done; exit $$fail

sanitize: deps
	@$(MAKE) --no-print-directory B=build-san PROG=build-san/bordersim \
	  OPT="-O1 -g -fno-omit-frame-pointer" LTO= \
	  XCFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" \
	  UNIT="$(filter-out build-san/tests/test_national,$(TBIN:$(B)/%=build-san/%))" \
	  all check-unit check-fuzz check-scenarios check-e2e

# The unit tests but the national one, and one short national run, under
# valgrind: any error or leak fails.
VALGRIND = valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect -q
valgrind: deps
	@command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)" >&2; exit 1; }
	@$(MAKE) --no-print-directory all
	@fail=0; for t in $(filter-out $(B)/tests/test_national,$(TBIN)); do echo "== valgrind $$t"; \
	  $(VALGRIND) $$t >/dev/null || fail=1; done; \
	echo "== valgrind bordersim run scenarios/baseline.ini (a short day)"; \
	$(VALGRIND) ./$(PROG) run scenarios/baseline.ini -q -r 2 --set scenario.warmup_days=0.5 \
	  --set scenario.days=0.5 -o $(B)/valgrind-run || fail=1; exit $$fail

bench: deps
	@$(MAKE) --no-print-directory $(B)/bench
	@mkdir -p output/bench
	tests/bench.sh $(B)/bench output/bench/bench.csv

# Each harness under libFuzzer (clang, ASan + UBSan) for FUZZ_TIME seconds,
# one after the other, against the library built into build-fuzz/. The fuzzer
# works on a copy of tests/fuzz/corpus/NAME in build-fuzz/corpus/NAME (what it
# adds stays there; minimise into tests/fuzz/corpus deliberately) and also
# reads tests/fuzz/crashes/NAME. A crash, leak, UB or timeout is written to
# tests/fuzz/crashes/NAME/ and fails the target: fix the bug, keep the input.
FUZZ_CC    ?= clang-14
FUZZ_TIME  ?= 60
FUZZ_FLAGS ?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_PKGS   = clang-14 libclang-rt-14-dev
FB          = build-fuzz
FUZZ_SAN    = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = $(STD) -O1 -g -fno-omit-frame-pointer $(WARN) $(FUZZ_SAN)
FUZZ_OBJ    = $(SRC:src/%.c=$(FB)/obj/%.o)

# As deps, for the fuzzers' compiler and runtime.
deps-fuzz:
	$(call install,deps-fuzz,$(FUZZ_PKGS))

$(FB)/obj/%.o: src/%.c | $(FB)/obj
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FB)/libbordersim.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c $(FB)/libbordersim.a
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FB)/libbordersim.a $(LDLIBS) -o $@

$(FB)/obj:
	mkdir -p $@

fuzz: deps deps-fuzz
	@$(MAKE) --no-print-directory $(FUZZ:%=$(FB)/fuzz_%)
	@fail=0; for n in $(FUZZ); do \
	  mkdir -p $(FB)/corpus/$$n tests/fuzz/crashes/$$n && \
	  cp tests/fuzz/corpus/$$n/* $(FB)/corpus/$$n/ && \
	  echo "== $(FB)/fuzz_$$n for $(FUZZ_TIME) s" && \
	  $(FB)/fuzz_$$n $(FUZZ_FLAGS) -max_total_time=$(FUZZ_TIME) \
	    -artifact_prefix=tests/fuzz/crashes/$$n/ $(FB)/corpus/$$n tests/fuzz/crashes/$$n \
	    </dev/null || fail=1; \
	done; exit $$fail

# A single-node Slurm cluster on localhost: starts it, runs a sharded sweep as
# a job array and a merge job, checks the result, stops it.
test-slurm: deps
	@$(MAKE) --no-print-directory $(PROG)
	tests/slurm.sh ./$(PROG)

# The installed program reads nothing from the source tree: a scenario's
# includes, templates and catalogs are relative to the scenario (scenarios/,
# templates/ and data/ side by side), outputs go to the current folder.
# data/raw/ (the public files as published) is not installed: only
# scripts/derive-data.sh reads it.
install: $(PROG)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(COMPDIR) \
	  $(DESTDIR)$(DATADIR)/scenarios $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/data
	$(INSTALL) -m 755 $(PROG) $(DESTDIR)$(BINDIR)/bordersim
	sed 's|/usr/local/share/bordersim|$(DATADIR)|g' man/bordersim.1 >$(DESTDIR)$(MANDIR)/bordersim.1
	chmod 644 $(DESTDIR)$(MANDIR)/bordersim.1
	$(INSTALL) -m 644 completion/bordersim.bash $(DESTDIR)$(COMPDIR)/bordersim
	$(INSTALL) -m 644 $(SCENARIOS) $(DESTDIR)$(DATADIR)/scenarios
	$(INSTALL) -m 644 $(TEMPLATES) $(DESTDIR)$(DATADIR)/templates
	$(INSTALL) -m 644 $(DATA) $(DESTDIR)$(DATADIR)/data

# Removes what install put there, and DATADIR's folders when left empty.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/bordersim $(DESTDIR)$(MANDIR)/bordersim.1 \
	  $(DESTDIR)$(COMPDIR)/bordersim
	rm -f $(SCENARIOS:%=$(DESTDIR)$(DATADIR)/%) $(TEMPLATES:%=$(DESTDIR)$(DATADIR)/%) \
	  $(DATA:%=$(DESTDIR)$(DATADIR)/%)
	rmdir $(DESTDIR)$(DATADIR)/scenarios $(DESTDIR)$(DATADIR)/templates \
	  $(DESTDIR)$(DATADIR)/data $(DESTDIR)$(DATADIR) \
	  2>/dev/null || true

clean:
	rm -rf build build-san build-fuzz $(PROG)

-include $(OBJ:.o=.d) $(B)/obj/main.d $(FUZZ_OBJ:.o=.d)

# report.html in a real browser: installs Debian's chromium as deps installs
# the build's packages, then renders a run's and a compare's report.html
# headless and checks the DOM and that the charts drew (tests/browser.sh).
CHROMIUM_PKGS = chromium
.PHONY: check-browser
check-browser: deps
	$(call install,check-browser,$(CHROMIUM_PKGS))
	@$(MAKE) --no-print-directory $(PROG)
	tests/browser.sh ./$(PROG) chromium
