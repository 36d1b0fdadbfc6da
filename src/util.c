/* util: allocation wrappers that exit on failure, the error-buffer helper,
 * and opening an input file that is sure to be a regular file. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static void (*oom_fn)(void *);
static void *oom_arg;

void util_on_out_of_memory(void (*fn)(void *), void *arg)
{
	oom_fn = fn;
	oom_arg = arg;
}

_Noreturn void util_out_of_memory(void)
{
	void (*fn)(void *) = oom_fn;
	oom_fn = NULL;                  /* once, even if the clean-up runs out too */
	if (fn)
		fn(oom_arg);
	fputs("bordersim: out of memory\n", stderr);
	exit(EX_OSERR);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		util_out_of_memory();
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		util_out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		util_out_of_memory();
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		util_out_of_memory();
	char *s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

int util_err(char *err, size_t errlen, int status, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

int util_open_regular(const char *path, FILE **f, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY), rc = 0;
	*f = NULL;
	if (fd < 0)
		return errno ? errno : EIO;
	if (fstat(fd, st) != 0)
		rc = errno ? errno : EIO;
	else if (S_ISDIR(st->st_mode))
		rc = EISDIR;
	else if (!S_ISREG(st->st_mode))
		rc = -1;
	else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
	         !(*f = fdopen(fd, "rb")))
		rc = errno ? errno : EIO;
	if (rc)
		close(fd);
	return rc;
}

const char *util_file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}
