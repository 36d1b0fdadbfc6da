/* pool: tasks 0..n-1 run on threads that take the next from a shared counter.
 *
 * Each task writes its result at its own index (the caller's storage), so
 * what a run computes does not depend on the number of threads. The calling
 * thread works in the pool too, so a thread that cannot be started only makes
 * the run slower. No task is taken after one has failed or the stop flag is
 * set; the ones already taken run to their end. */
#ifndef BORDERSIM_POOL_H
#define BORDERSIM_POOL_H

#include <signal.h>
#include <stddef.h>

#define POOL_STOPPED (-1)    /* what pool_run returns when stopped */

struct pool_job {
	size_t ntask;
	/* Runs task i: returns 0, a status > 0 with a message in err (errlen
	 * bytes), or a status < 0 when it stopped for the stop flag. Called on
	 * several threads at once, for different i; each i once. */
	int (*run)(void *ctx, size_t i, char *err, size_t errlen);
	void *ctx;                          /* not owned */
	const volatile sig_atomic_t *stop;  /* nonzero: stop; NULL for none */
};

/* Runs every task of job on up to threads threads (the caller's among them).
 * Returns 0 when all ran; POOL_STOPPED when *stop was set; else the status
 * of the failed task of the lowest index, with its message in err: every
 * lower index was taken before it and ran to its end, so the message does
 * not depend on thread timing. A task that returned < 0 is no failure. */
int pool_run(const struct pool_job *job, unsigned long threads, char *err, size_t errlen);

#endif
