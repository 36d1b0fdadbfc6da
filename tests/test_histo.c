/* test_histo: the log-bucket histogram's quantiles, maximum, mean and resets.
 *
 * histo.h promises that a quantile, interpolated within its bucket, is within
 * 1/HISTO_SUB (1.56%) of the exact sample quantile: a bucket in octave
 * [2^e, 2^(e+1)) is 2^e / HISTO_SUB wide, so any point of it is within
 * 2^e / HISTO_SUB <= x / HISTO_SUB of any x in it; capping at the maximum
 * only moves it closer. The exact quantile is the value of rank
 * ceil(q n) in the sorted sample. To name a rank r without floating-point
 * doubt about ceil(q n), most checks ask for q = (r - 1/2) / n. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "histo.h"
#include "rng.h"
#include "testassert.h"


/* The documented bound, with room for the last bit of the comparison. */
#define REL_BOUND (1.0 / HISTO_SUB * (1 + 1e-12))

#define assert_quantile(h, q, exact) \
	assert_near_(histo_quantile((h), (q)), (exact), REL_BOUND * (exact), \
	             "histo_quantile(" #q ")", __FILE__, __LINE__)

/* One histogram, released and made anew by each test. */
static struct histo h;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void empty_is_nan(void **state)
{
	(void)state;
	histo_release(&h);
	histo_init(&h);
	assert_int_equal(h.count, 0);
	assert_true(isnan(histo_quantile(&h, 0.5)));
	assert_true(isnan(histo_quantile(&h, 1.0)));
	assert_true(isnan(histo_mean(&h)));
}

/* 1, 2, ..., 100000: the value of rank r is r. */
static void uniform_grid_quantiles(void **state)
{
	(void)state;
	enum { N = 100000 };
	histo_release(&h);
	histo_init(&h);
	for (int i = 1; i <= N; i++)
		histo_add(&h, i);
	assert_int_equal(h.count, N);
	const long rank[] = { 1, 2, 10, 100, 1000, 2500, 33333, 50000, 50001, 75000,
	                      90000, 95000, 99000, 99900, 99999 };
	for (size_t k = 0; k < sizeof rank / sizeof rank[0]; k++) {
		double q = (rank[k] - 0.5) / N;
		assert_quantile(&h, q, (double)rank[k]);
	}
	/* The quantiles the engine reports, asked for as written. */
	assert_quantile(&h, 0.50, 50000.0);
	assert_quantile(&h, 0.95, 95000.0);
	assert_quantile(&h, 0.99, 99000.0);
	assert_true(histo_quantile(&h, 1.0) == N);
	/* Quantiles do not decrease with q. */
	double last = 0;
	for (int k = 1; k <= 1000; k++) {
		double v = histo_quantile(&h, k / 1000.0);
		assert_true(v >= last);
		last = v;
	}
}

/* Exponential draws against the exact quantiles of the same sorted sample. */
static void exponential_sample_quantiles(void **state)
{
	(void)state;
	enum { N = 200000 };
	static double x[N];
	struct rng *r = rng_new(2024, 0, "test.histo.exponential");
	histo_release(&h);
	histo_init(&h);
	for (int i = 0; i < N; i++) {
		x[i] = rng_exponential(r, 3.0);
		histo_add(&h, x[i]);
	}
	rng_free(r);
	qsort(x, N, sizeof x[0], cmp_double);
	const long rank[] = { 1, 20, 200, 2000, 20000, 50000, 100000, 150000, 180000,
	                      190000, 198000, 199800, 199980, 199999 };
	for (size_t k = 0; k < sizeof rank / sizeof rank[0]; k++)
		assert_quantile(&h, (rank[k] - 0.5) / N, x[rank[k] - 1]);
	assert_true(histo_quantile(&h, 1.0) == x[N - 1]);
	assert_true(h.max == x[N - 1]);
}

/* Values from 2^-23 to 2^39 minutes, log-uniform: every octave the histogram
 * covers, each value within the bound of the exact quantile. */
static void many_octaves(void **state)
{
	(void)state;
	enum { N = 100000 };
	static double x[N];
	struct rng *r = rng_new(7, 0, "test.histo.octaves");
	histo_release(&h);
	histo_init(&h);
	for (int i = 0; i < N; i++) {
		x[i] = ldexp(1.0, -23) * exp2(62 * rng_uniform(r));
		histo_add(&h, x[i]);
	}
	rng_free(r);
	qsort(x, N, sizeof x[0], cmp_double);
	for (long rank = 1; rank <= N; rank += 997)
		assert_quantile(&h, (rank - 0.5) / N, x[rank - 1]);
	assert_true(histo_quantile(&h, 1.0) == x[N - 1]);

	/* One value per octave, 1.37 * 2^k, k = -23 .. 39. */
	histo_release(&h);
	histo_init(&h);
	enum { K = 63 };
	for (int k = 0; k < K; k++)
		histo_add(&h, 1.37 * ldexp(1.0, k - 23));
	for (int k = 0; k < K; k++)
		assert_quantile(&h, (k + 0.5) / K, 1.37 * ldexp(1.0, k - 23));
}

/* The maximum is exact, and no quantile exceeds it even when the maximum's
 * bucket midpoint lies above it. */
static void max_exact(void **state)
{
	(void)state;
	histo_release(&h);
	histo_init(&h);
	for (int i = 0; i < 999; i++)
		histo_add(&h, 10.0 + i * 0.001);
	histo_add(&h, 1234.5678);
	assert_true(histo_quantile(&h, 1.0) == 1234.5678);
	assert_true(histo_quantile(&h, 0.9995) == 1234.5678);   /* rank 1000 of 1000 */
	assert_true(h.max == 1234.5678);

	/* 1.0 sits at the bottom of its bucket, whose midpoint is 1 + 1/128. */
	histo_release(&h);
	histo_init(&h);
	for (int i = 0; i < 10; i++)
		histo_add(&h, 1.0);
	assert_true(histo_quantile(&h, 0.05) == 1.0);
	assert_true(histo_quantile(&h, 0.5) == 1.0);
	assert_true(histo_quantile(&h, 1.0) == 1.0);
}

/* Zero waits, and anything below HISTO_MIN, go to the zero bucket and read 0. */
static void zeros(void **state)
{
	(void)state;
	histo_release(&h);
	histo_init(&h);
	for (int i = 0; i < 700; i++)
		histo_add(&h, 0.0);
	for (int i = 0; i < 300; i++)
		histo_add(&h, 5.0);
	assert_true(histo_bucket(&h, 0) == 700);
	assert_true(histo_quantile(&h, 0.0005) == 0.0);
	assert_true(histo_quantile(&h, 0.5) == 0.0);
	assert_true(histo_quantile(&h, 0.6995) == 0.0);    /* rank 700 */
	assert_quantile(&h, 0.7005, 5.0);                  /* rank 701 */
	assert_true(histo_quantile(&h, 1.0) == 5.0);
	assert_true(histo_mean(&h) == 1.5);

	histo_release(&h);
	histo_init(&h);
	histo_add(&h, HISTO_MIN / 2);
	histo_add(&h, 1e-12);
	histo_add(&h, nextafter(HISTO_MIN, 0));
	assert_true(histo_bucket(&h, 0) == 3);
	assert_true(histo_quantile(&h, 0.5) == 0.0);
	histo_add(&h, HISTO_MIN);                          /* the first real bucket */
	assert_true(histo_bucket(&h, 0) == 3);
	assert_true(histo_bucket(&h, 1) == 1);
	assert_true(histo_quantile(&h, 0.625) == 0.0);         /* rank 3 of 4 */
	assert_true(histo_quantile(&h, 0.875) == HISTO_MIN);   /* rank 4, the max */

	/* All zeros: every quantile is 0. */
	histo_release(&h);
	histo_init(&h);
	for (int i = 0; i < 10; i++)
		histo_add(&h, 0.0);
	assert_true(histo_quantile(&h, 0.5) == 0.0);
	assert_true(histo_quantile(&h, 1.0) == 0.0);
	assert_true(histo_mean(&h) == 0.0);
}

static void reset_clears(void **state)
{
	(void)state;
	histo_release(&h);
	histo_init(&h);
	struct rng *r = rng_new(3, 0, "test.histo.reset");
	for (int i = 0; i < 10000; i++)
		histo_add(&h, ldexp(1.0, -30) * exp2(75 * rng_uniform(r)));   /* zero bucket to overflow */
	rng_free(r);
	histo_add(&h, 0.0);
	histo_reset(&h);
	assert_int_equal(h.count, 0);
	for (int b = 0; b < HISTO_NBUCKET; b++)
		assert_true(histo_bucket(&h, b) == 0);
	assert_true(isnan(histo_quantile(&h, 0.5)));
	assert_true(isnan(histo_mean(&h)));

	/* Refilled, it reflects only the new values. */
	for (int i = 0; i < 10; i++)
		histo_add(&h, 2.0);
	assert_true(histo_quantile(&h, 0.5) == 2.0);
	assert_true(histo_quantile(&h, 1.0) == 2.0);
	assert_true(h.max == 2.0);
	assert_true(histo_mean(&h) == 2.0);
	assert_int_equal(h.count, 10);

	/* A reset that was never filled, and a second reset, are harmless. */
	histo_release(&h);
	histo_init(&h);
	histo_reset(&h);
	histo_reset(&h);
	assert_int_equal(h.count, 0);
	histo_add(&h, 3.0);
	assert_true(histo_quantile(&h, 0.5) == 3.0);
}

/* The mean is the sum over the count, whatever the buckets round to. */
static void mean_exact(void **state)
{
	(void)state;
	histo_release(&h);
	histo_init(&h);
	double sum = 0;
	int n = 0;
	for (int i = 1; i <= 1000; i++) {
		double v = 0.1 * i + (i % 7 == 0 ? 1e-9 : 0);
		histo_add(&h, v);
		sum += v;
		n++;
	}
	histo_add(&h, 1e-9);   /* read as 0 by quantiles, still counted in the mean */
	sum += 1e-9;
	n++;
	assert_true(histo_mean(&h) == sum / n);

	histo_release(&h);
	histo_init(&h);
	histo_add(&h, 1.0);
	histo_add(&h, 2.0);
	histo_add(&h, 6.0);
	assert_true(histo_mean(&h) == 3.0);
}

/* The window holds only the buckets in use: waits over two octaves take a
 * few hundred buckets, not HISTO_NBUCKET; merging histograms whose windows
 * lie apart gives what adding every value to one gives. */
static void window_small(void **state)
{
	(void)state;
	struct histo a, b;
	histo_release(&h);
	histo_init(&h);
	histo_init(&a);
	histo_init(&b);
	for (int i = 0; i < 1000; i++) {
		double x = 1 + 3.0 * i / 1000, y = 5000 + i;
		histo_add(&h, x);
		histo_add(&h, y);
		histo_add(&a, x);
		histo_add(&b, y);
	}
	assert_true(a.cap <= 4 * HISTO_SUB);
	assert_true(b.cap <= 4 * HISTO_SUB);
	histo_release(&a);
	histo_init(&a);
	histo_add(&a, 0.0);
	assert_null(a.window);              /* zeros need no buckets */
	for (int i = 0; i < 1000; i++)
		histo_add(&a, 1 + 3.0 * i / 1000);
	histo_merge(&a, &b);
	histo_add(&h, 0.0);
	for (int bk = 0; bk < HISTO_NBUCKET; bk++)
		assert_true(histo_bucket(&a, bk) == histo_bucket(&h, bk));
	for (double q = 0.05; q < 1; q += 0.05)
		assert_true(histo_quantile(&a, q) == histo_quantile(&h, q));
	histo_release(&a);
	histo_release(&b);
}

/* Within a bucket the quantile is interpolated: values spread evenly over
 * one bucket give quantiles that move with q (never one midpoint for all)
 * and land within a thousandth of the bucket's width of the exact ones. */
static void interpolated_within_bucket(void **state)
{
	(void)state;
	histo_release(&h);
	histo_init(&h);
	const int n = 1000;
	const double low = 2.0, width = 2.0 / HISTO_SUB;   /* the bucket [2, 2 + 1/32) */
	for (int i = 0; i < n; i++)
		histo_add(&h, low + width * (i + 0.5) / n);
	assert_int_equal(histo_bucket_of(low), histo_bucket_of(low + width * 0.9995));
	double prev = 0;
	for (int r = 50; r < n; r += 50) {
		double q = (r - 0.5) / n, exact = low + width * (r - 0.5) / n;
		double v = histo_quantile(&h, q);
		assert_near_(v, exact, width / n, "histo_quantile", __FILE__, __LINE__);
		assert_true(v > prev);
		prev = v;
	}
	/* Two samples whose p95 falls in the same bucket read differently. */
	struct histo a;
	histo_init(&a);
	for (int i = 0; i < n; i++)
		histo_add(&a, i < 900 ? 1.0 : low + width * 0.75);
	histo_add(&h, low + width);     /* one more value, in the next bucket */
	assert_true(histo_quantile(&a, 0.95) != histo_quantile(&h, 0.95));
	assert_true(histo_quantile(&a, 0.95) >= low && histo_quantile(&a, 0.95) <= low + 0.75 * width);
	histo_release(&a);

	/* The bound is a whole bucket, not half: values all on a bucket's lower
	 * edge, a larger maximum elsewhere, read up to the bucket's top. */
	histo_init(&a);
	for (int i = 0; i < 99; i++)
		histo_add(&a, low);
	histo_add(&a, 100.0);
	double v = histo_quantile(&a, 0.985);   /* rank 99: the value 2 */
	assert_true(v > low * (1 + 1.0 / (2 * HISTO_SUB)));
	assert_true(v <= low * (1 + 1.0 / HISTO_SUB));
	histo_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_is_nan),
		cmocka_unit_test(uniform_grid_quantiles),
		cmocka_unit_test(exponential_sample_quantiles),
		cmocka_unit_test(many_octaves),
		cmocka_unit_test(max_exact),
		cmocka_unit_test(zeros),
		cmocka_unit_test(reset_clears),
		cmocka_unit_test(mean_exact),
		cmocka_unit_test(window_small),
		cmocka_unit_test(interpolated_within_bucket),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
