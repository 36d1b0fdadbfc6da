/* testfiles: reading, writing and removing files in the tests that check
 * what the program writes. Include after <cmocka.h>. */
#ifndef BORDERSIM_TESTFILES_H
#define BORDERSIM_TESTFILES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* The whole file as a string (caller frees), or NULL when it cannot be read. */
static inline char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t n = 0, cap = 4096, k;
	char *s = xmalloc(cap);
	while ((k = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (cap - n - 1 == 0)
			s = xrealloc(s, cap *= 2);
	}
	fclose(f);
	s[n] = '\0';
	return s;
}

static inline void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Removes path, a folder with everything in it or a file; quiet if absent. */
static inline void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = xasprintf("%s/%s", path, e->d_name);
		rm_rf(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

/* Names in dir, sorted, joined by spaces ("" when empty). */
static inline char *listing(const char *dir)
{
	struct dirent **ent;
	int n = scandir(dir, &ent, NULL, alphasort);
	assert_true(n >= 0);
	char *s = xstrdup("");
	for (int i = 0; i < n; i++) {
		if (strcmp(ent[i]->d_name, ".") && strcmp(ent[i]->d_name, "..")) {
			char *t = xasprintf("%s%s%s", s, *s ? " " : "", ent[i]->d_name);
			free(s);
			s = t;
		}
		free(ent[i]);
	}
	free(ent);
	return s;
}

#endif
