/* replay: runs a fuzz harness without libFuzzer, for `make test`.
 *
 *     replay [-v] PATH...
 *
 * Each PATH is a file, given to LLVMFuzzerTestOneInput whole, or a folder,
 * whose files are (in name order, so that runs are alike; dot files such as
 * .gitkeep are skipped). Linked with a harness and the library built by the
 * ordinary compiler, so the corpus and every crash ever found are replayed
 * with gcc, and under the sanitizers by `make sanitize`. A harness reports a
 * failure by aborting (or the sanitizer does); then the input is named on
 * stderr. -v names every input as it runs. Prints one line: how many inputs
 * ran. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzzutil.h"

/* The sanitizers' hook, called before they end the process on an error;
 * absent (NULL) in a build without them. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static const char *current;
static int verbose;

static void name_input(void)
{
	if (current) {
		static const char pre[] = "replay: failed on ";
		ssize_t w = write(2, pre, sizeof pre - 1);
		w += write(2, current, strlen(current));
		w += write(2, "\n", 1);
		(void)w;
	}
}

static void on_signal(int sig)
{
	name_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The whole file; NULL when it cannot be read. Never NULL for an empty file,
 * so the harness is not handed a null pointer. */
static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0, k;
	unsigned char *buf = malloc(cap);
	while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			unsigned char *b = realloc(buf, cap *= 2);
			if (!b)
				free(buf);
			buf = b;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (bad || !buf) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int run_file(const char *path)
{
	size_t len;
	unsigned char *buf = read_file(path, &len);
	if (!buf) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		return -1;
	}
	if (verbose)
		fprintf(stderr, "replay: %s\n", path);
	current = path;
	LLVMFuzzerTestOneInput(buf, len);
	current = NULL;
	free(buf);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every file of dir; adds them to *count. */
static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	char **name = NULL;
	size_t n = 0;
	int rc = 0;
	if (!d) {
		fprintf(stderr, "replay: cannot open '%s'\n", dir);
		return -1;
	}
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char **more = realloc(name, (n + 1) * sizeof *name);
		if (!more)
			abort();
		name = more;
		name[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!name[n])
			abort();
		sprintf(name[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(name, n, sizeof *name, by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(name[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(name[i]) < 0)
				rc = -1;
			else
				++*count;
		}
		free(name[i]);
	}
	free(name);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0, first = 1;
	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		first = 2;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: %s [-v] FILE_OR_FOLDER...\n", argv[0]);
		return 64;
	}
	/* Under the sanitizers their own handlers report a fault (with a stack),
	 * and call back before they end the process; an abort is ours. */
	signal(SIGABRT, on_signal);
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(name_input);
	} else {
		signal(SIGSEGV, on_signal);
		signal(SIGBUS, on_signal);
		signal(SIGFPE, on_signal);
	}
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: cannot open '%s'\n", argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			rc |= run_dir(argv[i], &count) < 0;
		} else if (run_file(argv[i]) < 0) {
			rc = 1;
		} else {
			count++;
		}
	}
	printf("%s: %zu inputs replayed%s\n", argv[0], count, rc ? ", some unreadable" : ", ok");
	return rc;
}
