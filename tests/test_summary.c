/* test_summary: statistics across replications against values worked by hand.
 *
 * Student-t quantiles t(0.975, df) are the printed table values (six decimals),
 * so the interval half-widths are checked to 1e-5. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "summary.h"
#include "testassert.h"


#define assert_nan(a) assert_true(isnan(a))

/* 2 4 4 4 5 5 7 9: mean 5, squares about the mean 32, sample variance 32/7. */
static void textbook_sample(void **state)
{
	(void)state;
	const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct summary s;
	summary_compute(&s, x, 8);
	double sd = sqrt(32.0 / 7.0);               /* 2.138089935 */
	double half = 2.364624 * sd / sqrt(8.0);    /* t(0.975, 7) = 2.364624 */
	assert_int_equal(s.n, 8);
	assert_near(s.mean, 5.0, 1e-12);
	assert_near(s.stddev, 2.138089935, 1e-9);
	assert_near(s.ci_low, 5.0 - half, 1e-5);
	assert_near(s.ci_high, 5.0 + half, 1e-5);
	assert_near(s.ci_high - s.ci_low, 2 * 1.787489, 2e-5);
	assert_near(s.min, 2.0, 0);
	assert_near(s.max, 9.0, 0);
}

/* NaNs are skipped: 1 3 5 remain, sd 2, t(0.975, 2) = 4.302653. */
static void nan_skipped(void **state)
{
	(void)state;
	const double x[] = { 1, NAN, 3, NAN, 5 };
	struct summary s;
	summary_compute(&s, x, 5);
	double half = 4.302653 * 2.0 / sqrt(3.0);   /* 4.968276 */
	assert_int_equal(s.n, 3);
	assert_near(s.mean, 3.0, 1e-12);
	assert_near(s.stddev, 2.0, 1e-12);
	assert_near(s.ci_low, 3.0 - half, 1e-5);
	assert_near(s.ci_high, 3.0 + half, 1e-5);
	assert_near(s.min, 1.0, 0);
	assert_near(s.max, 5.0, 0);
}

/* Infinities are not finite either: 2 4 remain, t(0.975, 1) = 12.706205. */
static void infinity_skipped_two_values(void **state)
{
	(void)state;
	const double x[] = { INFINITY, 2, -INFINITY, 4 };
	struct summary s;
	summary_compute(&s, x, 4);
	assert_int_equal(s.n, 2);
	assert_near(s.mean, 3.0, 1e-12);
	assert_near(s.stddev, sqrt(2.0), 1e-12);
	assert_near(s.ci_low, 3.0 - 12.706205, 1e-5);
	assert_near(s.ci_high, 3.0 + 12.706205, 1e-5);
	assert_near(s.min, 2.0, 0);
	assert_near(s.max, 4.0, 0);
}

static void one_value_has_no_spread(void **state)
{
	(void)state;
	const double x[] = { NAN, 7.5 };
	struct summary s;
	summary_compute(&s, x, 2);
	assert_int_equal(s.n, 1);
	assert_near(s.mean, 7.5, 0);
	assert_nan(s.stddev);
	assert_nan(s.ci_low);
	assert_nan(s.ci_high);
	assert_near(s.min, 7.5, 0);
	assert_near(s.max, 7.5, 0);
}

static void no_values_all_nan(void **state)
{
	(void)state;
	const double x[] = { NAN, NAN, NAN };
	struct summary s;
	summary_compute(&s, x, 3);
	assert_int_equal(s.n, 0);
	assert_nan(s.mean);
	assert_nan(s.stddev);
	assert_nan(s.ci_low);
	assert_nan(s.ci_high);
	assert_nan(s.min);
	assert_nan(s.max);

	summary_compute(&s, NULL, 0);
	assert_int_equal(s.n, 0);
	assert_nan(s.mean);
	assert_nan(s.max);
}

static void constant_values_zero_width(void **state)
{
	(void)state;
	const double x[] = { 3, 3, 3, 3 };
	struct summary s;
	summary_compute(&s, x, 4);
	assert_int_equal(s.n, 4);
	assert_near(s.mean, 3.0, 0);
	assert_near(s.stddev, 0.0, 0);
	assert_near(s.ci_low, 3.0, 0);
	assert_near(s.ci_high, 3.0, 0);
}

/* A skewed figure near 0: 0.1 0.1 0.1 0.1 9 has mean 1.88 and a t interval
 * reaching below 0; bounded to [0, inf) the low end is 0, the high end stays.
 * A utilisation near 1 is bounded above by 1. */
static void bounded_to_range(void **state)
{
	(void)state;
	const double x[] = { 0.1, 0.1, 0.1, 0.1, 9 };
	struct summary s;
	summary_compute(&s, x, 5);
	double high = s.ci_high;
	assert_true(s.ci_low < 0);
	summary_bound(&s, 0, INFINITY);
	assert_near(s.ci_low, 0, 0);
	assert_near(s.ci_high, high, 0);
	assert_near(s.mean, 1.88, 1e-12);

	const double u[] = { 0.99, 1.0, 0.9, 1.0 };
	summary_compute(&s, u, 4);
	double low = s.ci_low;
	assert_true(s.ci_high > 1);
	summary_bound(&s, 0, 1);
	assert_near(s.ci_high, 1, 0);
	assert_near(s.ci_low, low, 0);

	/* Undefined intervals stay undefined. */
	summary_compute(&s, u, 1);
	summary_bound(&s, 0, 1);
	assert_nan(s.ci_low);
	assert_nan(s.ci_high);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(textbook_sample),
		cmocka_unit_test(nan_skipped),
		cmocka_unit_test(infinity_skipped_two_values),
		cmocka_unit_test(one_value_has_no_spread),
		cmocka_unit_test(no_values_all_nan),
		cmocka_unit_test(constant_values_zero_width),
		cmocka_unit_test(bounded_to_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
