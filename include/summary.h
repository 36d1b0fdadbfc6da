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

#endif
