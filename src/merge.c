/* merge: a shard's manifest and `bordersim merge`, which joins the shard
 * folders of a sweep back into the whole sweep.
 *
 * A shard's manifest, shard.csv, names what must agree between shards (the
 * scenario's name and the fingerprint of its scenario.ini, replications,
 * seed, N, the grid) and what a shard must hold (its K, its row count and the
 * fingerprint of its sweep.csv), and ends with an `end` row, so a manifest cut
 * short is noticed too. A merge reads the shards' tables back (the CSV reader
 * returns exactly the strings the writer was given) and joins them point by
 * point in grid order, so it writes the very bytes an unsharded sweep writes. */
#include "merge.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "scenario.h"
#include "util.h"

#define MANIFEST BATCH_MANIFEST
#define MANIFEST_FORMAT "bordersim shard manifest 1"
#define ERRLEN UTIL_ERRLEN

static void hash_text(char *buf, size_t len, const void *data, size_t n)
{
	snprintf(buf, len, "fnv1a64:%016" PRIx64, batch_hash(data, n));
}

/* ---- the manifest ---- */

static void manifest_add(struct table *t, const char *field, const char *key,
                         const char *value)
{
	const char *row[] = { field, key, value };
	table_add(t, row, NELEM(row));
}

void merge_manifest(struct table *t, const struct batch_sweep *s)
{
	char num[64], ini[64], csv[64];
	snprintf(csv, sizeof csv, "fnv1a64:%016" PRIx64, s->csv_hash);
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
	snprintf(num, sizeof num, "%zu", s->nrow);
	manifest_add(t, "rows", "", num);
	manifest_add(t, "sweep_csv", "", csv);
	for (size_t a = 0; a < s->grid.naxis; a++)
		for (size_t v = 0; v < s->grid.axis[a].nvalue; v++)
			manifest_add(t, "vary", s->grid.axis[a].key, s->grid.axis[a].value[v]);
	manifest_add(t, "end", "", "");
}

/* ---- merge ---- */

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

static int read_size(const char *s, size_t max, size_t *v)
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

static int read_seed(const char *s, uint64_t *v)
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
		bad = read_size(v, UINT32_MAX, &n) != 0 || (s->replications = (unsigned)n) == 0;
	else if (!strcmp(f, "seed"))
		bad = read_seed(v, &s->seed);
	else if (!strcmp(f, "shard"))
		bad = batch_shard_parse(v, &s->shard_k, &s->shard_n, NULL, 0) != 0;
	else if (!strcmp(f, "points"))
		bad = read_size(v, BATCH_MAX_POINTS, &s->grid.npoint) != 0;
	else if (!strcmp(f, "rows"))
		bad = read_size(v, SIZE_MAX / 2, &sh->nrow) != 0;
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
	batch_axis_push(&g->axis[g->naxis - 1], xstrdup(value));
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

/* The rows of point i from its shard, streamed as point i of the whole. */
static void take_point(struct batch_sweep *s, size_t i, const struct batch_sweep *from,
                       size_t j, const size_t *start)
{
	struct table t = { 0 };
	for (size_t r = start[j]; r < start[j + 1]; r++)
		table_add(&t, (const char *const *)from->table.row[r + 1],
		                 from->table.ncol[r + 1]);
	batch_sweep_point(s, i, &t);
}

/* Joins the checked shards, in grid order, into s. */
static int join(struct batch_sweep *s, struct shard **by, char *err, size_t errlen)
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
	int status = batch_sweep_open(s, err, errlen);
	for (size_t i = 0; i < np && status == 0; i++)
		take_point(s, i, &by[i % n]->s, i / n, start[i % n]);
	for (unsigned k = 0; k < n; k++)
		free(start[k]);
	free(start);
	return status;
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

int merge_run(struct batch_sweep *s, const char *const *dir, size_t ndir, char *err,
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
		status = join(s, by, err, errlen);
	for (size_t i = 0; i < ndir; i++)
		shard_release(&sh[i]);
	free(by);
	free(sh);
	return status;
}
