/* rng: one GSL generator per random purpose, seeded by a mixing hash.
 *
 * The generator is taus2 (L'Ecuyer's maximally equidistributed combined
 * Tausworthe, period 2^88): of GSL's simulation-quality generators it is among
 * the fastest and its state is 24 bytes, against MT19937's 2.5 KB, which
 * matters when a national model has hundreds of purposes. It is registered
 * with GSL as a generator type of ours (below), identical to gsl_rng_taus2 in
 * seeding and output, so that GSL's distributions draw from it through GSL's
 * interface while rng.h's uniform draws step it inline: two indirect calls
 * a draw were a tenth of a national day's run time. GSL seeds it from
 * 32 bits, so the 64-bit purpose seed is folded to 32; two purposes of one
 * replication share a seed with probability about k^2 / 2^33 for k purposes
 * (1e-6 for a hundred), and a shared seed would correlate two purposes, not
 * break either. */
#include "rng.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "util.h"

/* taus2 as a GSL generator type whose state is struct rng_taus: seeding as
 * GSL's taus2_set, drawing as its taus_get, so the outputs are the same. */
static void taus2_set(void *vstate, unsigned long s)
{
	struct rng_taus *t = vstate;
	if (s == 0)
		s = 1;
	t->s1 = (69069 * s) & 0xffffffffUL;
	if (t->s1 < 2)
		t->s1 += 2;
	t->s2 = (69069 * t->s1) & 0xffffffffUL;
	if (t->s2 < 8)
		t->s2 += 8;
	t->s3 = (69069 * t->s2) & 0xffffffffUL;
	if (t->s3 < 16)
		t->s3 += 16;
	for (int i = 0; i < 6; i++)             /* GSL's warm-up */
		rng_taus_step(t);
}

static unsigned long taus2_get(void *vstate) { return rng_taus_step(vstate); }
static double taus2_get_double(void *vstate) { return (double)rng_taus_step(vstate) / 4294967296.0; }

static const gsl_rng_type taus2_type = {
	"taus2", 0xffffffffUL, 0, sizeof(struct rng_taus), taus2_set, taus2_get, taus2_get_double,
};

#define GSL(r) ((gsl_rng *)(r)->g)

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
	uint64_t hi = rng_taus_step(r->t);
	return hi << 32 | rng_taus_step(r->t);
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
			return ZIG_R - log(rng_uniform_pos(r));
		if (zig.f[i] + rng_uniform(r) * (zig.f[i - 1] - zig.f[i]) < exp(-x))
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
	gsl_rng *g = gsl_rng_alloc(&taus2_type);
	if (!g)
		util_out_of_memory();
	r->g = g;
	r->t = g->state;
	uint64_t s = rng_seed_for(seed, replication, purpose);
	gsl_rng_set(g, (unsigned long)((s ^ (s >> 32)) & 0xffffffffUL));
	return r;
}

void rng_free(struct rng *r)
{
	if (!r)
		return;
	gsl_rng_free(GSL(r));
	free(r);
}

double rng_uniform_pos(struct rng *r)
{
	double u;
	do
		u = rng_uniform(r);
	while (u == 0);
	return u;
}
double rng_exponential(struct rng *r, double mean)
{
	return mean * zig_exp(r);
}

double rng_gamma(struct rng *r, double shape, double scale) { return gsl_ran_gamma(GSL(r), shape, scale); }
/* gsl_ran_lognormal draws its normal by the polar Box-Muller method (a
 * logarithm, a square root and a rejection loop); GSL's own ziggurat normal
 * is several times faster, and lognormal service times are most of a national
 * day's draws. */
double rng_lognormal(struct rng *r, double zeta, double sigma)
{
	return exp(zeta + sigma * gsl_ran_gaussian_ziggurat(GSL(r), 1.0));
}
double rng_flat(struct rng *r, double a, double b) { return gsl_ran_flat(GSL(r), a, b); }
unsigned long rng_get(struct rng *r) { return rng_taus_step(r->t); }
