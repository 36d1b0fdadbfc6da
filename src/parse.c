/* parse: numbers, whole numbers, durations, lists and the values of key rows
 * as written in scenario files.
 *
 * strtod accepts "nan", "inf" and hexadecimal floats; a scenario value must be
 * an ordinary finite decimal, so the result is checked with isfinite and the
 * text must be consumed to its end. The bounds, words and names of a key's
 * values come from its row of the key table (keys.h); none is written here. */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
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
	for (size_t i = 0; i < NELEM(units); i++) {
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

int parse_seed(const char *text, uint64_t *out)
{
	char *t = parse_trim(text), *end;
	errno = 0;
	unsigned long long n = isdigit((unsigned char)t[0]) ? strtoull(t, &end, 10) : 0;
	int bad = !isdigit((unsigned char)t[0]) || errno == ERANGE || *end != '\0';
	free(t);
	if (bad)
		return -1;
	*out = (uint64_t)n;
	return 0;
}

int parse_choice(const char *text, const char *const *words)
{
	char *t = parse_trim(text);
	int found = -1;
	for (int i = 0; words[i] && found < 0; i++)
		if (strcmp(t, words[i]) == 0)
			found = i;
	free(t);
	return found;
}

int parse_is_word(const char *text, const char *word)
{
	char *t = parse_trim(text);
	int same = strcmp(t, word) == 0;
	free(t);
	return same;
}

void parse_words_release(struct parse_words *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
	ws->w = NULL;
	ws->n = 0;
}

static void words_add(struct parse_words *ws, const char *start, size_t len)
{
	ws->w = xrealloc(ws->w, (ws->n + 1) * sizeof *ws->w);
	ws->w[ws->n] = xmalloc(len + 1);
	memcpy(ws->w[ws->n], start, len);
	ws->w[ws->n++][len] = '\0';
}

int parse_words(struct parse_words *ws, const char *text, char *err, size_t errlen)
{
	const char *p = text;
	ws->w = NULL;
	ws->n = 0;
	while (isspace((unsigned char)*p))
		p++;
	while (*p) {
		const char *start = p;
		while (*p && *p != ',' && !isspace((unsigned char)*p))
			p++;
		if (p == start)
			goto empty;
		words_add(ws, start, (size_t)(p - start));
		while (isspace((unsigned char)*p))
			p++;
		if (*p == ',') {
			p++;
			while (isspace((unsigned char)*p))
				p++;
			if (!*p || *p == ',')
				goto empty;
		}
	}
	return 0;
empty:
	parse_words_release(ws);
	return util_err(err, errlen, -1, "empty item in the list '%s'", text);
}

void parse_items(struct parse_words *ws, const char *text)
{
	const char *p = text;
	ws->w = NULL;
	ws->n = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len)
			words_add(ws, p, len);
		p += len + (p[len] == ',');
	}
}

int parse_value(const struct key_def *d, const char *text, double *out, char *err,
                size_t errlen)
{
	double v, minutes;
	char sub[UTIL_ERRLEN];
	int rc = parse_number(text, &v, err, errlen);
	if (rc == -2)
		return -2;
	if (rc < 0) {
		if (d->type != KEY_DAYS || parse_duration(text, &minutes, sub, sizeof sub) < 0)
			return -1;
		v = minutes / 1440.0;
	}
	if ((keys_whole(d) && v != floor(v)) || !keys_in_bounds(d, v))
		return -1;
	*out = v;
	return 0;
}

int parse_durations(const char *text, double *minutes, int n, char *err, size_t errlen)
{
	struct parse_words ws;
	char sub[UTIL_ERRLEN];
	int rc = -1;
	if (parse_words(&ws, text, err, errlen) < 0)
		return -1;
	if (ws.n == 1 && parse_duration(ws.w[0], &minutes[0], err, errlen) == 0) {
		for (int h = 1; h < n; h++)
			minutes[h] = minutes[0];
		rc = 0;
	} else if (ws.n == (size_t)n) {
		for (int h = 0; h < n; h++) {
			if (parse_duration(ws.w[h], &minutes[h], sub, sizeof sub) < 0) {
				snprintf(err, errlen, "hour %d: %.400s", h, sub);
				goto out;
			}
		}
		rc = 0;
	} else if (ws.n != 1) {
		snprintf(err, errlen, "expected a duration, or %d, one a clock hour, got %zu", n, ws.n);
	}
out:
	parse_words_release(&ws);
	return rc;
}

/* What comes before a row's values in "expected ...": "one of ..." and
 * "flat, or 24 weights ..." take no article. */
static const char *article(const struct key_def *d)
{
	return d->type == KEY_CHOICE || d->type == KEY_PROFILE ? "" : "a ";
}

void parse_expected(const struct key_def *d, const char *got, size_t n, char *err,
                    size_t errlen)
{
	char values[256];
	keys_values(d, values, sizeof values);
	if (n > 1)
		snprintf(err, errlen, "expected %s%s, got %zu", article(d), values, n);
	else
		snprintf(err, errlen, "expected %s%s, got '%s'", article(d), values, got);
}

/* Item h of a list of numbers refused by parse_value with rc: "hour H:
 * expected ... BOUNDS", or "hour H: " and what err holds for rc -2. */
static void hour_msg(const struct key_def *d, const char *noun, int h, const char *got, int rc,
                     char *err, size_t errlen)
{
	char b[UTIL_ERRLEN];
	if (rc == -2) {
		snprintf(b, sizeof b, "%s", err);
		snprintf(err, errlen, "hour %d: %.400s", h, b);
		return;
	}
	snprintf(err, errlen, "hour %d: expected %s %s, got '%s'", h, noun,
	         keys_bounds(d, b, sizeof b), got);
}

int parse_profile(const struct key_def *d, const char *text, double per_day, double *weight,
                  int n, char *err, size_t errlen)
{
	struct parse_words ws;
	double sum = 0;
	int rc = -1;
	if (parse_is_word(text, d->choices[0])) {
		for (int h = 0; h < n; h++)
			weight[h] = 1.0 / n;
		return 0;
	}
	if (parse_words(&ws, text, err, errlen) < 0)
		return -1;
	if (ws.n != (size_t)n) {
		parse_expected(d, ws.n ? ws.w[0] : text, ws.n, err, errlen);
		goto out;
	}
	for (int h = 0; h < n; h++) {
		int bad = parse_value(d, ws.w[h], &weight[h], err, errlen);
		if (bad < 0) {
			hour_msg(d, "a weight", h, ws.w[h], bad, err, errlen);
			goto out;
		}
		sum += weight[h];
	}
	if (!isfinite(sum)) {   /* each weight is finite, but n of them may not add up */
		snprintf(err, errlen, "the %d weights add up to more than %g: use smaller weights", n,
		         DBL_MAX);
		goto out;
	}
	if (!(sum > 0) && per_day > 0) {
		snprintf(err, errlen, "all %d weights are 0, but per_day is %g: give some hour a "
		         "positive weight", n, per_day);
		goto out;
	}
	for (int h = 0; h < n; h++)
		weight[h] = sum > 0 ? weight[h] / sum : 1.0 / n;
	rc = 0;
out:
	parse_words_release(&ws);
	return rc;
}

int parse_servers(const struct key_def *d, const char *text, int *servers, int n,
                  int *unlimited, char *err, size_t errlen)
{
	struct parse_words ws;
	double v;
	int rc = -1;
	*unlimited = parse_is_word(text, d->choices[0]);
	if (*unlimited) {
		for (int h = 0; h < n; h++)
			servers[h] = 0;
		return 0;
	}
	if (parse_words(&ws, text, err, errlen) < 0)
		return -1;
	if (ws.n == 1 && parse_value(d, ws.w[0], &v, err, errlen) == 0) {
		for (int h = 0; h < n; h++)
			servers[h] = (int)v;
		rc = 0;
	} else if (ws.n == (size_t)n) {
		for (int h = 0; h < n; h++) {
			if (parse_value(d, ws.w[h], &v, err, errlen) < 0) {
				hour_msg(d, "a whole number of servers", h, ws.w[h], -1, err, errlen);
				goto out;
			}
			servers[h] = (int)v;
		}
		rc = 0;
	} else {
		parse_expected(d, text, ws.n, err, errlen);
	}
out:
	parse_words_release(&ws);
	return rc;
}

int parse_persons(const struct key_def *d, const char *text, double tol, size_t *n,
                  int **value, double **cum, double *mean, char *err, size_t errlen)
{
	struct parse_words ws;
	double sum = 0;
	int rc = -1;
	parse_items(&ws, text);
	*n = ws.n;
	*value = xcalloc(ws.n, sizeof **value);
	*cum = xcalloc(ws.n, sizeof **cum);
	*mean = 0;
	for (size_t i = 0; i < ws.n; i++) {
		char *colon = strchr(ws.w[i], ':'), sub[UTIL_ERRLEN];
		double x, p = 1;
		if (colon)
			*colon = '\0';
		if (parse_value(d, ws.w[i], &x, sub, sizeof sub) < 0 ||
		    (colon && (parse_number(colon + 1, &p, sub, sizeof sub) < 0 || p < 0 || p > 1)) ||
		    (!colon && ws.n > 1)) {
			parse_expected(d, text, 1, err, errlen);
			goto out;
		}
		sum += p;
		(*value)[i] = (int)x;
		(*cum)[i] = i + 1 == ws.n ? 1.0 : sum;
		*mean += x * p;
	}
	if (ws.n == 0 || fabs(sum - 1) > tol) {
		snprintf(err, errlen, "shares of %s add up to %.10g, not 1, in '%s'", d->name, sum,
		         text);
		goto out;
	}
	rc = 0;
out:
	parse_words_release(&ws);
	return rc;
}
