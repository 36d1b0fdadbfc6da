/* util: allocation wrappers that exit on failure, the error-buffer helper,
 * the escaping of text for the terminal, and opening an input file that is
 * sure to be a regular file. */
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

/* The length of the valid UTF-8 sequence of 2 to 4 bytes at p, or 0
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
static size_t utf8_length(const unsigned char *p)
{
	size_t n = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3 :
	           p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
	unsigned char lo = p[0] == 0xe0 ? 0xa0 : p[0] == 0xf0 ? 0x90 : 0x80;
	unsigned char hi = p[0] == 0xed ? 0x9f : p[0] == 0xf4 ? 0x8f : 0xbf;
	if (n && (p[1] < lo || p[1] > hi))
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

char *util_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc(4 * strlen(s) + 1), *o = out;
	while (*p) {
		size_t n = *p >= 0x80 ? utf8_length(p) : 1;
		if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {   /* C1 controls, U+0080-U+009F */
			o += sprintf(o, "\\x%02x\\x%02x", p[0], p[1]);
			p += 2;
		} else if (n > 1) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else if (*p < 0x20 || *p >= 0x7f) {
			o += sprintf(o, "\\x%02x", *p++);
		} else {
			*o++ = (char)*p++;
		}
	}
	*o = '\0';
	return out;
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
