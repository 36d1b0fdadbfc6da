/* parse: numbers, whole numbers and durations as written in scenario files.
 *
 * strtod accepts "nan", "inf" and hexadecimal floats; a scenario value must be
 * an ordinary finite decimal, so the result is checked with isfinite and the
 * text must be consumed to its end. */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *parse_trim(const char *text)
{
	while (isspace((unsigned char)*text))
		text++;
	size_t n = strlen(text);
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	char *s = xmalloc(n + 1);
	memcpy(s, text, n);
	s[n] = '\0';
	return s;
}

/* Reads a finite number at the start of s; *end past it. -1 if none, -2
 * for one too close to 0 for a double (1e-400): strtod's 0 would be a value
 * the text did not say. Numbers below DBL_MIN in size (subnormals, down to
 * 4.9e-324) are taken as they are: strtod flags them ERANGE, but they hold. */
static int leading_number(const char *s, double *out, const char **end)
{
	while (isspace((unsigned char)*s))
		s++;
	/* Only decimal notation: refuse hex floats and words like "nan". */
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return -1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return -1;
	char *e;
	errno = 0;
	double v = strtod(s, &e);
	if (e == s || !isfinite(v) || (errno == ERANGE && fabs(v) > 1))
		return -1;
	if (errno == ERANGE && v == 0) {
		*end = e;
		return -2;
	}
	*out = v;
	*end = e;
	return 0;
}

static int only_blanks(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

int parse_number(const char *text, double *out, char *err, size_t errlen)
{
	const char *end;
	double v;
	int rc = leading_number(text, &v, &end);
	if (rc == -2 && only_blanks(end))
		return util_err(err, errlen, -2, "'%s' is too close to 0 to hold: write 0, or a "
		                "number of at least %.2g in size", text, DBL_TRUE_MIN);
	if (rc < 0 || !only_blanks(end)) {
		util_err(err, errlen, -1, "expected a finite number, got '%s'", text);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_int(const char *text, long lo, long hi, long *out, char *err, size_t errlen)
{
	double v;
	const char *end;
	if (leading_number(text, &v, &end) < 0 || !only_blanks(end) || v != floor(v)) {
		util_err(err, errlen, -1, "expected a whole number, got '%s'", text);
		return -1;
	}
	/* (double)LONG_MAX rounds up to 2^63, which no long holds. */
	if (v < (double)lo || v > (double)hi || v >= 0x1p63 || v < -0x1p63) {
		util_err(err, errlen, -1, "expected a whole number from %ld to %ld, got '%s'", lo, hi,
		         text);
		return -1;
	}
	*out = (long)v;
	return 0;
}

static const struct {
	const char *name;
	double minutes;
} units[] = {
	{ "s", 1.0 / 60.0 },
	{ "sec", 1.0 / 60.0 },
	{ "min", 1.0 },
	{ "h", 60.0 },
	{ "d", 1440.0 },
};

int parse_duration(const char *text, double *minutes, char *err, size_t errlen)
{
	const char *end;
	double v;
	int rc = leading_number(text, &v, &end);
	if (rc == -2)
		return util_err(err, errlen, -1, "'%s' is too close to 0 to hold: write 0s, or a "
		                "number of at least %.2g in size", text, DBL_TRUE_MIN);
	if (rc < 0) {
		util_err(err, errlen, -1, "expected a duration such as 45s, 2.5min, 8h or 3d, got '%s'",
		         text);
		return -1;
	}
	while (isspace((unsigned char)*end))
		end++;
	size_t n = strlen(end);
	while (n && isspace((unsigned char)end[n - 1]))
		n--;
	if (n == 0) {
		util_err(err, errlen, -1, "missing unit in '%s': durations need s, min, h or d", text);
		return -1;
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strlen(units[i].name) == n && strncmp(end, units[i].name, n) == 0) {
			if (v < 0) {
				util_err(err, errlen, -1, "negative duration '%s'", text);
				return -1;
			}
			double m = v == 0 ? 0 : v * units[i].minutes;   /* no -0 */
			if (!isfinite(m)) {
				util_err(err, errlen, -1, "duration '%s' is too large", text);
				return -1;
			}
			*minutes = m;
			return 0;
		}
	}
	util_err(err, errlen, -1, "unknown unit '%.*s' in '%s': durations need s, min, h or d",
	         (int)n, end, text);
	return -1;
}
