/* reps: replications of compiled models run on the pool (pool.h).
 *
 * A task is one replication of one model into its own results, in a group
 * (a sweep point; 0 for run and compare). Tasks run on threads in any order;
 * the progress line counts them (or whole groups) as they end, and a group's
 * end is called as its last task ends, so a sweep summarises and frees a
 * point's results while the other points run. The engine polls stop_signal
 * (stop.h). */
#ifndef BORDERSIM_REPS_H
#define BORDERSIM_REPS_H

#include <pthread.h>
#include <stddef.h>

struct model;
struct progress;
struct report_hourly;
struct results;

/* One replication of one model, into its own result; group is the sweep
 * point it belongs to (0 for run and compare). */
struct reps_task {
	const struct model *m;
	unsigned rep;
	struct results *out;
	size_t group;
};

/* Replications on the pool. The caller fills the first block; reps_run the
 * rest. Borrows the tasks, the progress and ctx. */
struct reps {
	const struct reps_task *task;
	size_t ntask, ngroup;
	void (*group_done)(void *ctx, size_t group);   /* NULL when none */
	void *ctx;
	struct progress *pr;
	int by_group;               /* progress counts groups, not tasks */
	struct report_hourly *hourly;   /* by task: hourly.csv rows formatted on the workers;
	                                   NULL: none */
	const unsigned char *hourly_keep;   /* the stages whose rows they format (by
	                                       stage; NULL: all) */

	pthread_mutex_t lock;       /* the counts below and the progress line */
	size_t done, groups_done;
	size_t *left;               /* tasks not yet done, by group */
};

/* Runs every task of p on up to threads threads, calling group_done (on some
 * thread, several at once for different groups) as each group's last task
 * ends. Returns 0, POOL_STOPPED on a signal, or the status of the failed
 * task of the lowest index with its message. */
int reps_run(struct reps *p, unsigned long threads, char *err, size_t errlen);

/* Results for n replications, initialised; reps_results_free frees them
 * (r may be NULL). */
struct results *reps_results_new(size_t n);
void reps_results_free(struct results *r, size_t n);

/* The replications that will run at once over the n models m of ntask tasks
 * on threads share each model's scenario.max_entities (engine.c). */
void reps_share_entities(struct model *m, size_t n, size_t ntask, unsigned long threads);

/* Tasks for replications 1..m->replications of m into res, in group g, at
 * t[*n] on. */
void reps_add(struct reps_task *t, size_t *n, const struct model *m, struct results *res,
              size_t g);

#endif
