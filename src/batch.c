/* batch: the grid of a sweep, its shards, their manifest and merge, the series
 * of sweep.svg, and the paired differences of a comparison.
 *
 * A merge must give the bytes of the whole sweep. Rather than trust that
 * numbers survive a round trip through text, everything a sweep writes is
 * made from one table of strings: the CSV writer prints the strings, and the
 * chart reads its numbers back from them with strtod. A merge reads the same
 * strings back from the shards (the CSV reader returns exactly what the writer
 * was given) and so writes the same CSV and draws the same chart.
 *
 * A shard's manifest, shard.csv, names what must agree between shards (the
 * scenario's name and the fingerprint of its scenario.ini, replications,
 * seed, N, the grid) and what a shard must hold (its K, its row count and the
 * fingerprint of its sweep.csv), and ends with an `end` row, so a manifest cut
 * short is noticed too. */
#include "batch.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "scenario.h"
#include "summary.h"
#include "util.h"

#define MANIFEST "shard.csv"
#define MANIFEST_FORMAT "bordersim shard manifest 1"
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

/* Appends a value; the array doubles whenever its length reaches a power of
 * two, so a range of a million values is not a million reallocations. */
static void axis_push(struct batch_axis *a, char *value)
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

/* Where the next top-level comma (or the end) is; -1 in *depth on a ')'
 * without its '('. */
static const char *item_end(const char *p, int *depth)
{
	for (; *p && !(*p == ',' && *depth == 0); p++) {
		if (*p == '(')
			++*depth;
		else if (*p == ')' && --*depth < 0)
			return p;
	}
	return p;
}

/* A number strtod reads whole and finite. */
static int parse_real(const char *s, double *v)
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
static int parse_range(struct batch_axis *a, const char *text, char *err, size_t errlen)
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
		int bad = parse_real(t, &v[i]);
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
		axis_push(a, format_value(i == (size_t)whole ? v[1] : v[0] + (double)i * step));
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

/* A comma list; commas inside parentheses belong to the value. */
static int parse_list(struct batch_axis *a, const char *text, char *err, size_t errlen)
{
	const char *p = text;
	for (;;) {
		int depth = 0;
		const char *end = item_end(p, &depth);
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
		axis_push(a, v);
		if (*end == '\0')
			return 0;
		p = end + 1;
	}
}

/* Whether VALUES is one item with exactly two colons: a range. */
static int is_range(const char *values)
{
	int depth = 0;
	if (*item_end(values, &depth) != '\0' || depth != 0)
		return 0;
	const char *c = strchr(values, ':');
	return c && (c = strchr(c + 1, ':')) != NULL && strchr(c + 1, ':') == NULL;
}

static int parse_values(struct batch_axis *a, const char *values, char *err, size_t errlen)
{
	if (*values == '\0')
		return util_err(err, errlen, EX_USAGE, "--vary '%s': no values after '='", a->arg);
	return is_range(values) ? parse_range(a, values, err, errlen)
	                        : parse_list(a, values, err, errlen);
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
	if ((status = parse_values(&a, values, err, errlen)) != 0)
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

static int parse_unsigned(const char *s, size_t n, unsigned long *v)
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
	if (!slash || parse_unsigned(text, (size_t)(slash - text), &kk) != 0 ||
	    parse_unsigned(slash + 1, strlen(slash + 1), &nn) != 0 || kk < 1 || nn < kk ||
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

uint64_t batch_hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void hash_text(char *buf, size_t len, const void *data, size_t n)
{
	snprintf(buf, len, "fnv1a64:%016" PRIx64, batch_hash(data, n));
}

/* ---- a sweep's output ---- */

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
	batch_sweep_init(s);
}

void batch_sweep_head(struct batch_sweep *s)
{
	size_t nlead = s->grid.naxis, n = nlead + TABLE_SUMMARY_NCOL;
	const char **head = xmalloc(n * sizeof *head);
	for (size_t a = 0; a < nlead; a++)
		head[a] = s->grid.axis[a].key;
	memcpy(head + nlead, table_summary_head, sizeof table_summary_head);
	table_add(&s->table, head, n);
	free(head);
}

/* Whether data row r (table row r + 1) belongs to point i. */
static int row_is_point(const struct batch_sweep *s, size_t r, size_t i)
{
	char **row = s->table.row[r + 1];
	if (s->table.ncol[r + 1] != s->grid.naxis + TABLE_SUMMARY_NCOL)
		return 0;
	for (size_t a = 0; a < s->grid.naxis; a++)
		if (strcmp(row[a], batch_grid_value(&s->grid, i, a)) != 0)
			return 0;
	return 1;
}

/* Splits the data rows into the points of the shard, in order: the rows of
 * the j-th point of the shard are start[j] .. start[j + 1] - 1 (data rows,
 * header not counted). Returns the number of points found, or -1 when a row
 * does not belong where it stands. start holds npoint + 1 entries. */
static long point_rows(const struct batch_sweep *s, size_t *start)
{
	size_t nrow = s->table.nrow ? s->table.nrow - 1 : 0, j = 0, r = 0;
	for (size_t i = 0; i < s->grid.npoint; i++) {
		if (!batch_shard_has(s->shard_k, s->shard_n, i))
			continue;
		start[j] = r;
		while (r < nrow && row_is_point(s, r, i))
			r++;
		if (r == start[j])
			return -1;
		j++;
	}
	start[j] = r;
	return r == nrow ? (long)j : -1;
}

/* ---- the chart ---- */

static double cell(const char *s)
{
	double v;
	return *s && parse_real(s, &v) == 0 ? v : NAN;
}

/* The data row of point group g with scope, name and metric; -1 if none. */
static long find_row(const struct batch_sweep *s, const size_t *start, size_t g,
                     const char *scope, const char *name, const char *metric)
{
	size_t c = s->grid.naxis;
	for (size_t r = start[g]; r < start[g + 1]; r++) {
		char **row = s->table.row[r + 1];
		if (!strcmp(row[c + TABLE_SUMMARY_SCOPE], scope) &&
		    !strcmp(row[c + TABLE_SUMMARY_NAME], name) &&
		    !strcmp(row[c + TABLE_SUMMARY_METRIC], metric))
			return (long)r;
	}
	return -1;
}

/* A picked series: scope, name, metric of rows in the table. */
struct pick {
	const char *scope, *name, *metric;
	double key;
	size_t order;       /* row in the table, to break ties */
};

static int busier(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Every national metric of the first point, in table order. */
static size_t pick_national(const struct batch_sweep *s, const size_t *start, struct pick *p)
{
	size_t c = s->grid.naxis, n = 0;
	for (size_t r = start[0]; r < start[1]; r++) {
		char **row = s->table.row[r + 1];
		if (!strcmp(row[c + TABLE_SUMMARY_SCOPE], "national"))
			p[n++] = (struct pick){ row[c + TABLE_SUMMARY_SCOPE], row[c + TABLE_SUMMARY_NAME],
			                        row[c + TABLE_SUMMARY_METRIC], 0, r };
	}
	return n;
}

/* The busiest stages at the middle point, each with wait_p95 and utilization. */
static size_t pick_stages(const struct batch_sweep *s, const size_t *start, size_t npoint,
                          struct pick *p)
{
	size_t c = s->grid.naxis, g = (npoint - 1) / 2, n = 0;
	for (size_t r = start[g]; r < start[g + 1]; r++) {
		char **row = s->table.row[r + 1];
		if (!strcmp(row[c + TABLE_SUMMARY_SCOPE], "stage") &&
		    !strcmp(row[c + TABLE_SUMMARY_METRIC], "queue_mean")) {
			double q = cell(row[c + TABLE_SUMMARY_MEAN]);
			p[n++] = (struct pick){ row[c + TABLE_SUMMARY_SCOPE], row[c + TABLE_SUMMARY_NAME],
			                        NULL, isnan(q) ? -INFINITY : q, r };
		}
	}
	qsort(p, n, sizeof *p, busier);
	n = n < CHART_STAGES ? n : CHART_STAGES;
	for (size_t i = n; i-- > 0;) {
		p[2 * i] = p[2 * i + 1] = p[i];
		p[2 * i].metric = "wait_p95";
		p[2 * i + 1].metric = "utilization";
	}
	return 2 * n;
}

static char *series_name(const struct pick *p)
{
	if (!strcmp(p->scope, "national"))
		return xstrdup(p->metric);
	return xasprintf("%s %s %s", p->scope, p->name, p->metric);
}

/* Fills series k from the table; the unit is that of its first row found. */
static void fill_series(struct batch_chart *c, size_t k, const struct batch_sweep *s,
                        const size_t *start, const struct pick *p)
{
	size_t lead = s->grid.naxis, np = c->npoint;
	double *mean = c->values + 3 * k * np, *lo = mean + np, *hi = lo + np;
	c->names[k] = series_name(p);
	c->series[k] = (struct chart_series){ c->names[k], "", mean, lo, hi };
	for (size_t g = 0; g < np; g++) {
		long r = find_row(s, start, g, p->scope, p->name, p->metric);
		char **row = r >= 0 ? s->table.row[r + 1] : NULL;
		mean[g] = row ? cell(row[lead + TABLE_SUMMARY_MEAN]) : NAN;
		lo[g] = row ? cell(row[lead + TABLE_SUMMARY_CI95_LOW]) : NAN;
		hi[g] = row ? cell(row[lead + TABLE_SUMMARY_CI95_HIGH]) : NAN;
		if (row && !*c->series[k].unit)
			c->series[k].unit = row[lead + TABLE_SUMMARY_UNIT];
	}
}

static int numeric_axis(const struct batch_grid *g, double *x)
{
	for (size_t i = 0; i < g->npoint; i++)
		if (parse_real(g->axis[0].value[i], &x[i]) != 0)
			return 0;
	return 1;
}

int batch_chart_build(struct batch_chart *c, const struct batch_sweep *s)
{
	memset(c, 0, sizeof *c);
	size_t np = s->grid.npoint, nrow = s->table.nrow ? s->table.nrow - 1 : 0;
	if (s->shard_n != 0 || s->grid.naxis != 1 || nrow == 0)
		return 0;
	size_t *start = xmalloc((np + 1) * sizeof *start);
	struct pick *p = xmalloc(nrow * 2 * sizeof *p);
	c->x = xmalloc(np * sizeof *c->x);
	c->npoint = np;
	size_t n = 0;
	if (point_rows(s, start) == (long)np && numeric_axis(&s->grid, c->x)) {
		n = pick_national(s, start, p);
		if (n == 0)
			n = pick_stages(s, start, np, p);
	}
	c->nseries = n;
	c->series = xcalloc(n, sizeof *c->series);
	c->names = xcalloc(n, sizeof *c->names);
	c->values = xmalloc((n ? n : 1) * 3 * np * sizeof *c->values);
	for (size_t k = 0; k < n; k++)
		fill_series(c, k, s, start, &p[k]);
	free(p);
	free(start);
	return n > 0;
}

void batch_chart_release(struct batch_chart *c)
{
	for (size_t k = 0; k < c->nseries; k++)
		free(c->names[k]);
	free(c->names);
	free(c->series);
	free(c->values);
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

static void manifest_add(struct table *t, const char *field, const char *key,
                         const char *value)
{
	const char *row[] = { field, key, value };
	table_add(t, row, NELEM(row));
}

/* The table as the CSV writer prints it, in memory. */
static char *table_bytes(const struct table *t, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		util_out_of_memory();
	table_write(f, t);
	if (fclose(f) != 0)
		util_out_of_memory();
	return buf;
}

static void manifest_build(struct table *t, const struct batch_sweep *s)
{
	char num[64], ini[64], csv[64];
	size_t len;
	char *bytes = table_bytes(&s->table, &len);
	hash_text(csv, sizeof csv, bytes, len);
	free(bytes);
	hash_text(ini, sizeof ini, s->ini.text, s->ini.len);
	manifest_add(t, "field", "key", "value");
	manifest_add(t, "format", "", MANIFEST_FORMAT);
	manifest_add(t, "scenario", "", s->name);
	manifest_add(t, "scenario_ini", "", ini);
	snprintf(num, sizeof num, "%u", s->replications);
	manifest_add(t, "replications", "", num);
	snprintf(num, sizeof num, "%" PRIu64, s->seed);
	manifest_add(t, "seed", "", num);
	snprintf(num, sizeof num, "%u/%u", s->shard_k, s->shard_n);
	manifest_add(t, "shard", "", num);
	snprintf(num, sizeof num, "%zu", s->grid.npoint);
	manifest_add(t, "points", "", num);
	snprintf(num, sizeof num, "%zu", s->table.nrow ? s->table.nrow - 1 : 0);
	manifest_add(t, "rows", "", num);
	manifest_add(t, "sweep_csv", "", csv);
	for (size_t a = 0; a < s->grid.naxis; a++)
		for (size_t v = 0; v < s->grid.axis[a].nvalue; v++)
			manifest_add(t, "vary", s->grid.axis[a].key, s->grid.axis[a].value[v]);
	manifest_add(t, "end", "", "");
}

int batch_sweep_write(const char *dir, const struct batch_sweep *s,
                      const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct table manifest = { 0 };
	struct batch_chart c;
	struct chart_job cj = { s, &c };
	struct outdir_file file[3] = {
		{ "sweep.csv", table_write, &s->table },
		{ "scenario.ini", outdir_text_write, &s->ini },
	};
	size_t nfile = 2;

	if (s->shard_n) {
		manifest_build(&manifest, s);
		file[nfile++] = (struct outdir_file){ MANIFEST, table_write, &manifest };
	} else if (batch_chart_build(&c, s)) {
		file[nfile++] = (struct outdir_file){ "sweep.svg", write_chart, &cj };
	}
	int status = outdir_write(dir, file, nfile, &outdir_kind_sweep, stop, err, errlen);
	if (!s->shard_n)
		batch_chart_release(&c);
	table_release(&manifest);
	return status;
}

/* ---- merge ---- */

/* One shard folder as read. */
struct shard {
	const char *dir;
	struct batch_sweep s;
	char ini_hash[64], csv_hash[64];
	size_t nrow;
};

/* The whole of path, a regular file of at most max bytes, into *text (of
 * *len bytes). Returns 0, or a status with the message (table_open_input);
 * a read error is an error, never the end of the file. */
static int read_bytes(const char *path, size_t max, char **text, size_t *len, char *err,
                      size_t errlen)
{
	FILE *f;
	int status = table_open_input(path, max, &f, err, errlen);
	*text = NULL;
	if (status)
		return status;
	char *buf = NULL;
	size_t cap = 0, n = 0, k;
	do {
		if (n == cap)
			buf = xrealloc(buf, cap = cap ? 2 * cap : 4096);
		errno = 0;
		k = fread(buf + n, 1, cap - n, f);
		n += k;
	} while (k > 0 && n <= max);
	if (ferror(f))
		status = util_err(err, errlen, EX_NOINPUT, "cannot read '%s': %s", path,
		                  strerror(errno ? errno : EIO));
	else if (n > max)
		status = table_too_large(path, max, 0, err, errlen);
	fclose(f);
	if (status) {
		free(buf);
		return status;
	}
	*text = buf;
	*len = n;
	return 0;
}

static int parse_size(const char *s, size_t max, size_t *v)
{
	unsigned long long x;
	char *end;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (*end || errno || x > max)
		return -1;
	*v = (size_t)x;
	return 0;
}

static int parse_seed(const char *s, uint64_t *v)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	*v = x;
	return *end || errno ? -1 : 0;
}

static void set_text(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/* One row of a manifest, other than vary and end, into sh; -1 when the row
 * makes no sense. */
static int manifest_row(struct shard *sh, char **row)
{
	const char *f = row[0], *v = row[2];
	struct batch_sweep *s = &sh->s;
	size_t n = 0;
	int bad = 0;
	if (!strcmp(f, "format"))
		bad = strcmp(v, MANIFEST_FORMAT) != 0;
	else if (!strcmp(f, "scenario"))
		set_text(&s->name, v);
	else if (!strcmp(f, "scenario_ini"))
		snprintf(sh->ini_hash, sizeof sh->ini_hash, "%s", v);
	else if (!strcmp(f, "sweep_csv"))
		snprintf(sh->csv_hash, sizeof sh->csv_hash, "%s", v);
	else if (!strcmp(f, "replications"))
		bad = parse_size(v, UINT32_MAX, &n) != 0 || (s->replications = (unsigned)n) == 0;
	else if (!strcmp(f, "seed"))
		bad = parse_seed(v, &s->seed);
	else if (!strcmp(f, "shard"))
		bad = batch_shard_parse(v, &s->shard_k, &s->shard_n, NULL, 0) != 0;
	else if (!strcmp(f, "points"))
		bad = parse_size(v, BATCH_MAX_POINTS, &s->grid.npoint) != 0;
	else if (!strcmp(f, "rows"))
		bad = parse_size(v, SIZE_MAX / 2, &sh->nrow) != 0;
	else
		bad = 1;
	return bad ? -1 : 0;
}

/* A vary row: a new axis when the key changes. Returns -1 for a key of an
 * earlier axis: a sweep varies a key once (batch_grid_add). */
static int manifest_vary(struct batch_grid *g, const char *key, const char *value)
{
	if (g->naxis == 0 || strcmp(g->axis[g->naxis - 1].key, key) != 0) {
		for (size_t a = 0; a < g->naxis; a++)
			if (strcmp(g->axis[a].key, key) == 0)
				return -1;
		g->axis = xrealloc(g->axis, (g->naxis + 1) * sizeof *g->axis);
		g->axis[g->naxis++] = (struct batch_axis){ xstrdup(key), NULL, NULL, 0 };
	}
	axis_push(&g->axis[g->naxis - 1], xstrdup(value));
	return 0;
}

/* Names each axis by its values, "KEY=V1,V2", for messages. Built in one
 * piece: appending value by value copied the string each time, hours for
 * the million points a sweep may have. */
static void name_axes(struct batch_grid *g)
{
	for (size_t a = 0; a < g->naxis; a++) {
		struct batch_axis *x = &g->axis[a];
		size_t len = strlen(x->key) + 2;
		for (size_t i = 0; i < x->nvalue; i++)
			len += strlen(x->value[i]) + 1;
		char *s = xmalloc(len), *o = s;
		o += sprintf(o, "%s=", x->key);
		for (size_t i = 0; i < x->nvalue; i++)
			o += sprintf(o, "%s%s", i ? "," : "", x->value[i]);
		x->arg = s;
	}
}

/* Whether the axes make npoint points. The product stops at
 * BATCH_MAX_POINTS: unchecked, 64 axes of two values would wrap it to 0. */
static int grid_points_agree(const struct batch_grid *g)
{
	size_t n = g->naxis ? 1 : 0;
	for (size_t a = 0; a < g->naxis; a++) {
		if (g->axis[a].nvalue > BATCH_MAX_POINTS / n)
			return 0;
		n *= g->axis[a].nvalue;
	}
	return n == g->npoint;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether every axis lists each value once, as batch_grid_add demands of a
 * sweep: sorted copies, so a manifest of a million points costs no more
 * than sorting them. */
static int axes_distinct(const struct batch_grid *g)
{
	for (size_t a = 0; a < g->naxis; a++) {
		const struct batch_axis *x = &g->axis[a];
		if (x->nvalue < 2)
			continue;
		char **v = xmalloc(x->nvalue * sizeof *v);
		memcpy(v, x->value, x->nvalue * sizeof *v);
		qsort(v, x->nvalue, sizeof *v, cmp_str);
		int dup = 0;
		for (size_t i = 1; i < x->nvalue && !dup; i++)
			dup = strcmp(v[i - 1], v[i]) == 0;
		free(v);
		if (dup)
			return 0;
	}
	return 1;
}

static int manifest_parse(struct shard *sh, const struct table *t)
{
	static const char *const need[] = { "scenario", "replications", "seed", "shard",
		                            "points", "rows" };
	int seen[NELEM(need)] = { 0 }, ended = 0;
	if (t->nrow < 2 || t->ncol[0] != 3 || strcmp(t->row[0][0], "field") != 0)
		return -1;
	for (size_t i = 1; i < t->nrow; i++) {
		char **row = t->row[i];
		if (t->ncol[i] != 3 || ended)
			return -1;
		if (!strcmp(row[0], "end"))
			ended = 1;
		else if (strcmp(row[0], "vary") != 0 ? manifest_row(sh, row) != 0 :
		         manifest_vary(&sh->s.grid, row[1], row[2]) != 0)
			return -1;
		for (size_t k = 0; k < NELEM(need); k++)
			seen[k] |= !strcmp(row[0], need[k]);
	}
	for (size_t k = 0; k < NELEM(need); k++)
		if (!seen[k])
			return -1;
	name_axes(&sh->s.grid);
	return ended && *sh->ini_hash && *sh->csv_hash && grid_points_agree(&sh->s.grid) &&
	       axes_distinct(&sh->s.grid) ? 0 : -1;
}

static int manifest_read(struct shard *sh, char *err, size_t errlen)
{
	struct table t;
	char *path = xasprintf("%s/%s", sh->dir, MANIFEST), why[ERRLEN];
	int status = table_read_csv(path, &t, why, sizeof why);
	if (status == EX_NOINPUT)
		util_err(err, errlen, status, "'%s' is not a sweep shard: %s", sh->dir, why);
	else if (status)
		util_err(err, errlen, status, "%s", why);
	else if (manifest_parse(sh, &t) != 0)
		status = util_err(err, errlen, EX_DATAERR, "%s: malformed or truncated manifest",
		                  path);
	table_release(&t);
	free(path);
	return status;
}

static int same_grid(const struct batch_grid *a, const struct batch_grid *b)
{
	if (a->naxis != b->naxis)
		return 0;
	for (size_t i = 0; i < a->naxis; i++)
		if (strcmp(a->axis[i].arg, b->axis[i].arg) != 0)
			return 0;
	return 1;
}

static void grid_text(char *buf, size_t len, const struct batch_grid *g)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t a = 0; a < g->naxis && used < len; a++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", a ? " " : "",
		                         g->axis[a].arg);
}

/* Whether two shards come from the same sweep; the message says how not. */
static int same_sweep(const struct shard *a, const struct shard *b, char *err, size_t errlen)
{
	const char *pre = "shards of different sweeps:";
	if (strcmp(a->s.name, b->s.name) != 0)
		return util_err(err, errlen, EX_DATAERR, "%s '%s' is of scenario '%s', '%s' of '%s'",
		                pre, a->dir, a->s.name, b->dir, b->s.name);
	if (a->s.seed != b->s.seed)
		return util_err(err, errlen, EX_DATAERR, "%s '%s' has seed %" PRIu64 ", '%s' seed %"
		                PRIu64, pre, a->dir, a->s.seed, b->dir, b->s.seed);
	if (a->s.replications != b->s.replications)
		return util_err(err, errlen, EX_DATAERR, "%s '%s' has %u replications, '%s' %u", pre,
		                a->dir, a->s.replications, b->dir, b->s.replications);
	if (a->s.shard_n != b->s.shard_n)
		return util_err(err, errlen, EX_DATAERR, "%s '%s' is shard %u/%u, '%s' shard %u/%u",
		                pre, a->dir, a->s.shard_k, a->s.shard_n, b->dir, b->s.shard_k,
		                b->s.shard_n);
	if (!same_grid(&a->s.grid, &b->s.grid)) {
		char ga[512], gb[512];
		grid_text(ga, sizeof ga, &a->s.grid);
		grid_text(gb, sizeof gb, &b->s.grid);
		return util_err(err, errlen, EX_DATAERR, "%s '%s' varies %s, '%s' varies %s", pre,
		                a->dir, ga, b->dir, gb);
	}
	if (strcmp(a->ini_hash, b->ini_hash) != 0)
		return util_err(err, errlen, EX_DATAERR, "%s '%s' and '%s' ran different scenarios "
		                "(their scenario.ini differ)", pre, a->dir, b->dir);
	return 0;
}

/* Every K from 1 to N exactly once; by[k - 1] is then the shard with K = k. */
static int all_shards(struct shard *sh, size_t n, struct shard **by, char *err, size_t errlen)
{
	unsigned total = sh[0].s.shard_n;
	for (size_t i = 0; i < n; i++) {
		struct shard **slot = &by[sh[i].s.shard_k - 1];
		if (*slot)
			return util_err(err, errlen, EX_DATAERR, "shard %u/%u given twice: '%s' and "
			                "'%s'", sh[i].s.shard_k, total, (*slot)->dir, sh[i].dir);
		*slot = &sh[i];
	}
	for (unsigned k = 0; k < total; k++)
		if (!by[k])
			return util_err(err, errlen, EX_DATAERR, "shard %u/%u is missing: no folder "
			                "given holds it", k + 1, total);
	return 0;
}

/* scenario.ini as the manifest fingerprints it. */
static int read_ini(struct shard *sh, char *err, size_t errlen)
{
	char *path = xasprintf("%s/scenario.ini", sh->dir), h[64];
	int status = 0;
	status = read_bytes(path, SCENARIO_BYTES_MAX, &sh->s.ini.text, &sh->s.ini.len, err, errlen);
	if (status)
		goto out;
	hash_text(h, sizeof h, sh->s.ini.text, sh->s.ini.len);
	if (strcmp(h, sh->ini_hash) != 0)
		status = util_err(err, errlen, EX_DATAERR, "%s: changed or truncated since the "
		                  "shard was written (it does not match %s)", path, MANIFEST);
out:
	free(path);
	return status;
}

static int header_ok(const struct batch_sweep *s)
{
	size_t n = s->grid.naxis;
	if (s->table.nrow == 0 || s->table.ncol[0] != n + TABLE_SUMMARY_NCOL)
		return 0;
	for (size_t a = 0; a < n; a++)
		if (strcmp(s->table.row[0][a], s->grid.axis[a].key) != 0)
			return 0;
	for (size_t c = 0; c < TABLE_SUMMARY_NCOL; c++)
		if (strcmp(s->table.row[0][n + c], table_summary_head[c]) != 0)
			return 0;
	return 1;
}

/* sweep.csv: well-formed, the manifest's row count, bytes and points. */
static int read_csv(struct shard *sh, char *err, size_t errlen)
{
	char *path = xasprintf("%s/sweep.csv", sh->dir), h[64];
	size_t len, nrow, *start = xmalloc((sh->s.grid.npoint + 1) * sizeof *start);
	char *bytes;
	int status = read_bytes(path, TABLE_INPUT_MAX, &bytes, &len, err, errlen);
	if (!status)
		status = table_read_csv(path, &sh->s.table, err, errlen);
	if (status)
		goto out;
	nrow = sh->s.table.nrow ? sh->s.table.nrow - 1 : 0;
	hash_text(h, sizeof h, bytes, len);
	if (!header_ok(&sh->s))
		status = util_err(err, errlen, EX_DATAERR, "%s: malformed: the header is not the "
		                  "sweep's", path);
	else if (nrow != sh->nrow)
		status = util_err(err, errlen, EX_DATAERR, "%s: truncated: %zu rows, %s says %zu",
		                  path, nrow, MANIFEST, sh->nrow);
	else if (strcmp(h, sh->csv_hash) != 0)
		status = util_err(err, errlen, EX_DATAERR, "%s: changed or truncated since the "
		                  "shard was written (it does not match %s)", path, MANIFEST);
	else if (point_rows(&sh->s, start) < 0)
		status = util_err(err, errlen, EX_DATAERR, "%s: malformed: its rows are not the "
		                  "points of shard %u/%u", path, sh->s.shard_k, sh->s.shard_n);
out:
	free(start);
	free(bytes);
	free(path);
	return status;
}

static void shard_release(struct shard *sh)
{
	batch_sweep_release(&sh->s);
}

/* The rows of point i from its shard, appended to the whole table. */
static void take_point(struct batch_sweep *s, const struct batch_sweep *from, size_t j,
                       const size_t *start)
{
	for (size_t r = start[j]; r < start[j + 1]; r++)
		table_add(&s->table, (const char *const *)from->table.row[r + 1],
		          from->table.ncol[r + 1]);
}

/* Joins the checked shards, in grid order, into s. */
static void join(struct batch_sweep *s, struct shard **by)
{
	const struct batch_sweep *first = &by[0]->s;
	unsigned n = first->shard_n;
	size_t np = first->grid.npoint;
	size_t **start = xcalloc(n, sizeof *start);
	s->name = xstrdup(first->name);
	s->replications = first->replications;
	s->seed = first->seed;
	s->ini.text = xmalloc(first->ini.len + 1);
	memcpy(s->ini.text, first->ini.text, first->ini.len);
	s->ini.len = first->ini.len;
	for (size_t a = 0; a < first->grid.naxis; a++)
		for (size_t v = 0; v < first->grid.axis[a].nvalue; v++)
			manifest_vary(&s->grid, first->grid.axis[a].key, first->grid.axis[a].value[v]);
	name_axes(&s->grid);
	s->grid.npoint = np;
	for (unsigned k = 0; k < n; k++) {
		start[k] = xmalloc((np + 1) * sizeof *start[k]);
		point_rows(&by[k]->s, start[k]);
	}
	batch_sweep_head(s);
	for (size_t i = 0; i < np; i++)
		take_point(s, &by[i % n]->s, i / n, start[i % n]);
	for (unsigned k = 0; k < n; k++)
		free(start[k]);
	free(start);
}

/* Reads and checks every shard; *by (N entries, the caller frees it) then
 * holds the shards in the order of K. */
static int check_shards(struct shard *sh, size_t ndir, struct shard ***by, char *err,
                        size_t errlen)
{
	int status = 0;
	for (size_t i = 0; i < ndir && status == 0; i++)
		status = manifest_read(&sh[i], err, errlen);
	for (size_t i = 1; i < ndir && status == 0; i++)
		status = same_sweep(&sh[0], &sh[i], err, errlen);
	if (status)
		return status;
	*by = xcalloc(sh[0].s.shard_n, sizeof **by);
	status = all_shards(sh, ndir, *by, err, errlen);
	for (size_t i = 0; i < ndir && status == 0; i++)
		status = read_ini(&sh[i], err, errlen);
	for (size_t i = 0; i < ndir && status == 0; i++)
		status = read_csv(&sh[i], err, errlen);
	return status;
}

int batch_merge(struct batch_sweep *s, const char *const *dir, size_t ndir, char *err,
                size_t errlen)
{
	struct shard *sh = xcalloc(ndir ? ndir : 1, sizeof *sh);
	struct shard **by = NULL;
	int status = 0;
	for (size_t i = 0; i < ndir; i++) {
		sh[i].dir = dir[i];
		batch_sweep_init(&sh[i].s);
	}
	if (ndir == 0)
		status = util_err(err, errlen, EX_USAGE, "no shard folders to merge");
	else
		status = check_shards(sh, ndir, &by, err, errlen);
	if (status == 0)
		join(s, by);
	for (size_t i = 0; i < ndir; i++)
		shard_release(&sh[i]);
	free(by);
	free(sh);
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
