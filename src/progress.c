/* progress: the progress line of run, sweep and compare.
 *
 * The line is written whole with one fprintf, '\r' first and "erase to the
 * end of the line" last, so a shorter line leaves nothing of a longer one. */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

void progress_init(struct progress *pr, FILE *f, int on)
{
	memset(pr, 0, sizeof *pr);
	pr->f = f;
	pr->on = on;
	pr->label = pr->unit = "";
	clock_gettime(CLOCK_MONOTONIC, &pr->t0);
}

void progress_count(struct progress *pr, const char *label, const char *unit, size_t total)
{
	pr->label = label;
	pr->unit = unit;
	pr->total = total;
}

double progress_elapsed(const struct progress *pr)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - pr->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - pr->t0.tv_nsec);
}

void progress_clock(char *buf, size_t len, double s)
{
	unsigned long t = (unsigned long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

void progress_draw(struct progress *pr, size_t done, size_t tasks_done, size_t ntask)
{
	if (!pr->on)
		return;
	double el = progress_elapsed(pr);
	if (pr->drawn && el - pr->last < 0.1 && tasks_done < ntask)
		return;
	char elapsed[32], left[32] = "?";
	progress_clock(elapsed, sizeof elapsed, el);
	if (tasks_done > 0)
		progress_clock(left, sizeof left, el * (double)(ntask - tasks_done) / (double)tasks_done);
	char tasks[64] = "";
	if (strcmp(pr->unit, "replications") != 0)
		snprintf(tasks, sizeof tasks, " (%zu/%zu replications)", tasks_done, ntask);
	char *label = util_escape(pr->label);
	fprintf(pr->f, "\rbordersim: %s: %zu/%zu %s%s, %s elapsed, %s left\033[K", label, done,
	        pr->total, pr->unit, tasks, elapsed, left);
	free(label);
	pr->drawn = 1;
	pr->last = el;
}

void progress_end(struct progress *pr)
{
	if (pr->on && pr->drawn)
		fputs("\r\033[K", pr->f);
	pr->drawn = 0;
}
