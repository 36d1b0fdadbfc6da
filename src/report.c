/* report: the output folder of a run, written all or nothing.
 *
 * Each of the four files is written in full under a temporary name in the
 * target folder (same file system, so rename is atomic), flushed and fsynced;
 * only when all four are on disk are they renamed into place. A failure before
 * that point removes the temporary files and any folder this call made, so the
 * folder is exactly as it was. Renaming four files is not one atomic step: a
 * rename failing after another succeeded (rare, since targets are checked
 * first) can leave a mix of old and new complete files, never a half-written
 * one.
 *
 * Fields go through libcsv's csv_fwrite, which always quotes; it is called only
 * for fields that need quoting (RFC 4180: comma, quote, line break; also edge
 * blanks, which some readers trim), so ordinary cells stay bare. */
#include "report.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <csv.h>

#include "summary.h"
#include "util.h"

/* What the file writers need. */
struct job {
	const struct model *m;
	const struct scenario *sc;
	const struct results *rep;
	size_t nrep;
};

/* Folders made by this call, outermost first, to remove on failure. */
struct made {
	char **path;
	size_t n;
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

#define NFIELD(a) (sizeof(a) / sizeof((a)[0]))

static int same_metric(const struct metric *a, const struct metric *b)
{
	return strcmp(a->scope, b->scope) == 0 && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->metric, b->metric) == 0 && strcmp(a->unit, b->unit) == 0;
}

static void put_summary_row(FILE *f, const char *scenario, const struct metric *mt,
                            const struct summary *s)
{
	const double v[] = { s->mean, s->stddev, s->ci_low, s->ci_high, s->min, s->max };
	char num[NFIELD(v)][32], n[32];
	for (size_t i = 0; i < NFIELD(v); i++)
		report_format_number(num[i], sizeof num[i], v[i]);
	snprintf(n, sizeof n, "%zu", s->n);
	const char *field[] = {
		scenario, mt->scope, mt->name, mt->metric, mt->unit,
		num[0], num[1], num[2], num[3], num[4], num[5], n,
	};
	put_row(f, field, NFIELD(field));
}

static int write_summary(FILE *f, const struct job *j)
{
	static const char *const head[] = {
		"scenario", "scope", "name", "metric", "unit", "mean", "stddev",
		"ci95_low", "ci95_high", "min", "max", "replications",
	};
	put_row(f, head, NFIELD(head));
	if (j->nrep == 0)
		return ferror(f) ? -1 : 0;
	double *x = xmalloc(j->nrep * sizeof *x);
	const struct results *r0 = &j->rep[0];
	for (size_t i = 0; i < r0->nmetric && !ferror(f); i++) {
		for (size_t r = 0; r < j->nrep; r++) {
			/* The engine appends metrics in one fixed order for a model. */
			assert(j->rep[r].nmetric == r0->nmetric);
			assert(same_metric(&j->rep[r].metric[i], &r0->metric[i]));
			x[r] = j->rep[r].metric[i].value;
		}
		struct summary s;
		summary_compute(&s, x, j->nrep);
		put_summary_row(f, j->m->name, &r0->metric[i], &s);
	}
	free(x);
	return ferror(f) ? -1 : 0;
}

static int write_replications(FILE *f, const struct job *j)
{
	static const char *const head[] = {
		"scenario", "replication", "seed", "scope", "name", "metric", "unit", "value",
	};
	put_row(f, head, NFIELD(head));
	for (size_t r = 0; r < j->nrep && !ferror(f); r++) {
		const struct results *res = &j->rep[r];
		char rep[32], seed[32], val[32];
		snprintf(rep, sizeof rep, "%u", res->replication);
		snprintf(seed, sizeof seed, "%" PRIu64, res->seed);
		for (size_t i = 0; i < res->nmetric; i++) {
			const struct metric *mt = &res->metric[i];
			report_format_number(val, sizeof val, mt->value);
			const char *field[] = {
				j->m->name, rep, seed, mt->scope, mt->name, mt->metric, mt->unit, val,
			};
			put_row(f, field, NFIELD(field));
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
	char rep[32], day[32], hour[32], num[NFIELD(v)][32];
	snprintf(rep, sizeof rep, "%u", res->replication);
	snprintf(day, sizeof day, "%u", h->day);
	snprintf(hour, sizeof hour, "%u", h->hour);
	for (size_t i = 0; i < NFIELD(v); i++)
		report_format_number(num[i], sizeof num[i], v[i]);
	const char *field[] = {
		j->m->name, rep, day, hour, j->m->stage[h->stage].name,
		num[0], num[1], num[2], num[3], num[4], num[5], num[6], num[7],
	};
	put_row(f, field, NFIELD(field));
}

static int write_hourly(FILE *f, const struct job *j)
{
	static const char *const head[] = {
		"scenario", "replication", "day", "hour", "stage", "arrivals", "departures",
		"servers", "queue_mean", "queue_max", "wait_mean", "wait_p95", "utilization",
	};
	put_row(f, head, NFIELD(head));
	for (size_t r = 0; r < j->nrep && !ferror(f); r++)
		for (size_t i = 0; i < j->rep[r].nhour; i++)
			put_hour_row(f, j, &j->rep[r], &j->rep[r].hour[i]);
	return ferror(f) ? -1 : 0;
}

static int write_ini(FILE *f, const struct job *j)
{
	return scenario_write(j->sc, f);
}

static const struct {
	const char *name;
	int (*write)(FILE *f, const struct job *j);
} files[] = {
	{ "summary.csv", write_summary },
	{ "replications.csv", write_replications },
	{ "hourly.csv", write_hourly },
	{ "scenario.ini", write_ini },
};

enum { NFILE = NFIELD(files) };

/* ---- the folder ---- */

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

/* Writes one file under tmp, flushed and synced; messages name final. */
static int write_one(const char *tmp, const char *final, size_t k, const struct job *j, char *err,
                     size_t errlen)
{
	FILE *f = fopen(tmp, "w");
	if (!f)
		return util_err(err, errlen, EX_CANTCREAT, "cannot create '%s': %s", final,
		                strerror(errno));
	errno = 0;
	int e = 0;
	if (files[k].write(f, j) != 0 || fflush(f) != 0 || ferror(f))
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
static int check_target(const char *final, char *err, size_t errlen)
{
	struct stat st;
	if (lstat(final, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	return util_err(err, errlen, EX_CANTCREAT, "cannot replace '%s': %s", final,
	                strerror(EISDIR));
}

/* Makes the renames durable; some file systems cannot sync a folder. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
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

int report_write(const char *dir, const struct model *m, const struct scenario *sc,
                 const struct results *rep, size_t nrep, char *err, size_t errlen)
{
	const struct job j = { m, sc, rep, nrep };
	struct made made = { NULL, 0 };
	char *tmp[NFILE] = { NULL }, *final[NFILE] = { NULL };
	int renamed[NFILE] = { 0 };
	char *d = clean_dir(dir);
	int status = 0;

	if (*d == '\0') {
		status = util_err(err, errlen, EX_CANTCREAT, "cannot create folder '': %s",
		                  strerror(ENOENT));
		goto out;
	}
	for (size_t k = 0; k < NFILE; k++) {
		const char *sep = strcmp(d, "/") == 0 ? "" : "/";
		tmp[k] = xasprintf("%s%s.%s.tmp.%ld", d, sep, files[k].name, (long)getpid());
		final[k] = xasprintf("%s%s%s", d, sep, files[k].name);
	}
	if ((status = make_dirs(d, &made, err, errlen)) != 0)
		goto out;
	for (size_t k = 0; k < NFILE && status == 0; k++)
		status = check_target(final[k], err, errlen);
	for (size_t k = 0; k < NFILE && status == 0; k++)
		status = write_one(tmp[k], final[k], k, &j, err, errlen);
	for (size_t k = 0; k < NFILE && status == 0; k++) {
		if (rename(tmp[k], final[k]) == 0)
			renamed[k] = 1;
		else
			status = util_err(err, errlen, EX_CANTCREAT, "cannot rename '%s' to '%s': %s",
			                  tmp[k], final[k], strerror(errno));
	}
	if (status == 0)
		sync_dir(d);
out:
	for (size_t k = 0; k < NFILE; k++) {
		if (status && tmp[k] && !renamed[k])
			unlink(tmp[k]);
		/* Files renamed into a folder this call made are ours to take back. */
		if (status && renamed[k] && made.n > 0)
			unlink(final[k]);
		free(tmp[k]);
		free(final[k]);
	}
	made_release(&made, status != 0);
	free(d);
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
	if (t->nrow == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->row = xrealloc(t->row, t->cap * sizeof *t->row);
		t->ncol = xrealloc(t->ncol, t->cap * sizeof *t->ncol);
	}
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

int report_read_csv(const char *path, struct report_table *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	struct reader r = { t, NULL, 0, 0 };
	struct csv_parser p;
	int status = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return util_err(err, errlen, EX_NOINPUT, "cannot open '%s': %s", path,
		                strerror(errno));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fclose(f);
		return util_err(err, errlen, EX_SOFTWARE, "%s: cannot start the CSV reader", path);
	}
	csv_set_space_func(&p, no_space);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (csv_parse(&p, buf, n, on_field, on_row, &r) != n) {
			status = util_err(err, errlen, EX_DATAERR, "%s: %s", path,
			                  csv_strerror(csv_error(&p)));
			goto out;
		}
	}
	if (ferror(f)) {
		status = util_err(err, errlen, EX_NOINPUT, "cannot read '%s': %s", path,
		                  strerror(errno));
		goto out;
	}
	if (csv_fini(&p, on_field, on_row, &r) != 0)
		status = util_err(err, errlen, EX_DATAERR, "%s: %s", path,
		                  csv_strerror(csv_error(&p)));
out:
	for (size_t k = 0; k < r.nfield; k++)
		free(r.field[k]);
	free(r.field);
	csv_free(&p);
	fclose(f);
	return status;
}
