/* fuzz_dist: libFuzzer harness for the distribution parser and the scalar
 * parsers of scenario values.
 *
 * The input, NUL-terminated, goes to dist_parse, dist_parse_quantity,
 * parse_duration, parse_number and parse_int. Each either refuses with a
 * message or gives a value that keeps its header's promises: numbers are
 * finite, durations finite and >= 0 (never -0), whole numbers inside their
 * range. A distribution that parses is drawn from: dist.c checks parameters
 * once "so a draw never fails", so every draw must be finite, >= 0 (times
 * and quantities are never negative) and inside the distribution's support,
 * and its mean and variance finite. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "fuzzutil.h"
#include "parse.h"
#include "rng.h"

#define DRAWS 32

static void check_dist(const struct dist *d, const char *text, int quantity)
{
	const double *p = d->p;
	FUZZ_CHECK(isfinite(d->mean) && d->mean >= 0 && isfinite(d->var) && d->var >= 0,
	           "'%s': mean %g, variance %g", text, d->mean, d->var);
	struct rng *r = rng_new(1, 0, quantity ? "fuzz quantity" : "fuzz");
	for (int i = 0; i < DRAWS; i++) {
		double x = dist_draw(d, r);
		FUZZ_CHECK(isfinite(x) && x >= 0, "'%s': draw %g", text, x);
		switch (d->kind) {
		case DIST_FIXED:
			FUZZ_CHECK(x == p[0], "'%s': draw %g", text, x);
			break;
		case DIST_UNIFORM:
			FUZZ_CHECK(x >= p[0] && x <= p[1], "'%s': draw %g", text, x);
			break;
		case DIST_TRIANGULAR:
			FUZZ_CHECK(x >= p[0] && x <= p[2], "'%s': draw %g", text, x);
			break;
		default:
			break;
		}
	}
	rng_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512];
	struct dist d;
	double v;
	long n;
	static const long range[][2] = { { 0, 9 }, { 1, 1000000 }, { -5, 5 },
		                         { -0x7fffffffffffffffL - 1, 0x7fffffffffffffffL } };
	FUZZ_CHECK(text != NULL, "out of memory");
	memcpy(text, data, size);
	text[size] = '\0';

	err[0] = '\0';
	int rc = dist_parse(&d, text, err, sizeof err);
	if (fuzz_verbose())
		fprintf(stderr, "dist_parse: %d %s\n", rc, err);
	if (rc == 0)
		check_dist(&d, text, 0);
	else
		FUZZ_CHECK(*err, "dist_parse refused '%s' without a message", text);
	err[0] = '\0';
	rc = dist_parse_quantity(&d, text, err, sizeof err);
	if (fuzz_verbose())
		fprintf(stderr, "dist_parse_quantity: %d %s\n", rc, err);
	if (rc == 0)
		check_dist(&d, text, 1);
	else
		FUZZ_CHECK(*err, "dist_parse_quantity refused '%s' without a message", text);

	err[0] = '\0';
	if (parse_duration(text, &v, err, sizeof err) == 0)
		FUZZ_CHECK(isfinite(v) && v >= 0 && !signbit(v), "'%s': %g min", text, v);
	else
		FUZZ_CHECK(*err, "parse_duration refused '%s' without a message", text);
	err[0] = '\0';
	if (parse_number(text, &v, err, sizeof err) == 0)
		FUZZ_CHECK(isfinite(v), "'%s': %g", text, v);
	else
		FUZZ_CHECK(*err, "parse_number refused '%s' without a message", text);
	for (size_t i = 0; i < sizeof range / sizeof range[0]; i++) {
		err[0] = '\0';
		if (parse_int(text, range[i][0], range[i][1], &n, err, sizeof err) == 0)
			FUZZ_CHECK(n >= range[i][0] && n <= range[i][1], "'%s': %ld", text, n);
		else
			FUZZ_CHECK(*err, "parse_int refused '%s' without a message", text);
	}
	char *t = parse_trim(text);
	free(t);
	free(text);
	return 0;
}
