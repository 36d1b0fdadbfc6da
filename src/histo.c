/* histo: log-bucket histogram indexed straight from a double's bits.
 *
 * For x in [2^e, 2^(e+1)) the bucket is (e - HISTO_EXP_MIN) * HISTO_SUB plus
 * the top HISTO_SUB_BITS bits of the mantissa, plus one for the underflow
 * bucket 0. gsl_histogram would need a binary search over 4,000 edges for each
 * of the hundreds of millions of waits a long run adds; this needs a shift.
 *
 * lo and hi bound the touched buckets other than bucket 0, so that resetting,
 * merging and reading a quantile each hour scan only the occupied range: zero
 * waits, the commonest value, would otherwise stretch it down to bucket 0. */
#include "histo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void histo_init(struct histo *h)
{
	memset(h, 0, sizeof *h);
	h->lo = HISTO_NBUCKET;
	h->hi = -1;
	h->base = 1;
}

void histo_release(struct histo *h)
{
	free(h->window);
	histo_init(h);
}

/* Keeps the window: an hourly histogram refills much the same range. */
void histo_reset(struct histo *h)
{
	h->zero = 0;
	if (h->hi >= h->lo)
		memset(&h->window[h->lo - h->base], 0,
		       (size_t)(h->hi - h->lo + 1) * sizeof h->window[0]);
	h->count = 0;
	h->sum = 0;
	h->max = 0;
	h->lo = HISTO_NBUCKET;
	h->hi = -1;
}

/* At least doubles the window, toward b, within buckets 1 .. HISTO_NBUCKET - 1,
 * so that a histogram widening value by value grows O(log) times. */
void histo_grow(struct histo *h, int b)
{
	int lo = h->cap ? h->base : b, hi = h->cap ? h->base + h->cap - 1 : b;
	int want = h->cap < 16 ? 16 : 2 * h->cap;
	if (b < lo)
		lo = b;
	if (b > hi)
		hi = b;
	if (hi - lo + 1 < want) {   /* widen on the side of b, the rest on the other */
		int more = want - (hi - lo + 1);
		if (!h->cap) {
			lo -= more / 2;
			hi += more - more / 2;
		} else if (b < h->base) {
			lo -= more;
		} else {
			hi += more;
		}
	}
	if (lo < 1)
		lo = 1;
	if (hi > HISTO_NBUCKET - 1)
		hi = HISTO_NBUCKET - 1;
	uint64_t *w = xcalloc((size_t)(hi - lo + 1), sizeof *w);
	if (h->cap)
		memcpy(&w[h->base - lo], h->window, (size_t)h->cap * sizeof *w);
	free(h->window);
	h->window = w;
	h->base = lo;
	h->cap = hi - lo + 1;
}

uint64_t histo_bucket(const struct histo *h, int b)
{
	if (b == 0)
		return h->zero;
	return b >= h->base && b < h->base + h->cap ? h->window[b - h->base] : 0;
}

void histo_merge(struct histo *dst, const struct histo *src)
{
	if (src->count == 0)
		return;
	dst->zero += src->zero;
	if (src->hi >= src->lo) {
		if (src->lo < dst->base || src->lo - dst->base >= dst->cap)
			histo_grow(dst, src->lo);
		if (src->hi < dst->base || src->hi - dst->base >= dst->cap)
			histo_grow(dst, src->hi);
		for (int b = src->lo; b <= src->hi; b++)
			dst->window[b - dst->base] += src->window[b - src->base];
	}
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->max > dst->max)
		dst->max = src->max;
	if (src->lo < dst->lo)
		dst->lo = src->lo;
	if (src->hi > dst->hi)
		dst->hi = src->hi;
}

/* The lower edge of bucket b (1 .. HISTO_NBUCKET - 1) and its width. */
static double bucket_low(int b, double *width)
{
	int e = (b - 1) / HISTO_SUB + HISTO_EXP_MIN;
	int sub = (b - 1) % HISTO_SUB;
	*width = ldexp(1.0 / HISTO_SUB, e);
	return ldexp(1.0 + (double)sub / HISTO_SUB, e);
}

/* The bucket holding rank ceil(q n) is found as before; within it the values
 * are taken as spread evenly, so the quantile moves with q n across the
 * bucket instead of sitting on its midpoint. Read at the midpoint, every
 * replication whose quantile fell in one bucket gave the same figure, and an
 * interval over replications had no width ("135 [135, 135]"). */
double histo_quantile(const struct histo *h, double q)
{
	if (h->count == 0)
		return NAN;
	/* The value of rank ceil(q n), the smallest x with F(x) >= q. */
	double pos = q * (double)h->count, want = ceil(pos);
	if (want < 1)
		want = 1;
	uint64_t rank = (uint64_t)want, seen = h->zero;
	if (rank >= h->count)
		return h->max;
	if (seen >= rank)
		return 0;
	for (int b = h->lo; b <= h->hi; b++) {
		uint64_t k = h->window[b - h->base];
		if (seen + k >= rank) {
			double width, low = bucket_low(b, &width);
			double f = (pos - (double)seen) / (double)k;   /* in (0, 1] */
			if (f < 0)
				f = 0;
			double v = low + (f > 1 ? 1 : f) * width;
			return v < h->max ? v : h->max;
		}
		seen += k;
	}
	return h->max;
}

double histo_mean(const struct histo *h)
{
	return h->count ? h->sum / (double)h->count : NAN;
}
