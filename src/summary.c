/* summary: mean, sample standard deviation, Student-t 95% interval, min and max
 * of one metric across replications.
 *
 * A replication may leave a metric undefined (NaN: a wait mean with nobody
 * served); such values are skipped rather than poisoning the mean, and n says
 * how many values were used, so a reader can tell a thin estimate from a full
 * one. The finite values are copied out first because GSL's routines take a
 * plain array; replication counts are small, so the copy costs nothing. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "util.h"

void summary_compute(struct summary *s, const double *x, size_t n)
{
	double *v = xmalloc(n * sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(x[i]))
			v[k++] = x[i];

	s->n = k;
	s->mean = s->stddev = s->ci_low = s->ci_high = s->min = s->max = NAN;
	if (k == 0)
		goto out;
	s->mean = gsl_stats_mean(v, 1, k);
	gsl_stats_minmax(&s->min, &s->max, v, 1, k);
	if (k < 2)
		goto out;
	s->stddev = gsl_stats_sd(v, 1, k);
	double half = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) * s->stddev / sqrt((double)k);
	s->ci_low = s->mean - half;
	s->ci_high = s->mean + half;
out:
	free(v);
}

void summary_bound(struct summary *s, double lo, double hi)
{
	if (s->ci_low < lo)
		s->ci_low = lo;
	if (s->ci_high > hi)
		s->ci_high = hi;
}
