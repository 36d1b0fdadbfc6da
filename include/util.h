/* util: allocation that cannot fail quietly, and small string helpers.
 *
 * Running out of memory is not a user error the program can recover from: the
 * x* functions print "bordersim: out of memory" and exit with EX_OSERR (71).
 * Outputs are written last, under temporary names, then renamed into place;
 * if memory runs out during that write, the write's own clean-up runs first
 * (util_on_out_of_memory), so no file is left half-written. */
#ifndef BORDERSIM_UTIL_H
#define BORDERSIM_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

/* The number of elements of an array (not a pointer). */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The size of an error-message buffer: every message the library writes
 * into a caller's buffer fits one of this many bytes. */
#define UTIL_ERRLEN 2048

/* Prints "bordersim: out of memory" and exits with EX_OSERR, after calling
 * the function set by util_on_out_of_memory, if any. */
_Noreturn void util_out_of_memory(void);
/* Sets the function util_out_of_memory calls first (NULL: none): report.c
 * sets it around a write, to take back the temporary files and the folders
 * that write has made. One at a time; the main thread writes. */
void util_on_out_of_memory(void (*fn)(void *), void *arg);
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* A new string: printf into freshly allocated storage. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* s as it may be shown on a terminal, as a new string: control characters
 * (bytes below 0x20, 0x7f, and U+0080 to U+009F) and bytes that are not valid
 * UTF-8 become "\xHH" each; everything else, other scripts included, is kept.
 * Every message the program prints goes through it, so text from a scenario
 * or the command line cannot move the cursor or recolour the terminal. */
char *util_escape(const char *s);

/* Writes printf output into err (of errlen bytes), truncating safely; err may be
 * NULL. Returns status, so `return util_err(err, len, EX_DATAERR, ...)` works. */
int util_err(char *err, size_t errlen, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Opens path for reading only if it is a regular file, without blocking on
 * a FIFO (which open(2) would, until a writer came) and without reading a
 * byte. Returns 0 with *f open (the caller closes it) and *st filled; an
 * errno value (the open's, or EISDIR for a folder) with *f NULL; or -1 with
 * *f NULL when it is something else that is not a regular file, whose kind
 * util_file_kind(st->st_mode) names. */
int util_open_regular(const char *path, FILE **f, struct stat *st);

/* "a FIFO", "a character device", "a block device", "a socket". */
const char *util_file_kind(mode_t mode);

#endif
