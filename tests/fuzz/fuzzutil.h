/* fuzzutil: what the fuzz harnesses share — a check that aborts (so that
 * libFuzzer, or the replay driver under the sanitizers, reports the input),
 * a private folder made once per process, and writing an input to a file.
 * The harnesses hold no other state between inputs. */
#ifndef BORDERSIM_FUZZUTIL_H
#define BORDERSIM_FUZZUTIL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The entry point libFuzzer calls, and replay.c calls without it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *file, int line, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));

static inline void fuzz_fail(const char *file, int line, const char *what, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: fuzz check failed: %s: ", file, line, what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Aborts with the condition and a printf message when cond is false. */
#define FUZZ_CHECK(cond, ...) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__))

/* Whether FUZZ_VERBOSE is set: the harnesses then print what each input
 * gave (a status and its message), for triage. */
static inline int fuzz_verbose(void)
{
	static int verbose = -1;
	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	return verbose;
}

/* A new folder /tmp/NAME.XXXXXX, or abort: without it no input can run. */
static inline char *fuzz_tmpdir(const char *name)
{
	char *dir = malloc(strlen(name) + sizeof "/tmp/.XXXXXX");
	FUZZ_CHECK(dir != NULL, "out of memory");
	sprintf(dir, "/tmp/%s.XXXXXX", name);
	FUZZ_CHECK(mkdtemp(dir) != NULL, "cannot make a folder %s", dir);
	return dir;
}

/* Writes data[0..size) to path, replacing it. */
static inline void fuzz_write(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL, "cannot write %s", path);
	FUZZ_CHECK(fwrite(data, 1, size, f) == size && fclose(f) == 0, "cannot write %s", path);
}

#endif
