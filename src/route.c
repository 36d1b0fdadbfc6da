/* route: a routing list parsed into destinations and cumulative
 * probabilities, names resolved by the caller's look-up.
 *
 * A name the look-up does not know gets the nearest stage name suggested
 * (a scan of all names, on this failing path only). The engine picks a
 * destination from cum without a search (engine.c). */
#include "route.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "parse.h"
#include "util.h"

/* The stage index for name, ROUTE_EXIT for "exit", or -2 with a message
 * naming the nearest stage. */
static int dest_of(const struct route_names *names, const char *name, char *err,
                   size_t errlen)
{
	const char *near = NULL;
	size_t best = (size_t)-1;
	if (strcmp(name, "exit") == 0)
		return ROUTE_EXIT;
	long found = names->find(names->ctx, name);
	if (found >= 0)
		return (int)found;
	for (size_t i = 0; i < names->n; i++) {
		const char *s = names->name(names->ctx, i);
		size_t d = keys_distance(name, s);
		if (d < best) {
			best = d;
			near = s;
		}
	}
	if (near && keys_near(best, name))
		snprintf(err, errlen, "unknown stage '%s'; did you mean '%s'?", name, near);
	else
		snprintf(err, errlen, "unknown stage '%s'", name);
	return -2;
}

/* Parses one "name" or "name:p" item into dest and p (NAN when none). */
static int item_of(const struct route_names *names, const char *item, int *dest, double *p,
                   char *err, size_t errlen)
{
	const char *colon = strchr(item, ':');
	char *name = colon ? xmalloc((size_t)(colon - item) + 1) : NULL;
	char *trimmed = NULL, *ptext = NULL;
	int rc = -1;
	if (colon) {
		memcpy(name, item, (size_t)(colon - item));
		name[colon - item] = '\0';
	}
	trimmed = parse_trim(colon ? name : item);
	*p = NAN;
	if (!*trimmed) {
		snprintf(err, errlen, "missing stage name in '%s'", item);
		goto out;
	}
	*dest = dest_of(names, trimmed, err, errlen);
	if (*dest == -2)
		goto out;
	if (colon) {
		char sub[UTIL_ERRLEN];
		ptext = parse_trim(colon + 1);
		if (parse_number(ptext, p, sub, sizeof sub) < 0 || *p < 0 || *p > 1) {
			snprintf(err, errlen, "probability of '%s': expected a number from 0 to 1, got "
			         "'%s'", trimmed, ptext);
			goto out;
		}
	}
	rc = 0;
out:
	free(ptext);
	free(trimmed);
	free(name);
	return rc;
}

/* Checks the probabilities p[] (one may be NAN: the remainder) and turns
 * them into r->cum. */
static int cumulate(struct route *r, double *p, const char *text, char *err, size_t errlen)
{
	double sum = 0;
	size_t rest = r->n;
	for (size_t i = 0; i < r->n; i++) {
		if (isnan(p[i]) && rest != r->n) {
			snprintf(err, errlen, "more than one destination without a probability in '%s'; "
			         "only one may take the remainder", text);
			return -1;
		}
		if (isnan(p[i]))
			rest = i;
		else
			sum += p[i];
	}
	if (rest != r->n) {
		if (sum > 1 + ROUTE_TOL) {
			snprintf(err, errlen, "probabilities add up to %.10g, more than 1, in '%s'", sum,
			         text);
			return -1;
		}
		p[rest] = sum < 1 ? 1 - sum : 0;
	} else if (fabs(sum - 1) > ROUTE_TOL) {
		snprintf(err, errlen, "probabilities add up to %.10g, not 1, in '%s'", sum, text);
		return -1;
	}
	double c = 0;
	for (size_t i = 0; i < r->n; i++) {
		c += p[i];
		r->cum[i] = i + 1 == r->n ? 1.0 : (c < 1 ? c : 1.0);
	}
	return 0;
}

static int build(struct route *r, const char *text, const struct route_names *names,
                 char *err, size_t errlen)
{
	struct parse_words items;
	double *p = NULL;
	int rc = -1;
	parse_items(&items, text);
	if (items.n == 0 || strstr(text, ",,") || text[strlen(text) - 1] == ',' || text[0] == ',') {
		snprintf(err, errlen, "expected 'exit', a stage, or a list such as "
		         "'secondary:0.2,exit', got '%s'", text);
		goto out;
	}
	r->n = items.n;
	r->dest = xcalloc(r->n, sizeof *r->dest);
	r->cum = xcalloc(r->n, sizeof *r->cum);
	p = xcalloc(r->n, sizeof *p);
	for (size_t i = 0; i < r->n; i++) {
		if (item_of(names, items.w[i], &r->dest[i], &p[i], err, errlen) < 0)
			goto out;
		for (size_t j = 0; j < i; j++) {
			if (r->dest[j] == r->dest[i]) {
				snprintf(err, errlen, "'%s' appears twice in '%s'", r->dest[i] == ROUTE_EXIT ?
				         "exit" : names->name(names->ctx, (size_t)r->dest[i]), text);
				goto out;
			}
		}
	}
	rc = cumulate(r, p, text, err, errlen);
out:
	free(p);
	parse_words_release(&items);
	return rc;
}

int route_parse(struct route *r, const char *text, const struct route_names *names,
                char *err, size_t errlen)
{
	char msg[UTIL_ERRLEN];
	char *t = parse_trim(text);
	memset(r, 0, sizeof *r);
	int rc = build(r, t, names, msg, sizeof msg);
	free(t);
	if (rc < 0) {
		route_release(r);
		return util_err(err, errlen, -1, "%s", msg);
	}
	return 0;
}

void route_release(struct route *r)
{
	free(r->dest);
	free(r->cum);
	memset(r, 0, sizeof *r);
}
