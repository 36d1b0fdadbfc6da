/* parse: scalar values of scenario files — numbers, integers, durations.
 *
 * Each parser takes the whole text (surrounding blanks ignored) and either
 * stores a value and returns 0, or writes a message (no file:line prefix; the
 * caller adds it) into err and returns -1. NaN and infinities are refused. */
#ifndef BORDERSIM_PARSE_H
#define BORDERSIM_PARSE_H

#include <stddef.h>

/* A finite real number; a subnormal one (4.9e-324) as it is. Returns -2 for a
 * number too close to 0 for a double (1e-400), saying so, -1 otherwise. */
int parse_number(const char *text, double *out, char *err, size_t errlen);
/* A whole number in [lo, hi]. */
int parse_int(const char *text, long lo, long hi, long *out, char *err, size_t errlen);
/* A duration with a unit — s, min, h or d — into minutes; a bare number is an
 * error. Negative durations are refused. */
int parse_duration(const char *text, double *minutes, char *err, size_t errlen);
/* Copies text without leading and trailing blanks into a new string. */
char *parse_trim(const char *text);

#endif
