/* dist: service-time distributions — parsed from text, drawn through rng.
 *
 *   exponential(mean)        fixed(value)         uniform(a, b)
 *   triangular(a, mode, b)   lognormal(mean, cv)  gamma(mean, cv)
 *   erlang(k, mean)
 *
 * Parameters are positional or named (`lognormal(mean=90s, cv=0.6)`); times
 * carry units and are held in minutes; cv and k are plain numbers. Times are
 * at most 1e12 minutes, cv from 1e-6 to 100, k from 1 to 1e6: within those
 * bounds every draw, mean and variance is finite. */
#ifndef BORDERSIM_DIST_H
#define BORDERSIM_DIST_H

#include <stddef.h>

struct rng;

enum dist_kind {
	DIST_FIXED,
	DIST_EXPONENTIAL,
	DIST_UNIFORM,
	DIST_TRIANGULAR,
	DIST_LOGNORMAL,
	DIST_GAMMA,
	DIST_ERLANG,
};

struct dist {
	enum dist_kind kind;
	double p[3];     /* parameters as written, times in minutes */
	double q[2];     /* derived: lognormal zeta, sigma; gamma/erlang shape, scale */
	double mean;     /* theoretical mean, minutes */
	double var;      /* theoretical variance, minutes^2 */
};

/* Parses text such as "gamma(mean=2min, cv=0.5)". Returns 0, or -1 with a
 * message in err naming the problem (unknown distribution with the known ones
 * listed, missing unit, bad parameter, ...). */
int dist_parse(struct dist *d, const char *text, char *err, size_t errlen);
/* The same for a quantity (amounts of finds): the parameters that are times
 * for service distributions are plain numbers from 0 to 1e12 here, without
 * units. */
int dist_parse_quantity(struct dist *d, const char *text, char *err, size_t errlen);
/* One draw, in minutes (or in the quantity's unit): finite and >= 0. */
double dist_draw(const struct dist *d, struct rng *r);
/* P(X >= x) of a draw X of d: exact, from the closed forms of each kind. */
double dist_at_least(const struct dist *d, double x);

#endif
