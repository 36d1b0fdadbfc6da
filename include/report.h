/* report: the output folder — summary.csv, replications.csv, hourly.csv and
 * scenario.ini, laid out as PRODUCT.md says.
 *
 * This is the only module that includes <csv.h>. Every file is first written in
 * full under a temporary name in the folder; only when all are written are they
 * renamed into place, so a failed write leaves the folder as it was (a folder
 * made by this call is removed again). */
#ifndef BORDERSIM_REPORT_H
#define BORDERSIM_REPORT_H

#include <stddef.h>

#include "model.h"
#include "results.h"
#include "scenario.h"

/* Writes the run's files into dir (made if missing, parents too). Returns 0 or
 * EX_CANTCREAT with a message naming the path. */
int report_write(const char *dir, const struct model *m, const struct scenario *sc,
                 const struct results *rep, size_t nrep, char *err, size_t errlen);

/* Formats a value as written in the CSV files: integers without a decimal
 * point, others with 10 significant digits, NaN as "". buf of >= 32 bytes. */
void report_format_number(char *buf, size_t len, double v);

/* A CSV file read back: row[i][j] is field j of row i (the header is row 0),
 * ncol[i] the number of fields of row i. Everything is owned by the table. */
struct report_table {
	char ***row;
	size_t *ncol;
	size_t nrow, cap;
};

/* Reads path (RFC 4180, strict) into t. Returns 0, EX_NOINPUT when the file
 * cannot be opened, or EX_DATAERR for malformed CSV; the message names the
 * path. t needs report_table_release either way. */
int report_read_csv(const char *path, struct report_table *t, char *err, size_t errlen);
void report_table_release(struct report_table *t);

#endif
