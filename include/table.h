/* table: CSV in memory — a table of rows, written as RFC 4180 and read back
 * strictly, the number format every CSV file and chart uses, and the columns
 * of summary.csv by name.
 *
 * This is the only module that includes <csv.h>. A table owns its rows and
 * their fields; the reader checks what it is given (a regular file of bounded
 * size, well-formed CSV) and names the file and line of a fault. */
#ifndef BORDERSIM_TABLE_H
#define BORDERSIM_TABLE_H

#include <stddef.h>
#include <stdio.h>

/* Formats a value as written in the CSV files: integers without a decimal
 * point, others with 10 significant digits, NaN as "". buf of >= 32 bytes. */
void table_format_number(char *buf, size_t len, double v);

/* A CSV file in memory: row[i][j] is field j of row i (the header, when there
 * is one, is row 0), ncol[i] the number of fields of row i. Everything is
 * owned by the table. A zeroed table is empty. */
struct table {
	char ***row;
	size_t *ncol;
	size_t nrow, cap;
};

/* Appends a row of n fields (copied; NULL is written as ""). */
void table_add(struct table *t, const char *const *field, size_t n);
/* Appends n columns to every row: the fields head[0..n-1] to the header
 * (row 0) and value[0..n-1] to every other row (both copied). */
void table_add_columns(struct table *t, const char *const *head, const char *const *value,
                       size_t n);
/* Moves the rows of src to the end of t; src is left empty. */
void table_append(struct table *t, struct table *src);
void table_release(struct table *t);
/* An outdir_file writer: the table (a const struct table *) as CSV,
 * RFC 4180, fields quoted only where needed. */
int table_write(FILE *f, const void *table);
/* Writes one record of n fields (NULL as "") as table_write does; errors
 * are left for ferror(f) to report. */
void table_write_row(FILE *f, const char *const *field, size_t n);

/* The most bytes an input read back may hold (a shard's sweep.csv and
 * shard.csv): 1 GiB. A sweep.csv row is about 100 bytes, so this is some
 * ten million rows; a larger sweep is split into more shards. */
#define TABLE_INPUT_MAX ((size_t)1 << 30)

/* Reads path (RFC 4180, strict) into t. Returns 0, EX_NOINPUT when the file
 * cannot be opened or read or is not a regular file (a FIFO, a device: never
 * waited on), or EX_DATAERR for malformed CSV or a file larger than
 * TABLE_INPUT_MAX; the message names the path, and for malformed CSV the
 * line and what is wrong there ("x.csv:4: malformed CSV: a quote inside a
 * field that does not start with one"). t needs table_release either way. */
int table_read_csv(const char *path, struct table *t, char *err, size_t errlen);

/* Opens path for reading back: a regular file of at most max bytes. Returns
 * 0 with *f open (the caller closes it), or EX_NOINPUT (cannot open, not a
 * regular file) or EX_DATAERR (too large) with the message. A reader counts
 * the bytes it reads against max as well: a file may grow. */
int table_open_input(const char *path, size_t max, FILE **f, char *err, size_t errlen);

/* The message for a file found larger than max bytes (size: its size, or 0
 * when it passed max while read); returns EX_DATAERR. */
int table_too_large(const char *path, size_t max, long long size, char *err, size_t errlen);

/* summary.csv's columns, in order: the index of each in a summary row (after
 * a sweep's lead columns, if any) and, in table_summary_head, its name. */
enum table_summary_col {
	TABLE_SUMMARY_SCENARIO,
	TABLE_SUMMARY_SCOPE,
	TABLE_SUMMARY_NAME,
	TABLE_SUMMARY_METRIC,
	TABLE_SUMMARY_UNIT,
	TABLE_SUMMARY_MEAN,
	TABLE_SUMMARY_STDDEV,
	TABLE_SUMMARY_CI95_LOW,
	TABLE_SUMMARY_CI95_HIGH,
	TABLE_SUMMARY_MIN,
	TABLE_SUMMARY_MAX,
	TABLE_SUMMARY_REPLICATIONS,
	TABLE_SUMMARY_DAYS,         /* the reported days (scenario.days) */
	TABLE_SUMMARY_NCOL
};
extern const char *const table_summary_head[TABLE_SUMMARY_NCOL];

#endif
