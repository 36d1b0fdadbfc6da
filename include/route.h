/* route: where an entity goes after a stage, or where a stream's arrivals go
 * first — destinations and their cumulative probabilities, parsed from text
 * such as "secondary:0.2, agriculture:0.1, exit".
 *
 * A route owns its two arrays (route_release). route knows no model: the
 * stage names a route may use come from a route_names, so that the model
 * resolves names by its own index. */
#ifndef BORDERSIM_ROUTE_H
#define BORDERSIM_ROUTE_H

#include <stddef.h>

#define ROUTE_EXIT (-1)
/* How far the probabilities of a route may sum from 1. */
#define ROUTE_TOL 1e-9

/* Where an entity goes: dest[i] with probability cum[i] - cum[i-1]; cum[n-1]
 * is exactly 1. dest is a stage index or ROUTE_EXIT. */
struct route {
	size_t n;
	int *dest;
	double *cum;
};

/* The stages a route may name: find(ctx, name) gives the stage's index, or
 * -1 when there is none; name(ctx, i) gives stage i's name (i < n), to
 * suggest the nearest on an unknown name. */
struct route_names {
	size_t n;
	long (*find)(const void *ctx, const char *name);
	const char *(*name)(const void *ctx, size_t i);
	const void *ctx;
};

/* Parses a routing list ("exit", "secondary", "secondary:0.2,ag:0.1,exit")
 * into r, resolving names by names. Items are "stage" or "stage:p" with p in
 * [0, 1]; at most one item goes without p and takes the remainder, which must
 * be >= 0; otherwise the p sum to 1 (within ROUTE_TOL); a destination may
 * appear once. Returns 0 (r then owns its arrays: route_release), or -1 with
 * a message without file:line in err (of errlen bytes) and r empty. */
int route_parse(struct route *r, const char *text, const struct route_names *names,
                char *err, size_t errlen);
/* Frees r's arrays and empties it. */
void route_release(struct route *r);

/* The probability of r's k-th destination. */
static inline double route_p(const struct route *r, size_t k)
{
	return r->cum[k] - (k ? r->cum[k - 1] : 0);
}

#endif
