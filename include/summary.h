/* summary: statistics across replications (GSL's statistics and Student t). */
#ifndef BORDERSIM_SUMMARY_H
#define BORDERSIM_SUMMARY_H

#include <stddef.h>

struct summary {
	size_t n;            /* finite values used */
	double mean, stddev; /* stddev: sample (n-1); NaN when n < 2 */
	double ci_low, ci_high;  /* Student-t 95% interval for the mean; NaN when n < 2 */
	double min, max;
};

/* Summarises the finite values among x[0..n-1] (NaNs are skipped). */
void summary_compute(struct summary *s, const double *x, size_t n);

/* Bounds the interval to the range [lo, hi] the figure can take (a wait is
 * never negative, a utilisation never above 1): the t interval is symmetric
 * and, for a skewed figure near a bound, would reach past it. The mean, min
 * and max stay as they are (they are within the range already). */
void summary_bound(struct summary *s, double lo, double hi);

#endif
