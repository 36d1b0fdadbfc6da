/* util: allocation that cannot fail quietly, and small string helpers.
 *
 * Running out of memory is not a user error the program can recover from: the
 * x* functions print "bordersim: out of memory" and exit with EX_OSERR (71).
 * Nothing has been written to the output folder at that point (outputs are
 * written last, atomically), so no file is left half-written. */
#ifndef BORDERSIM_UTIL_H
#define BORDERSIM_UTIL_H

#include <stddef.h>

/* Prints "bordersim: out of memory" and exits with EX_OSERR. */
_Noreturn void util_out_of_memory(void);
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* A new string: printf into freshly allocated storage. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes printf output into err (of errlen bytes), truncating safely; err may be
 * NULL. Returns status, so `return util_err(err, len, EX_DATAERR, ...)` works. */
int util_err(char *err, size_t errlen, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
