/* reps: the replication tasks of run, sweep and compare on the pool.
 *
 * The counts and the progress line have a lock of their own, taken once
 * per replication (seconds long); a group's end runs outside it, so points
 * are summarised in parallel. */
#include "reps.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"
#include "model.h"
#include "pool.h"
#include "progress.h"
#include "report.h"
#include "results.h"
#include "stop.h"
#include "util.h"

/* A pool task: replication i, then its count, and its group's end (on this
 * thread, outside the lock) when it was the group's last. */
static int replication_task(void *ctx, size_t i, char *err, size_t errlen)
{
	struct reps *p = ctx;
	const struct reps_task *t = &p->task[i];
	snprintf(err, errlen, "replication %u failed", t->rep);
	int status = engine_run(t->m, t->rep, t->out, &stop_signal, err, errlen);
	if (status == 0 && p->hourly)
		report_render_hourly(t->m, t->out, p->hourly_keep, &p->hourly[i]);
	pthread_mutex_lock(&p->lock);
	int whole = status == 0 && --p->left[t->group] == 0;
	p->done++;
	p->groups_done += (size_t)whole;
	progress_draw(p->pr, p->by_group ? p->groups_done : p->done, p->done, p->ntask);
	pthread_mutex_unlock(&p->lock);
	if (whole && p->group_done)
		p->group_done(p->ctx, t->group);
	return status;
}

int reps_run(struct reps *p, unsigned long threads, char *err, size_t errlen)
{
	p->left = xcalloc(p->ngroup ? p->ngroup : 1, sizeof *p->left);
	for (size_t i = 0; i < p->ntask; i++)
		p->left[p->task[i].group]++;
	pthread_mutex_init(&p->lock, NULL);
	progress_draw(p->pr, 0, 0, p->ntask);
	struct pool_job job = { .ntask = p->ntask, .run = replication_task, .ctx = p,
	                        .stop = &stop_signal };
	int status = pool_run(&job, threads, err, errlen);
	free(p->left);
	pthread_mutex_destroy(&p->lock);
	progress_end(p->pr);
	return status;
}

struct results *reps_results_new(size_t n)
{
	struct results *r = xcalloc(n ? n : 1, sizeof *r);
	for (size_t i = 0; i < n; i++)
		results_init(&r[i]);
	return r;
}

void reps_results_free(struct results *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		results_release(&r[i]);
	free(r);
}

void reps_share_entities(struct model *m, size_t n, size_t ntask, unsigned long threads)
{
	unsigned long at_once = threads < ntask ? threads : ntask;
	for (size_t i = 0; i < n; i++)
		m[i].at_once = (unsigned)at_once;
}

void reps_add(struct reps_task *t, size_t *n, const struct model *m, struct results *res,
                      size_t g)
{
	for (unsigned r = 0; r < m->replications; r++)
		t[(*n)++] = (struct reps_task){ m, r + 1, &res[r], g };
}
