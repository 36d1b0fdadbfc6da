/* report: the output folders — a run's summary.csv, replications.csv,
 * hourly.csv, scenario.ini and hourly.svg as PRODUCT.md lays them out, and the
 * all-or-nothing writer that sweep, merge and compare use for their files.
 *
 * This is the only module that includes <csv.h>. Every file is first written in
 * full under a temporary name in the folder; only when all are written are they
 * renamed into place, so a failed or interrupted write leaves the folder as it
 * was (a folder made by this call is removed again). One write at a time holds
 * a folder, and a folder holds one kind of output. */
#ifndef BORDERSIM_REPORT_H
#define BORDERSIM_REPORT_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "results.h"
#include "scenario.h"

/* Returned when *stop was found set: nothing was written or renamed. */
#define REPORT_STOPPED (-1)

/* One file of an output folder: write puts the whole document into f and
 * returns 0, or -1 on a write error (errno set). ctx is the writer's own. */
struct report_file {
	const char *name;
	int (*write)(FILE *f, const void *ctx);
	const void *ctx;
};

/* A kind of output folder: what writes it ("a run", "a sweep or merge", "a
 * compare", for messages) and every file it may hold (NULL-terminated). A
 * folder holding a file of another kind that is not one of this kind's holds
 * another command's output. */
struct report_kind {
	const char *what;
	const char *const *names;
};
extern const struct report_kind report_kind_run, report_kind_sweep, report_kind_compare;

/* Temporary files are named REPORT_TMP_PREFIX "PID.NAME" in the folder; the
 * folder's lock file, held while a write runs, is REPORT_LOCK_NAME. Both are
 * removed by the write that made them; after a kill -9 or a crash the next
 * write into the folder removes them. */
#define REPORT_TMP_PREFIX ".bordersim-tmp."
#define REPORT_LOCK_NAME ".bordersim.lock"

/* Writes every file into dir (made if missing, parents too), whose names must
 * be kind's: under the folder's lock (another write into it holds it: refused
 * at once), each file under a temporary name created exclusively (nothing at
 * that name is followed or reused), then all renamed into place. A folder
 * holding another kind's output is refused, untouched, and a link given as
 * dir is followed only when this user or root owns it. Temporary files that a
 * dead write left are removed first; after the renames, files of this kind
 * that this write did not make (a shard's manifest after a whole sweep) are
 * removed. stop, when not NULL, is polled between files and before the
 * renames; every signal but a program fault (SIGSEGV ...) is blocked while
 * the renames run, so a signal either stops the write before any rename or
 * comes after the last. Call with no other threads running. Returns 0,
 * REPORT_STOPPED, or EX_CANTCREAT with a message naming the path. */
int report_write_files(const char *dir, const struct report_file *file, size_t nfile,
                       const struct report_kind *kind, const volatile sig_atomic_t *stop,
                       char *err, size_t errlen);

/* Writes a run's five files into dir, as report_write_files. */
int report_write(const char *dir, const struct model *m, const struct scenario *sc,
                 const struct results *rep, size_t nrep, const volatile sig_atomic_t *stop,
                 char *err, size_t errlen);

/* Formats a value as written in the CSV files: integers without a decimal
 * point, others with 10 significant digits, NaN as "". buf of >= 32 bytes. */
void report_format_number(char *buf, size_t len, double v);

/* A CSV file in memory: row[i][j] is field j of row i (the header, when there
 * is one, is row 0), ncol[i] the number of fields of row i. Everything is
 * owned by the table. A zeroed table is empty. */
struct report_table {
	char ***row;
	size_t *ncol;
	size_t nrow, cap;
};

/* Appends a row of n fields (copied; NULL is written as ""). */
void report_table_add(struct report_table *t, const char *const *field, size_t n);
/* Moves the rows of src to the end of t; src is left empty. */
void report_table_append(struct report_table *t, struct report_table *src);
void report_table_release(struct report_table *t);
/* A report_file writer: the table (a const struct report_table *) as CSV,
 * RFC 4180, fields quoted only where needed. */
int report_table_write(FILE *f, const void *table);

/* The most bytes an input read back may hold (a shard's sweep.csv and
 * shard.csv): 1 GiB. A sweep.csv row is about 100 bytes, so this is some
 * ten million rows; a larger sweep is split into more shards. */
#define REPORT_INPUT_MAX ((size_t)1 << 30)

/* Reads path (RFC 4180, strict) into t. Returns 0, EX_NOINPUT when the file
 * cannot be opened or read or is not a regular file (a FIFO, a device: never
 * waited on), or EX_DATAERR for malformed CSV or a file larger than
 * REPORT_INPUT_MAX; the message names the path, and for malformed CSV the
 * line and what is wrong there ("x.csv:4: malformed CSV: a quote inside a
 * field that does not start with one"). t needs report_table_release either
 * way. */
int report_read_csv(const char *path, struct report_table *t, char *err, size_t errlen);

/* Opens path for reading back: a regular file of at most max bytes. Returns
 * 0 with *f open (the caller closes it), or EX_NOINPUT (cannot open, not a
 * regular file) or EX_DATAERR (too large) with the message. A reader counts
 * the bytes it reads against max as well: a file may grow. */
int report_open_input(const char *path, size_t max, FILE **f, char *err, size_t errlen);

/* The message for a file found larger than max bytes (size: its size, or 0
 * when it passed max while read); returns EX_DATAERR. */
int report_too_large(const char *path, size_t max, long long size, char *err, size_t errlen);

/* summary.csv's columns, in order. */
#define REPORT_SUMMARY_NCOL 12
extern const char *const report_summary_head[REPORT_SUMMARY_NCOL];

/* Appends to t one summary.csv row per metric of the replications rep[0..nrep-1]
 * (all of one model), each preceded by the nlead fields of lead (the varied
 * values of a sweep point; none for a run). */
void report_summary_rows(struct report_table *t, const char *scenario, const char *const *lead,
                         size_t nlead, const struct results *rep, size_t nrep);

/* Bytes held in memory, e.g. a scenario.ini to copy. */
struct report_text {
	char *text;
	size_t len;
};
/* A report_file writer: the bytes of a const struct report_text *. */
int report_text_write(FILE *f, const void *text);

/* Formats r's rows of hourly.csv into r->hourly_csv, so that replications on
 * several threads do the formatting side by side and report_write only copies
 * the text in order (formatting was most of the work left on one thread). */
void report_render_hourly(const struct model *m, struct results *r);

#endif
