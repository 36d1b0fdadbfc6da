/* fuzz_scenario: libFuzzer harness for the scenario reader and the model
 * compiler.
 *
 * Each input is a set of files: its lines "%%" split it into up to NPART
 * parts, written as f0.ini (the top file) to f7.ini into a private folder
 * made once per process (a part the input lacks is no file), and f0.ini is
 * read with scenario_load; what reads is compiled with model_compile. So the
 * fuzzer builds include chains, diamonds and cycles among the parts (a
 * self-include is "include = f0.ini"). The folder also holds, made once,
 * files of every kind an include may meet (KINDS below): a FIFO without a
 * writer, a folder, a sparse file over the size limit, /dev/zero (never
 * ends) and /proc/self/mem (a read error, EIO) by symbolic links, and a chain
 * of SCENARIO_INCLUDE_DEPTH + 1 files chain0.ini -> chain1.ini -> ... that
 * ends by including f1.ini, so the depth limit is met at any depth the
 * fuzzer picks. Neither reading nor compiling may crash, leak or hang (a
 * FIFO or a device must be refused at once), and a refusal must be
 * EX_DATAERR with a message that starts with the name of a file in the
 * folder (the message names file:line and key). Two more properties are
 * checked:
 *
 * - a compiled model is one the engine can run: routes that are
 *   distributions over known stages, a horizon whose hours fit a long,
 *   finite surge, closure and budget figures;
 * - the effective scenario, written by scenario_write and read back, has the
 *   same entries (values equal up to runs of white space and the blank a
 *   break after a comma adds) and compiles the same way (scenario.h: "Reading the
 *   result back gives the same model").
 *
 * `include = FILE` may name any file. An input whose include names a path
 * with a '/' is skipped, so that an include resolves inside the private
 * folder, to the files above or to nothing, and runs stay alike from one
 * machine to the next. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "fuzzutil.h"
#include "model.h"
#include "scenario.h"

#define NPART 8
#define NCHAIN (SCENARIO_INCLUDE_DEPTH + 2)

static char *dir, *path, *rt_dir, *rt_path;

/* dir/name, in a buffer of the caller's. */
static char *in_dir(char *buf, size_t len, const char *name)
{
	FUZZ_CHECK((size_t)snprintf(buf, len, "%s/%s", dir, name) < len, "name too long");
	return buf;
}

/* dir/fK.ini */
static char *part_path(char *buf, size_t len, int k)
{
	char name[16];
	snprintf(name, sizeof name, "f%d.ini", k);
	return in_dir(buf, len, name);
}

static char *chain_path(char *buf, size_t len, int k)
{
	char name[24];
	snprintf(name, sizeof name, "chain%d.ini", k);
	return in_dir(buf, len, name);
}

/* The files of other kinds than a scenario, made once. */
static const char *const KINDS[] = { "fifo.ini", "dir.ini", "big.ini", "zero.ini", "mem.ini" };

static void cleanup(void)
{
	char buf[4096];
	unlink(rt_path);
	rmdir(rt_dir);
	for (int k = 0; k < NPART; k++)
		unlink(part_path(buf, sizeof buf, k));
	for (int k = 0; k < NCHAIN; k++)
		unlink(chain_path(buf, sizeof buf, k));
	for (size_t k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++)
		if (unlink(in_dir(buf, sizeof buf, KINDS[k])) != 0)
			rmdir(buf);
	rmdir(dir);
}

static void make_kinds(void)
{
	char buf[4096], text[64];
	FUZZ_CHECK(mkfifo(in_dir(buf, sizeof buf, "fifo.ini"), 0600) == 0, "cannot make a FIFO");
	FUZZ_CHECK(mkdir(in_dir(buf, sizeof buf, "dir.ini"), 0700) == 0, "cannot make a folder");
	fuzz_write(in_dir(buf, sizeof buf, "big.ini"), "", 0);
	FUZZ_CHECK(truncate(buf, (off_t)SCENARIO_BYTES_MAX + 1) == 0, "cannot grow %s", buf);
	FUZZ_CHECK(symlink("/dev/zero", in_dir(buf, sizeof buf, "zero.ini")) == 0, "symlink");
	FUZZ_CHECK(symlink("/proc/self/mem", in_dir(buf, sizeof buf, "mem.ini")) == 0, "symlink");
	for (int k = 0; k < NCHAIN; k++) {
		if (k + 1 < NCHAIN)
			snprintf(text, sizeof text, "include = chain%d.ini\n", k + 1);
		else
			snprintf(text, sizeof text, "include = f1.ini\n");
		fuzz_write(chain_path(buf, sizeof buf, k), text, strlen(text));
	}
}

static void setup(void)
{
	if (dir)
		return;
	dir = fuzz_tmpdir("fuzz_scenario");
	path = malloc(strlen(dir) + sizeof "/f0.ini");
	rt_dir = malloc(strlen(dir) + sizeof "/rt");
	rt_path = malloc(strlen(dir) + sizeof "/rt/fuzz.ini");
	FUZZ_CHECK(path && rt_dir && rt_path, "out of memory");
	sprintf(path, "%s/f0.ini", dir);
	sprintf(rt_dir, "%s/rt", dir);
	sprintf(rt_path, "%s/rt/fuzz.ini", dir);
	FUZZ_CHECK(mkdir(rt_dir, 0700) == 0, "cannot make %s", rt_dir);
	atexit(cleanup);
	make_kinds();
}

/* Writes the parts of data (split at lines "%%") as f0.ini ...; a part the
 * input lacks is removed, so that no file of an earlier input remains. */
static void write_parts(const uint8_t *data, size_t size)
{
	char buf[4096];
	const uint8_t *start = data, *end = data + size, *p = data;
	int k = 0;
	while (k < NPART - 1 && p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *line_end = nl ? nl : end;
		if (line_end - p == 2 && p[0] == '%' && p[1] == '%') {
			fuzz_write(part_path(buf, sizeof buf, k++), start, (size_t)(p - start));
			start = nl ? nl + 1 : end;
		}
		p = nl ? nl + 1 : end;
	}
	fuzz_write(part_path(buf, sizeof buf, k++), start, (size_t)(end - start));
	for (; k < NPART; k++)
		unlink(part_path(buf, sizeof buf, k));
}

/* Whether some line names "include" and holds a '/': such an include could
 * leave the private folder. Errs on the side of skipping. */
static int include_leaves(const uint8_t *data, size_t size)
{
	const uint8_t *line = data, *end = data + size;
	while (line < end) {
		const uint8_t *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
		int inc = 0, slash = 0;
		for (size_t i = 0; i < n; i++) {
			slash |= line[i] == '/';
			inc |= i + 7 <= n && memcmp(line + i, "include", 7) == 0;
		}
		if (inc && slash)
			return 1;
		line += n + 1;
	}
	return 0;
}

/* A refusal: the status the header promises and a message naming a file of
 * the folder: "DIR/NAME:". */
static void check_refusal(int rc, const char *err, const char *what)
{
	size_t n = strlen(dir), k = n + 1;
	FUZZ_CHECK(rc == EX_DATAERR, "%s returned %d: %s", what, rc, err);
	while (err[k] && (isalnum((unsigned char)err[k]) || err[k] == '.'))
		k++;
	FUZZ_CHECK(strncmp(err, dir, n) == 0 && err[n] == '/' && k > n + 1 && err[k] == ':',
	           "%s: message does not start with '%s/FILE:': '%s'", what, dir, err);
}

static void check_route(const struct model *m, const struct route *r, const char *what)
{
	FUZZ_CHECK(r->n >= 1 && r->dest && r->cum, "%s: empty route", what);
	for (size_t k = 0; k < r->n; k++) {
		FUZZ_CHECK(r->dest[k] == ROUTE_EXIT || (r->dest[k] >= 0 &&
		           (size_t)r->dest[k] < m->nstage), "%s: destination %d", what, r->dest[k]);
		FUZZ_CHECK(r->cum[k] >= (k ? r->cum[k - 1] : 0) && r->cum[k] <= 1,
		           "%s: cum[%zu] = %g", what, k, r->cum[k]);
	}
	FUZZ_CHECK(r->cum[r->n - 1] == 1, "%s: cum ends at %.17g", what, r->cum[r->n - 1]);
}

static void check_dist(const struct dist *d, const char *what)
{
	FUZZ_CHECK(isfinite(d->mean) && d->mean >= 0, "%s: mean %g", what, d->mean);
}

/* What the engine takes for granted in a compiled model. */
static void check_model(const struct model *m)
{
	double hours = (m->warmup_days + m->days) * 24;
	FUZZ_CHECK(m->name && m->days > 0 && m->warmup_days >= 0 && m->replications >= 1,
	           "days %g, warm-up %g", m->days, m->warmup_days);
	FUZZ_CHECK(hours < 0x1p62, "a horizon of %g hours", hours);
	FUZZ_CHECK(isfinite(m->est_events) && m->est_events <= m->max_events,
	           "estimate %g, budget %g", m->est_events, m->max_events);
	FUZZ_CHECK(m->nstream >= 1 && m->nstage >= 1, "%zu streams, %zu stages", m->nstream,
	           m->nstage);
	for (size_t i = 0; i < m->nstream; i++) {
		const struct model_stream *s = &m->stream[i];
		double sum = 0;
		FUZZ_CHECK(isfinite(s->per_day) && s->per_day >= 0, "per_day %g", s->per_day);
		for (int h = 0; h < MODEL_HOURS; h++) {
			FUZZ_CHECK(s->weight[h] >= 0 && s->weight[h] <= 1, "weight %g", s->weight[h]);
			sum += s->weight[h];
		}
		FUZZ_CHECK(fabs(sum - 1) < 1e-9, "weights add up to %.17g", sum);
		check_route(m, &s->route, s->name);
		FUZZ_CHECK(s->npersons >= 1 && s->pcum[s->npersons - 1] == 1, "persons");
		for (size_t k = 0; k < s->nsurge; k++) {
			const struct model_surge *g = &s->surge[k];
			FUZZ_CHECK(g->t0 <= g->t1 && g->t1 <= g->t2 && g->t2 <= g->t3 &&
			           isfinite(g->t0) && g->factor >= 0, "surge %g %g %g %g x%g", g->t0,
			           g->t1, g->t2, g->t3, g->factor);
		}
	}
	for (size_t i = 0; i < m->nstage; i++) {
		const struct model_stage *st = &m->stage[i];
		for (int h = 0; h < MODEL_HOURS; h++)
			FUZZ_CHECK(st->servers[h] >= 0, "servers %d", st->servers[h]);
		check_dist(&st->service, st->name);
		check_route(m, &st->next, st->name);
		for (size_t k = 0; k < st->nclosure; k++)
			FUZZ_CHECK(isfinite(st->closure[k].start) &&
			           !(st->closure[k].end < st->closure[k].start), "closure %g %g",
			           st->closure[k].start, st->closure[k].end);
	}
	for (size_t i = 0; i < m->nfind; i++) {
		const struct model_find *f = &m->find[i];
		FUZZ_CHECK(f->nstage >= 1 && f->probability >= 0 && f->probability <= 1, "find");
		for (size_t k = 0; k < f->nstage; k++)
			FUZZ_CHECK(f->stage[k] >= 0 && (size_t)f->stage[k] < m->nstage, "find stage");
		check_dist(&f->amount, f->name);
	}
}

/* A value with runs of white space made one blank and the blank after a
 * comma dropped: what scenario_write may change (scenario.c, write_value). */
static char *normal(const char *v)
{
	char *s = malloc(strlen(v) + 1), *o = s;
	FUZZ_CHECK(s != NULL, "out of memory");
	for (const char *p = v; *p; p++) {
		int blank = isspace((unsigned char)*p);
		if (blank && (o == s || o[-1] == ' ' || o[-1] == ','))
			continue;
		*o++ = blank ? ' ' : *p;
	}
	*o = '\0';
	return s;
}

static void check_same_entries(const struct scenario *a, const struct scenario *b)
{
	FUZZ_CHECK(a->n == b->n, "%zu entries written, %zu read back", a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct scenario_entry *e = &a->entry[i];
		const struct scenario_entry *f = scenario_get(b, e->section, e->key);
		FUZZ_CHECK(f != NULL, "%s.%s not read back", e->section, e->key);
		char *x = normal(e->value), *y = normal(f->value);
		FUZZ_CHECK(strcmp(x, y) == 0, "%s.%s: '%s' read back as '%s'", e->section, e->key,
		           e->value, f->value);
		free(x);
		free(y);
	}
}

/* The effective scenario written and read back gives the same entries and
 * compiles the same way. */
static void round_trip(const struct scenario *sc, int rc, const struct model *m)
{
	struct scenario back;
	struct model m2;
	char err[1024] = "";
	FILE *f = fopen(rt_path, "w");
	FUZZ_CHECK(f != NULL, "cannot write %s", rt_path);
	FUZZ_CHECK(scenario_write(sc, f) == 0 && fclose(f) == 0, "scenario_write failed");
	scenario_init(&back);
	int rc2 = scenario_load(&back, rt_path, err, sizeof err);
	FUZZ_CHECK(rc2 == 0, "the effective scenario does not read back: %s", err);
	check_same_entries(sc, &back);
	rc2 = model_compile(&m2, &back, err, sizeof err);
	FUZZ_CHECK((rc == 0) == (rc2 == 0), "compiles with %d, read back with %d: %s", rc, rc2,
	           err);
	if (rc == 0)
		FUZZ_CHECK(m2.nstage == m->nstage && m2.nstream == m->nstream &&
		           m2.nfind == m->nfind && m2.est_events == m->est_events,
		           "read back, a different model");
	model_release(&m2);
	scenario_release(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	struct model m;
	char err[1024] = "";
	setup();
	if (include_leaves(data, size))
		return 0;
	write_parts(data, size);
	scenario_init(&sc);
	int rc = scenario_load(&sc, path, err, sizeof err);
	if (fuzz_verbose())
		fprintf(stderr, "scenario_load: %d %s\n", rc, err);
	if (rc) {
		check_refusal(rc, err, "scenario_load");
		scenario_release(&sc);
		return 0;
	}
	rc = model_compile(&m, &sc, err, sizeof err);
	if (fuzz_verbose())
		fprintf(stderr, "model_compile: %d %s\n", rc, err);
	if (rc)
		check_refusal(rc, err, "model_compile");
	else
		check_model(&m);
	round_trip(&sc, rc, &m);
	model_release(&m);
	scenario_release(&sc);
	return 0;
}
