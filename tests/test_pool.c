/* test_pool: every task runs once whatever the number of threads, results by
 * index are the same for every thread count, the failure reported is the one
 * of the lowest index, and the stop flag stops the pool. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "pool.h"
#include "util.h"

#define NTASK 64
#define MAXTHREADS 8

struct tasks {
	unsigned runs[NTASK];               /* times task i ran */
	uint64_t result[NTASK];             /* what task i computed */
	pthread_t thread[NTASK];            /* the thread it ran on */
	size_t fail[2];                     /* tasks that fail (NTASK: none) */
	size_t stop_at;                     /* the task that sets stop (NTASK: none) */
	volatile sig_atomic_t stop;
};

static void tasks_init(struct tasks *t)
{
	memset(t, 0, sizeof *t);
	t->fail[0] = t->fail[1] = t->stop_at = NTASK;
}

/* A little work of its own for each task, so that threads overlap. */
static int task(void *ctx, size_t i, char *err, size_t errlen)
{
	struct tasks *t = ctx;
	uint64_t x = i + 1;
	for (int k = 0; k < 20000; k++)
		x = x * 6364136223846793005u + 1442695040888963407u;
	t->runs[i]++;
	t->result[i] = x;
	t->thread[i] = pthread_self();
	if (i == t->stop_at) {
		t->stop = SIGINT;
		return POOL_STOPPED;
	}
	if (i == t->fail[0] || i == t->fail[1])
		return util_err(err, errlen, 65, "task %zu failed", i);
	return 0;
}

static int run(struct tasks *t, size_t ntask, unsigned long threads, char *err, size_t errlen)
{
	struct pool_job job = { .ntask = ntask, .run = task, .ctx = t, .stop = &t->stop };
	return pool_run(&job, threads, err, errlen);
}

static void every_task_once(void **state)
{
	(void)state;
	static struct tasks ref, t;
	char err[UTIL_ERRLEN] = "";
	tasks_init(&ref);
	assert_int_equal(run(&ref, NTASK, 1, err, sizeof err), 0);
	for (unsigned long n = 1; n <= MAXTHREADS; n++) {
		tasks_init(&t);
		assert_int_equal(run(&t, NTASK, n, err, sizeof err), 0);
		for (size_t i = 0; i < NTASK; i++) {
			assert_int_equal(t.runs[i], 1);
			assert_true(t.result[i] == ref.result[i]);
		}
	}
	assert_string_equal(err, "");
}

/* More threads than tasks, and no task at all. */
static void few_tasks(void **state)
{
	(void)state;
	static struct tasks t;
	char err[UTIL_ERRLEN] = "";
	for (size_t ntask = 0; ntask <= 3; ntask++) {
		tasks_init(&t);
		assert_int_equal(run(&t, ntask, MAXTHREADS, err, sizeof err), 0);
		for (size_t i = 0; i < NTASK; i++)
			assert_int_equal(t.runs[i], i < ntask ? 1 : 0);
	}
}

/* One thread is the caller's own. */
static void caller_works(void **state)
{
	(void)state;
	static struct tasks t;
	char err[UTIL_ERRLEN];
	tasks_init(&t);
	assert_int_equal(run(&t, NTASK, 1, err, sizeof err), 0);
	for (size_t i = 0; i < NTASK; i++)
		assert_true(pthread_equal(t.thread[i], pthread_self()));
}

/* Two tasks fail; the lower index's status and message are reported for
 * every thread count, and one thread takes nothing after the failure. */
static void lowest_failure(void **state)
{
	(void)state;
	static struct tasks t;
	for (unsigned long n = 1; n <= MAXTHREADS; n++) {
		char err[UTIL_ERRLEN] = "";
		tasks_init(&t);
		t.fail[0] = 30;
		t.fail[1] = 5;
		assert_int_equal(run(&t, NTASK, n, err, sizeof err), 65);
		assert_string_equal(err, "task 5 failed");
		for (size_t i = 0; i <= 5; i++)
			assert_int_equal(t.runs[i], 1);
		if (n == 1)
			for (size_t i = 6; i < NTASK; i++)
				assert_int_equal(t.runs[i], 0);
	}
}

/* The message is cut to the caller's buffer. */
static void failure_truncated(void **state)
{
	(void)state;
	static struct tasks t;
	char err[8];
	tasks_init(&t);
	t.fail[0] = 12;
	assert_int_equal(run(&t, NTASK, 3, err, sizeof err), 65);
	assert_string_equal(err, "task 12");
}

/* A flag set before the run: no task runs. */
static void stopped_before(void **state)
{
	(void)state;
	static struct tasks t;
	for (unsigned long n = 1; n <= MAXTHREADS; n++) {
		char err[UTIL_ERRLEN] = "untouched";
		tasks_init(&t);
		t.stop = SIGTERM;
		assert_int_equal(run(&t, NTASK, n, err, sizeof err), POOL_STOPPED);
		assert_string_equal(err, "untouched");
		for (size_t i = 0; i < NTASK; i++)
			assert_int_equal(t.runs[i], 0);
	}
}

/* A flag set by a task: the pool returns POOL_STOPPED, even when a later
 * task failed too, and one thread takes nothing after it. */
static void stopped_during(void **state)
{
	(void)state;
	static struct tasks t;
	for (unsigned long n = 1; n <= MAXTHREADS; n++) {
		char err[UTIL_ERRLEN] = "";
		tasks_init(&t);
		t.stop_at = 10;
		t.fail[0] = 12;
		assert_int_equal(run(&t, NTASK, n, err, sizeof err), POOL_STOPPED);
		size_t ran = 0;
		for (size_t i = 0; i < NTASK; i++)
			ran += t.runs[i];
		assert_true(ran >= 11);
		if (n == 1)
			assert_int_equal(ran, 11);
	}
}

/* No stop flag at all: a task's negative status is no failure. */
static void no_flag(void **state)
{
	(void)state;
	static struct tasks t;
	char err[UTIL_ERRLEN] = "";
	tasks_init(&t);
	t.stop_at = 7;
	struct pool_job job = { .ntask = NTASK, .run = task, .ctx = &t, .stop = NULL };
	assert_int_equal(pool_run(&job, 4, err, sizeof err), 0);
	for (size_t i = 0; i < NTASK; i++)
		assert_int_equal(t.runs[i], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_task_once),
		cmocka_unit_test(few_tasks),
		cmocka_unit_test(caller_works),
		cmocka_unit_test(lowest_failure),
		cmocka_unit_test(failure_truncated),
		cmocka_unit_test(stopped_before),
		cmocka_unit_test(stopped_during),
		cmocka_unit_test(no_flag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
