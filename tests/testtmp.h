/* testtmp: a temporary folder for the inputs of a test file, so that each
 * test shows its input next to its expectation. tmp_setup makes the folder,
 * tfile and tdir make files and folders in it (and note them in made),
 * tmp_teardown removes them and the folder. Include after <cmocka.h>, once a
 * test program: the state is the program's own. */
#ifndef BORDERSIM_TESTTMP_H
#define BORDERSIM_TESTTMP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static char tmpdir[] = "/tmp/bordersim-test-XXXXXX";
static char *made[256];   /* files and folders made in tmpdir, for teardown */
static size_t nmade;

static inline void assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle)) {
		print_error("'%s' does not contain '%s'\n", hay ? hay : "(null)", needle);
		fail();
	}
}

/* Writes text to tmpdir/name; returns the path (freed at teardown). */
static inline const char *tfile(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_true(nmade < sizeof made / sizeof made[0]);
	for (size_t i = 0; i < nmade; i++)
		if (strcmp(made[i], path) == 0) {
			free(path);
			return made[i];
		}
	made[nmade++] = path;
	return path;
}

/* Makes the folder tmpdir/name; returns its path (freed at teardown). */
static inline const char *tdir(const char *name)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_true(nmade < sizeof made / sizeof made[0]);
	made[nmade++] = path;
	return path;
}

static inline int tmp_setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static inline int tmp_teardown(void **state)
{
	while (nmade) {
		char *p = made[--nmade];
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rmdir(p);
		else
			unlink(p);
		free(p);
	}
	return rmdir(tmpdir);
}

#endif
