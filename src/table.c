/* table: CSV tables in memory, written and read back.
 *
 * Fields go through libcsv's csv_fwrite, which always quotes; it is called only
 * for fields that need quoting (RFC 4180: comma, quote, line break; also edge
 * blanks, which some readers trim), so ordinary cells stay bare. Reading is
 * libcsv's strict mode, with nothing trimmed, and a fault is reported at its
 * line. */
#include "table.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include <csv.h>

#include "util.h"

void table_format_number(char *buf, size_t len, double v)
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

void table_write_row(FILE *f, const char *const *field, size_t n)
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

static void table_grow(struct table *t)
{
	if (t->nrow < t->cap)
		return;
	t->cap = t->cap ? 2 * t->cap : 64;
	t->row = xrealloc(t->row, t->cap * sizeof *t->row);
	t->ncol = xrealloc(t->ncol, t->cap * sizeof *t->ncol);
}

void table_add(struct table *t, const char *const *field, size_t n)
{
	table_grow(t);
	char **row = xmalloc((n ? n : 1) * sizeof *row);
	for (size_t i = 0; i < n; i++)
		row[i] = xstrdup(field[i] ? field[i] : "");
	t->row[t->nrow] = row;
	t->ncol[t->nrow++] = n;
}

void table_add_columns(struct table *t, const char *const *head, const char *const *value,
                       size_t n)
{
	for (size_t i = 0; i < t->nrow; i++) {
		const char *const *add = i == 0 ? head : value;
		t->row[i] = xrealloc(t->row[i], (t->ncol[i] + n) * sizeof *t->row[i]);
		for (size_t k = 0; k < n; k++)
			t->row[i][t->ncol[i] + k] = xstrdup(add[k] ? add[k] : "");
		t->ncol[i] += n;
	}
}

void table_append(struct table *t, struct table *src)
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

void table_release(struct table *t)
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

int table_write(FILE *f, const void *table)
{
	const struct table *t = table;
	for (size_t i = 0; i < t->nrow && !ferror(f); i++)
		table_write_row(f, (const char *const *)t->row[i], t->ncol[i]);
	return ferror(f) ? -1 : 0;
}

/* ---- summary.csv's columns ---- */

const char *const table_summary_head[TABLE_SUMMARY_NCOL] = {
	[TABLE_SUMMARY_SCENARIO] = "scenario",
	[TABLE_SUMMARY_SCOPE] = "scope",
	[TABLE_SUMMARY_NAME] = "name",
	[TABLE_SUMMARY_METRIC] = "metric",
	[TABLE_SUMMARY_UNIT] = "unit",
	[TABLE_SUMMARY_MEAN] = "mean",
	[TABLE_SUMMARY_STDDEV] = "stddev",
	[TABLE_SUMMARY_CI95_LOW] = "ci95_low",
	[TABLE_SUMMARY_CI95_HIGH] = "ci95_high",
	[TABLE_SUMMARY_MIN] = "min",
	[TABLE_SUMMARY_MAX] = "max",
	[TABLE_SUMMARY_REPLICATIONS] = "replications",
	[TABLE_SUMMARY_DAYS] = "days",
};

/* ---- reading back ---- */

struct reader {
	struct table *t;
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
	struct table *t = r->t;
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

int table_too_large(const char *path, size_t max, long long size, char *err, size_t errlen)
{
	if (size > 0)
		return util_err(err, errlen, EX_DATAERR, "%s: too large: %lld bytes; an input read "
		                "back may hold %zu MiB", path, size, max >> 20);
	return util_err(err, errlen, EX_DATAERR, "%s: too large: more than %zu MiB read; an input "
	                "read back may hold %zu MiB", path, max >> 20, max >> 20);
}

int table_open_input(const char *path, size_t max, FILE **f, char *err, size_t errlen)
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
	return table_too_large(path, max, (long long)st.st_size, err, errlen);
}

int table_read_csv(const char *path, struct table *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	struct reader r = { t, NULL, 0, 0 };
	struct csv_parser p;
	FILE *f;
	int status = table_open_input(path, TABLE_INPUT_MAX, &f, err, errlen);
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
		if ((total += n) > TABLE_INPUT_MAX) {
			status = table_too_large(path, TABLE_INPUT_MAX, 0, err, errlen);
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
