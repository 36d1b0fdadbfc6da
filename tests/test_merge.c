/* test_merge: shards of a synthetic sweep written with their manifests and
 * joined back by merge_run byte for byte, in any order of folders, and every
 * refusal: other sweeps, a shard missing or given twice, files truncated or
 * changed, inputs past their bounds. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "batch.h"
#include "merge.h"
#include "table.h"
#include "scenario.h"
#include "util.h"
#include "testfiles.h"
#include "testsweep.h"

#define GRID "stage.a.servers=1:7:1"

struct root {
	char path[64];
};

static int setup(void **state)
{
	struct root *r = xcalloc(1, sizeof *r);
	strcpy(r->path, "/tmp/test_merge.XXXXXX");
	if (!mkdtemp(r->path))
		return -1;
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct root *r = *state;
	rm_rf(r->path);
	free(r);
	return 0;
}

/* Writes a sweep of GRID (shard k of n; 0, 0 whole) into root/name. */
static char *write_sweep(const struct root *r, const char *name, const char *grid, unsigned k,
                         unsigned n, uint64_t seed)
{
	struct batch_sweep s;
	char err[512], *dir = xasprintf("%s/%s", r->path, name);
	struct table manifest = { 0 };
	make_sweep(&s, grid, k, n, 0);
	s.seed = seed;
	if (n)
		merge_manifest(&manifest, &s);
	if (batch_sweep_write(dir, &s, n ? &manifest : NULL, NULL, err, sizeof err) != 0)
		fail_msg("%s", err);
	table_release(&manifest);
	batch_sweep_release(&s);
	return dir;
}

static void assert_same_file(const char *a, const char *b, const char *name)
{
	char *pa = xasprintf("%s/%s", a, name), *pb = xasprintf("%s/%s", b, name);
	char *ta = read_all(pa), *tb = read_all(pb);
	if (!ta || !tb || strcmp(ta, tb) != 0)
		fail_msg("%s differs between '%s' and '%s'", name, a, b);
	free(ta);
	free(tb);
	free(pa);
	free(pb);
}

static int exists(const char *dir, const char *name)
{
	struct stat st;
	char *p = xasprintf("%s/%s", dir, name);
	int e = lstat(p, &st) == 0;
	free(p);
	return e;
}

/* merge(dirs) fails with status and a message holding every want. */
static void merge_fails(const char *const *dir, size_t n, int status, const char *want1,
                        const char *want2)
{
	struct batch_sweep s;
	char err[1024] = "";
	batch_sweep_init(&s);
	int got = merge_run(&s, dir, n, err, sizeof err);
	if (got != status || !strstr(err, want1) || (want2 && !strstr(err, want2)))
		fail_msg("merge: status %d, '%s'; expected %d with '%s' and '%s'", got, err, status,
		         want1, want2 ? want2 : "");
	assert_int_equal(s.table.nrow, 0);
	batch_sweep_release(&s);
}

static void merge_byte_for_byte(void **state)
{
	struct root *r = *state;
	char *whole = write_sweep(r, "whole", GRID, 0, 0, 7);
	char *sh[3];
	for (unsigned k = 1; k <= 3; k++) {
		char name[16];
		snprintf(name, sizeof name, "s%u", k);
		sh[k - 1] = write_sweep(r, name, GRID, k, 3, 7);
		assert_true(exists(sh[k - 1], "shard.csv"));
		assert_false(exists(sh[k - 1], "sweep.svg"));
	}
	assert_true(exists(whole, "sweep.svg"));
	assert_false(exists(whole, "shard.csv"));

	const char *order[] = { sh[2], sh[0], sh[1] };
	struct batch_sweep s;
	char err[512] = "", *merged = xasprintf("%s/merged", r->path);
	batch_sweep_init(&s);
	if (merge_run(&s, order, 3, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(s.grid.npoint, 7);
	assert_int_equal(s.shard_n, 0);
	assert_int_equal(s.nrow, 7 * 3 * NSTAGE);
	assert_int_equal(batch_sweep_write(merged, &s, NULL, NULL, err, sizeof err), 0);
	batch_sweep_release(&s);
	assert_same_file(whole, merged, "sweep.csv");
	assert_same_file(whole, merged, "scenario.ini");
	assert_same_file(whole, merged, "sweep.svg");
	assert_false(exists(merged, "shard.csv"));

	/* More shards than points: the empty shards still merge. */
	char *e[9];
	for (unsigned k = 1; k <= 9; k++) {
		char name[16];
		snprintf(name, sizeof name, "e%u", k);
		e[k - 1] = write_sweep(r, name, GRID, k, 9, 7);
	}
	batch_sweep_init(&s);
	assert_int_equal(merge_run(&s, (const char *const *)e, 9, err, sizeof err), 0);
	char *merged9 = xasprintf("%s/merged9", r->path);
	assert_int_equal(batch_sweep_write(merged9, &s, NULL, NULL, err, sizeof err), 0);
	batch_sweep_release(&s);
	assert_same_file(whole, merged9, "sweep.csv");
	for (unsigned k = 0; k < 9; k++)
		free(e[k]);
	free(merged9);
	free(merged);
	for (int k = 0; k < 3; k++)
		free(sh[k]);
	free(whole);
}

static void merge_refuses_other_sweeps(void **state)
{
	struct root *r = *state;
	char *s1 = write_sweep(r, "s1", GRID, 1, 3, 7), *s2 = write_sweep(r, "s2", GRID, 2, 3, 7);
	char *s3 = write_sweep(r, "s3", GRID, 3, 3, 7);
	char *seed8 = write_sweep(r, "seed8", GRID, 2, 3, 8);
	char *grid = write_sweep(r, "grid", "stage.a.servers=2:8:1", 2, 3, 7);
	char *of4 = write_sweep(r, "of4", GRID, 2, 4, 7);

	const char *a[] = { s1, seed8, s3 };
	merge_fails(a, 3, EX_DATAERR, "shards of different sweeps", "seed 8");
	const char *b[] = { s1, grid, s3 };
	merge_fails(b, 3, EX_DATAERR, "shards of different sweeps", "varies stage.a.servers=2,3");
	const char *c[] = { s1, of4, s3 };
	merge_fails(c, 3, EX_DATAERR, "shards of different sweeps", "shard 2/4");

	/* The same scenario name, another scenario.ini: the fingerprint tells. */
	char *ini = xasprintf("%s/scenario.ini", s2);
	write_text(ini, "; effective scenario\n\n[scenario]\nname = syn\nseed = 7\ndays = 2\n");
	const char *d[] = { s1, s2, s3 };
	merge_fails(d, 3, EX_DATAERR, "scenario.ini", "changed or truncated");
	free(ini);
	free(of4);
	free(grid);
	free(seed8);
	free(s3);
	free(s2);
	free(s1);
}

static void merge_refuses_missing_and_twice(void **state)
{
	struct root *r = *state;
	char *s1 = write_sweep(r, "s1", GRID, 1, 3, 7), *s2 = write_sweep(r, "s2", GRID, 2, 3, 7);
	char *s3 = write_sweep(r, "s3", GRID, 3, 3, 7), *again = write_sweep(r, "again", GRID, 2, 3, 7);
	char *whole = write_sweep(r, "whole", GRID, 0, 0, 7);
	const char *a[] = { s1, s3 };
	merge_fails(a, 2, EX_DATAERR, "shard 2/3 is missing", NULL);
	const char *b[] = { s1, s2, again, s3 };
	merge_fails(b, 4, EX_DATAERR, "shard 2/3 given twice", "again");
	const char *c[] = { s1, s2, s2 };
	merge_fails(c, 3, EX_DATAERR, "given twice", NULL);
	const char *d[] = { s1, s2, whole };
	merge_fails(d, 3, EX_NOINPUT, "is not a sweep shard", "shard.csv");
	char *nowhere = xasprintf("%s/nowhere", r->path);
	const char *e[] = { s1, s2, nowhere };
	merge_fails(e, 3, EX_NOINPUT, "nowhere", NULL);
	free(nowhere);
	free(whole);
	free(again);
	free(s3);
	free(s2);
	free(s1);
}

/* Cuts path down to len bytes. */
static void cut(const char *dir, const char *name, long drop)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(truncate(p, st.st_size - drop), 0);
	free(p);
}

/* The length of the last line of a file, newline included. */
static long last_line(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name), *text = read_all(p);
	size_t n = strlen(text);
	assert_true(n > 1 && text[n - 1] == '\n');
	const char *prev = text + n - 2;
	while (prev > text && *prev != '\n')
		prev--;
	long len = (long)(text + n - prev) - 1;
	free(text);
	free(p);
	return len;
}

static void merge_refuses_truncated(void **state)
{
	struct root *r = *state;
	char *s1 = write_sweep(r, "s1", GRID, 1, 3, 7), *s2 = write_sweep(r, "s2", GRID, 2, 3, 7);
	char *s3 = write_sweep(r, "s3", GRID, 3, 3, 7);
	const char *all[] = { s1, s2, s3 };

	cut(s3, "sweep.csv", last_line(s3, "sweep.csv"));      /* one whole row gone */
	merge_fails(all, 3, EX_DATAERR, "s3/sweep.csv: truncated", "rows");
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s3, "sweep.csv", 3);                               /* the last row cut short */
	merge_fails(all, 3, EX_DATAERR, "s3/sweep.csv", NULL);
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s3, "sweep.csv", 1);                               /* only the newline gone */
	merge_fails(all, 3, EX_DATAERR, "s3/sweep.csv", "changed or truncated");
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s3, "shard.csv", last_line(s3, "shard.csv"));      /* the end row gone */
	merge_fails(all, 3, EX_DATAERR, "s3/shard.csv: malformed or truncated manifest", NULL);
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s3, "shard.csv", 40);
	merge_fails(all, 3, EX_DATAERR, "shard.csv", NULL);
	free(write_sweep(r, "s3", GRID, 3, 3, 7));
	cut(s1, "scenario.ini", 2);
	merge_fails(all, 3, EX_DATAERR, "s1/scenario.ini: changed or truncated", NULL);
	free(write_sweep(r, "s1", GRID, 1, 3, 7));

	/* A row of another point where this shard's should be. */
	char *p = xasprintf("%s/sweep.csv", s2), *text = read_all(p);
	char *at = strstr(text, "\n2,syn,");
	assert_non_null(at);
	at[1] = '3';
	write_text(p, text);
	merge_fails(all, 3, EX_DATAERR, "s2/sweep.csv", NULL);
	free(text);
	free(p);

	/* Everything restored: the merge goes through. */
	free(write_sweep(r, "s2", GRID, 2, 3, 7));
	struct batch_sweep s;
	char err[512];
	batch_sweep_init(&s);
	if (merge_run(&s, all, 3, err, sizeof err) != 0)
		fail_msg("%s", err);
	batch_sweep_release(&s);
	free(s3);
	free(s2);
	free(s1);
}

/* Replaces dir/name by a FIFO (no writer) or by a sparse file of size bytes. */
static void replace(const char *dir, const char *name, long long size)
{
	char *p = xasprintf("%s/%s", dir, name);
	assert_int_equal(unlink(p), 0);
	if (size < 0)
		assert_int_equal(mkfifo(p, 0600), 0);
	else {
		write_text(p, "");
		assert_int_equal(truncate(p, (off_t)size), 0);
	}
	free(p);
}

/* Inputs are bounded: a FIFO or other file that is not regular is refused at
 * once, never waited on; a sweep.csv or shard.csv over TABLE_INPUT_MAX and
 * a scenario.ini over SCENARIO_BYTES_MAX by their size, before a byte is read. */
static void merge_refuses_unbounded(void **state)
{
	struct root *r = *state;
	char *s1 = write_sweep(r, "s1", GRID, 1, 2, 7), *s2 = write_sweep(r, "s2", GRID, 2, 2, 7);
	const char *all[] = { s1, s2 };
	replace(s2, "sweep.csv", -1);
	merge_fails(all, 2, EX_NOINPUT, "s2/sweep.csv': a FIFO, not a regular file", NULL);
	free(write_sweep(r, "s2", GRID, 2, 2, 7));
	replace(s2, "shard.csv", -1);
	merge_fails(all, 2, EX_NOINPUT, "is not a sweep shard", "a FIFO, not a regular file");
	free(write_sweep(r, "s2", GRID, 2, 2, 7));
	replace(s2, "sweep.csv", (long long)TABLE_INPUT_MAX + 1);
	merge_fails(all, 2, EX_DATAERR, "s2/sweep.csv: too large: 1073741825 bytes", "1024 MiB");
	free(write_sweep(r, "s2", GRID, 2, 2, 7));
	replace(s2, "shard.csv", (long long)TABLE_INPUT_MAX + 1);
	merge_fails(all, 2, EX_DATAERR, "s2/shard.csv: too large", NULL);
	free(write_sweep(r, "s2", GRID, 2, 2, 7));
	replace(s1, "scenario.ini", (long long)SCENARIO_BYTES_MAX + 1);
	merge_fails(all, 2, EX_DATAERR, "s1/scenario.ini: too large: 16777217 bytes", "16 MiB");
	free(s2);
	free(s1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(merge_byte_for_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_refuses_other_sweeps, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_refuses_missing_and_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_refuses_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_refuses_unbounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
