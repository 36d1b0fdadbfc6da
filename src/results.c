/* results: growable arrays of one replication's metrics and hourly rows. */
#include "results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void results_init(struct results *r)
{
	memset(r, 0, sizeof *r);
}

void results_release(struct results *r)
{
	free(r->metric);
	free(r->hour);
	memset(r, 0, sizeof *r);
}

void results_add(struct results *r, const char *scope, const char *name, const char *metric,
                 const char *unit, double value)
{
	if (r->nmetric == r->capmetric) {
		r->capmetric = r->capmetric ? 2 * r->capmetric : 64;
		r->metric = xrealloc(r->metric, r->capmetric * sizeof *r->metric);
	}
	r->metric[r->nmetric++] = (struct metric){ scope, name, metric, unit, value };
}

struct hour_row *results_add_hour(struct results *r)
{
	if (r->nhour == r->caphour) {
		r->caphour = r->caphour ? 2 * r->caphour : 256;
		r->hour = xrealloc(r->hour, r->caphour * sizeof *r->hour);
	}
	struct hour_row *h = &r->hour[r->nhour++];
	memset(h, 0, sizeof *h);
	return h;
}

void results_unit_range(const char *unit, double *lo, double *hi)
{
	*lo = 0;
	*hi = strcmp(unit, "fraction") == 0 ? 1 : INFINITY;
}
