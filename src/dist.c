/* dist: service-time distributions, parsed from "name(p, q)" text and drawn
 * through rng. Parameters are checked once here so a draw never fails. */
#include "dist.h"

#include <ctype.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "rng.h"
#include "util.h"

enum param_type { P_DURATION, P_NUMBER, P_COUNT };

struct dist_spec {
	const char *name;
	enum dist_kind kind;
	int nparam;
	const char *param[3];
	enum param_type type[3];
	const char *usage;
};

static const struct dist_spec specs[] = {
	{ "exponential", DIST_EXPONENTIAL, 1, { "mean" }, { P_DURATION }, "mean" },
	{ "fixed", DIST_FIXED, 1, { "value" }, { P_DURATION }, "value" },
	{ "uniform", DIST_UNIFORM, 2, { "a", "b" }, { P_DURATION, P_DURATION }, "a, b" },
	{ "triangular", DIST_TRIANGULAR, 3, { "a", "mode", "b" },
	  { P_DURATION, P_DURATION, P_DURATION }, "a, mode, b" },
	{ "lognormal", DIST_LOGNORMAL, 2, { "mean", "cv" }, { P_DURATION, P_NUMBER }, "mean, cv" },
	{ "gamma", DIST_GAMMA, 2, { "mean", "cv" }, { P_DURATION, P_NUMBER }, "mean, cv" },
	{ "erlang", DIST_ERLANG, 2, { "k", "mean" }, { P_COUNT, P_DURATION }, "k, mean" },
};
#define NSPEC NELEM(specs)

static const char known[] =
	"exponential(mean), fixed(value), uniform(a,b), triangular(a,mode,b), "
	"lognormal(mean,cv), gamma(mean,cv), erlang(k,mean)";

#define fail(err, errlen, ...) util_err(err, errlen, -1, __VA_ARGS__)

/* Bounds that keep every draw, mean and variance finite. A time (or a
 * quantity) is at most DIST_MAX: the longest tail, lognormal with cv 100,
 * reaches about 1e11 times its mean at the generators' 32-bit resolution,
 * and a variance is at most (DIST_MAX * 100)^2; 1e12 minutes is about two
 * million years. gamma's shape is 1/cv^2, which overflows for cv below about
 * 1e-154 (then draws are NaN); DIST_CV_MIN keeps well clear of it, and of the
 * scale mean * cv^2 underflowing to 0. */
#define DIST_MAX 1e12
#define DIST_CV_MIN 1e-6

static const struct dist_spec *find_spec(const char *name, size_t len)
{
	for (size_t i = 0; i < NSPEC; i++)
		if (strlen(specs[i].name) == len && strncmp(specs[i].name, name, len) == 0)
			return &specs[i];
	return NULL;
}

/* Parses one parameter value of the given type into *v. */
static int param_value(const struct dist_spec *s, int i, const char *text, int quantity,
                       double *v, char *err, size_t errlen)
{
	char sub[160];
	int rc;
	if (s->type[i] == P_DURATION && quantity) {
		rc = parse_number(text, v, sub, sizeof sub);
		if (rc == 0 && !(*v >= 0 && *v <= DIST_MAX)) {
			snprintf(sub, sizeof sub, "expected a number from 0 to %g, got '%s'", DIST_MAX,
			         text);
			rc = -1;
		}
	} else if (s->type[i] == P_DURATION) {
		rc = parse_duration(text, v, sub, sizeof sub);
		if (rc == 0 && *v > DIST_MAX) {
			snprintf(sub, sizeof sub, "duration '%s' is too long: at most %g min", text,
			         DIST_MAX);
			rc = -1;
		}
	} else if (s->type[i] == P_COUNT) {
		long k = 0;
		rc = parse_int(text, 1, 1000000, &k, sub, sizeof sub);
		*v = (double)k;
	} else {
		rc = parse_number(text, v, sub, sizeof sub);
	}
	if (rc < 0)
		return util_err(err, errlen, -1, "%s parameter '%s': %s", s->name, s->param[i], sub);
	return 0;
}

/* Splits "a=1min, b=2min" into the spec's parameters, by name or position. */
static int read_params(const struct dist_spec *s, char *args, int quantity, double *p,
                        char *err, size_t errlen)
{
	int seen[3] = { 0, 0, 0 };
	int pos = 0, named = 0;
	char *blank = parse_trim(args);
	int none = *blank == '\0';
	free(blank);
	for (char *tok = none ? NULL : args, *comma; tok; tok = comma ? comma + 1 : NULL) {
		comma = strchr(tok, ',');
		if (comma)
			*comma = '\0';
		char *t = parse_trim(tok);
		int empty = *t == '\0';
		free(t);
		if (empty)
			return fail(err, errlen, "%s: empty parameter", s->name);
		char *eq = strchr(tok, '=');
		int i;
		const char *val = tok;
		if (eq) {
			*eq = '\0';
			char *name = parse_trim(tok);
			for (i = 0; i < s->nparam; i++)
				if (strcmp(name, s->param[i]) == 0)
					break;
			if (i == s->nparam) {
				util_err(err, errlen, -1, "%s has no parameter '%s'; it takes %s", s->name,
				         name, s->usage);
				free(name);
				return -1;
			}
			free(name);
			val = eq + 1;
			named = 1;
		} else {
			if (named)
				return fail(err, errlen, "%s: a positional parameter follows a named one", s->name);
			i = pos++;
			if (i >= s->nparam)
				return util_err(err, errlen, -1, "%s takes %d parameter%s", s->name,
				                s->nparam, s->nparam == 1 ? "" : "s");
		}
		if (seen[i])
			return fail(err, errlen, "%s: parameter '%s' given twice", s->name, s->param[i]);
		seen[i] = 1;
		if (param_value(s, i, val, quantity, &p[i], err, errlen) < 0)
			return -1;
	}
	for (int i = 0; i < s->nparam; i++)
		if (!seen[i])
			return fail(err, errlen, "%s: missing parameter '%s'", s->name, s->param[i]);
	return 0;
}

/* Checks parameter ranges and fills the derived fields. */
static int derive(struct dist *d, const char *name, char *err, size_t errlen)
{
	double *p = d->p;
	switch (d->kind) {
	case DIST_FIXED:
		d->mean = p[0];
		d->var = 0;
		break;
	case DIST_EXPONENTIAL:
		if (!(p[0] > 0))
			return fail(err, errlen, "%s: mean must be greater than 0", name);
		d->mean = p[0];
		d->var = p[0] * p[0];
		break;
	case DIST_UNIFORM:
		if (!(p[0] <= p[1]))
			return fail(err, errlen, "%s: needs a <= b", name);
		d->mean = (p[0] + p[1]) / 2;
		d->var = (p[1] - p[0]) * (p[1] - p[0]) / 12;
		break;
	case DIST_TRIANGULAR:
		if (!(p[0] <= p[1] && p[1] <= p[2] && p[0] < p[2]))
			return fail(err, errlen, "%s: needs a <= mode <= b and a < b", name);
		d->mean = (p[0] + p[1] + p[2]) / 3;
		d->var = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2] - p[0] * p[1] - p[0] * p[2] -
		          p[1] * p[2]) / 18;
		break;
	case DIST_LOGNORMAL:
	case DIST_GAMMA:
		if (!(p[0] > 0))
			return fail(err, errlen, "%s: mean must be greater than 0", name);
		if (!(p[1] > 0 && p[1] <= 100))
			return fail(err, errlen, "%s: cv must be greater than 0 and at most 100 "
			            "(use fixed() for no variation)", name);
		if (p[1] < DIST_CV_MIN)
			return fail(err, errlen, "%s: cv must be at least %g (use fixed() for no "
			            "variation)", name, DIST_CV_MIN);
		d->mean = p[0];
		d->var = (p[0] * p[1]) * (p[0] * p[1]);
		if (d->kind == DIST_LOGNORMAL) {
			double s2 = log1p(p[1] * p[1]);
			d->q[0] = log(p[0]) - s2 / 2;
			d->q[1] = sqrt(s2);
		} else {
			d->q[0] = 1 / (p[1] * p[1]);
			d->q[1] = p[0] * p[1] * p[1];
		}
		break;
	case DIST_ERLANG:
		if (!(p[1] > 0))
			return fail(err, errlen, "%s: mean must be greater than 0", name);
		d->mean = p[1];
		d->var = p[1] * p[1] / p[0];
		d->q[0] = p[0];
		d->q[1] = p[1] / p[0];
		break;
	}
	return 0;
}

static int read_dist(struct dist *d, const char *text, int quantity, char *err, size_t errlen)
{
	int rc = -1;
	char *t = parse_trim(text);
	memset(d, 0, sizeof *d);
	size_t len = strlen(t), nlen = 0;
	while (isalpha((unsigned char)t[nlen]))
		nlen++;
	char *open = t + nlen;
	while (isspace((unsigned char)*open))
		open++;
	if (*open != '(')
		open = NULL;
	const struct dist_spec *s = find_spec(t, nlen);
	if (!s) {
		util_err(err, errlen, -1, "unknown distribution '%.*s'; known: %s", (int)nlen, t, known);
		goto out;
	}
	if (!open || len == 0 || t[len - 1] != ')') {
		util_err(err, errlen, -1, "expected %s(...) with its parameters in parentheses, got '%s'",
		         s->name, t);
		goto out;
	}
	t[len - 1] = '\0';
	d->kind = s->kind;
	if (read_params(s, open + 1, quantity, d->p, err, errlen) < 0)
		goto out;
	rc = derive(d, s->name, err, errlen);
out:
	free(t);
	return rc;
}

int dist_parse(struct dist *d, const char *text, char *err, size_t errlen)
{
	return read_dist(d, text, 0, err, errlen);
}

int dist_parse_quantity(struct dist *d, const char *text, char *err, size_t errlen)
{
	return read_dist(d, text, 1, err, errlen);
}

static double triangular(const struct dist *d, struct rng *r)
{
	double a = d->p[0], m = d->p[1], b = d->p[2];
	double u = rng_uniform(r);
	double f = (m - a) / (b - a);
	if (u < f)
		return a + sqrt(u * (b - a) * (m - a));
	return b - sqrt((1 - u) * (b - a) * (b - m));
}

double dist_draw(const struct dist *d, struct rng *r)
{
	switch (d->kind) {
	case DIST_FIXED:
		return d->p[0];
	case DIST_EXPONENTIAL:
		return rng_exponential(r, d->p[0]);
	case DIST_UNIFORM:
		return rng_flat(r, d->p[0], d->p[1]);
	case DIST_TRIANGULAR:
		return triangular(d, r);
	case DIST_LOGNORMAL:
		return rng_lognormal(r, d->q[0], d->q[1]);
	case DIST_GAMMA:
	case DIST_ERLANG:
		return rng_gamma(r, d->q[0], d->q[1]);
	}
	return d->mean;
}

double dist_at_least(const struct dist *d, double x)
{
	const double *p = d->p;
	switch (d->kind) {
	case DIST_FIXED:
		break;
	case DIST_EXPONENTIAL:
		return x <= 0 ? 1 : exp(-x / p[0]);
	case DIST_UNIFORM:
		if (x <= p[0])
			return 1;
		return x > p[1] ? 0 : (p[1] - x) / (p[1] - p[0]);
	case DIST_TRIANGULAR:
		if (x <= p[0])
			return 1;
		if (x >= p[2])
			return 0;
		if (x <= p[1])
			return 1 - (x - p[0]) * (x - p[0]) / ((p[2] - p[0]) * (p[1] - p[0]));
		return (p[2] - x) * (p[2] - x) / ((p[2] - p[0]) * (p[2] - p[1]));
	case DIST_LOGNORMAL:
		return x <= 0 ? 1 : gsl_cdf_lognormal_Q(x, d->q[0], d->q[1]);
	case DIST_GAMMA:
	case DIST_ERLANG:
		return x <= 0 ? 1 : gsl_cdf_gamma_Q(x, d->q[0], d->q[1]);
	}
	return p[0] >= x ? 1 : 0;
}
