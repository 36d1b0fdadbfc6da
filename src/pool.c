/* pool: a fixed number of threads over one task counter.
 *
 * Tasks are long (a replication runs for seconds), so one mutex guards the
 * counter and the failure: taking a task costs nothing beside running it. */
#include "pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

struct pool {
	const struct pool_job *job;
	pthread_mutex_t lock;
	size_t next;
	size_t fail_idx;            /* lowest failing task, when fail_status */
	int fail_status;
	char fail_err[UTIL_ERRLEN];
};

/* Takes the next task, or ntask when none is left, one failed or a stop came. */
static size_t take(struct pool *p)
{
	const struct pool_job *j = p->job;
	pthread_mutex_lock(&p->lock);
	size_t i = p->next < j->ntask && p->fail_status == 0 && !(j->stop && *j->stop) ?
	           p->next++ : j->ntask;
	pthread_mutex_unlock(&p->lock);
	return i;
}

/* Records a failed task; of several the lowest index is kept. */
static void fail(struct pool *p, size_t i, int status, const char *err)
{
	pthread_mutex_lock(&p->lock);
	if (p->fail_status == 0 || i < p->fail_idx) {
		p->fail_status = status;
		p->fail_idx = i;
		snprintf(p->fail_err, sizeof p->fail_err, "%s", err);
	}
	pthread_mutex_unlock(&p->lock);
}

static void *work(void *arg)
{
	struct pool *p = arg;
	char err[UTIL_ERRLEN];
	for (size_t i; (i = take(p)) < p->job->ntask;) {
		err[0] = '\0';
		int status = p->job->run(p->job->ctx, i, err, sizeof err);
		if (status > 0)
			fail(p, i, status, err);
	}
	return NULL;
}

int pool_run(const struct pool_job *job, unsigned long threads, char *err, size_t errlen)
{
	struct pool p = { .job = job };
	pthread_mutex_init(&p.lock, NULL);
	size_t nthread = threads < job->ntask ? threads : job->ntask;
	size_t helpers = nthread > 1 ? nthread - 1 : 0, started = 0;
	pthread_t *tid = xmalloc((helpers ? helpers : 1) * sizeof *tid);
	while (started < helpers && pthread_create(&tid[started], NULL, work, &p) == 0)
		started++;
	work(&p);
	for (size_t k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
	free(tid);
	pthread_mutex_destroy(&p.lock);
	if (job->stop && *job->stop)
		return POOL_STOPPED;
	if (p.fail_status)
		return util_err(err, errlen, p.fail_status, "%s", p.fail_err);
	return 0;
}
