/* progress: the one-line progress report of a long command.
 *
 * "bordersim: LABEL: DONE/TOTAL UNIT, M:SS elapsed, M:SS left", redrawn in
 * place with '\r' at most every tenth of a second and erased at the end;
 * drawn only when the caller says so (stderr a terminal, no -q). */
#ifndef BORDERSIM_PROGRESS_H
#define BORDERSIM_PROGRESS_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

struct progress {
	FILE *f;                /* not owned */
	int on, drawn;
	const char *label;      /* "baseline", "b vs a"; not owned */
	const char *unit;       /* "replications" or "points"; not owned */
	size_t total;           /* of unit */
	struct timespec t0;
	double last;            /* when last drawn, seconds after t0 */
};

/* Starts the clock, which progress_elapsed reads too; the line goes to f
 * only when on (f a terminal and not -q). */
void progress_init(struct progress *pr, FILE *f, int on);

/* What the line counts, once the command knows. label and unit must outlive
 * the progress. */
void progress_count(struct progress *pr, const char *label, const char *unit, size_t total);

/* done of total units; the time left is reckoned from tasks_done of ntask
 * tasks, which are finer. Drawn at most every tenth of a second, and always
 * when the last task is done. Not thread-safe: the caller serialises. */
void progress_draw(struct progress *pr, size_t done, size_t tasks_done, size_t ntask);

/* Erases the line if it was drawn. */
void progress_end(struct progress *pr);

/* Seconds since progress_init. */
double progress_elapsed(const struct progress *pr);

/* s seconds, rounded, as "M:SS", or "H:MM:SS" from an hour. */
void progress_clock(char *buf, size_t len, double s);

#endif
