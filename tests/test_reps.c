/* test_reps: replications of two models in two groups on 1..4 threads: each
 * group's end is called once, after all its replications, the results by
 * index are the same for every thread count, a stop before the run stops it,
 * and the models share max_entities by the replications that run at once. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pool.h"
#include "progress.h"
#include "reps.h"
#include "stop.h"
#include "testutil.h"

#define REPS 3

static struct model m[2];

static int setup(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		tu_model(&m[k], 1, 1, 0.5, 0, REPS, 40 + (uint64_t)k);
		tu_stream(&m[k], 0, "cars", 2000, 0);
		tu_stage(&m[k], 0, "a", 2, k ? "exponential(mean=50s)" : "fixed(40s)");
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	model_release(&m[0]);
	model_release(&m[1]);
	return 0;
}

/* What group_done saw: how often each group ended, and whether all of its
 * results were in by then. */
struct seen {
	struct results *res[2];
	unsigned ended[2];
	int complete[2];
};

static void group_done(void *ctx, size_t g)
{
	struct seen *s = ctx;
	s->ended[g]++;
	s->complete[g] = 1;
	for (unsigned r = 0; r < REPS; r++)
		s->complete[g] &= s->res[g][r].replication == r + 1 && s->res[g][r].nmetric > 0;
}

static int run(struct seen *s, unsigned long threads, char *err, size_t errlen)
{
	struct reps_task task[2 * REPS];
	size_t ntask = 0;
	struct progress pr;
	progress_init(&pr, NULL, 0);
	memset(s, 0, sizeof *s);
	for (int k = 0; k < 2; k++) {
		s->res[k] = reps_results_new(REPS);
		reps_add(task, &ntask, &m[k], s->res[k], (size_t)k);
	}
	assert_int_equal(ntask, 2 * REPS);
	reps_share_entities(m, 2, ntask, threads);
	struct reps p = { .task = task, .ntask = ntask, .ngroup = 2, .pr = &pr, .by_group = 1,
	                  .group_done = group_done, .ctx = s };
	return reps_run(&p, threads, err, errlen);
}

static void groups_and_results(void **state)
{
	(void)state;
	struct seen ref, s;
	char err[UTIL_ERRLEN] = "";
	stop_signal = 0;
	assert_int_equal(run(&ref, 1, err, sizeof err), 0);
	for (unsigned long n = 1; n <= 4; n++) {
		assert_int_equal(run(&s, n, err, sizeof err), 0);
		assert_int_equal(m[0].at_once, n);
		assert_int_equal(m[1].at_once, n);
		for (int k = 0; k < 2; k++) {
			assert_int_equal(s.ended[k], 1);
			assert_true(s.complete[k]);
			for (unsigned r = 0; r < REPS; r++) {
				assert_int_equal(s.res[k][r].nmetric, ref.res[k][r].nmetric);
				assert_memory_equal(s.res[k][r].metric, ref.res[k][r].metric,
				                    s.res[k][r].nmetric * sizeof *s.res[k][r].metric);
			}
			reps_results_free(s.res[k], REPS);
		}
	}
	for (int k = 0; k < 2; k++)
		reps_results_free(ref.res[k], REPS);
}

/* More threads than replications: as many at once as there are. */
static void at_once_capped(void **state)
{
	(void)state;
	reps_share_entities(m, 2, 5, 16);
	assert_int_equal(m[0].at_once, 5);
	assert_int_equal(m[1].at_once, 5);
	reps_share_entities(m, 2, 5, 2);
	assert_int_equal(m[1].at_once, 2);
}

static void stopped(void **state)
{
	(void)state;
	struct seen s;
	char err[UTIL_ERRLEN] = "";
	stop_signal = SIGTERM;
	assert_int_equal(run(&s, 2, err, sizeof err), POOL_STOPPED);
	stop_signal = 0;
	for (int k = 0; k < 2; k++) {
		assert_int_equal(s.ended[k], 0);
		reps_results_free(s.res[k], REPS);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(groups_and_results),
		cmocka_unit_test(at_once_capped),
		cmocka_unit_test(stopped),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
