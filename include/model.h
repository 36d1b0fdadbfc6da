/* model: a scenario's key/values compiled and validated into streams and stages.
 *
 * Everything the engine needs, in plain arrays, with names resolved to indices
 * and defaults applied. A model is read-only once compiled, so replications on
 * several threads share one. */
#ifndef BORDERSIM_MODEL_H
#define BORDERSIM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "dist.h"

struct scenario;
struct scenario_fault;

#define MODEL_HOURS 24
/* The most stages, and the most streams, a model may have: the engine keeps
 * an entity's stage and stream in 16 bits, to fit it in one cache line. */
#define MODEL_MAX_NODES 65535
#define ROUTE_EXIT (-1)
#define MODEL_UNLIMITED (-1)

/* Where an entity goes: dest[i] with probability cum[i] - cum[i-1]; cum[n-1]
 * is exactly 1. dest is a stage index or ROUTE_EXIT. */
struct route {
	size_t n;
	int *dest;
	double *cum;
};

/* What a stream adds to in the national figures. */
enum model_counts {
	COUNTS_NONE,
	COUNTS_TRAVELERS_AIR,
	COUNTS_TRAVELERS_SEA,
	COUNTS_TRAVELERS_LAND,
	COUNTS_CONTAINERS,
	COUNTS_APPREHENSIONS,
};

/* A surge: the arrival rate times a multiplier that rises linearly from 1 to
 * factor over [t0, t1], stays there to t2 and falls back to 1 by t3 (minutes
 * from the start of the simulation, warm-up included). */
struct model_surge {
	double factor, t0, t1, t2, t3;
};

/* A closure of a stage: no server on duty in [start, end) (minutes from the
 * start of the simulation). */
struct model_closure {
	double start, end;
};

struct model_stream {
	char *name;
	double per_day;                 /* expected arrivals a day */
	double weight[MODEL_HOURS];     /* profile normalised to sum 1 */
	int priority;                   /* higher is served first */
	struct route route;             /* first stage */
	/* persons an arrival carries: persons[i] with cumulative share pcum[i] */
	size_t npersons;
	int *persons;
	double *pcum;
	double persons_mean;
	enum model_counts counts;
	double value;                   /* USD an arrival */
	char *group;                    /* NULL when none */
	size_t nsurge;
	struct model_surge *surge;
};

enum model_stage_kind {
	STAGE_INSPECTION,
	STAGE_NII,
	STAGE_AGRICULTURE,
	STAGE_CUSTODY,
	STAGE_CHECKPOINT,
};

struct model_stage {
	char *name;
	int servers[MODEL_HOURS];       /* on duty by clock hour */
	int unlimited;                  /* an infinite-server delay */
	long capacity;                  /* most that may wait; MODEL_UNLIMITED */
	struct dist service;
	struct route next;
	enum model_stage_kind kind;
	long flush_above;               /* MODEL_UNLIMITED when no flush rule */
	long rated_capacity;            /* custody; MODEL_UNLIMITED when none */
	double targeting;               /* share of routing decisions made by risk */
	char *group;                    /* NULL when none */
	size_t nclosure;
	struct model_closure *closure;
};

/* A find: at each service completion at one of its stages, an arrival of risk
 * u carries it with probability min(1, probability (k+1) u^k), k the
 * concentration; its amount is drawn from amount. */
struct model_find {
	char *name;
	size_t nstage;
	int *stage;                     /* stage indices */
	double probability, concentration;
	struct dist amount;
	char *unit;
	enum { FIND_NONE, FIND_DRUGS, FIND_PESTS } counts;
};

/* A period charts shade — a surge or a closure — in minutes from the start of
 * the reported days (negative when it began in the warm-up). */
struct model_window {
	double start, end;
	char *label;                    /* "surge migrant_wave", "closure hurricane" */
};


struct model {
	char *name;
	double days, warmup_days;
	double max_events;              /* budget for a run, all replications */
	double max_entities;            /* most entities present at once in the whole run
	                                   (all replications running); 0: no limit */
	unsigned at_once;               /* replications that run at once and share
	                                   max_entities, set by the caller; 0 or 1: one */
	double est_events;              /* the compiler's estimate for a run */
	unsigned replications;
	uint64_t seed;
	size_t nstream, nstage;
	struct model_stream *stream;
	struct model_stage *stage;
	const struct model_stage **stage_by_name;   /* owned; the stages sorted by
	                                               name, for lookups; NULL: none */
	size_t nwindow;
	struct model_window *window;
	size_t nfind;
	struct model_find *find;
	int uses_risk;                  /* some targeting or concentrated find */
	int national;                   /* report the national figures */
};

/* Compiles sc into m. Returns 0 or EX_DATAERR with a message naming
 * origin:line and the key (e.g. "x.ini:12: stage.primary.next: unknown stage
 * 'secondry'"). m needs model_release either way. */
int model_compile(struct model *m, const struct scenario *sc, char *err, size_t errlen);
/* model_compile, and on failure *fault filled: the entry whose place opens
 * the message (NULL for a default or the scenario as a whole). */
int model_compile_fault(struct model *m, const struct scenario *sc, struct scenario_fault *fault,
                        char *err, size_t errlen);
void model_release(struct model *m);

/* Expected visits to each stage a day into v (nstage values): the traffic
 * equations v = a + v P, a the streams' arrivals a day (surges at their
 * height), P the routing probabilities. Solved exactly, in time linear in
 * stages and routes: stages in route order, each routing loop at once by LU
 * decomposition, a loop of more than 1,500 stages by pushing visits round it
 * until what is unsettled is below 1e-13 of what flows in. Stages that nothing reaches get 0.
 * Solving may stop once the visits a day pass cap. Returns 0; 1 when they
 * passed cap (v then holds lower bounds); -1 when the visits of a loop cannot
 * be computed (it is closed, or too nearly so), naming one of its stages in
 * *stage. */
int model_visits(const struct model *m, double cap, double *v, size_t *stage);

/* Parses a routing list ("exit", "secondary", "secondary:0.2,ag:0.1,exit") into
 * r, resolving names against the stages of m. Exposed for tests. Items are
 * "stage" or "stage:p" with p in [0, 1]; at most one item goes without p and
 * takes the remainder, which must be >= 0; otherwise the p sum to 1 (within
 * 1e-9); a destination may appear once. Returns 0 (r then owns its arrays:
 * route_release), or -1 with a message without file:line in err and r empty. */
int model_parse_route(struct route *r, const char *text, const struct model *m,
                      char *err, size_t errlen);
void route_release(struct route *r);

#endif
