/* test_rng: seeding by (seed, replication, purpose) and the basic draws.
 *
 * The seeds must be deterministic and distinct, a purpose's draws must not
 * depend on which other purposes exist (common random numbers), and the
 * uniform and exponential draws must have their theoretical moments.
 *
 * Statistical checks compare a sample statistic with its theoretical value at
 * 4 standard errors of that statistic, the standard error computed from the
 * theoretical distribution (never from the sample):
 *   sample mean of n draws       se = sqrt(var / n)
 *   sample variance (n-1 form)   se = sqrt((mu4 - var^2 (n-3)/(n-1)) / n),
 *                                the exact variance of s^2 (mu4 the fourth
 *                                central moment)
 *   a proportion p               se = sqrt(p (1-p) / n)
 *   a correlation of independent streams   se = 1/sqrt(n)
 * and the shape of a whole distribution by a chi-square test over equiprobable
 * bins, at the statistic's upper 1e-4 point.
 * With n in the hundreds of thousands these statistics are close to normal, so
 * a correct generator passes a 4-se check with probability about 0.99994; the
 * seeds are fixed, so each check is deterministic. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "rng.h"
#include "testassert.h"


/* Running mean and sum of squared deviations (Welford). */
struct moments {
	double n, mean, m2;
};

static void moments_add(struct moments *m, double x)
{
	m->n += 1;
	double d = x - m->mean;
	m->mean += d / m->n;
	m->m2 += d * (x - m->mean);
}

static double moments_var(const struct moments *m) { return m->m2 / (m->n - 1); }

/* Standard error of the sample variance, from var and the fourth central moment. */
static double var_se(double var, double mu4, double n)
{
	return sqrt((mu4 - var * var * (n - 3) / (n - 1)) / n);
}

/* Reference SplitMix64 step and FNV-1a 64, written from their definitions and
 * checked against published test vectors below. */
static uint64_t ref_splitmix64(uint64_t x)
{
	uint64_t z = x + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t ref_fnv1a64(const char *s)
{
	uint64_t h = 14695981039346656037ULL;   /* offset basis */
	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;               /* FNV prime */
	}
	return h;
}

static void reference_hashes_match_published_vectors(void **state)
{
	(void)state;
	/* SplitMix64 seeded with 0: first output (Vigna's splitmix64.c). */
	assert_int_equal(ref_splitmix64(0), 0xe220a8397b1dcdafULL);
	/* FNV-1a 64 (Fowler, Noll, Vo test suite). */
	assert_int_equal(ref_fnv1a64(""), 0xcbf29ce484222325ULL);
	assert_int_equal(ref_fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
	assert_int_equal(ref_fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

/* rng.h: "SplitMix64 finalisers over the scenario seed, the replication number
 * and a 64-bit FNV-1a hash of the purpose name", chained in that order. The
 * seeds of every published result depend on this staying put. */
static void seed_for_is_the_documented_hash(void **state)
{
	(void)state;
	const uint64_t seeds[] = { 0, 1, 42, 20240101, UINT64_MAX };
	const unsigned reps[] = { 0, 1, 7, 4000000000u };
	const char *purposes[] = { "", "stream.cars.arrivals", "stage.a.service" };
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
		for (size_t j = 0; j < sizeof reps / sizeof reps[0]; j++)
			for (size_t k = 0; k < sizeof purposes / sizeof purposes[0]; k++) {
				uint64_t h = ref_splitmix64(seeds[i]);
				h = ref_splitmix64(h ^ reps[j]);
				h = ref_splitmix64(h ^ ref_fnv1a64(purposes[k]));
				assert_int_equal(rng_seed_for(seeds[i], reps[j], purposes[k]), h);
			}
}

static void seed_for_deterministic_and_distinct(void **state)
{
	(void)state;
	uint64_t s = rng_seed_for(42, 3, "stage.a.service");
	assert_int_equal(rng_seed_for(42, 3, "stage.a.service"), s);
	assert_int_not_equal(rng_seed_for(43, 3, "stage.a.service"), s);
	assert_int_not_equal(rng_seed_for(42, 4, "stage.a.service"), s);
	assert_int_not_equal(rng_seed_for(42, 3, "stage.b.service"), s);
	assert_int_not_equal(rng_seed_for(42, 3, "stage.a.routing"), s);
	/* Seed and replication are not interchangeable. */
	assert_int_not_equal(rng_seed_for(1, 0, "x"), rng_seed_for(0, 1, "x"));

	/* No two of 1000 replications x 4 purposes share a 64-bit seed (a chance
	 * collision has probability about 4000^2 / 2^65, 4e-13). */
	enum { REPS = 1000, NP = 4 };
	static uint64_t all[REPS * NP];
	const char *p[NP] = { "stream.cars.arrivals", "stream.trucks.arrivals",
	                      "stage.a.service", "stage.b.service" };
	size_t n = 0;
	for (unsigned r = 0; r < REPS; r++)
		for (int k = 0; k < NP; k++)
			all[n++] = rng_seed_for(20240101, r, p[k]);
	/* Shell sort, then look at neighbours. */
	for (size_t gap = n / 2; gap > 0; gap /= 2)
		for (size_t i = gap; i < n; i++)
			for (size_t j = i; j >= gap && all[j - gap] > all[j]; j -= gap) {
				uint64_t t = all[j];
				all[j] = all[j - gap];
				all[j - gap] = t;
			}
	for (size_t i = 1; i < n; i++)
		assert_true(all[i] != all[i - 1]);
}

static void same_purpose_same_sequence(void **state)
{
	(void)state;
	struct rng *a = rng_new(42, 3, "stream.cars.arrivals");
	struct rng *b = rng_new(42, 3, "stream.cars.arrivals");
	for (int i = 0; i < 10000; i++)
		assert_int_equal(rng_get(a), rng_get(b));
	for (int i = 0; i < 1000; i++)
		assert_true(rng_exponential(a, 2.0) == rng_exponential(b, 2.0));
	rng_free(a);
	rng_free(b);
}

static void different_purpose_different_sequence(void **state)
{
	(void)state;
	struct rng *a = rng_new(42, 3, "stream.cars.arrivals");
	struct rng *b = rng_new(42, 3, "stream.trucks.arrivals");
	struct rng *c = rng_new(42, 4, "stream.cars.arrivals");
	int same_ab = 0, same_ac = 0;
	for (int i = 0; i < 1000; i++) {
		unsigned long x = rng_get(a);
		same_ab += x == rng_get(b);
		same_ac += x == rng_get(c);
	}
	/* Independent 32-bit outputs agree by chance with probability 2^-32 each. */
	assert_true(same_ab <= 1);
	assert_true(same_ac <= 1);
	rng_free(a);
	rng_free(b);
	rng_free(c);
}

/* Common random numbers: the draws for stage a are the same whether a
 * generator for stage b was created and used in between or not. */
static void purposes_do_not_disturb_each_other(void **state)
{
	(void)state;
	enum { N = 5000 };
	static double alone[N];
	struct rng *a = rng_new(7, 2, "stage.a.service");
	for (int i = 0; i < N; i++)
		alone[i] = rng_exponential(a, 3.0);
	rng_free(a);

	struct rng *b0 = rng_new(7, 2, "stage.b.service");
	for (int i = 0; i < 100; i++)
		(void)rng_uniform(b0);
	a = rng_new(7, 2, "stage.a.service");
	struct rng *b = rng_new(7, 2, "stage.b.service");
	for (int i = 0; i < N; i++) {
		for (int k = 0; k < i % 3; k++)
			(void)rng_gamma(b, 2.0, 1.5);
		assert_true(rng_exponential(a, 3.0) == alone[i]);
		(void)rng_get(b0);
	}
	rng_free(a);
	rng_free(b);
	rng_free(b0);
}

/* Streams of neighbouring replications and of two purposes are uncorrelated:
 * sample correlation within 4/sqrt(n) of 0. */
static void streams_uncorrelated(void **state)
{
	(void)state;
	enum { N = 200000 };
	const struct {
		unsigned rep1, rep2;
		const char *p1, *p2;
	} pair[] = {
		{ 0, 1, "stage.a.service", "stage.a.service" },
		{ 5, 5, "stage.a.service", "stage.b.service" },
	};
	for (size_t k = 0; k < sizeof pair / sizeof pair[0]; k++) {
		struct rng *x = rng_new(99, pair[k].rep1, pair[k].p1);
		struct rng *y = rng_new(99, pair[k].rep2, pair[k].p2);
		double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
		for (int i = 0; i < N; i++) {
			double u = rng_uniform(x), v = rng_uniform(y);
			sx += u;
			sy += v;
			sxy += u * v;
			sxx += u * u;
			syy += v * v;
		}
		double cov = sxy / N - (sx / N) * (sy / N);
		double r = cov / sqrt((sxx / N - (sx / N) * (sx / N)) * (syy / N - (sy / N) * (sy / N)));
		assert_near(r, 0.0, 4 / sqrt((double)N));
		rng_free(x);
		rng_free(y);
	}
}

/* U(0,1): mean 1/2, variance 1/12, fourth central moment 1/80. */
static void uniform_moments(void **state)
{
	(void)state;
	enum { N = 1000000 };
	struct rng *r = rng_new(1, 0, "test.uniform");
	struct moments m = { 0, 0, 0 };
	double lo = 1, hi = 0;
	for (int i = 0; i < N; i++) {
		double u = rng_uniform(r);
		assert_true(u >= 0 && u < 1);
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
		moments_add(&m, u);
	}
	assert_near(m.mean, 0.5, 4 * sqrt(1.0 / 12 / N));
	assert_near(moments_var(&m), 1.0 / 12, 4 * var_se(1.0 / 12, 1.0 / 80, N));
	/* The extremes of 1e6 uniforms lie within 2e-5 of the ends unless an
	 * event of probability 2 (1 - 2e-5)^1e6 = 4e-9 happened. */
	assert_true(lo < 2e-5);
	assert_true(hi > 1 - 2e-5);
	rng_free(r);
}

static void uniform_pos_open_interval(void **state)
{
	(void)state;
	enum { N = 1000000 };
	struct rng *r = rng_new(2, 0, "test.uniform_pos");
	struct moments m = { 0, 0, 0 };
	for (int i = 0; i < N; i++) {
		double u = rng_uniform_pos(r);
		assert_true(u > 0 && u < 1);
		moments_add(&m, u);
	}
	assert_near(m.mean, 0.5, 4 * sqrt(1.0 / 12 / N));
	rng_free(r);
}

/* Exp(mean m): variance m^2, fourth central moment 9 m^4, P(X <= x) = 1 - e^(-x/m).
 * The CDF points cover the body, and the tail from 7.5 means on (a ziggurat's
 * tail beyond its last layer, R = 7.697, takes a separate path); they would
 * catch a wrong sign, a u that can be 0 (an infinity) or a wrong scale. */
static void exponential_moments_and_cdf(void **state)
{
	(void)state;
	enum { N = 1000000 };
	const double mean = 2.5;
	struct rng *r = rng_new(3, 0, "test.exponential");
	struct moments m = { 0, 0, 0 };
	const double x[] = { 0.01, 0.1, 0.5, 1.0, 2.0, 3.0, 5.0, 7.5, 10.0 };   /* in means */
	enum { NX = sizeof x / sizeof x[0] };
	double below[NX] = { 0 };
	for (int i = 0; i < N; i++) {
		double v = rng_exponential(r, mean);
		assert_true(v > 0 && isfinite(v));
		moments_add(&m, v);
		for (int k = 0; k < NX; k++)
			below[k] += v <= x[k] * mean;
	}
	double var = mean * mean;
	assert_near(m.mean, mean, 4 * sqrt(var / N));
	assert_near(moments_var(&m), var, 4 * var_se(var, 9 * var * var, N));
	for (int k = 0; k < NX; k++) {
		double p = 1 - exp(-x[k]);
		/* For x = 10, 1 - p = 4.5e-5: about 45 expected above, a Poisson count
		 * for which 4 se (27 counts) is still a fair two-sided bound. */
		assert_near(below[k] / N, p, 4 * sqrt(p * (1 - p) / N));
	}
	rng_free(r);
}

/* Chi-square over K = 100 bins equiprobable under the distribution: with n
 * draws, sum (O - n/K)^2 / (n/K) is chi-square with K - 1 = 99 degrees of
 * freedom. Its upper 1e-4 point is 160.06 (gsl_cdf_chisq_Qinv(1e-4, 99);
 * Wilson and Hilferty's k (1 - 2/(9k) + z sqrt(2/(9k)))^3, z = 3.719, gives
 * 160.2). With n = 1e6
 * (10,000 a bin, sd 100) a density wrong by 5% over one bin alone adds about
 * 25 to the statistic; over a few bins (a ziggurat layer or wedge) it fails. */
enum { CHI_K = 100 };
#define CHI_LIMIT 160.06

static double chi_square(const double *count, double n)
{
	double e = n / CHI_K, chi = 0;
	for (int b = 0; b < CHI_K; b++)
		chi += (count[b] - e) * (count[b] - e) / e;
	return chi;
}

static void uniform_chi_square(void **state)
{
	(void)state;
	enum { N = 1000000 };
	static double count[CHI_K];
	struct rng *r = rng_new(4, 0, "test.uniform_chi");
	for (int i = 0; i < N; i++)
		count[(int)(rng_uniform(r) * CHI_K)]++;
	double chi = chi_square(count, N);
	if (!(chi <= CHI_LIMIT))
		print_error("uniform: chi-square %.1f over %d bins\n", chi, CHI_K);
	assert_true(chi <= CHI_LIMIT);
	rng_free(r);
}

/* Bin of an Exp(m) draw x: floor(K F(x)), F(x) = 1 - e^(-x/m). */
static void exponential_chi_square(void **state)
{
	(void)state;
	enum { N = 1000000 };
	static double count[CHI_K];
	const double mean = 0.7;
	struct rng *r = rng_new(5, 0, "test.exponential_chi");
	for (int i = 0; i < N; i++) {
		double x = rng_exponential(r, mean);
		int b = (int)(-expm1(-x / mean) * CHI_K);
		count[b < CHI_K ? b : CHI_K - 1]++;
	}
	double chi = chi_square(count, N);
	if (!(chi <= CHI_LIMIT))
		print_error("exponential: chi-square %.1f over %d bins\n", chi, CHI_K);
	assert_true(chi <= CHI_LIMIT);
	rng_free(r);
}

/* The generator is GSL's taus2 bit for bit: the same 32-bit seed (the
 * purpose seed folded as rng_new does) gives the same raw outputs, the same
 * uniforms, and through GSL's own ziggurat the same normals. */
static void same_outputs_as_gsl_taus2(void **state)
{
	(void)state;
	gsl_rng *ref = gsl_rng_alloc(gsl_rng_taus2);
	const char *purpose[] = { "stream.car.arrivals", "stage.primary.service", "x" };
	for (unsigned p = 0; p < 3; p++) {
		for (unsigned rep = 1; rep <= 3; rep++) {
			uint64_t s = rng_seed_for(42 + p, rep, purpose[p]);
			gsl_rng_set(ref, (unsigned long)((s ^ (s >> 32)) & 0xffffffffUL));
			struct rng *r = rng_new(42 + p, rep, purpose[p]);
			for (int i = 0; i < 200000; i++)
				assert_int_equal(rng_get(r), gsl_rng_get(ref));
			for (int i = 0; i < 200000; i++)
				assert_true(rng_uniform(r) == gsl_rng_uniform(ref));
			for (int i = 0; i < 100000; i++)
				assert_true(rng_lognormal(r, 0.5, 0.25) ==
				            exp(0.5 + 0.25 * gsl_ran_gaussian_ziggurat(ref, 1.0)));
			rng_free(r);
		}
	}
	gsl_rng_free(ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reference_hashes_match_published_vectors),
		cmocka_unit_test(same_outputs_as_gsl_taus2),
		cmocka_unit_test(seed_for_is_the_documented_hash),
		cmocka_unit_test(seed_for_deterministic_and_distinct),
		cmocka_unit_test(same_purpose_same_sequence),
		cmocka_unit_test(different_purpose_different_sequence),
		cmocka_unit_test(purposes_do_not_disturb_each_other),
		cmocka_unit_test(streams_uncorrelated),
		cmocka_unit_test(uniform_moments),
		cmocka_unit_test(uniform_pos_open_interval),
		cmocka_unit_test(exponential_moments_and_cdf),
		cmocka_unit_test(uniform_chi_square),
		cmocka_unit_test(exponential_chi_square),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
