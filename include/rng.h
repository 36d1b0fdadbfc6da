/* rng: the random-number generators of a replication, and the draws from them.
 *
 * This is the only module that includes GSL's generator and distribution
 * headers. Each random purpose (a stream's arrivals, a stage's service, a
 * stage's routing, ...) has its own generator, seeded from (scenario seed,
 * replication, purpose name) through rng_seed_for, so that changing one purpose
 * leaves the draws of every other unchanged: common random numbers. */
#ifndef BORDERSIM_RNG_H
#define BORDERSIM_RNG_H

#include <stdint.h>

struct rng;

/* The seed of a purpose: SplitMix64 finalisers over the scenario seed, the
 * replication number and a 64-bit FNV-1a hash of the purpose name. */
uint64_t rng_seed_for(uint64_t seed, unsigned replication, const char *purpose);

/* A new generator for that purpose; free with rng_free. */
struct rng *rng_new(uint64_t seed, unsigned replication, const char *purpose);
void rng_free(struct rng *r);

double rng_uniform(struct rng *r);      /* [0, 1) */
double rng_uniform_pos(struct rng *r);  /* (0, 1) */
double rng_exponential(struct rng *r, double mean);
double rng_gamma(struct rng *r, double shape, double scale);
double rng_lognormal(struct rng *r, double zeta, double sigma);
double rng_flat(struct rng *r, double a, double b);
unsigned long rng_get(struct rng *r);   /* raw output, for tests */

#endif
