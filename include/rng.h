/* rng: the random-number generators of a replication, and the draws from them.
 *
 * This is the only module that includes GSL's generator and distribution
 * headers. The generator is L'Ecuyer's taus2, as a GSL generator type of this
 * module's own whose state is declared here, so that a uniform draw — the
 * commonest draw of all — is a few inline shifts instead of two calls through
 * GSL's function pointers; its outputs are GSL's gsl_rng_taus2's, bit for bit,
 * from the same seed (tests/test_rng.c compares them). Each random purpose (a stream's arrivals, a stage's service, a
 * stage's routing, ...) has its own generator, seeded from (scenario seed,
 * replication, purpose name) through rng_seed_for, so that changing one purpose
 * leaves the draws of every other unchanged: common random numbers. */
#ifndef BORDERSIM_RNG_H
#define BORDERSIM_RNG_H

#include <stdint.h>

/* taus2's state: three 32-bit components held in unsigned long, as GSL's. */
struct rng_taus {
	unsigned long s1, s2, s3;
};

struct rng {
	struct rng_taus *t;   /* the state inside g */
	void *g;              /* the gsl_rng */
};

/* One step of taus2 (GSL's taus_get): 32 random bits. */
static inline unsigned long rng_taus_step(struct rng_taus *t)
{
#define RNG_TAUS(s, a, b, c, d) \
	((((s) & (c)) << (d)) & 0xffffffffUL) ^ (((((s) << (a)) & 0xffffffffUL) ^ (s)) >> (b))
	t->s1 = RNG_TAUS(t->s1, 13, 19, 4294967294UL, 12);
	t->s2 = RNG_TAUS(t->s2, 2, 25, 4294967288UL, 4);
	t->s3 = RNG_TAUS(t->s3, 3, 11, 4294967280UL, 17);
#undef RNG_TAUS
	return t->s1 ^ t->s2 ^ t->s3;
}

/* The seed of a purpose: SplitMix64 finalisers over the scenario seed, the
 * replication number and a 64-bit FNV-1a hash of the purpose name. */
uint64_t rng_seed_for(uint64_t seed, unsigned replication, const char *purpose);

/* A new generator for that purpose; free with rng_free. */
struct rng *rng_new(uint64_t seed, unsigned replication, const char *purpose);
void rng_free(struct rng *r);

/* [0, 1), a multiple of 2^-32: gsl_rng_uniform's value. */
static inline double rng_uniform(struct rng *r)
{
	return (double)rng_taus_step(r->t) / 4294967296.0;
}
double rng_uniform_pos(struct rng *r);  /* (0, 1) */
double rng_exponential(struct rng *r, double mean);
double rng_gamma(struct rng *r, double shape, double scale);
double rng_lognormal(struct rng *r, double zeta, double sigma);
double rng_flat(struct rng *r, double a, double b);
unsigned long rng_get(struct rng *r);   /* raw output, for tests */

#endif
