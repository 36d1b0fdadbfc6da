/* bench: one replication of a scenario, timed. Prints one CSV row:
 *   model,customers,events,wall_s,events_per_s,peak_rss_mb
 * where events counts 2 per customer per stage visited (an arrival and a
 * departure), wall_s is the engine's run alone (not reading or writing files)
 * and peak_rss_mb the process's peak resident memory. tests/bench.sh runs each
 * model in its own process so each peak is its own.
 *
 *   bench --time COMMAND [ARGS...]
 *
 * runs COMMAND (searched in PATH) and prints "wall_s,peak_rss_mb": the wall
 * time from just before it starts to its exit, and its peak resident memory.
 * It exits with the command's status (128 + N when signal N killed it).
 * tests/bench.sh times whole bordersim runs with it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "model.h"
#include "scenario.h"

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int time_command(char **argv)
{
	double t0 = seconds();
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench: fork");
		return 71;
	}
	if (pid == 0) {
		/* what the command prints is not the benchmark's (check prints a
		 * whole scenario): only the timing line goes to stdout */
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "bench: cannot run %s: ", argv[0]);
		perror(NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("bench: waitpid");
			return 71;
		}
	}
	double wall = seconds() - t0;
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("%.3f,%.1f\n", wall, (double)ru.ru_maxrss / 1024.0);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--time"))
		return time_command(argv + 2);
	if (argc < 3) {
		fprintf(stderr, "usage: bench LABEL SCENARIO [KEY=VALUE...]\n"
				"       bench --time COMMAND [ARGS...]\n");
		return 64;
	}
	char err[512];
	struct scenario sc;
	struct model m;
	struct results r;
	int rc;
	scenario_init(&sc);
	results_init(&r);
	rc = scenario_load(&sc, argv[2], err, sizeof err);
	for (int i = 3; rc == 0 && i < argc; i++)
		rc = scenario_set(&sc, argv[i], err, sizeof err);
	if (rc == 0)
		rc = model_compile(&m, &sc, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, "bench: %s\n", err);
		return rc;
	}
	double t0 = seconds();
	rc = engine_run(&m, 1, &r, NULL, err, sizeof err);
	double wall = seconds() - t0;
	if (rc != 0) {
		fprintf(stderr, "bench: %s\n", err);
		return rc;
	}
	double customers = 0;
	for (size_t i = 0; i < r.nmetric; i++)
		if (!strcmp(r.metric[i].scope, "stream") && !strcmp(r.metric[i].metric, "arrivals"))
			customers += r.metric[i].value;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double events = 2.0 * (double)r.visits;
	printf("%s,%.0f,%.0f,%.3f,%.0f,%.1f\n", argv[1], customers, events, wall, events / wall,
	       (double)ru.ru_maxrss / 1024.0);
	results_release(&r);
	model_release(&m);
	scenario_release(&sc);
	return 0;
}
