/* histo: a fixed-memory log-bucket histogram for waits and times in system.
 *
 * Buckets follow the binary representation of a double: each power of two is
 * split into HISTO_SUB linear sub-buckets, so a bucket is at most 1/HISTO_SUB
 * of its lower edge wide and a quantile, interpolated linearly within its
 * bucket, is within 1/HISTO_SUB = 1.56% of every value in it. Values below HISTO_MIN minutes
 * (zero waits among them) share one bucket read as 0. Adding is O(1): no
 * logarithm, no search. */
#ifndef BORDERSIM_HISTO_H
#define BORDERSIM_HISTO_H

#include <stdint.h>
#include <string.h>

#define HISTO_SUB_BITS 6
#define HISTO_SUB (1 << HISTO_SUB_BITS)
#define HISTO_EXP_MIN (-24)         /* 2^-24 min, about 3.6 microseconds */
#define HISTO_EXP_MAX 40            /* 2^40 min, about two million years */
#define HISTO_MIN (1.0 / (1 << 24))
#define HISTO_NBUCKET (1 + (HISTO_EXP_MAX - HISTO_EXP_MIN) * HISTO_SUB)

/* The buckets in use are held in a window that grows to cover them (and is
 * allocated only when a value above HISTO_MIN arrives), so a histogram costs
 * its 48-byte header plus 8 bytes a bucket between the least and greatest
 * value it has held: a stage whose waits span two octaves holds 128 buckets,
 * 1 KB, where all HISTO_NBUCKET would take 32 KB. */
struct histo {
	uint64_t count;
	double sum;
	double max;
	int lo, hi;                 /* touched range of buckets 1.., for cheap resets */
	int base, cap;              /* window[i] holds bucket base + i */
	uint64_t zero;              /* bucket 0 */
	uint64_t *window;           /* owned; NULL until a bucket above 0 is used */
};

void histo_init(struct histo *h);
/* Frees the window; h is then empty, as after histo_init. */
void histo_release(struct histo *h);
void histo_reset(struct histo *h);
/* Adds n values x (n >= 1). Inline: the engine adds one for every wait. */
static inline void histo_add_n(struct histo *h, double x, uint64_t n);
static inline void histo_add(struct histo *h, double x) { histo_add_n(h, x, 1); }
/* Adds every value of src into dst. */
void histo_merge(struct histo *dst, const struct histo *src);
/* The q-quantile (0 < q <= 1), NaN when empty. Exact for the maximum; else
 * the bucket holding rank ceil(q n), read by linear interpolation within it
 * (its values taken as spread evenly over it: lower edge plus the share of
 * its count below q n times its width), capped at the maximum; 0 in the
 * bucket of zeros. */
double histo_quantile(const struct histo *h, double q);
/* Mean of the values added, NaN when empty. */
double histo_mean(const struct histo *h);
/* The count in bucket b (0 .. HISTO_NBUCKET - 1). */
uint64_t histo_bucket(const struct histo *h, int b);
/* Widens the window to hold bucket b (1 .. HISTO_NBUCKET - 1). */
void histo_grow(struct histo *h, int b);

/* The bucket of x: 0 below HISTO_MIN (and for NaN), else from its exponent
 * and top mantissa bits; the last bucket takes everything from 2^HISTO_EXP_MAX. */
static inline int histo_bucket_of(double x)
{
	if (!(x >= HISTO_MIN))
		return 0;
	uint64_t bits;
	memcpy(&bits, &x, sizeof bits);
	int e = (int)((bits >> 52) & 0x7ff) - 1023;
	if (e >= HISTO_EXP_MAX)
		return HISTO_NBUCKET - 1;
	int sub = (int)((bits >> (52 - HISTO_SUB_BITS)) & (HISTO_SUB - 1));
	return 1 + (e - HISTO_EXP_MIN) * HISTO_SUB + sub;
}

static inline void histo_add_n(struct histo *h, double x, uint64_t n)
{
	int b = histo_bucket_of(x);
	h->count += n;
	h->sum += n == 1 ? x : x * (double)n;
	if (x > h->max)
		h->max = x;
	if (b == 0) {
		h->zero += n;
		return;
	}
	if ((unsigned)(b - h->base) >= (unsigned)h->cap)   /* below base wraps round: one test */
		histo_grow(h, b);
	h->window[b - h->base] += n;
	if (b < h->lo)
		h->lo = b;
	if (b > h->hi)
		h->hi = b;
}

#endif
