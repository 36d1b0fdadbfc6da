/* report: a run's output folder — summary.csv, replications.csv, hourly.csv,
 * scenario.ini, hourly.svg and report.html as docs/outputs.md lays them out — and the summary
 * rows that run and sweep share.
 *
 * The files are written all or nothing by outdir, their CSV by table. The
 * results and the model are the caller's; report only reads them. */
#ifndef BORDERSIM_REPORT_H
#define BORDERSIM_REPORT_H

#include <signal.h>
#include <stddef.h>

#include "model.h"
#include "results.h"
#include "scenario.h"
#include "table.h"

/* One replication's rows of hourly.csv, formatted ahead of report_write. A
 * zeroed one holds nothing (report_write formats those rows itself). */
struct report_hourly {
	char *text;
	size_t len;
};

/* n zeroed report_hourly, and their release (text and the array). */
struct report_hourly *report_hourly_new(size_t n);
void report_hourly_free(struct report_hourly *h, size_t n);

/* Formats r's rows of hourly.csv into *out (replacing what it held), so that
 * replications on several threads do the formatting side by side and
 * report_write only copies the text in order (formatting was most of the work
 * left on one thread). keep: by stage, the stages whose rows are written
 * (hourly.h); NULL: every stage. Leaves *out as it was when memory for the
 * text cannot be had. */
void report_render_hourly(const struct model *m, const struct results *r,
                          const unsigned char *keep, struct report_hourly *out);

/* Writes a run's six files into dir, as outdir_write (0, OUTDIR_STOPPED or
 * EX_CANTCREAT), hourly.csv with every stage. hourly, when not NULL, holds
 * rep[i]'s rendered rows at i. */
int report_write(const char *dir, const struct model *m, const struct scenario *sc,
                 const struct results *rep, const struct report_hourly *hourly, size_t nrep,
                 const volatile sig_atomic_t *stop, char *err, size_t errlen);

/* report_write with the panels of hourly.svg and report.html chosen by a
 * --chart list (chart_hourly_opts; NULL: the default panels), and the rows
 * of hourly.csv of the stages keep marks (by stage; NULL: every stage; the
 * rows rendered in hourly must have been rendered with the same keep). Only
 * the file is filtered: the charts and report.html read rep. */
int report_write_chart(const char *dir, const struct model *m, const struct scenario *sc,
                       const struct results *rep, const struct report_hourly *hourly,
                       size_t nrep, const char *chart, const unsigned char *keep,
                       const volatile sig_atomic_t *stop, char *err, size_t errlen);

struct outdir_file;
struct outdir_kind;
struct targetmet_run;
/* report_write_chart with the nmore files of more (at most 10) written
 * beside the run's, all or nothing, as a folder of kind (staff's), and
 * report.html's Targets panel from targets as measured (NULL: none). */
int report_write_more(const char *dir, const struct model *m, const struct scenario *sc,
                      const struct results *rep, const struct report_hourly *hourly,
                      size_t nrep, const char *chart, const unsigned char *keep,
                      const struct targetmet_run *targets,
                      const struct outdir_file *more, size_t nmore,
                      const struct outdir_kind *kind, const volatile sig_atomic_t *stop,
                      char *err, size_t errlen);

/* What a compare's report.html shows: BASE (0) and SCENARIO (1), their
 * replications rep[k][0..nrep-1], compare.csv's table (header first) and the
 * --chart list (NULL: the default panels). All borrowed. */
struct report_compare {
	const struct model *m[2];
	const struct results *rep[2];
	size_t nrep;
	const struct table *compare;
	const char *chart;
};

/* An outdir_file writer: a compare's report.html (ctx a const struct
 * report_compare *): the compare tables and both scenarios' hourly charts. */
int report_compare_html(FILE *f, const void *ctx);

/* Appends to t one summary.csv row per metric of the replications rep[0..nrep-1]
 * (all of one model, of days reported days), each preceded by the nlead
 * fields of lead (the varied values of a sweep point; none for a run): the
 * columns of table_summary_head. Intervals are bounded to the range of the
 * metric's unit (results_unit_range). */
void report_summary_rows(struct table *t, const char *scenario, double days,
                         const char *const *lead, size_t nlead, const struct results *rep,
                         size_t nrep);

#endif
