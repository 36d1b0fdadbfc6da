/* testassert: assertions the cmocka tests share beyond cmocka's own. Include
 * after <cmocka.h>. */
#ifndef BORDERSIM_TESTASSERT_H
#define BORDERSIM_TESTASSERT_H

#include <math.h>

/* |a - b| <= tol, printing the expression and both values otherwise; NaN
 * fails. */
#define assert_near(a, b, tol) assert_near_((a), (b), (tol), #a, __FILE__, __LINE__)

static inline void assert_near_(double a, double b, double tol, const char *expr,
                                const char *file, int line)
{
	if (!(fabs(a - b) <= tol)) {   /* NaN fails too */
		print_error("%s = %.12g, expected %.12g (tolerance %g)\n", expr, a, b, tol);
		_fail(file, line);
	}
}

#endif
