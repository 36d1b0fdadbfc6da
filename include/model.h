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
#include "keys.h"
#include "route.h"

struct scenario;
struct scenario_fault;

#define MODEL_HOURS 24
/* The most stages, and the most streams, a model may have: the engine keeps
 * an entity's stage and stream in 16 bits, to fit it in one cache line. */
#define MODEL_MAX_NODES 65535
#define MODEL_UNLIMITED (-1)

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
	/* Groups (stream.NAME.batch, batch_spread): when batched, arrivals come
	 * in groups of batch[i] members with cumulative share bcum[i], or of a
	 * draw of batch_dist rounded to a whole number >= 1 when nbatch is 0;
	 * groups arrive at per_day / batch_mean a day; each member reaches the
	 * route a draw of spread after its group (spread_zero: at once). */
	int batched;
	size_t nbatch;
	int *batch;
	double *bcum;
	double batch_mean;
	struct dist batch_dist;
	struct dist spread;
	int spread_zero;
	enum model_counts counts;
	int measure;                    /* MEASURE_*: which port figure it counts in */
	int port;                       /* index into the ports; -1 when none */
	double value;                   /* USD an arrival */
	char *group;                    /* NULL when none */
	size_t nsurge;
	struct model_surge *surge;
};

/* Which of its port's figures a stream's completed arrivals count in. */
enum model_measure {
	MEASURE_NONE,
	MEASURE_VEHICLES,
	MEASURE_PEDESTRIANS,
	MEASURE_BUS_PASSENGERS,
	MEASURE_TRUCKS,
};

/* A port: the stages and streams named PORT/NAME, and the port groups it is
 * in (indices into the model's port groups). */
struct model_port {
	char *name;
	size_t ngroup;
	int *group;
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
	int port;                       /* index into the ports; -1 when none */
	int auto_servers;               /* servers = auto: square-root staffing */
	double beta;                    /* its safety factor */
	long max_servers;               /* MODEL_UNLIMITED when none */
	long min_servers;
	/* Diversion (divert): while closed, or while more than divert_above
	 * wait, an arrival joins stream divert_to[k] with chance divert_p[k]
	 * (cumulative in divert_cum), a draw of divert_delay later. */
	size_t ndivert;
	int *divert_to;
	double *divert_cum;
	long divert_above;
	struct dist divert_delay;
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
	size_t nport, npgroup;
	struct model_port *port;        /* in order of their [port.NAME] sections */
	char **pgroup;                  /* port group names, in order of first mention */
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

/* Marks (mark[i] = 1, nstage values) the stages that section of sc names by
 * its rows list_id (stages), group_id (groups) and the ports and port_groups
 * rows that follow group_id in the key table, as a closure or staffing
 * section's are read (a target section's, for bordersim staff). Returns 0, or
 * EX_DATAERR with the message at the value (an unknown stage, group or port,
 * the nearest suggested; none given). */
int model_section_stages(struct model *m, const struct scenario *sc, enum keys_id list_id,
                         enum keys_id group_id, const char *section, int *mark, char *err,
                         size_t errlen);

/* route_parse of text into r, resolving names against the stages of m (by
 * m->stage_by_name when m has it). Exposed for tests. */
int model_parse_route(struct route *r, const char *text, const struct model *m,
                      char *err, size_t errlen);

#endif
