/* engine_rt: the run-time state of one replication, private to engine.c and
 * collect.c. The engine (engine.c) runs events over these structs; collect
 * (collect.c) turns them into results rows once an hour and once a run. No
 * other file includes this header: the layout of the hot path's state may
 * change with the engine. An entity (struct entity) is the engine's alone. */
#ifndef BORDERSIM_ENGINE_RT_H
#define BORDERSIM_ENGINE_RT_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "histo.h"
#include "model.h"
#include "results.h"
#include "rng.h"

#define NPRIO 10

enum {
	F_FLUSH = 1 << 0,        /* a checkpoint flush rule */
	F_CUSTODY = 1 << 1,      /* custody: population and time held */
	F_FINDS = 1 << 2,        /* some find is made here */
	F_UNLIMITED = 1 << 3,    /* an infinite-server delay */
	F_DIVERT = 1 << 4,       /* arrivals may turn away to other ports */
};

struct interval {            /* one stage between two boundaries */
	double start;
	double q_area, busy_area, duty_area, over_area;
	double sched_area, t_sched;
	long arrivals, served, blocked, flushed, q_max, pop_max;
	struct histo wait;
};

struct entity;
struct group_rt;

struct stage_rt {
	const struct model_stage *def;
	struct rng *svc, *route, *divert;   /* divert: NULL unless the stage diverts */
	unsigned flags;
	long target, on_duty, busy, nq;
	int closed;              /* closures in force */
	struct { struct entity *head, *tail; } q[NPRIO];
	unsigned mask;           /* bit p set when q[p] is not empty */
	double t_last;           /* integrals are up to date to here */
	struct interval cur;
	/* run totals, from the intervals inside the reporting window */
	double q_area, busy_area, duty_area, over_area;
	long arrivals, served, blocked, flushed, q_max, pop_max;
	long diverted;           /* turned away to other ports in the reported days */
	struct histo wait;
	size_t nfind;
	int *find;               /* indices of the finds made here */
};

struct stream_rt {
	const struct model_stream *def;
	struct rng *arr, *route, *persons, *risk;
	struct rng *batch, *spread;  /* groups only (def->batched), else NULL */
	double rate[MODEL_HOURS];   /* arrivals per minute, by clock hour */
	int flat;                   /* the same rate every hour */
	double edge, hour_rate;     /* the end of the clock hour last looked up, its rate */
	long arrivals, persons_in, completed, groups;
	struct histo tis;
};

struct find_rt {
	const struct model_find *def;
	struct rng *draw;
	long count;
	double amount;
};

struct national {            /* reset at the end of the warm-up */
	double travelers[4];     /* by enum model_counts: air, sea, land */
	double containers, apprehensions, value;
	struct histo traveler_wait[4];   /* by enum model_counts: air, sea, land (0 unused) */
	struct histo custody_time;
	long custody_over_72h;
	long custody_pop, custody_peak;
};

struct port_rt {             /* reset at the end of the warm-up */
	double travelers, vehicles, pedestrians, bus_passengers, trucks, containers;
	double diverted_out, diverted_in;   /* persons (or entities) turned away, to and from */
	struct histo traveler_wait, truck_wait;
};

struct engine {
	const struct model *m;
	double now, warm, end;
	int done, hour;
	int stats;               /* past the warm-up: statistics are kept */
	struct calendar cal;
	struct stage_rt *stage;
	struct stream_rt *stream;
	struct find_rt *find;
	struct national nat;
	struct port_rt *port;    /* one a model port */
	struct group_rt *groups; /* groups whose members are on their way (engine.c) */
	struct entity *free_list;
	struct entity **chunks;
	size_t nchunk;
	double live, max_live;   /* entities present, and the model's limit */
	int overflow;            /* the limit was passed: the run ends */
	struct results *out;
	uint64_t events, visits;
};

#endif
