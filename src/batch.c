/* batch: the grid of a sweep, its shards, sweep.csv streamed as points
 * finish, the series of sweep.svg, and the paired differences of a
 * comparison. merge.c reads shards back and joins them.
 *
 * A merge must give the bytes of the whole sweep. Rather than trust that
 * numbers survive a round trip through text, everything a sweep writes is
 * made from the strings of its rows: the CSV writer prints them, and the
 * chart reads its numbers back from them with strtod. A merge streams the
 * same strings back from the shards (the CSV reader returns exactly what the
 * writer was given) and so writes the same CSV and draws the same chart.
 *
 * A sweep's memory must not grow with its points. Points finish out of order
 * on several threads; each hands its rows to batch_sweep_point, which holds
 * only the points finished before the one due next. The point due next is
 * formatted at once into an unlinked temporary file (made with mkstemp in
 * $TMPDIR and unlinked at once, so no exit, failure or signal leaves it
 * behind), its bytes added to the fingerprint the manifest names and its
 * rows counted; then the points held behind it follow. The chart keeps only
 * its candidate series' numbers — the national metrics of the first point,
 * or every stage's wait_p95 and utilization until the middle point names the
 * busiest — and the final all-or-nothing write copies the file into the
 * folder writer's own temporary file. */
#include "batch.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "html.h"
#include "scenario.h"
#include "summary.h"
#include "util.h"

#define CHART_STAGES 6
#define ERRLEN UTIL_ERRLEN

/* ---- the grid ---- */

void batch_grid_init(struct batch_grid *g)
{
	memset(g, 0, sizeof *g);
	g->npoint = 1;
}

static void axis_release(struct batch_axis *a)
{
	for (size_t i = 0; i < a->nvalue; i++)
		free(a->value[i]);
	free(a->value);
	free(a->key);
	free(a->arg);
	memset(a, 0, sizeof *a);
}

void batch_grid_release(struct batch_grid *g)
{
	for (size_t i = 0; i < g->naxis; i++)
		axis_release(&g->axis[i]);
	free(g->axis);
	batch_grid_init(g);
}

void batch_axis_push(struct batch_axis *a, char *value)
{
	size_t n = a->nvalue;
	if ((n & (n - 1)) == 0)
		a->value = xrealloc(a->value, (n ? 2 * n : 1) * sizeof *a->value);
	a->value[a->nvalue++] = value;
}

/* A copy of s[0..n) without leading and trailing blanks. */
static char *trimmed(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	char *t = xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	return t;
}

/* Where the next top-level separator (or the end) is; -1 in *depth on a ')'
 * without its '('. */
static const char *item_end(const char *p, char sep, int *depth)
{
	for (; *p && !(*p == sep && *depth == 0); p++) {
		if (*p == '(')
			++*depth;
		else if (*p == ')' && --*depth < 0)
			return p;
	}
	return p;
}

/* A number strtod reads whole and finite. */
static int read_real(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return end != s && *end == '\0' && errno != ERANGE && isfinite(*v) ? 0 : -1;
}

static char *format_value(double v)
{
	return xasprintf("%.10g", v == 0 ? 0.0 : v);   /* -0 prints as 0 */
}

/* START:STOP:STEP, both ends included. */
static int grid_range(struct batch_axis *a, const char *text, char *err, size_t errlen)
{
	double v[3];
	char *part[3], *copy = xstrdup(text), *p = copy;
	int status = 0;
	for (int i = 0; i < 3; i++) {
		part[i] = p;
		p = i < 2 ? strchr(p, ':') : NULL;
		if (p)
			*p++ = '\0';
		char *t = trimmed(part[i], strlen(part[i]));
		int bad = read_real(t, &v[i]);
		free(t);
		if (bad) {
			status = util_err(err, errlen, EX_USAGE, "--vary '%s': expected START:STOP:STEP "
			                  "with numbers, got '%s'", a->arg, part[i]);
			goto out;
		}
	}
	double span = v[1] - v[0], step = v[2];
	if (step == 0 || (span != 0 && (span > 0) != (step > 0))) {
		status = util_err(err, errlen, EX_USAGE, "--vary '%s': STEP %.10g does not lead "
		                  "from START to STOP", a->arg, step);
		goto out;
	}
	double steps = span / step, whole = round(steps);
	if (fabs(steps - whole) > 1e-9 * fmax(1.0, fabs(steps))) {
		status = util_err(err, errlen, EX_USAGE, "--vary '%s': STOP is not START plus a "
		                  "whole number of STEPs", a->arg);
		goto out;
	}
	if (whole + 1 > BATCH_MAX_POINTS) {
		status = util_err(err, errlen, EX_USAGE, "--vary '%s': more than %d values",
		                  a->arg, BATCH_MAX_POINTS);
		goto out;
	}
	for (size_t i = 0; i <= (size_t)whole; i++)
		batch_axis_push(a, format_value(i == (size_t)whole ? v[1] : v[0] + (double)i * step));
out:
	free(copy);
	return status;
}

static int has_value(const struct batch_axis *a, const char *v)
{
	for (size_t i = 0; i < a->nvalue; i++)
		if (strcmp(a->value[i], v) == 0)
			return 1;
	return 0;
}

/* A list split at its commas (commas inside parentheses belong to the
 * value) or, when it holds a ';', at its semicolons only, so that a value may
 * itself be a list (a route's shares: "a:0.2,exit;a:0.4,exit"); a ';' may
 * end such a list (a single value that holds commas). */
static int grid_list(struct batch_axis *a, const char *text, char *err, size_t errlen)
{
	const char *p = text;
	char sep = strchr(text, ';') ? ';' : ',';
	for (;;) {
		int depth = 0;
		const char *end = item_end(p, sep, &depth);
		if (depth != 0)
			return util_err(err, errlen, EX_USAGE, "--vary '%s': unbalanced parentheses",
			                a->arg);
		char *v = trimmed(p, (size_t)(end - p));
		if (*v == '\0' || has_value(a, v)) {
			int status = util_err(err, errlen, EX_USAGE, *v ? "--vary '%s': value '%s' "
			                      "given twice" : "--vary '%s': empty value%s", a->arg, v);
			free(v);
			return status;
		}
		batch_axis_push(a, v);
		if (*end == '\0' || (sep == ';' && end[1 + strspn(end + 1, " \t")] == '\0'))
			return 0;
		p = end + 1;
	}
}

/* Whether VALUES is one item with exactly two colons: a range. */
static int is_range(const char *values)
{
	int depth = 0;
	if (strchr(values, ';') || *item_end(values, ',', &depth) != '\0' || depth != 0)
		return 0;
	const char *c = strchr(values, ':');
	return c && (c = strchr(c + 1, ':')) != NULL && strchr(c + 1, ':') == NULL;
}

static int grid_values(struct batch_axis *a, const char *values, char *err, size_t errlen)
{
	if (*values == '\0')
		return util_err(err, errlen, EX_USAGE, "--vary '%s': no values after '='", a->arg);
	return is_range(values) ? grid_range(a, values, err, errlen)
	                        : grid_list(a, values, err, errlen);
}

static int key_varied(const struct batch_grid *g, const char *key)
{
	for (size_t i = 0; i < g->naxis; i++)
		if (strcmp(g->axis[i].key, key) == 0)
			return 1;
	return 0;
}

int batch_grid_add(struct batch_grid *g, const char *arg, char *err, size_t errlen)
{
	struct batch_axis a = { 0 };
	const char *eq = strchr(arg, '=');
	char *values = NULL;
	int status = 0;
	a.arg = xstrdup(arg);
	a.key = trimmed(arg, eq ? (size_t)(eq - arg) : 0);
	if (!eq || *a.key == '\0') {
		status = util_err(err, errlen, EX_USAGE, "--vary '%s': expected KEY=VALUES", arg);
		goto out;
	}
	if (key_varied(g, a.key)) {
		status = util_err(err, errlen, EX_USAGE, "--vary '%s': %s is varied twice", arg,
		                  a.key);
		goto out;
	}
	values = trimmed(eq + 1, strlen(eq + 1));
	if ((status = grid_values(&a, values, err, errlen)) != 0)
		goto out;
	if (g->npoint * a.nvalue > BATCH_MAX_POINTS) {
		status = util_err(err, errlen, EX_USAGE, "--vary '%s': the grid would have more "
		                  "than %d points", arg, BATCH_MAX_POINTS);
		goto out;
	}
	g->axis = xrealloc(g->axis, (g->naxis + 1) * sizeof *g->axis);
	g->axis[g->naxis++] = a;
	g->npoint *= a.nvalue;
	memset(&a, 0, sizeof a);
out:
	free(values);
	axis_release(&a);
	return status;
}

const char *batch_grid_value(const struct batch_grid *g, size_t i, size_t a)
{
	size_t stride = 1;
	for (size_t k = a + 1; k < g->naxis; k++)
		stride *= g->axis[k].nvalue;
	return g->axis[a].value[(i / stride) % g->axis[a].nvalue];
}

/* ---- shards ---- */

static int read_unsigned(const char *s, size_t n, unsigned long *v)
{
	if (n == 0 || n > 9)
		return -1;
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned long)(s[i] - '0');
	}
	return 0;
}

int batch_shard_parse(const char *text, unsigned *k, unsigned *n, char *err, size_t errlen)
{
	const char *slash = strchr(text, '/');
	unsigned long kk, nn;
	if (!slash || read_unsigned(text, (size_t)(slash - text), &kk) != 0 ||
	    read_unsigned(slash + 1, strlen(slash + 1), &nn) != 0 || kk < 1 || nn < kk ||
	    nn > BATCH_MAX_POINTS)
		return util_err(err, errlen, EX_USAGE, "--shard '%s': expected K/N, whole numbers "
		                "with 1 <= K <= N", text);
	*k = (unsigned)kk;
	*n = (unsigned)nn;
	return 0;
}

int batch_shard_has(unsigned k, unsigned n, size_t i)
{
	return n == 0 || i % n == k - 1;
}


/* ---- sweep.csv, streamed ---- */

/* A finished point that waits for the points before it. */
struct pending {
	size_t j;
	struct table rows;
};

/* A candidate series of sweep.svg: scope, name and metric of a row, and its
 * mean, lo and hi at each point streamed (3 x npoint values, written as
 * points come, so pages not yet reached are never touched). */
struct cand {
	char *scope, *name, *metric, *unit;     /* unit: of the first row found */
	double *v;
	size_t filled;                          /* points written */
};

enum pick_mode { PICK_FIRST, PICK_STAGES, PICK_FIXED };

struct batch_stream {
	FILE *f;                    /* the unlinked temporary file */
	char *dir;                  /* the folder it was made in, for messages */
	int err;                    /* errno of the first failed write, or 0 */
	pthread_mutex_t lock;
	size_t next;                /* the next point to stream */
	struct pending *pend;
	size_t npend, cappend;
	int chart;                  /* whether the series are gathered */
	enum pick_mode mode;
	struct cand *cand;
	size_t ncand;
};

static uint64_t hash_more(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t batch_hash(const void *data, size_t len)
{
	return hash_more(0xcbf29ce484222325ULL, data, len);
}

static void cand_release(struct cand *c)
{
	free(c->scope);
	free(c->name);
	free(c->metric);
	free(c->unit);
	free(c->v);
}

/* A new series, undefined at the points before g. */
static struct cand *cand_add(struct batch_stream *st, size_t np, const char *scope,
                             const char *name, const char *metric, size_t g)
{
	st->cand = xrealloc(st->cand, (st->ncand + 1) * sizeof *st->cand);
	struct cand *c = &st->cand[st->ncand++];
	*c = (struct cand){ xstrdup(scope), xstrdup(name), xstrdup(metric), NULL,
		            xmalloc(3 * np * sizeof *c->v), g };
	for (size_t k = 0; k < g; k++)
		c->v[k] = c->v[np + k] = c->v[2 * np + k] = NAN;
	return c;
}

static struct cand *cand_find(struct batch_stream *st, const char *scope, const char *name,
                              const char *metric)
{
	for (size_t k = 0; k < st->ncand; k++)
		if (!strcmp(st->cand[k].scope, scope) && !strcmp(st->cand[k].name, name) &&
		    !strcmp(st->cand[k].metric, metric))
			return &st->cand[k];
	return NULL;
}

static double cell(const char *s)
{
	double v;
	return *s && read_real(s, &v) == 0 ? v : NAN;
}

/* A picked stage: its name, mean queue at the middle point and row there. */
struct pick {
	const char *name;
	double key;
	size_t order;       /* row in the point, to break ties */
};

static int busier(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* At the middle point: the busiest stages by mean queue (at most
 * CHART_STAGES, busiest first), each with wait_p95 and utilization; the other
 * candidates go. */
static void pick_stages(struct batch_stream *st, const struct table *rows, size_t lead,
                        size_t np, size_t g)
{
	struct pick *p = xmalloc((rows->nrow ? rows->nrow : 1) * sizeof *p);
	size_t n = 0;
	for (size_t r = 0; r < rows->nrow; r++) {
		char **f = rows->row[r] + lead;   /* summary.csv's columns */
		if (!strcmp(f[TABLE_SUMMARY_SCOPE], "stage") &&
		    !strcmp(f[TABLE_SUMMARY_METRIC], "queue_mean")) {
			double q = cell(f[TABLE_SUMMARY_MEAN]);
			p[n++] = (struct pick){ f[TABLE_SUMMARY_NAME], isnan(q) ? -INFINITY : q, r };
		}
	}
	qsort(p, n, sizeof *p, busier);
	n = n < CHART_STAGES ? n : CHART_STAGES;
	struct batch_stream keep = { .cand = NULL, .ncand = 0 };
	for (size_t i = 0; i < 2 * n; i++) {
		const char *metric = i % 2 ? "utilization" : "wait_p95";
		const struct cand *c = cand_find(st, "stage", p[i / 2].name, metric);
		struct cand *k = cand_add(&keep, np, "stage", p[i / 2].name, metric, c ? 0 : g + 1);
		if (c) {
			memcpy(k->v, c->v, 3 * np * sizeof *k->v);
			k->unit = c->unit ? xstrdup(c->unit) : NULL;
			k->filled = c->filled;
		}
	}
	for (size_t k = 0; k < st->ncand; k++)
		cand_release(&st->cand[k]);
	free(st->cand);
	st->cand = keep.cand;
	st->ncand = keep.ncand;
	st->mode = PICK_FIXED;
	free(p);
}

/* Point g's rows into the series: every national metric of the first point
 * when it has one, else the stages' wait_p95 and utilization, kept for every
 * stage until the middle point picks the busiest. A series takes the first
 * row of a point that matches it. */
static void chart_point(struct batch_stream *st, const struct batch_sweep *s,
                        const struct table *rows, size_t g)
{
	size_t lead = s->grid.naxis, np = s->grid.npoint;
	if (st->mode == PICK_FIRST) {
		for (size_t r = 0; r < rows->nrow; r++) {
			char **f = rows->row[r] + lead;
			if (!strcmp(f[TABLE_SUMMARY_SCOPE], "national"))
				cand_add(st, np, "national", f[TABLE_SUMMARY_NAME], f[TABLE_SUMMARY_METRIC], 0);
		}
		st->mode = st->ncand ? PICK_FIXED : PICK_STAGES;
	}
	for (size_t r = 0; r < rows->nrow; r++) {
		char **f = rows->row[r] + lead;   /* summary.csv's columns */
		const char *scope = f[TABLE_SUMMARY_SCOPE], *name = f[TABLE_SUMMARY_NAME];
		const char *metric = f[TABLE_SUMMARY_METRIC];
		if (st->mode == PICK_STAGES && !strcmp(scope, "stage") &&
		    (!strcmp(metric, "wait_p95") || !strcmp(metric, "utilization")) &&
		    !cand_find(st, "stage", name, metric))
			cand_add(st, np, "stage", name, metric, g);
		for (size_t k = 0; k < st->ncand; k++) {
			struct cand *c = &st->cand[k];
			if (c->filled != g || strcmp(c->scope, scope) || strcmp(c->name, name) ||
			    strcmp(c->metric, metric))
				continue;
			c->v[g] = cell(f[TABLE_SUMMARY_MEAN]);
			c->v[np + g] = cell(f[TABLE_SUMMARY_CI95_LOW]);
			c->v[2 * np + g] = cell(f[TABLE_SUMMARY_CI95_HIGH]);
			if (!c->unit)
				c->unit = xstrdup(f[TABLE_SUMMARY_UNIT]);
			c->filled = g + 1;
		}
	}
	for (size_t k = 0; k < st->ncand; k++)
		if (st->cand[k].filled == g) {
			struct cand *c = &st->cand[k];
			c->v[g] = c->v[np + g] = c->v[2 * np + g] = NAN;
			c->filled = g + 1;
		}
	if (st->mode == PICK_STAGES && g == (np - 1) / 2)
		pick_stages(st, rows, lead, np, g);
}

/* Formats rows as sweep.csv has them and appends them to the file and the
 * fingerprint. A write error is kept for batch_sweep_write to report. */
static void stream_rows(struct batch_sweep *s, const struct table *rows)
{
	struct batch_stream *st = s->stream;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		util_out_of_memory();
	table_write(m, rows);
	if (fclose(m) != 0)
		util_out_of_memory();
	errno = 0;
	if (!st->err && fwrite(buf, 1, len, st->f) != len)
		st->err = errno ? errno : EIO;
	s->csv_hash = hash_more(s->csv_hash, buf, len);
	free(buf);
}

/* Point j (of the points run here, in order) goes out. */
static void stream_point(struct batch_sweep *s, size_t j, struct table *rows)
{
	struct batch_stream *st = s->stream;
	stream_rows(s, rows);
	s->nrow += rows->nrow;
	if (st->chart)
		chart_point(st, s, rows, j);
	table_release(rows);
	st->next++;
}

int batch_sweep_open(struct batch_sweep *s, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char *path = xasprintf("%s/bordersim-sweep.XXXXXX", tmp);
	int fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	free(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
	if (!f) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return util_err(err, errlen, EX_CANTCREAT, "cannot create a temporary file in "
		                "'%s': %s", tmp, strerror(e));
	}
	struct batch_stream *st = xcalloc(1, sizeof *st);
	st->f = f;
	st->dir = xstrdup(tmp);
	pthread_mutex_init(&st->lock, NULL);
	st->chart = s->shard_n == 0 && s->grid.naxis == 1;
	s->stream = st;
	s->csv_hash = batch_hash("", 0);
	s->nrow = 0;

	size_t nlead = s->grid.naxis, n = nlead + TABLE_SUMMARY_NCOL;
	const char **head = xmalloc(n * sizeof *head);
	struct table t = { 0 };
	for (size_t a = 0; a < nlead; a++)
		head[a] = s->grid.axis[a].key;
	memcpy(head + nlead, table_summary_head, sizeof table_summary_head);
	table_add(&t, head, n);
	stream_rows(s, &t);
	table_release(&t);
	free(head);
	return 0;
}

void batch_sweep_point(struct batch_sweep *s, size_t j, struct table *rows)
{
	struct batch_stream *st = s->stream;
	pthread_mutex_lock(&st->lock);
	if (j != st->next) {
		if (st->npend == st->cappend)
			st->pend = xrealloc(st->pend, (st->cappend = st->cappend ? 2 * st->cappend : 8) *
			                    sizeof *st->pend);
		st->pend[st->npend] = (struct pending){ j, { 0 } };
		table_append(&st->pend[st->npend++].rows, rows);
		pthread_mutex_unlock(&st->lock);
		return;
	}
	stream_point(s, j, rows);
	for (size_t k = 0; k < st->npend;) {
		if (st->pend[k].j != st->next) {
			k++;
			continue;
		}
		stream_point(s, st->next, &st->pend[k].rows);
		st->pend[k] = st->pend[--st->npend];
		k = 0;
	}
	pthread_mutex_unlock(&st->lock);
}

static void stream_release(struct batch_stream *st)
{
	if (!st)
		return;
	fclose(st->f);
	free(st->dir);
	pthread_mutex_destroy(&st->lock);
	for (size_t k = 0; k < st->npend; k++)
		table_release(&st->pend[k].rows);
	free(st->pend);
	for (size_t k = 0; k < st->ncand; k++)
		cand_release(&st->cand[k]);
	free(st->cand);
	free(st);
}

void batch_sweep_init(struct batch_sweep *s)
{
	memset(s, 0, sizeof *s);
	batch_grid_init(&s->grid);
}

void batch_sweep_release(struct batch_sweep *s)
{
	free(s->name);
	batch_grid_release(&s->grid);
	free(s->ini.text);
	table_release(&s->table);
	stream_release(s->stream);
	batch_sweep_init(s);
}

int batch_sweep_csv(FILE *f, const void *sweep)
{
	struct batch_stream *st = ((const struct batch_sweep *)sweep)->stream;
	char buf[65536];
	size_t n;
	if (fflush(st->f) != 0 || fseek(st->f, 0, SEEK_SET) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, st->f)) > 0)
		if (fwrite(buf, 1, n, f) != n)
			return -1;
	if (ferror(st->f)) {
		errno = errno ? errno : EIO;
		return -1;
	}
	return fseek(st->f, 0, SEEK_END);
}

/* ---- the chart ---- */

static int numeric_axis(const struct batch_grid *g, double *x)
{
	for (size_t i = 0; i < g->npoint; i++)
		if (read_real(g->axis[0].value[i], &x[i]) != 0)
			return 0;
	return 1;
}

int batch_chart_build(struct batch_chart *c, const struct batch_sweep *s)
{
	memset(c, 0, sizeof *c);
	const struct batch_stream *st = s->stream;
	size_t np = s->grid.npoint;
	if (!st || !st->chart || s->nrow == 0 || st->next != np)
		return 0;
	c->x = xmalloc(np * sizeof *c->x);
	c->npoint = np;
	size_t n = st->mode == PICK_FIXED && numeric_axis(&s->grid, c->x) ? st->ncand : 0;
	c->nseries = n;
	c->series = xcalloc(n ? n : 1, sizeof *c->series);
	c->names = xcalloc(n ? n : 1, sizeof *c->names);
	for (size_t k = 0; k < n; k++) {
		const struct cand *p = &st->cand[k];
		c->names[k] = !strcmp(p->scope, "national") ? xstrdup(p->metric) :
		              xasprintf("%s %s %s", p->scope, p->name, p->metric);
		c->series[k] = (struct chart_series){ c->names[k], p->unit ? p->unit : "", p->v,
			                              p->v + np, p->v + 2 * np };
	}
	return n > 0;
}

void batch_chart_release(struct batch_chart *c)
{
	for (size_t k = 0; k < c->nseries; k++)
		free(c->names[k]);
	free(c->names);
	free(c->series);
	free(c->x);
	memset(c, 0, sizeof *c);
}

/* ---- writing a sweep ---- */

struct chart_job {
	const struct batch_sweep *s;
	const struct batch_chart *c;
};

static int write_chart(FILE *f, const void *ctx)
{
	const struct chart_job *j = ctx;
	return chart_sweep(f, j->s->name, j->s->grid.axis[0].key, j->c->npoint, j->c->x,
	                   j->c->nseries, j->c->series);
}

/* report.html: the sweep's facts and sweep.svg when it has one (chart NULL:
 * none). */
struct page_job {
	const struct batch_sweep *s;
	const struct chart_job *chart;
};

static int write_page(FILE *f, const void *ctx)
{
	const struct page_job *j = ctx;
	const struct batch_sweep *s = j->s;
	struct html_chart c = { 0 };
	char *note = xasprintf("%zu point%s over", s->grid.npoint, s->grid.npoint == 1 ? "" : "s");
	for (size_t a = 0; a < s->grid.naxis; a++) {
		char *t = xasprintf("%s%s %s", note, a ? "," : "", s->grid.axis[a].key);
		free(note);
		note = t;
	}
	int rc = j->chart ? html_chart_render(&c, "sweep.svg", write_chart, j->chart) : 0;
	const struct html_page p = { "sweep", s->name, NAN, s->replications, s->seed, note, NULL,
	                             NULL, &c, j->chart ? 1 : 0, NULL };
	if (rc == 0)
		rc = html_write(f, &p);
	html_chart_release(&c);
	free(note);
	return rc;
}

/* The points a sweep streams: its shard's, or all. */
static size_t points_here(const struct batch_sweep *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->grid.npoint; i++)
		n += (size_t)batch_shard_has(s->shard_k, s->shard_n, i);
	return n;
}

int batch_sweep_write(const char *dir, const struct batch_sweep *s,
                      const struct table *manifest, const volatile sig_atomic_t *stop,
                      char *err, size_t errlen)
{
	const struct batch_stream *st = s->stream;
	struct batch_chart c = { 0 };
	struct chart_job cj = { s, &c };
	struct page_job pj = { s, NULL };
	struct outdir_file file[4] = {
		{ "sweep.csv", batch_sweep_csv, s },
		{ "scenario.ini", outdir_text_write, &s->ini },
	};
	size_t nfile = 2;

	if (!st || st->next != points_here(s) || !s->shard_n != !manifest)
		return util_err(err, errlen, EX_SOFTWARE, "sweep of '%s' written before all its "
		                "points were in", s->name);
	if (st->err)
		return util_err(err, errlen, EX_CANTCREAT, "cannot write a temporary file in '%s' "
		                "(sweep.csv as its points finish): %s", st->dir, strerror(st->err));
	if (manifest)
		file[nfile++] = (struct outdir_file){ BATCH_MANIFEST, table_write, manifest };
	else if (batch_chart_build(&c, s))
		file[nfile++] = (struct outdir_file){ "sweep.svg", write_chart, &cj }, pj.chart = &cj;
	file[nfile++] = (struct outdir_file){ "report.html", write_page, &pj };
	int status = outdir_write(dir, file, nfile, &outdir_kind_sweep, stop, err, errlen);
	batch_chart_release(&c);
	return status;
}

/* ---- compare ---- */

const char *const batch_compare_head[BATCH_COMPARE_NCOL] = {
	"scope", "name", "metric", "unit", "base_mean", "scenario_mean",
	"diff_mean", "diff_ci95_low", "diff_ci95_high", "replications",
};

static long find_metric(const struct results *r, const struct metric *m)
{
	for (size_t i = 0; i < r->nmetric; i++)
		if (!strcmp(r->metric[i].scope, m->scope) && !strcmp(r->metric[i].name, m->name) &&
		    !strcmp(r->metric[i].metric, m->metric))
			return (long)i;
	return -1;
}

/* Base, scenario and difference over the pairs where both are defined. */
static void compare_one(struct table *t, const struct metric *m, const double *b,
                        const double *s, size_t nrep, double *work)
{
	double *x = work, *y = work + nrep, *d = work + 2 * nrep;
	size_t n = 0;
	for (size_t r = 0; r < nrep; r++)
		if (isfinite(b[r]) && isfinite(s[r])) {
			x[n] = b[r];
			y[n] = s[r];
			d[n++] = s[r] - b[r];
		}
	struct summary sb, ss, sd;
	summary_compute(&sb, x, n);
	summary_compute(&ss, y, n);
	summary_compute(&sd, d, n);
	const double v[] = { sb.mean, ss.mean, sd.mean, sd.ci_low, sd.ci_high };
	char num[NELEM(v)][32], cnt[32];
	for (size_t i = 0; i < NELEM(v); i++)
		table_format_number(num[i], sizeof num[i], v[i]);
	snprintf(cnt, sizeof cnt, "%zu", n);
	const char *row[BATCH_COMPARE_NCOL] = { m->scope, m->name, m->metric, m->unit, num[0],
		                                num[1], num[2], num[3], num[4], cnt };
	table_add(t, row, BATCH_COMPARE_NCOL);
}

void batch_compare_rows(struct table *t, const struct results *base,
                        const struct results *scen, size_t nrep)
{
	table_add(t, batch_compare_head, BATCH_COMPARE_NCOL);
	if (nrep == 0)
		return;
	double *b = xmalloc(nrep * sizeof *b), *s = xmalloc(nrep * sizeof *s);
	double *work = xmalloc(3 * nrep * sizeof *work);
	for (size_t i = 0; i < base[0].nmetric; i++) {
		long j = find_metric(&scen[0], &base[0].metric[i]);
		if (j < 0)
			continue;
		for (size_t r = 0; r < nrep; r++) {
			b[r] = i < base[r].nmetric ? base[r].metric[i].value : NAN;
			s[r] = (size_t)j < scen[r].nmetric ? scen[r].metric[j].value : NAN;
		}
		compare_one(t, &base[0].metric[i], b, s, nrep, work);
	}
	free(work);
	free(s);
	free(b);
}
