/* report: output folders written all or nothing.
 *
 * Each file is written in full under a temporary name in the target folder
 * (same file system, so rename is atomic), flushed and fsynced; only when all
 * are on disk are they renamed into place. A failure before that point removes
 * the temporary files and any folder this call made, so the folder is exactly
 * as it was. Renaming several files is not one atomic step: a rename failing
 * after another succeeded (rare, since targets are checked first) can leave a
 * mix of old and new complete files, never a half-written one.
 *
 * Nothing outside the folder is written: the folder is opened once and every
 * file is made, renamed and removed relative to it (openat, renameat), and a
 * temporary file, named REPORT_TMP_PREFIX "PID.NAME", is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, so a link or file planted at that name is never
 * followed or reused; a link given as the folder itself is followed only when
 * this user or root owns it. Building a new folder beside the target and renaming
 * it into place would write outside it, and would replace files of the
 * user's that the target holds; a lock serves instead. A write holds flock
 * on REPORT_LOCK_NAME in the folder from before its first temporary file
 * until after its last rename; a second writer fails at once (waiting could
 * be as long as the first's write, and two commands aimed at one folder are a
 * mistake to report, not to serialise). A lock file rather than the folder's
 * own descriptor, because NFS emulates flock with fcntl locks, which need a
 * descriptor open for writing. While the lock is held no other write runs in
 * the folder, so every temporary file found there belongs to a write that
 * died (kill -9, a crash) and is removed; that is how the leftovers of an
 * uncatchable signal go. A folder holding another kind of output (report_kind)
 * is refused rather than partly replaced: refusing keeps the user's earlier
 * results, and replacing a whole folder at once is not possible in place.
 *
 * Interruption is checked between files, inside the long writers (once a
 * replication) and once more with every signal but the program faults
 * blocked just before the renames: a signal that arrives before that last
 * check stops the write with nothing renamed; one that arrives during the
 * renames waits until they are done, and the write counts as finished.
 *
 * Fields go through libcsv's csv_fwrite, which always quotes; it is called only
 * for fields that need quoting (RFC 4180: comma, quote, line break; also edge
 * blanks, which some readers trim), so ordinary cells stay bare. */
#include "report.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <csv.h>

#include "chart.h"
#include "summary.h"
#include "util.h"

/* What a run's file writers need. */
struct job {
	const struct model *m;
	const struct scenario *sc;
	const struct results *rep;
	size_t nrep;
	const volatile sig_atomic_t *stop;
};

void report_format_number(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "%s", "");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v == 0 ? 0.0 : v);   /* -0 prints as 0 */
	else
		snprintf(buf, len, "%.10g", v);
}

static int stopped(const volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

/* ---- writing rows ---- */

static int needs_quotes(const char *s)
{
	size_t n = strlen(s);
	return strpbrk(s, ",\"\r\n") != NULL ||
	       (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'));
}

/* Writes one record; errors are left for ferror to report. */
static void put_row(FILE *f, const char *const *field, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = field[i] ? field[i] : "";
		if (i > 0)
			putc(',', f);
		if (needs_quotes(s))
			csv_fwrite(f, s, strlen(s));
		else
			fputs(s, f);
	}
	putc('\n', f);
}



/* ---- tables ---- */

static void table_grow(struct report_table *t)
{
	if (t->nrow < t->cap)
		return;
	t->cap = t->cap ? 2 * t->cap : 64;
	t->row = xrealloc(t->row, t->cap * sizeof *t->row);
	t->ncol = xrealloc(t->ncol, t->cap * sizeof *t->ncol);
}

void report_table_add(struct report_table *t, const char *const *field, size_t n)
{
	table_grow(t);
	char **row = xmalloc((n ? n : 1) * sizeof *row);
	for (size_t i = 0; i < n; i++)
		row[i] = xstrdup(field[i] ? field[i] : "");
	t->row[t->nrow] = row;
	t->ncol[t->nrow++] = n;
}

void report_table_append(struct report_table *t, struct report_table *src)
{
	for (size_t i = 0; i < src->nrow; i++) {
		table_grow(t);
		t->row[t->nrow] = src->row[i];
		t->ncol[t->nrow++] = src->ncol[i];
	}
	free(src->row);
	free(src->ncol);
	memset(src, 0, sizeof *src);
}

void report_table_release(struct report_table *t)
{
	for (size_t i = 0; i < t->nrow; i++) {
		for (size_t k = 0; k < t->ncol[i]; k++)
			free(t->row[i][k]);
		free(t->row[i]);
	}
	free(t->row);
	free(t->ncol);
	memset(t, 0, sizeof *t);
}

int report_table_write(FILE *f, const void *table)
{
	const struct report_table *t = table;
	for (size_t i = 0; i < t->nrow && !ferror(f); i++)
		put_row(f, (const char *const *)t->row[i], t->ncol[i]);
	return ferror(f) ? -1 : 0;
}

int report_text_write(FILE *f, const void *text)
{
	const struct report_text *t = text;
	if (t->len && fwrite(t->text, 1, t->len, f) != t->len)
		return -1;
	return ferror(f) ? -1 : 0;
}

/* ---- summary rows ---- */

const char *const report_summary_head[REPORT_SUMMARY_NCOL] = {
	"scenario", "scope", "name", "metric", "unit", "mean", "stddev",
	"ci95_low", "ci95_high", "min", "max", "replications",
};

static int same_metric(const struct metric *a, const struct metric *b)
{
	return strcmp(a->scope, b->scope) == 0 && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->metric, b->metric) == 0 && strcmp(a->unit, b->unit) == 0;
}

/* The lead fields, then the summary.csv fields of one metric. */
static void add_summary_row(struct report_table *t, const char *scenario, const char *const *lead,
                            size_t nlead, const struct metric *mt, const struct summary *s)
{
	const double v[] = { s->mean, s->stddev, s->ci_low, s->ci_high, s->min, s->max };
	char num[NELEM(v)][32], n[32];
	for (size_t i = 0; i < NELEM(v); i++)
		report_format_number(num[i], sizeof num[i], v[i]);
	snprintf(n, sizeof n, "%zu", s->n);
	const char *tail[REPORT_SUMMARY_NCOL] = {
		scenario, mt->scope, mt->name, mt->metric, mt->unit,
		num[0], num[1], num[2], num[3], num[4], num[5], n,
	};
	const char **field = xmalloc((nlead + REPORT_SUMMARY_NCOL) * sizeof *field);
	for (size_t i = 0; i < nlead; i++)
		field[i] = lead[i];
	memcpy(field + nlead, tail, sizeof tail);
	report_table_add(t, field, nlead + REPORT_SUMMARY_NCOL);
	free(field);
}

void report_summary_rows(struct report_table *t, const char *scenario, const char *const *lead,
                         size_t nlead, const struct results *rep, size_t nrep)
{
	if (nrep == 0)
		return;
	double *x = xmalloc(nrep * sizeof *x);
	const struct results *r0 = &rep[0];
	for (size_t i = 0; i < r0->nmetric; i++) {
		for (size_t r = 0; r < nrep; r++) {
			/* The engine appends metrics in one fixed order for a model. */
			assert(rep[r].nmetric == r0->nmetric);
			assert(same_metric(&rep[r].metric[i], &r0->metric[i]));
			x[r] = rep[r].metric[i].value;
		}
		struct summary s;
		summary_compute(&s, x, nrep);
		add_summary_row(t, scenario, lead, nlead, &r0->metric[i], &s);
	}
	free(x);
}

/* ---- a run's files ---- */

static int write_summary(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	struct report_table t = { 0 };
	report_table_add(&t, report_summary_head, REPORT_SUMMARY_NCOL);
	report_summary_rows(&t, j->m->name, NULL, 0, j->rep, j->nrep);
	int rc = report_table_write(f, &t);
	report_table_release(&t);
	return rc;
}

/* A long writer gives up at a replication boundary once stop is set. */
static int interrupted(const struct job *j)
{
	if (!stopped(j->stop))
		return 0;
	errno = EINTR;
	return 1;
}

static int write_replications(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	static const char *const head[] = {
		"scenario", "replication", "seed", "scope", "name", "metric", "unit", "value",
	};
	put_row(f, head, NELEM(head));
	for (size_t r = 0; r < j->nrep && !ferror(f); r++) {
		const struct results *res = &j->rep[r];
		char rep[32], seed[32], val[32];
		if (interrupted(j))
			return -1;
		snprintf(rep, sizeof rep, "%u", res->replication);
		snprintf(seed, sizeof seed, "%" PRIu64, res->seed);
		for (size_t i = 0; i < res->nmetric; i++) {
			const struct metric *mt = &res->metric[i];
			report_format_number(val, sizeof val, mt->value);
			const char *field[] = {
				j->m->name, rep, seed, mt->scope, mt->name, mt->metric, mt->unit, val,
			};
			put_row(f, field, NELEM(field));
		}
	}
	return ferror(f) ? -1 : 0;
}

static void put_hour_row(FILE *f, const struct job *j, const struct results *res,
                         const struct hour_row *h)
{
	assert(h->stage < j->m->nstage);
	const double v[] = { h->arrivals,  h->departures, h->servers,  h->queue_mean,
		             h->queue_max, h->wait_mean,  h->wait_p95, h->utilization };
	char rep[32], day[32], hour[32], num[NELEM(v)][32];
	snprintf(rep, sizeof rep, "%u", res->replication);
	snprintf(day, sizeof day, "%u", h->day);
	snprintf(hour, sizeof hour, "%u", h->hour);
	for (size_t i = 0; i < NELEM(v); i++)
		report_format_number(num[i], sizeof num[i], v[i]);
	const char *field[] = {
		j->m->name, rep, day, hour, j->m->stage[h->stage].name,
		num[0], num[1], num[2], num[3], num[4], num[5], num[6], num[7],
	};
	put_row(f, field, NELEM(field));
}

static int write_hourly(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	static const char *const head[] = {
		"scenario", "replication", "day", "hour", "stage", "arrivals", "departures",
		"servers", "queue_mean", "queue_max", "wait_mean", "wait_p95", "utilization",
	};
	put_row(f, head, NELEM(head));
	for (size_t r = 0; r < j->nrep && !ferror(f); r++) {
		const struct results *res = &j->rep[r];
		if (interrupted(j))
			return -1;
		if (res->hourly_csv) {
			fwrite(res->hourly_csv, 1, res->hourly_csv_len, f);
			continue;
		}
		for (size_t i = 0; i < res->nhour; i++)
			put_hour_row(f, j, res, &res->hour[i]);
	}
	return ferror(f) ? -1 : 0;
}

void report_render_hourly(const struct model *m, struct results *r)
{
	struct job j = { .m = m, .rep = r, .nrep = 1 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;                  /* report_write formats the rows itself */
	for (size_t i = 0; i < r->nhour; i++)
		put_hour_row(f, &j, r, &r->hour[i]);
	if (fclose(f) != 0) {
		free(buf);
		return;
	}
	free(r->hourly_csv);
	r->hourly_csv = buf;
	r->hourly_csv_len = len;
}

static int write_ini(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	return scenario_write(j->sc, f);
}

static int write_hourly_svg(FILE *f, const void *ctx)
{
	const struct job *j = ctx;
	return chart_hourly(f, j->m, j->rep, j->nrep);
}

int report_write(const char *dir, const struct model *m, const struct scenario *sc,
                 const struct results *rep, size_t nrep, const volatile sig_atomic_t *stop,
                 char *err, size_t errlen)
{
	const struct job j = { m, sc, rep, nrep, stop };
	const struct report_file files[] = {
		{ "summary.csv", write_summary, &j },
		{ "replications.csv", write_replications, &j },
		{ "hourly.csv", write_hourly, &j },
		{ "scenario.ini", write_ini, &j },
		{ "hourly.svg", write_hourly_svg, &j },
	};
	return report_write_files(dir, files, NELEM(files), &report_kind_run, stop, err, errlen);
}

/* ---- the folder ---- */

/* Every kind of output folder and the files it may hold. scenario.ini is in
 * each; the other names tell the kinds apart. */
static const char *const run_names[] = {
	"summary.csv", "replications.csv", "hourly.csv", "scenario.ini", "hourly.svg", NULL,
};
static const char *const sweep_names[] = {
	"sweep.csv", "scenario.ini", "shard.csv", "sweep.svg", NULL,
};
static const char *const compare_names[] = {
	"compare.csv", "base.ini", "scenario.ini", NULL,
};
const struct report_kind report_kind_run = { "a run", run_names };
const struct report_kind report_kind_sweep = { "a sweep or merge", sweep_names };
const struct report_kind report_kind_compare = { "a compare", compare_names };
static const struct report_kind *const kinds[] = {
	&report_kind_run, &report_kind_sweep, &report_kind_compare,
};

static int has_name(const struct report_kind *k, const char *name)
{
	for (const char *const *p = k->names; *p; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

/* Folders made by this call, outermost first, to remove on failure. */
struct made {
	char **path;
	size_t n;
};

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Makes one folder of the chain unless it is there already. An existing
 * non-folder in the middle of the chain is passed over: the next mkdir fails
 * with ENOTDIR, and the message names the deeper path the user asked for. */
static int make_one(const char *path, int last, struct made *made, char *err, size_t errlen)
{
	if (mkdir(path, 0777) == 0) {
		made->path = xrealloc(made->path, (made->n + 1) * sizeof *made->path);
		made->path[made->n++] = xstrdup(path);
		return 0;
	}
	int e = errno;
	if (is_dir(path) || (e == EEXIST && !last))
		return 0;
	return util_err(err, errlen, EX_CANTCREAT, "cannot create folder '%s': %s", path,
	                strerror(e == EEXIST ? ENOTDIR : e));
}

/* mkdir -p: each prefix of dir in turn, outermost first. */
static int make_dirs(const char *dir, struct made *made, char *err, size_t errlen)
{
	char *p = xstrdup(dir);
	int status = 0;
	for (char *s = p + 1; status == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (c == '\0' || s[-1] != '/')
			status = make_one(p, c == '\0', made, err, errlen);
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return status;
}

static void made_release(struct made *made, int remove)
{
	for (size_t i = made->n; i-- > 0;) {
		if (remove)
			rmdir(made->path[i]);
		free(made->path[i]);
	}
	free(made->path);
	made->path = NULL;
	made->n = 0;
}

/* dir without trailing slashes ("/" stays "/"). */
static char *clean_dir(const char *dir)
{
	char *d = xstrdup(dir);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	return d;
}

/* The file names of one write: temporary and final, relative to the folder;
 * the final path for messages; how far each got. Only a temporary this write
 * created is removed: a name someone else put there is not ours. */
enum { NAME_NONE, NAME_CREATED, NAME_RENAMED };
struct names {
	char **tmp, **path;
	const char **final;
	int *state;
	size_t n;
};

/* One write into one folder: what it holds, to take back on failure. */
struct folder {
	char *d;            /* the folder, without trailing slashes */
	const char *sep;    /* "/", or "" when d is "/" */
	int fd, lock;       /* the folder and its lock file, or -1 */
	int adopted;        /* d held only a dead write's leftovers: ours to remove */
	struct made made;
	struct names nm;
};

static void names_init(struct folder *fo, const struct report_file *file, size_t n)
{
	struct names *nm = &fo->nm;
	nm->n = n;
	nm->tmp = xcalloc(n, sizeof *nm->tmp);
	nm->path = xcalloc(n, sizeof *nm->path);
	nm->final = xcalloc(n, sizeof *nm->final);
	nm->state = xcalloc(n, sizeof *nm->state);
	for (size_t k = 0; k < n; k++) {
		nm->tmp[k] = xasprintf(REPORT_TMP_PREFIX "%ld.%s", (long)getpid(), file[k].name);
		nm->final[k] = file[k].name;
		nm->path[k] = xasprintf("%s%s%s", fo->d, fo->sep, file[k].name);
	}
}

/* The folder's lock: REPORT_LOCK_NAME, opened without following a link, held
 * with flock for the whole write. Its holder removes it before unlocking, so
 * a writer that locked a file no longer in the folder tries again; one whose
 * locked file is still the folder's holds the lock. *existed says the file
 * was there before (a write that died left it). Does not wait: a second
 * writer fails at once. */
static int lock_take(struct folder *fo, int *existed, char *err, size_t errlen)
{
	const int flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
	for (int tries = 0; tries < 100; tries++) {
		int fd = openat(fo->fd, REPORT_LOCK_NAME, flags | O_CREAT | O_EXCL, 0666);
		*existed = fd < 0 && errno == EEXIST;
		if (*existed)
			fd = openat(fo->fd, REPORT_LOCK_NAME, flags);
		if (fd < 0 && errno == ENOENT)
			continue;               /* removed by its holder in between */
		if (fd < 0)
			return util_err(err, errlen, EX_CANTCREAT, "cannot create '%s%s%s': %s", fo->d,
			                fo->sep, REPORT_LOCK_NAME, strerror(errno));
		struct stat a, b;
		int e = fstat(fd, &a) != 0 ? errno : flock(fd, LOCK_EX | LOCK_NB) != 0 ? errno : 0;
		if (e == 0 && !S_ISREG(a.st_mode)) {
			close(fd);
			return util_err(err, errlen, EX_CANTCREAT, "cannot lock '%s%s%s': not a regular "
			                "file; remove it", fo->d, fo->sep, REPORT_LOCK_NAME);
		}
		if (e == 0 && fstatat(fo->fd, REPORT_LOCK_NAME, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			fo->lock = fd;
			return 0;
		}
		close(fd);
		if (e == EWOULDBLOCK)
			return util_err(err, errlen, EX_CANTCREAT, "'%s' is being written by another "
			                "bordersim: wait until it is done, or write to another folder "
			                "(-o)", fo->d);
		if (e)
			return util_err(err, errlen, EX_CANTCREAT, "cannot lock '%s%s%s': %s", fo->d,
			                fo->sep, REPORT_LOCK_NAME, strerror(e));
	}
	return util_err(err, errlen, EX_CANTCREAT, "cannot lock '%s%s%s': it keeps being replaced",
	                fo->d, fo->sep, REPORT_LOCK_NAME);
}

/* Refuses a folder that holds the output of another kind of command: writing
 * this kind's files beside it would mix two outputs (scenario.ini replaced,
 * the rest kept). */
static int check_kind(struct folder *fo, const struct report_kind *kind, char *err,
                      size_t errlen)
{
	const struct report_kind *other = NULL;
	char *found = xstrdup("");
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (kinds[i] == kind)
			continue;
		for (const char *const *p = kinds[i]->names; *p; p++) {
			struct stat st;
			if (has_name(kind, *p) || strstr(found, *p) ||
			    fstatat(fo->fd, *p, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			char *s = xasprintf("%s%s%s", found, *found ? ", " : "", *p);
			free(found);
			found = s;
			other = other ? other : kinds[i];
		}
	}
	int status = 0;
	if (other)
		status = util_err(err, errlen, EX_CANTCREAT, "cannot write %s into '%s': it holds "
		                  "the output of %s (%s); choose another folder with -o, or remove "
		                  "that one first", kind->what, fo->d, other->what, found);
	free(found);
	return status;
}

/* Whether name is a process's temporary file: ours (REPORT_TMP_PREFIX), or
 * one of release 1 (".summary.csv.tmp.PID") whose process is gone. */
static int is_leftover(const char *name)
{
	if (strncmp(name, REPORT_TMP_PREFIX, strlen(REPORT_TMP_PREFIX)) == 0)
		return 1;
	const char *t = strstr(name, ".tmp.");
	if (name[0] != '.' || !t || t == name + 1 || t[5] == '\0' ||
	    strspn(t + 5, "0123456789") != strlen(t + 5) || strlen(t + 5) > 9)
		return 0;
	int known = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		for (const char *const *p = kinds[i]->names; *p; p++)
			known |= strlen(*p) == (size_t)(t - name - 1) &&
			         strncmp(*p, name + 1, strlen(*p)) == 0;
	return known && kill((pid_t)atol(t + 5), 0) != 0 && errno == ESRCH;
}

/* Under the lock no other write is running in the folder, so every temporary
 * file in it is a dead write's (killed, or a crash) or planted: removed. A
 * folder left with nothing else was made by such a write; it is removed again
 * if this write fails. */
static void remove_leftovers(struct folder *fo, int lock_existed)
{
	int fd = dup(fo->fd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;
	}
	char **gone = NULL;
	size_t ngone = 0, others = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, REPORT_LOCK_NAME) == 0)
			continue;
		if (!is_leftover(e->d_name)) {
			others++;
			continue;
		}
		gone = xrealloc(gone, (ngone + 1) * sizeof *gone);
		gone[ngone++] = xstrdup(e->d_name);
	}
	closedir(dir);
	for (size_t i = 0; i < ngone; i++) {
		if (unlinkat(fo->fd, gone[i], 0) != 0)
			others++;
		free(gone[i]);
	}
	free(gone);
	fo->adopted = others == 0 && (ngone > 0 || lock_existed) && fo->made.n == 0;
}

/* Writes one file under its temporary name, which nothing may hold yet (a
 * link there is not followed), flushed and synced; messages name the final
 * path. */
static int write_one(struct folder *fo, size_t k, const struct report_file *file, char *err,
                     size_t errlen)
{
	const char *final = fo->nm.path[k];
	int fd = openat(fo->fd, fo->nm.tmp[k], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	                0666);
	if (fd < 0 && errno == EEXIST)
		return util_err(err, errlen, EX_CANTCREAT, "cannot create '%s%s%s' to write '%s': "
		                "%s", fo->d, fo->sep, fo->nm.tmp[k], final, strerror(EEXIST));
	if (fd >= 0)
		fo->nm.state[k] = NAME_CREATED;
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return util_err(err, errlen, EX_CANTCREAT, "cannot create '%s': %s", final,
		                strerror(e));
	}
	errno = 0;
	int e = 0;
	if (file->write(f, file->ctx) != 0 || fflush(f) != 0 || ferror(f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(f)) != 0 && errno != EINVAL && errno != EROFS)
		e = errno;
	if (fclose(f) != 0 && e == 0)
		e = errno;
	if (e)
		return util_err(err, errlen, EX_CANTCREAT, "cannot write '%s': %s", final,
		                strerror(e));
	return 0;
}

/* A target that exists must be something rename can replace. */
static int check_target(struct folder *fo, size_t k, char *err, size_t errlen)
{
	struct stat st;
	if (fstatat(fo->fd, fo->nm.final[k], &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISDIR(st.st_mode))
		return 0;
	return util_err(err, errlen, EX_CANTCREAT, "cannot replace '%s': %s", fo->nm.path[k],
	                strerror(EISDIR));
}

/* Writes each file to its temporary name; stops between files when asked. */
static int write_all(struct folder *fo, const struct report_file *file,
                     const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	int status = 0;
	for (size_t k = 0; k < fo->nm.n && status == 0; k++)
		status = check_target(fo, k, err, errlen);
	for (size_t k = 0; k < fo->nm.n && status == 0; k++) {
		if (stopped(stop))
			return REPORT_STOPPED;
		status = write_one(fo, k, &file[k], err, errlen);
		if (status && stopped(stop))
			return REPORT_STOPPED;
	}
	return status;
}

/* Renames every file into place with every signal but a fault of the program
 * held back, after one last look at stop. */
static int rename_all(struct folder *fo, const volatile sig_atomic_t *stop, char *err,
                      size_t errlen)
{
	static const int fault[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS };
	sigset_t block, old;
	sigfillset(&block);
	for (size_t i = 0; i < sizeof fault / sizeof fault[0]; i++)
		sigdelset(&block, fault[i]);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	struct names *nm = &fo->nm;
	int status = stopped(stop) ? REPORT_STOPPED : 0;
	for (size_t k = 0; k < nm->n && status == 0; k++) {
		if (renameat(fo->fd, nm->tmp[k], fo->fd, nm->final[k]) == 0)
			nm->state[k] = NAME_RENAMED;
		else
			status = util_err(err, errlen, EX_CANTCREAT, "cannot rename '%s%s%s' to '%s': %s",
			                  fo->d, fo->sep, nm->tmp[k], nm->path[k], strerror(errno));
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return status;
}

/* Removes the files of this kind that this write did not make (a shard's
 * manifest after a whole sweep, a chart no longer drawn): they would mislead. */
static void remove_stale(struct folder *fo, const struct report_kind *kind)
{
	for (const char *const *p = kind->names; *p; p++) {
		int written = 0;
		for (size_t k = 0; k < fo->nm.n; k++)
			written |= strcmp(fo->nm.final[k], *p) == 0;
		struct stat st;
		if (!written && fstatat(fo->fd, *p, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode))
			unlinkat(fo->fd, *p, 0);
	}
}

/* Ends a write: a failed one takes back its temporary files, the files it
 * renamed into a folder it made, and that folder; either way the lock goes. */
static void folder_release(struct folder *fo, int failed)
{
	struct names *nm = &fo->nm;
	int ours = fo->made.n > 0 || fo->adopted;
	for (size_t k = 0; k < nm->n; k++) {
		if (failed && nm->state[k] == NAME_CREATED)
			unlinkat(fo->fd, nm->tmp[k], 0);
		if (failed && nm->state[k] == NAME_RENAMED && ours)
			unlinkat(fo->fd, nm->final[k], 0);
		free(nm->tmp[k]);
		free(nm->path[k]);
	}
	free(nm->tmp);
	free(nm->path);
	free(nm->final);
	free(nm->state);
	memset(nm, 0, sizeof *nm);
	if (fo->lock >= 0) {
		unlinkat(fo->fd, REPORT_LOCK_NAME, 0);
		close(fo->lock);      /* unlocks, after the file is gone */
	}
	if (fo->fd >= 0)
		close(fo->fd);
	fo->lock = fo->fd = -1;
	if (failed && fo->adopted)
		rmdir(fo->d);
	made_release(&fo->made, failed);
	free(fo->d);
	fo->d = NULL;
}

/* For util_out_of_memory: the write in progress fails. */
static void write_abandon(void *arg)
{
	folder_release(arg, 1);
}

/* Opens the folder. A link named as the folder is followed only when this
 * user or root owns it: one that another user put at the name, in a folder
 * others may write, would send the files wherever it points. */
static int open_dir(struct folder *fo, char *err, size_t errlen)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	struct stat st;
	fo->fd = open(fo->d, flags | O_NOFOLLOW);
	if (fo->fd < 0 && (errno == ELOOP || errno == ENOTDIR) && lstat(fo->d, &st) == 0 &&
	    S_ISLNK(st.st_mode)) {
		if (st.st_uid != geteuid() && st.st_uid != 0)
			return util_err(err, errlen, EX_CANTCREAT, "cannot write into '%s': it is a link "
			                "that another user (uid %ld) owns; name the folder it points to",
			                fo->d, (long)st.st_uid);
		fo->fd = open(fo->d, flags);
	}
	if (fo->fd < 0)
		return util_err(err, errlen, EX_CANTCREAT, "cannot open folder '%s': %s", fo->d,
		                strerror(errno));
	return 0;
}

/* Makes the folder, opens and locks it, refuses another kind's folder and
 * clears what dead writes left. */
static int folder_open(struct folder *fo, const struct report_kind *kind, char *err,
                       size_t errlen)
{
	int status, existed = 0;
	if ((status = make_dirs(fo->d, &fo->made, err, errlen)) != 0)
		return status;
	if ((status = open_dir(fo, err, errlen)) != 0)
		return status;
	if ((status = lock_take(fo, &existed, err, errlen)) != 0)
		return status;
	if ((status = check_kind(fo, kind, err, errlen)) != 0)
		return status;
	remove_leftovers(fo, existed);
	return 0;
}

int report_write_files(const char *dir, const struct report_file *file, size_t nfile,
                       const struct report_kind *kind, const volatile sig_atomic_t *stop,
                       char *err, size_t errlen)
{
	struct folder fo = { .d = clean_dir(dir), .fd = -1, .lock = -1 };
	int status = 0;

	for (size_t k = 0; k < nfile; k++)
		assert(has_name(kind, file[k].name));
	fo.sep = strcmp(fo.d, "/") == 0 ? "" : "/";
	if (*fo.d == '\0') {
		status = util_err(err, errlen, EX_CANTCREAT, "cannot create folder '': %s",
		                  strerror(ENOENT));
		goto out;
	}
	if (stopped(stop)) {
		status = REPORT_STOPPED;
		goto out;
	}
	names_init(&fo, file, nfile);
	util_on_out_of_memory(write_abandon, &fo);
	if ((status = folder_open(&fo, kind, err, errlen)) != 0)
		goto out;
	if ((status = write_all(&fo, file, stop, err, errlen)) != 0)
		goto out;
	if ((status = rename_all(&fo, stop, err, errlen)) != 0)
		goto out;
	remove_stale(&fo, kind);
	fsync(fo.fd);
out:
	util_on_out_of_memory(NULL, NULL);
	folder_release(&fo, status != 0);
	return status;
}

/* ---- reading back ---- */

struct reader {
	struct report_table *t;
	char **field;
	size_t nfield, cap;
};

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->nfield == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->field = xrealloc(r->field, r->cap * sizeof *r->field);
	}
	char *v = xmalloc(len + 1);
	if (len)
		memcpy(v, s, len);
	v[len] = '\0';
	r->field[r->nfield++] = v;
}

static void on_row(int c, void *data)
{
	(void)c;
	struct reader *r = data;
	struct report_table *t = r->t;
	table_grow(t);
	t->row[t->nrow] = r->field;
	t->ncol[t->nrow++] = r->nfield;
	r->field = NULL;
	r->nfield = r->cap = 0;
}

/* Blanks are data (RFC 4180): nothing is trimmed. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t k = 0;
	for (const char *e = s + n; (s = memchr(s, '\n', (size_t)(e - s))) != NULL; s++)
		k++;
	return k;
}

/* The message for a parse that stopped at line with libcsv's error code: c
 * is the character refused (in strict mode a quote inside an unquoted field,
 * or text after a closing quote), or EOF when the file ended inside a quoted
 * field. Running out of memory is no fault of the file. */
static int csv_fault(char *err, size_t errlen, const char *path, size_t line, int code, int c)
{
	const char *pre = "malformed CSV:";
	if (code == CSV_ENOMEM)
		util_out_of_memory();
	if (code != CSV_EPARSE)
		return util_err(err, errlen, EX_DATAERR, "%s:%zu: %s", path, line,
		                csv_strerror(code));
	if (c == EOF)
		return util_err(err, errlen, EX_DATAERR, "%s:%zu: %s the file ends inside a quoted "
		                "field (a quote is never closed)", path, line, pre);
	if (c == '"')
		return util_err(err, errlen, EX_DATAERR, "%s:%zu: %s a quote inside a field that "
		                "does not start with one", path, line, pre);
	if (c > ' ' && c < 0x7f)
		return util_err(err, errlen, EX_DATAERR, "%s:%zu: %s '%c' after the closing quote "
		                "of a field", path, line, pre, c);
	return util_err(err, errlen, EX_DATAERR, "%s:%zu: %s byte 0x%02x after the closing "
	                "quote of a field", path, line, pre, (unsigned)c);
}

int report_too_large(const char *path, size_t max, long long size, char *err, size_t errlen)
{
	if (size > 0)
		return util_err(err, errlen, EX_DATAERR, "%s: too large: %lld bytes; an input read "
		                "back may hold %zu MiB", path, size, max >> 20);
	return util_err(err, errlen, EX_DATAERR, "%s: too large: more than %zu MiB read; an input "
	                "read back may hold %zu MiB", path, max >> 20, max >> 20);
}

int report_open_input(const char *path, size_t max, FILE **f, char *err, size_t errlen)
{
	struct stat st;
	int rc = util_open_regular(path, f, &st);
	if (rc > 0)
		return util_err(err, errlen, EX_NOINPUT, "cannot %s '%s': %s",
		                rc == EISDIR ? "read" : "open", path, strerror(rc));
	if (rc < 0)
		return util_err(err, errlen, EX_NOINPUT, "cannot read '%s': %s, not a regular file",
		                path, util_file_kind(st.st_mode));
	if ((unsigned long long)st.st_size <= max)
		return 0;
	fclose(*f);
	*f = NULL;
	return report_too_large(path, max, (long long)st.st_size, err, errlen);
}

int report_read_csv(const char *path, struct report_table *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	struct reader r = { t, NULL, 0, 0 };
	struct csv_parser p;
	FILE *f;
	int status = report_open_input(path, REPORT_INPUT_MAX, &f, err, errlen);
	if (status)
		return status;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fclose(f);
		return util_err(err, errlen, EX_SOFTWARE, "%s: cannot start the CSV reader", path);
	}
	csv_set_space_func(&p, no_space);
	char buf[8192];
	size_t n, lines = 0, total = 0;    /* line breaks and bytes before buf */
	char last = '\n';
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if ((total += n) > REPORT_INPUT_MAX) {
			status = report_too_large(path, REPORT_INPUT_MAX, 0, err, errlen);
			goto out;
		}
		size_t used = csv_parse(&p, buf, n, on_field, on_row, &r);
		if (used != n) {
			/* libcsv stops at the character it refused */
			status = csv_fault(err, errlen, path, lines + count_lines(buf, used) + 1,
			                   csv_error(&p), (unsigned char)buf[used]);
			goto out;
		}
		lines += count_lines(buf, n);
		last = buf[n - 1];
	}
	if (ferror(f)) {
		status = util_err(err, errlen, EX_NOINPUT, "cannot read '%s': %s", path,
		                  strerror(errno));
		goto out;
	}
	if (csv_fini(&p, on_field, on_row, &r) != 0) {
		size_t line = lines + (last != '\n');
		status = csv_fault(err, errlen, path, line ? line : 1, csv_error(&p), EOF);
	}
out:
	for (size_t k = 0; k < r.nfield; k++)
		free(r.field[k]);
	free(r.field);
	csv_free(&p);
	fclose(f);
	return status;
}
