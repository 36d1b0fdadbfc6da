/* histo: a fixed-memory log-bucket histogram for waits and times in system.
 *
 * Buckets follow the binary representation of a double: each power of two is
 * split into HISTO_SUB linear sub-buckets, so a bucket is at most 1/HISTO_SUB
 * of its lower edge wide and a quantile read at the bucket's midpoint is within
 * 1/(2 HISTO_SUB) = 0.78% of every value in it. Values below HISTO_MIN minutes
 * (zero waits among them) share one bucket read as 0. Adding is O(1): no
 * logarithm, no search. */
#ifndef BORDERSIM_HISTO_H
#define BORDERSIM_HISTO_H

#include <stdint.h>

#define HISTO_SUB_BITS 6
#define HISTO_SUB (1 << HISTO_SUB_BITS)
#define HISTO_EXP_MIN (-24)         /* 2^-24 min, about 3.6 microseconds */
#define HISTO_EXP_MAX 40            /* 2^40 min, about two million years */
#define HISTO_MIN (1.0 / (1 << 24))
#define HISTO_NBUCKET (1 + (HISTO_EXP_MAX - HISTO_EXP_MIN) * HISTO_SUB)

struct histo {
	uint64_t count;
	double sum;
	double max;
	int lo, hi;                 /* touched range of buckets 1.., for cheap resets */
	uint64_t bucket[HISTO_NBUCKET];
};

void histo_init(struct histo *h);
void histo_reset(struct histo *h);
void histo_add(struct histo *h, double x);
/* Adds every value of src into dst. */
void histo_merge(struct histo *dst, const struct histo *src);
/* The q-quantile (0 < q <= 1), NaN when empty. Exact for the maximum. */
double histo_quantile(const struct histo *h, double q);
/* Mean of the values added, NaN when empty. */
double histo_mean(const struct histo *h);

#endif
