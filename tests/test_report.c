/* test_report: the output folder from synthetic results — number formats, the
 * five files read back, RFC 4180 quoting, malformed CSV refused at its line,
 * tables and summary rows, and failures that leave nothing behind (a path
 * through a regular file, a file-size limit hit mid-write, a target that is a
 * folder, a stop asked for before, between and after the files), and the
 * folder's guards (temporaries created exclusively, a killed write's leftovers
 * removed, the lock, a folder of another kind refused). File-size
 * limits stand in for a full disk: they work as root, where permission bits
 * do not. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
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

#include "model.h"
#include "report.h"
#include "results.h"
#include "scenario.h"
#include "util.h"
#include "testfiles.h"

/* ---- helpers ---- */

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Names in dir, sorted, joined by spaces ("" when empty). */
static char *listing(const char *dir)
{
	struct dirent **ent;
	int n = scandir(dir, &ent, NULL, alphasort);
	assert_true(n >= 0);
	char *s = xstrdup("");
	for (int i = 0; i < n; i++) {
		if (strcmp(ent[i]->d_name, ".") && strcmp(ent[i]->d_name, "..")) {
			char *t = xasprintf("%s%s%s", s, *s ? " " : "", ent[i]->d_name);
			free(s);
			s = t;
		}
		free(ent[i]);
	}
	free(ent);
	return s;
}

/* ---- a synthetic run ---- */

struct fixture {
	char root[64];
	struct model m;
	struct scenario sc;
	struct results rep[2];
};

static void add_hours(struct results *r, unsigned rep)
{
	for (unsigned st = 0; st < 2; st++) {
		struct hour_row *h = results_add_hour(r);
		h->day = 1;
		h->hour = 0;
		h->stage = st;
		h->arrivals = 10 + rep;
		h->departures = 9;
		h->servers = 3;
		h->queue_mean = 0.25;
		h->queue_max = 2;
		h->wait_mean = st == 1 ? NAN : 1.5;
		h->wait_p95 = 4;
		h->utilization = 0.5;
	}
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	strcpy(fx->root, "/tmp/test_report.XXXXXX");
	if (!mkdtemp(fx->root))
		return -1;
	fx->m.name = xstrdup("syn");
	fx->m.nstage = 2;
	fx->m.stage = xcalloc(2, sizeof *fx->m.stage);
	fx->m.stage[0].name = xstrdup("a,b");
	fx->m.stage[1].name = xstrdup("plain");
	scenario_init(&fx->sc);
	scenario_put(&fx->sc, "scenario", "name", "syn");
	scenario_put(&fx->sc, "scenario", "seed", "7");

	const double arrivals[2] = { 100, 110 }, wait[2] = { 1.5, NAN }, util[2] = { 0.25, 0.75 };
	for (unsigned r = 0; r < 2; r++) {
		struct results *res = &fx->rep[r];
		results_init(res);
		res->replication = r + 1;
		res->seed = 7;
		results_add(res, "stage", "a,b", "arrivals", "count", arrivals[r]);
		results_add(res, "stage", "a,b", "wait_mean", "min", wait[r]);
		results_add(res, "stage", "plain", "utilization", "share", util[r]);
		results_add(res, "stream", "say \"hi\"", "completed", "count", -0.0);
		add_hours(res, r);
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	rm_rf(fx->root);
	for (unsigned r = 0; r < 2; r++)
		results_release(&fx->rep[r]);
	scenario_release(&fx->sc);
	free(fx->m.stage[0].name);
	free(fx->m.stage[1].name);
	free(fx->m.stage);
	free(fx->m.name);
	free(fx);
	return 0;
}

static int write_to(struct fixture *fx, const char *dir, char *err, size_t errlen)
{
	return report_write(dir, &fx->m, &fx->sc, fx->rep, 2, NULL, err, errlen);
}

/* Runs report_write with the file size limited to limit bytes, as a full disk
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

/* ---- number formats ---- */

static void check_number(double v, const char *want)
{
	char buf[32];
	report_format_number(buf, sizeof buf, v);
	if (strcmp(buf, want) != 0)
		fail_msg("report_format_number(%.17g) = '%s', expected '%s'", v, buf, want);
}

static void number_formats(void **state)
{
	(void)state;
	check_number(0.0, "0");
	check_number(-0.0, "0");
	check_number(42, "42");
	check_number(-7, "-7");
	check_number(1e14, "100000000000000");
	check_number(999999999999999.0, "999999999999999");
	check_number(1e15, "1e+15");
	check_number(-1e15, "-1e+15");
	check_number(0.5, "0.5");
	check_number(1.0 / 3.0, "0.3333333333");
	check_number(2.5e-7, "2.5e-07");
	check_number(1234567.891, "1234567.891");
	check_number(123456789012.5, "1.23456789e+11");
	check_number(NAN, "");
	check_number(INFINITY, "");
	check_number(-INFINITY, "");
}

/* ---- the files ---- */

static struct report_table read_table(const char *dir, const char *name)
{
	struct report_table t;
	char err[256];
	char *path = xasprintf("%s/%s", dir, name);
	int status = report_read_csv(path, &t, err, sizeof err);
	if (status)
		fail_msg("%s", err);
	free(path);
	return t;
}

static void assert_header(const struct report_table *t, const char *want)
{
	assert_true(t->nrow > 0);
	char *got = xstrdup("");
	for (size_t k = 0; k < t->ncol[0]; k++) {
		char *s = xasprintf("%s%s%s", got, k ? "," : "", t->row[0][k]);
		free(got);
		got = s;
	}
	assert_string_equal(got, want);
	free(got);
}

static void summary_file(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/out", fx->root);
	assert_int_equal(write_to(fx, dir, err, sizeof err), 0);

	struct report_table t = read_table(dir, "summary.csv");
	assert_header(&t, "scenario,scope,name,metric,unit,mean,stddev,ci95_low,ci95_high,min,max,"
	                  "replications");
	assert_int_equal(t.nrow, 5);
	for (size_t i = 0; i < t.nrow; i++)
		assert_int_equal(t.ncol[i], 12);
	char **r = t.row[1];   /* arrivals 100, 110: sd 7.071067812, t(0.975,1) 12.706205 */
	assert_string_equal(r[0], "syn");
	assert_string_equal(r[2], "a,b");
	assert_string_equal(r[3], "arrivals");
	assert_string_equal(r[5], "105");
	assert_string_equal(r[6], "7.071067812");
	assert_true(fabs(atof(r[7]) - (105 - 12.706205 * 5)) < 1e-4);
	assert_true(fabs(atof(r[8]) - (105 + 12.706205 * 5)) < 1e-4);
	assert_string_equal(r[9], "100");
	assert_string_equal(r[10], "110");
	assert_string_equal(r[11], "2");
	r = t.row[2];          /* wait_mean 1.5 and NaN: one value */
	assert_string_equal(r[3], "wait_mean");
	assert_string_equal(r[5], "1.5");
	assert_string_equal(r[6], "");
	assert_string_equal(r[7], "");
	assert_string_equal(r[8], "");
	assert_string_equal(r[9], "1.5");
	assert_string_equal(r[11], "1");
	assert_string_equal(t.row[3][5], "0.5");
	assert_string_equal(t.row[4][2], "say \"hi\"");
	assert_string_equal(t.row[4][5], "0");
	report_table_release(&t);

	char *path = xasprintf("%s/summary.csv", dir), *raw = read_all(path);
	assert_non_null(raw);
	assert_non_null(strstr(raw, "\nsyn,stage,\"a,b\",arrivals,count,105,7.071067812,"));
	assert_non_null(strstr(raw, "\nsyn,stage,\"a,b\",wait_mean,min,1.5,,,,1.5,1.5,1\n"));
	assert_non_null(strstr(raw, ",\"say \"\"hi\"\"\","));
	assert_null(strchr(raw, '\r'));
	free(raw);
	free(path);
	free(dir);
}

static void replications_and_hourly_files(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/out/", fx->root);   /* trailing slash */
	assert_int_equal(write_to(fx, dir, err, sizeof err), 0);

	struct report_table t = read_table(dir, "replications.csv");
	assert_header(&t, "scenario,replication,seed,scope,name,metric,unit,value");
	assert_int_equal(t.nrow, 1 + 2 * 4);
	assert_string_equal(t.row[1][1], "1");
	assert_string_equal(t.row[5][1], "2");
	assert_string_equal(t.row[5][2], "7");
	assert_string_equal(t.row[5][7], "110");
	assert_string_equal(t.row[6][5], "wait_mean");
	assert_string_equal(t.row[6][7], "");   /* NaN */
	report_table_release(&t);

	t = read_table(dir, "hourly.csv");
	assert_header(&t, "scenario,replication,day,hour,stage,arrivals,departures,servers,"
	                  "queue_mean,queue_max,wait_mean,wait_p95,utilization");
	assert_int_equal(t.nrow, 1 + 2 * 2);
	assert_int_equal(t.ncol[4], 13);
	assert_string_equal(t.row[1][4], "a,b");
	assert_string_equal(t.row[2][4], "plain");
	assert_string_equal(t.row[2][10], "");
	assert_string_equal(t.row[3][1], "2");
	assert_string_equal(t.row[3][5], "11");
	assert_string_equal(t.row[3][8], "0.25");
	report_table_release(&t);

	char *ini = xasprintf("%sscenario.ini", dir), *text = read_all(ini);
	assert_non_null(text);
	assert_non_null(strstr(text, "[scenario]"));
	assert_non_null(strstr(text, "syn"));
	free(text);
	free(ini);
	char *names = listing(dir);
	assert_string_equal(names, "hourly.csv hourly.svg replications.csv scenario.ini summary.csv");
	free(names);
	char *svg = xasprintf("%shourly.svg", dir);
	text = read_all(svg);
	assert_non_null(text);
	assert_non_null(strstr(text, "<svg"));
	free(text);
	free(svg);
	free(dir);
}

static void overwrites_old_files(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/old", fx->root);
	char *sum = xasprintf("%s/summary.csv", dir);
	assert_int_equal(mkdir(dir, 0777), 0);
	write_text(sum, "old\n");
	assert_int_equal(write_to(fx, dir, err, sizeof err), 0);
	char *text = read_all(sum);
	assert_non_null(strstr(text, "syn,stage,"));
	free(text);
	free(sum);
	free(dir);
}

/* ---- failures ---- */

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
	const struct report_file files[] = {
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
			report_write_files(target[k], files, 3, &report_kind_run, NULL, err,
			                   sizeof err);
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

/* ---- tables, summary rows ---- */

static void table_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct report_table t = { 0 }, u = { 0 }, back;
	const char *r0[] = { "a", "b,c", "say \"hi\"" }, *r1[] = { " edge", NULL, "x\ny" };
	report_table_add(&t, r0, 3);
	report_table_add(&u, r1, 3);
	report_table_append(&t, &u);
	assert_int_equal(u.nrow, 0);
	assert_int_equal(t.nrow, 2);
	char *path = xasprintf("%s/t.csv", fx->root), err[256];
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(report_table_write(f, &t), 0);
	assert_int_equal(fclose(f), 0);
	char *raw = read_all(path);
	assert_string_equal(raw, "a,\"b,c\",\"say \"\"hi\"\"\"\n\" edge\",,\"x\ny\"\n");
	assert_int_equal(report_read_csv(path, &back, err, sizeof err), 0);
	assert_int_equal(back.nrow, 2);
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 3; k++)
			assert_string_equal(back.row[i][k], t.row[i][k]);
	assert_string_equal(back.row[1][1], "");
	report_table_release(&back);
	report_table_release(&t);
	free(raw);
	free(path);
}

/* Malformed CSV is refused with the line of the fault and what it is, also
 * past the reader's first block of 8 KiB. */
static void read_csv_names_the_line(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *tail;
		int line;
		const char *what;
	} cases[] = {
		{ "a,b\nc,d\"e\n", 3, "a quote inside a field that does not start with one" },
		{ "a,b\n\"c\"x,d\n", 3, "'x' after the closing quote of a field" },
		{ "a,b\n\"c,\nd\n", 4, "the file ends inside a quoted field" },
	};
	char *path = xasprintf("%s/bad.csv", fx->root), err[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int more = 0; more <= 1000; more += 1000) {
			/* a header line, more good lines, then the case */
			FILE *f = fopen(path, "w");
			assert_non_null(f);
			fputs("h1,h2\n", f);
			for (int k = 0; k < more; k++)
				fprintf(f, "%d,row\n", k);
			fputs(cases[i].tail, f);
			assert_int_equal(fclose(f), 0);
			struct report_table t;
			assert_int_equal(report_read_csv(path, &t, err, sizeof err), EX_DATAERR);
			report_table_release(&t);
			char *want = xasprintf("%s:%d: malformed CSV: %s", path, cases[i].line + more,
			                       cases[i].what);
			assert_non_null(strstr(err, want));
			free(want);
		}
	}
	free(path);
}

static void summary_rows_with_lead(void **state)
{
	struct fixture *fx = *state;
	struct report_table t = { 0 };
	const char *lead[] = { "4", "1.5" };
	report_summary_rows(&t, "syn", lead, 2, fx->rep, 2);
	assert_int_equal(t.nrow, 4);
	assert_int_equal(t.ncol[0], 2 + REPORT_SUMMARY_NCOL);
	assert_string_equal(t.row[0][0], "4");
	assert_string_equal(t.row[0][1], "1.5");
	assert_string_equal(t.row[0][2], "syn");
	assert_string_equal(t.row[0][4], "a,b");
	assert_string_equal(t.row[0][7], "105");
	assert_string_equal(t.row[0][13], "2");
	assert_string_equal(t.row[1][13], "1");      /* wait_mean: one defined */
	assert_string_equal(report_summary_head[0], "scenario");
	assert_string_equal(report_summary_head[REPORT_SUMMARY_NCOL - 1], "replications");
	report_table_release(&t);
}

/* ---- report_write_files: stops and stale files ---- */

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
static const struct report_kind test_kind = { "a test", test_names };

static int write_files(const char *dir, const char *middle, const char *last, char *err,
                       size_t errlen)
{
	const struct report_file files[] = {
		{ "one.txt", write_line, "one" },
		{ "two.txt", write_line, middle },
		{ "three.txt", write_line, last },
	};
	return report_write_files(dir, files, 3, &test_kind, &stop_flag, err, errlen);
}

static void stop_before_between_and_after(void **state)
{
	struct fixture *fx = *state;
	char err[256] = "", *dir = xasprintf("%s/new/deeper", fx->root);
	stop_flag = 1;
	assert_int_equal(write_files(dir, "two", "three", err, sizeof err), REPORT_STOPPED);
	char *names = listing(fx->root);
	assert_string_equal(names, "");
	free(names);
	stop_flag = 0;
	assert_int_equal(write_files(dir, "stopper", "three", err, sizeof err), REPORT_STOPPED);
	names = listing(fx->root);
	assert_string_equal(names, "");
	free(names);
	stop_flag = 0;
	assert_int_equal(write_files(dir, "two", "stopper", err, sizeof err), REPORT_STOPPED);
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
	assert_int_equal(write_files(dir, "two", "stopper", err, sizeof err), REPORT_STOPPED);
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

static void run_files_stop(void **state)
{
	struct fixture *fx = *state;
	char err[256] = "", *dir = xasprintf("%s/run", fx->root);
	volatile sig_atomic_t stop = 1;
	assert_int_equal(report_write(dir, &fx->m, &fx->sc, fx->rep, 2, &stop, err, sizeof err),
	                 REPORT_STOPPED);
	assert_false(exists(dir));
	free(dir);
}

/* ---- the folder: exclusive temporaries, leftovers, the lock, kinds ---- */

/* The name this process's write gives name's temporary file in dir. */
static char *tmp_path(const char *dir, const char *name)
{
	return xasprintf("%s/" REPORT_TMP_PREFIX "%ld.%s", dir, (long)getpid(), name);
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
static const struct report_kind abc_kind = { "a test", abc_names };

static void temporary_created_exclusively(void **state)
{
	struct fixture *fx = *state;
	char err[512] = "", *dir = xasprintf("%s/prev", fx->root);
	char *outside = xasprintf("%s/outside", fx->root), *one = xasprintf("%s/one.txt", dir);
	assert_int_equal(mkdir(dir, 0777), 0);
	write_text(one, "old one\n");
	write_text(outside, "keep\n");
	const struct report_file files[] = {
		{ "one.txt", write_and_plant, dir },
		{ "two.txt", write_text_ok, "two\n" },
	};
	assert_int_equal(report_write_files(dir, files, 2, &abc_kind, NULL, err, sizeof err),
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
	const char *fmt[] = { "%s/" REPORT_TMP_PREFIX "%ld.summary.csv", "%s/" REPORT_LOCK_NAME,
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
	char *lock = xasprintf("%s/" REPORT_LOCK_NAME, dir);
	char *tmp = xasprintf("%s/" REPORT_TMP_PREFIX "1.hourly.csv", dir);
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
	const struct report_file files[] = { { "two.txt", write_text_ok, "second\n" } };
	int status = report_write_files(dir, files, 1, &abc_kind, NULL, err, sizeof err);
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
	const struct report_file files[] = {
		{ "one.txt", write_nested, dir },
		{ "two.txt", write_text_ok, "first two\n" },
	};
	assert_int_equal(report_write_files(dir, files, 2, &abc_kind, NULL, err, sizeof err), 0);
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
	char *lock = xasprintf("%s/" REPORT_LOCK_NAME, dir);
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
	struct report_text text = { "x\n", 2 };
	const struct report_file sweep[] = {
		{ "sweep.csv", report_text_write, &text },
		{ "scenario.ini", report_text_write, &text },
	};
	assert_int_equal(report_write_files(dir, sweep, 2, &report_kind_sweep, NULL, err,
	                                    sizeof err), EX_CANTCREAT);
	char *want = xasprintf("cannot write a sweep or merge into '%s': it holds the output of a "
	                       "run (summary.csv, replications.csv, hourly.csv, hourly.svg)", dir);
	assert_non_null(strstr(err, want));
	free(want);
	assert_old_folder(dir);

	char *sw = xasprintf("%s/sw", fx->root), *ini = xasprintf("%s/scenario.ini", sw);
	assert_int_equal(mkdir(sw, 0777), 0);
	write_text(ini, "old\n");
	assert_int_equal(report_write_files(sw, sweep, 2, &report_kind_sweep, NULL, err,
	                                    sizeof err), 0);
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
		cmocka_unit_test(number_formats),
		cmocka_unit_test_setup_teardown(summary_file, setup, teardown),
		cmocka_unit_test_setup_teardown(replications_and_hourly_files, setup, teardown),
		cmocka_unit_test_setup_teardown(overwrites_old_files, setup, teardown),
		cmocka_unit_test_setup_teardown(out_of_memory_mid_write, setup, teardown),
		cmocka_unit_test_setup_teardown(parent_is_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(made_folders_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(old_folder_untouched_on_full_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(target_is_a_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(table_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(read_csv_names_the_line, setup, teardown),
		cmocka_unit_test_setup_teardown(summary_rows_with_lead, setup, teardown),
		cmocka_unit_test_setup_teardown(stop_before_between_and_after, setup, teardown),
		cmocka_unit_test_setup_teardown(stop_keeps_old_folder_and_stale_goes_on_success,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(run_files_stop, setup, teardown),
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
