/* rng: one GSL generator per random purpose, seeded by a mixing hash.
 *
 * The generator is GSL's taus2 (L'Ecuyer's maximally equidistributed combined
 * Tausworthe, period 2^88): of GSL's simulation-quality generators it is among
 * the fastest and its state is 24 bytes, against MT19937's 2.5 KB, which
 * matters when a national model has hundreds of purposes. GSL seeds it from
 * 32 bits, so the 64-bit purpose seed is folded to 32; two purposes of one
 * replication share a seed with probability about k^2 / 2^33 for k purposes
 * (1e-6 for a hundred), and a shared seed would correlate two purposes, not
 * break either. */
#include "rng.h"

/* GSL's inline versions of gsl_rng_uniform and friends, one call fewer a draw. */
#define HAVE_INLINE 1
#define HAVE_C99_INLINE 1
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "util.h"

struct rng {
	gsl_rng *g;
};

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t fnv1a64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Exponential draws by Marsaglia and Tsang's ziggurat (J. Stat. Soft. 5(8),
 * 2000), 256 layers. GSL offers only the inversion -mean * log1p(-u), and the
 * logarithm was a fifth of the time of a whole M/M/c replication; the
 * ziggurat needs no logarithm 98.9% of the time. The layer index takes the low
 * 8 bits of a 64-bit draw and the abscissa the top 53, so they are
 * independent (the 32-bit original reused bits for both). The tables are
 * computed once for the process and only read after. */
#define ZIG_N 256
#define ZIG_R 7.69711747013104972
#define ZIG_V 3.949659822581572e-3
#define ZIG_M 9007199254740992.0          /* 2^53 */

static struct {
	uint64_t k[ZIG_N];
	double w[ZIG_N], f[ZIG_N];
} zig;
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

static void zig_init(void)
{
	double de = ZIG_R, te = ZIG_R;
	double q = ZIG_V / exp(-de);
	zig.k[0] = (uint64_t)((de / q) * ZIG_M);
	zig.k[1] = 0;
	zig.w[0] = q / ZIG_M;
	zig.w[ZIG_N - 1] = de / ZIG_M;
	zig.f[0] = 1.0;
	zig.f[ZIG_N - 1] = exp(-de);
	for (int i = ZIG_N - 2; i >= 1; i--) {
		de = -log(ZIG_V / de + exp(-de));
		zig.k[i + 1] = (uint64_t)((de / te) * ZIG_M);
		te = de;
		zig.f[i] = exp(-de);
		zig.w[i] = de / ZIG_M;
	}
}

static inline uint64_t draw64(struct rng *r)
{
	uint64_t hi = gsl_rng_get(r->g), lo = gsl_rng_get(r->g);
	return hi << 32 | lo;
}

/* A standard exponential draw. */
static double zig_exp(struct rng *r)
{
	for (;;) {
		uint64_t u = draw64(r);
		unsigned i = (unsigned)(u & (ZIG_N - 1));
		uint64_t j = u >> 11;
		double x = (double)j * zig.w[i];
		if (j < zig.k[i])
			return x;                       /* inside the layer's rectangle */
		if (i == 0)                             /* the tail beyond R */
			return ZIG_R - log(gsl_rng_uniform_pos(r->g));
		if (zig.f[i] + gsl_rng_uniform(r->g) * (zig.f[i - 1] - zig.f[i]) < exp(-x))
			return x;                       /* under the curve in the wedge */
	}
}

uint64_t rng_seed_for(uint64_t seed, unsigned replication, const char *purpose)
{
	uint64_t h = splitmix64(seed);
	h = splitmix64(h ^ (uint64_t)replication);
	return splitmix64(h ^ fnv1a64(purpose));
}

struct rng *rng_new(uint64_t seed, unsigned replication, const char *purpose)
{
	struct rng *r = xmalloc(sizeof *r);
	pthread_once(&zig_once, zig_init);
	r->g = gsl_rng_alloc(gsl_rng_taus2);
	if (!r->g)
		util_out_of_memory();
	uint64_t s = rng_seed_for(seed, replication, purpose);
	gsl_rng_set(r->g, (unsigned long)((s ^ (s >> 32)) & 0xffffffffUL));
	return r;
}

void rng_free(struct rng *r)
{
	if (!r)
		return;
	gsl_rng_free(r->g);
	free(r);
}

double rng_uniform(struct rng *r) { return gsl_rng_uniform(r->g); }
double rng_uniform_pos(struct rng *r) { return gsl_rng_uniform_pos(r->g); }
double rng_exponential(struct rng *r, double mean)
{
	return mean * zig_exp(r);
}

double rng_gamma(struct rng *r, double shape, double scale) { return gsl_ran_gamma(r->g, shape, scale); }
/* gsl_ran_lognormal draws its normal by the polar Box-Muller method (a
 * logarithm, a square root and a rejection loop); GSL's own ziggurat normal
 * is several times faster, and lognormal service times are most of a national
 * day's draws. */
double rng_lognormal(struct rng *r, double zeta, double sigma)
{
	return exp(zeta + sigma * gsl_ran_gaussian_ziggurat(r->g, 1.0));
}
double rng_flat(struct rng *r, double a, double b) { return gsl_ran_flat(r->g, a, b); }
unsigned long rng_get(struct rng *r) { return gsl_rng_get(r->g); }
