/* test_outdir: output folders written all or nothing — files replaced in
 * place, failures that leave nothing behind (a path through a regular file, a
 * file-size limit hit mid-write, running out of memory, a target that is a
 * folder, a stop asked for before, between and after the files), stale files
 * of the kind removed, and the folder's guards (temporaries created
 * exclusively, a killed write's leftovers removed, the lock, a folder of
 * another kind refused). The files are fixed texts named as a run's. File-size
 * limits stand in for a full disk: they work as root, where permission bits
 * do not. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "outdir.h"
#include "util.h"
#include "testfiles.h"

/* ---- helpers ---- */

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* ---- a run's files, as fixed texts ---- */

struct fixture {
	char root[64];
};

static struct outdir_text run_text[] = {
	{ "scenario,scope,name,metric,unit,mean,stddev,ci95_low,ci95_high,min,max,replications\n"
	  "syn,stage,a,arrivals,count,105,7.071067812,41.46897,168.531,100,110,2\n", 0 },
	{ "scenario,replication,seed,scope,name,metric,unit,value\n"
	  "syn,1,7,stage,a,arrivals,count,100\n", 0 },
	{ "scenario,replication,day,hour,stage,arrivals\nsyn,1,1,0,a,10\n", 0 },
	{ "[scenario]\nname = syn\nseed = 7\n", 0 },
	{ "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n", 0 },
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	strcpy(fx->root, "/tmp/test_outdir.XXXXXX");
	if (!mkdtemp(fx->root))
		return -1;
	for (size_t i = 0; i < NELEM(run_text); i++)
		run_text[i].len = strlen(run_text[i].text);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	rm_rf(fx->root);
	free(fx);
	return 0;
}

/* Writes a run's five files, in the order report_write gives them. */
static int write_to(struct fixture *fx, const char *dir, char *err, size_t errlen)
{
	(void)fx;
	const struct outdir_file files[] = {
		{ "summary.csv", outdir_text_write, &run_text[0] },
		{ "replications.csv", outdir_text_write, &run_text[1] },
		{ "hourly.csv", outdir_text_write, &run_text[2] },
		{ "scenario.ini", outdir_text_write, &run_text[3] },
		{ "hourly.svg", outdir_text_write, &run_text[4] },
	};
	return outdir_write(dir, files, NELEM(files), &outdir_kind_run, NULL, err, errlen);
}

/* Writes a run's files with the file size limited to limit bytes, as a full disk
 * would; the limit is lifted before anything else is written. */
static int write_limited(struct fixture *fx, const char *dir, rlim_t limit, char *err,
                         size_t errlen)
{
	struct rlimit old, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = limit;
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	int status = write_to(fx, dir, err, errlen);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, prev);
	return status;
}

/* ---- replacing, failures ---- */

static void overwrites_old_files(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/old", fx->root);
	char *sum = xasprintf("%s/summary.csv", dir);
	assert_int_equal(mkdir(dir, 0777), 0);
	write_text(sum, "old\n");
	assert_int_equal(write_to(fx, dir, err, sizeof err), 0);
	char *text = read_all(sum);
	assert_string_equal(text, run_text[0].text);
	free(text);
	free(sum);
	free(dir);
}


static void parent_is_a_file(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "";
	char *file = xasprintf("%s/file", fx->root), *dir = xasprintf("%s/x/y", file);
	write_text(file, "keep\n");
	assert_int_equal(write_to(fx, dir, err, sizeof err), EX_CANTCREAT);
	assert_non_null(strstr(err, "/file/x"));
	assert_non_null(strstr(err, strerror(ENOTDIR)));
	char *names = listing(fx->root), *text = read_all(file);
	assert_string_equal(names, "file");
	assert_string_equal(text, "keep\n");
	free(names);
	free(text);
	free(dir);
	free(file);
}

/* Folders made on the way are removed again, the existing parent is kept. */
static void made_folders_removed(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/n1/n2/n3", fx->root);
	assert_int_equal(write_limited(fx, dir, 64, err, sizeof err), EX_CANTCREAT);
	assert_non_null(strstr(err, "n1/n2/n3/summary.csv"));
	assert_non_null(strstr(err, strerror(EFBIG)));
	char *names = listing(fx->root);
	assert_string_equal(names, "");
	assert_true(exists(fx->root));
	free(names);
	free(dir);
}

static const char *const old_names[] = { "hourly.csv", "hourly.svg", "replications.csv",
	                                 "scenario.ini", "summary.csv" };
#define NOLD (sizeof old_names / sizeof old_names[0])

static char *make_old_folder(struct fixture *fx)
{
	char *dir = xasprintf("%s/prev", fx->root);
	assert_int_equal(mkdir(dir, 0777), 0);
	for (size_t i = 0; i < NOLD; i++) {
		char *p = xasprintf("%s/%s", dir, old_names[i]), *t = xasprintf("old %zu\n", i);
		write_text(p, t);
		free(p);
		free(t);
	}
	return dir;
}

static void assert_old_folder(const char *dir)
{
	char *names = listing(dir);
	assert_string_equal(names, "hourly.csv hourly.svg replications.csv scenario.ini summary.csv");
	free(names);
	for (size_t i = 0; i < NOLD; i++) {
		char *p = xasprintf("%s/%s", dir, old_names[i]), *t = xasprintf("old %zu\n", i);
		char *got = read_all(p);
		assert_string_equal(got, t);
		free(got);
		free(p);
		free(t);
	}
}

static off_t file_size(const char *dir, const char *name)
{
	struct stat st;
	char *p = xasprintf("%s/%s", dir, name);
	assert_int_equal(stat(p, &st), 0);
	free(p);
	return st.st_size;
}

/* Limits from the first byte to one short of the largest file: each fails in
 * some file, after the earlier ones were written to temporary files in full. */
static void old_folder_untouched_on_full_disk(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *full = xasprintf("%s/full", fx->root);
	assert_int_equal(write_to(fx, full, err, sizeof err), 0);
	off_t largest = 0;
	for (size_t i = 0; i < NOLD; i++) {
		off_t n = file_size(full, old_names[i]);
		largest = n > largest ? n : largest;
	}
	rm_rf(full);
	free(full);

	char *dir = make_old_folder(fx);
	const rlim_t limits[] = { 1, 64, (rlim_t)largest / 2, (rlim_t)largest - 1 };
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		err[0] = '\0';
		assert_int_equal(write_limited(fx, dir, limits[i], err, sizeof err), EX_CANTCREAT);
		assert_non_null(strstr(err, "cannot write '"));
		assert_non_null(strstr(err, dir));
		assert_old_folder(dir);
	}
	free(dir);
}

/* Files for out_of_memory_mid_write: the second writes half of itself and
 * then runs out of memory, as an allocation in a file's writer would. */
static int write_text_ok(FILE *f, const void *ctx)
{
	return fputs(ctx, f) < 0 ? -1 : 0;
}

static int write_then_run_out(FILE *f, const void *ctx)
{
	fputs(ctx, f);
	fflush(f);
	util_out_of_memory();
}

/* Runs out of memory while the files are being written, in a child process
 * (the program exits with 71): into a new folder, that folder and its
 * parents are gone after; into an earlier run's folder, its files are as
 * they were, with no temporary file beside them. */
static void out_of_memory_mid_write(void **state)
{
	struct fixture *fx = *state;
	const struct outdir_file files[] = {
		{ "hourly.csv", write_text_ok, "new a\n" },
		{ "summary.csv", write_then_run_out, "new b, half" },
		{ "scenario.ini", write_text_ok, "new c\n" },
	};
	char *fresh = xasprintf("%s/new/deeper", fx->root), *prev = make_old_folder(fx);
	const char *target[] = { fresh, prev };
	for (int k = 0; k < 2; k++) {
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			freopen("/dev/null", "w", stderr);
			char err[256];
			outdir_write(target[k], files, 3, &outdir_kind_run, NULL, err, sizeof err);
			_exit(0);                    /* not reached: util_out_of_memory exits */
		}
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), EX_OSERR);
	}
	char *names = listing(fx->root);
	assert_string_equal(names, "prev");              /* no new/, nothing beside */
	free(names);
	assert_old_folder(prev);
	free(fresh);
	free(prev);
}

static void target_is_a_folder(void **state)
{
	struct fixture *fx = *state;
	char *dir = xasprintf("%s/prev", fx->root), err[512] = "";
	char *sum = xasprintf("%s/summary.csv", dir), *ini = xasprintf("%s/scenario.ini", dir);
	char *inner = xasprintf("%s/x", ini);
	assert_int_equal(mkdir(dir, 0777), 0);
	write_text(sum, "old\n");
	assert_int_equal(mkdir(ini, 0777), 0);
	write_text(inner, "x\n");
	assert_int_equal(write_to(fx, dir, err, sizeof err), EX_CANTCREAT);
	assert_non_null(strstr(err, "scenario.ini"));
	char *names = listing(dir), *text = read_all(sum);
	assert_string_equal(names, "scenario.ini summary.csv");
	assert_string_equal(text, "old\n");
	free(names);
	free(text);
	free(inner);
	free(ini);
	free(sum);
	free(dir);
}

/* ---- outdir_write: stops and stale files ---- */

static volatile sig_atomic_t stop_flag;

/* Writes a line; the one named "stopper" also raises the stop flag, as a
 * signal arriving while it is written would. */
static int write_line(FILE *f, const void *ctx)
{
	const char *name = ctx;
	if (strcmp(name, "stopper") == 0)
		stop_flag = 1;
	fprintf(f, "%s\n", name);
	return ferror(f) ? -1 : 0;
}

/* The files of write_files; old.txt and missing.txt are of the kind but not
 * written, so a successful write removes them. */
static const char *const test_names[] = {
	"one.txt", "two.txt", "three.txt", "old.txt", "missing.txt", NULL,
};
static const struct outdir_kind test_kind = { "a test", test_names };

static int write_files(const char *dir, const char *middle, const char *last, char *err,
                       size_t errlen)
{
	const struct outdir_file files[] = {
		{ "one.txt", write_line, "one" },
		{ "two.txt", write_line, middle },
		{ "three.txt", write_line, last },
	};
	return outdir_write(dir, files, 3, &test_kind, &stop_flag, err, errlen);
}

static void stop_before_between_and_after(void **state)
{
	struct fixture *fx = *state;
	char err[256] = "", *dir = xasprintf("%s/new/deeper", fx->root);
	stop_flag = 1;
	assert_int_equal(write_files(dir, "two", "three", err, sizeof err), OUTDIR_STOPPED);
	char *names = listing(fx->root);
	assert_string_equal(names, "");
	free(names);
	stop_flag = 0;
	assert_int_equal(write_files(dir, "stopper", "three", err, sizeof err), OUTDIR_STOPPED);
	names = listing(fx->root);
	assert_string_equal(names, "");
	free(names);
	stop_flag = 0;
	assert_int_equal(write_files(dir, "two", "stopper", err, sizeof err), OUTDIR_STOPPED);
	names = listing(fx->root);
	assert_string_equal(names, "");
	free(names);
	stop_flag = 0;
	assert_int_equal(write_files(dir, "two", "three", err, sizeof err), 0);
	names = listing(dir);
	assert_string_equal(names, "one.txt three.txt two.txt");
	free(names);
	free(dir);
}

/* A stop leaves an earlier folder as it was, stale files included. */
static void stop_keeps_old_folder_and_stale_goes_on_success(void **state)
{
	struct fixture *fx = *state;
	char err[256] = "", *dir = xasprintf("%s/prev", fx->root);
	char *old = xasprintf("%s/old.txt", dir), *one = xasprintf("%s/one.txt", dir);
	assert_int_equal(mkdir(dir, 0777), 0);
	write_text(old, "stale\n");
	write_text(one, "old one\n");
	stop_flag = 0;
	assert_int_equal(write_files(dir, "two", "stopper", err, sizeof err), OUTDIR_STOPPED);
	char *names = listing(dir), *text = read_all(one);
	assert_string_equal(names, "old.txt one.txt");
	assert_string_equal(text, "old one\n");
	free(names);
	free(text);
	stop_flag = 0;
	assert_int_equal(write_files(dir, "two", "three", err, sizeof err), 0);
	names = listing(dir);
	text = read_all(one);
	assert_string_equal(names, "one.txt three.txt two.txt");
	assert_string_equal(text, "one\n");
	free(names);
	free(text);
	free(one);
	free(old);
	free(dir);
}

/* ---- the folder: exclusive temporaries, leftovers, the lock, kinds ---- */

/* The name this process's write gives name's temporary file in dir. */
static char *tmp_path(const char *dir, const char *name)
{
	return xasprintf("%s/" OUTDIR_TMP_PREFIX "%ld.%s", dir, (long)getpid(), name);
}

/* A link planted at a temporary name before the write is removed, not
 * followed: the file it points to, outside the folder, stays as it was. */
static void planted_link_not_followed(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = make_old_folder(fx), *outside = xasprintf("%s/outside", fx->root);
	write_text(outside, "only root writes here\n");
	for (size_t i = 0; i < NOLD; i++) {
		char *t = tmp_path(dir, old_names[i]);
		assert_int_equal(symlink(outside, t), 0);
		free(t);
	}
	assert_int_equal(write_to(fx, dir, err, sizeof err), 0);
	char *text = read_all(outside), *names = listing(dir);
	assert_string_equal(text, "only root writes here\n");
	assert_string_equal(names, "hourly.csv hourly.svg replications.csv scenario.ini summary.csv");
	free(names);
	free(text);
	free(outside);
	free(dir);
}

/* Plants a link at two.txt's temporary name while one.txt is written, as
 * another user racing the write would: the create of two.txt must fail. */
static int write_and_plant(FILE *f, const void *ctx)
{
	char *t = tmp_path(ctx, "two.txt"), *outside = xasprintf("%s/../outside", (const char *)ctx);
	int rc = symlink(outside, t);
	free(outside);
	free(t);
	fputs("one\n", f);
	return rc;
}

static int write_text_ok(FILE *f, const void *ctx);

static const char *const abc_names[] = { "one.txt", "two.txt", NULL };
static const struct outdir_kind abc_kind = { "a test", abc_names };

static void temporary_created_exclusively(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/prev", fx->root);
	char *outside = xasprintf("%s/outside", fx->root), *one = xasprintf("%s/one.txt", dir);
	assert_int_equal(mkdir(dir, 0777), 0);
	write_text(one, "old one\n");
	write_text(outside, "keep\n");
	const struct outdir_file files[] = {
		{ "one.txt", write_and_plant, dir },
		{ "two.txt", write_text_ok, "two\n" },
	};
	assert_int_equal(outdir_write(dir, files, 2, &abc_kind, NULL, err, sizeof err),
	                 EX_CANTCREAT);
	char *t = tmp_path(dir, "two.txt"), *want = xasprintf("cannot create '%s' to write", t);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, strerror(EEXIST)));
	char *text = read_all(outside);
	assert_string_equal(text, "keep\n");
	free(text);
	text = read_all(one);
	assert_string_equal(text, "old one\n");
	free(text);
	assert_int_equal(unlink(t), 0);           /* the planted link, and nothing else */
	char *names = listing(dir);
	assert_string_equal(names, "one.txt");
	free(names);
	free(want);
	free(t);
	free(one);
	free(outside);
	free(dir);
}

/* What killed writes left is removed: this program's temporaries, a lock
 * file, and release 1's temporaries of processes that are gone; a live
 * process's and other hidden files stay. */
static void leftovers_removed(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = make_old_folder(fx);
	pid_t dead = fork();
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	const char *fmt[] = { "%s/" OUTDIR_TMP_PREFIX "%ld.summary.csv", "%s/" OUTDIR_LOCK_NAME,
		              "%s/.hourly.csv.tmp.%ld", "%s/.summary.csv.tmp.%ld", "%s/.keep" };
	const long pid[] = { (long)dead, 0, (long)dead, (long)getpid(), 0 };
	for (size_t i = 0; i < sizeof pid / sizeof pid[0]; i++) {
		char *p = pid[i] ? xasprintf(fmt[i], dir, pid[i]) : xasprintf(fmt[i], dir);
		write_text(p, "left\n");
		free(p);
	}
	assert_int_equal(write_to(fx, dir, err, sizeof err), 0);
	char *names = listing(dir), *want = xasprintf(".keep .summary.csv.tmp.%ld hourly.csv "
	                                              "hourly.svg replications.csv scenario.ini "
	                                              "summary.csv", (long)getpid());
	assert_string_equal(names, want);
	free(want);
	free(names);
	free(dir);
}

/* A folder holding only what a killed write left was that write's: a failed
 * write removes it again; a successful one leaves only its files. */
static void leftover_folder_removed_on_failure(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/killed", fx->root);
	char *lock = xasprintf("%s/" OUTDIR_LOCK_NAME, dir);
	char *tmp = xasprintf("%s/" OUTDIR_TMP_PREFIX "1.hourly.csv", dir);
	for (int ok = 0; ok <= 1; ok++) {
		assert_int_equal(mkdir(dir, 0777), 0);
		write_text(lock, "");
		write_text(tmp, "half");
		if (ok) {
			assert_int_equal(write_to(fx, dir, err, sizeof err), 0);
		} else {
			assert_int_equal(write_limited(fx, dir, 64, err, sizeof err), EX_CANTCREAT);
			assert_false(exists(dir));
		}
	}
	char *names = listing(dir);
	assert_string_equal(names, "hourly.csv hourly.svg replications.csv scenario.ini summary.csv");
	free(names);
	free(tmp);
	free(lock);
	free(dir);
}

/* A second write into the folder while the first holds its lock fails at
 * once, touching nothing; the first completes. */
static int write_nested(FILE *f, const void *ctx)
{
	const char *dir = ctx;
	char err[512] = "";
	const struct outdir_file files[] = { { "two.txt", write_text_ok, "second\n" } };
	int status = outdir_write(dir, files, 1, &abc_kind, NULL, err, sizeof err);
	char *want = xasprintf("'%s' is being written by another bordersim", dir);
	int rc = status == EX_CANTCREAT && strstr(err, want) ? 0 : -1;
	if (rc)
		fprintf(stderr, "second write: status %d, '%s'\n", status, err);
	free(want);
	fputs("first\n", f);
	return rc;
}

static void second_writer_refused(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/both", fx->root);
	const struct outdir_file files[] = {
		{ "one.txt", write_nested, dir },
		{ "two.txt", write_text_ok, "first two\n" },
	};
	assert_int_equal(outdir_write(dir, files, 2, &abc_kind, NULL, err, sizeof err), 0);
	char *names = listing(dir), *two = xasprintf("%s/two.txt", dir), *text = read_all(two);
	assert_string_equal(names, "one.txt two.txt");     /* no lock file, no temporary */
	assert_string_equal(text, "first two\n");
	free(text);
	free(two);
	free(names);
	free(dir);
}

/* A lock file that is a link is not followed: the write is refused. */
static void lock_link_refused(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = make_old_folder(fx), *outside = xasprintf("%s/outside", fx->root);
	char *lock = xasprintf("%s/" OUTDIR_LOCK_NAME, dir);
	write_text(outside, "keep\n");
	assert_int_equal(symlink(outside, lock), 0);
	assert_int_equal(write_to(fx, dir, err, sizeof err), EX_CANTCREAT);
	char *want = xasprintf("cannot create '%s': %s", lock, strerror(ELOOP));
	assert_non_null(strstr(err, want));
	free(want);
	char *text = read_all(outside);
	assert_string_equal(text, "keep\n");
	assert_int_equal(unlink(lock), 0);
	assert_old_folder(dir);
	free(text);
	free(lock);
	free(outside);
	free(dir);
}

/* A folder holding another command's output is refused, untouched; one
 * holding only a scenario.ini (every kind writes one) is not. */
static void other_kind_refused(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = make_old_folder(fx);
	struct outdir_text text = { "x\n", 2 };
	const struct outdir_file sweep[] = {
		{ "sweep.csv", outdir_text_write, &text },
		{ "scenario.ini", outdir_text_write, &text },
	};
	assert_int_equal(outdir_write(dir, sweep, 2, &outdir_kind_sweep, NULL, err, sizeof err),
	                 EX_CANTCREAT);
	char *want = xasprintf("cannot write a sweep or merge into '%s': it holds the output of a "
	                       "run (summary.csv, replications.csv, hourly.csv, hourly.svg)", dir);
	assert_non_null(strstr(err, want));
	free(want);
	assert_old_folder(dir);

	char *sw = xasprintf("%s/sw", fx->root), *ini = xasprintf("%s/scenario.ini", sw);
	assert_int_equal(mkdir(sw, 0777), 0);
	write_text(ini, "old\n");
	assert_int_equal(outdir_write(sw, sweep, 2, &outdir_kind_sweep, NULL, err, sizeof err), 0);
	assert_int_equal(write_to(fx, sw, err, sizeof err), EX_CANTCREAT);
	want = xasprintf("cannot write a run into '%s': it holds the output of a sweep or merge "
	                 "(sweep.csv)", sw);
	assert_non_null(strstr(err, want));
	char *names = listing(sw);
	assert_string_equal(names, "scenario.ini sweep.csv");
	free(names);
	free(want);
	free(ini);
	free(sw);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(overwrites_old_files, setup, teardown),
		cmocka_unit_test_setup_teardown(out_of_memory_mid_write, setup, teardown),
		cmocka_unit_test_setup_teardown(parent_is_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(made_folders_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(old_folder_untouched_on_full_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(target_is_a_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(stop_before_between_and_after, setup, teardown),
		cmocka_unit_test_setup_teardown(stop_keeps_old_folder_and_stale_goes_on_success,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(planted_link_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(temporary_created_exclusively, setup, teardown),
		cmocka_unit_test_setup_teardown(leftovers_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(leftover_folder_removed_on_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(second_writer_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(lock_link_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(other_kind_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
