/* rng: one GSL generator per random purpose, seeded by a mixing hash.
 *
 * The generator is GSL's MT19937. GSL seeds it from 32 bits, so the 64-bit
 * purpose seed is folded to 32; two purposes of one replication share a seed
 * with probability about k^2 / 2^33 for k purposes (1e-6 for a hundred), and a
 * shared seed would only correlate two purposes, not break either. */
#include "rng.h"

/* GSL's inline versions of gsl_rng_uniform and friends, one call fewer a draw. */
#define HAVE_INLINE 1
#define HAVE_C99_INLINE 1
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
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

uint64_t rng_seed_for(uint64_t seed, unsigned replication, const char *purpose)
{
	uint64_t h = splitmix64(seed);
	h = splitmix64(h ^ (uint64_t)replication);
	return splitmix64(h ^ fnv1a64(purpose));
}

struct rng *rng_new(uint64_t seed, unsigned replication, const char *purpose)
{
	struct rng *r = xmalloc(sizeof *r);
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
/* GSL's gsl_ran_exponential computes -mean * log1p(-u); log1p is a third of the
 * time of a whole M/M/c replication. -mean * log(u) over u in (0,1) has the
 * same distribution and glibc's log is several times faster. */
double rng_exponential(struct rng *r, double mean)
{
	return -mean * log(gsl_rng_uniform_pos(r->g));
}
double rng_gamma(struct rng *r, double shape, double scale) { return gsl_ran_gamma(r->g, shape, scale); }
double rng_lognormal(struct rng *r, double zeta, double sigma) { return gsl_ran_lognormal(r->g, zeta, sigma); }
double rng_flat(struct rng *r, double a, double b) { return gsl_ran_flat(r->g, a, b); }
unsigned long rng_get(struct rng *r) { return gsl_rng_get(r->g); }
