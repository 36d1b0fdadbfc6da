/* traffic: the traffic equations of a model's routing network — expected
 * visits to each stage, the run's expected events for the event budget, and
 * whether every stage can reach exit.
 *
 * Linear in stages plus routes: the routing graph's strongly connected
 * components in route order, each routing loop solved at once (dense LU up to
 * TRAFFIC_DENSE_MAX stages, pushing visits round it beyond). */
#include "traffic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "dist.h"
#include "model.h"
#include "route.h"
#include "util.h"

/* A routing loop of up to this many stages is solved by dense LU (8 bytes a
 * pair of its stages: 18 MB and well under a second at the limit); a larger
 * one by pushing visits round it until they settle. */
#define TRAFFIC_DENSE_MAX 1500
/* Pushes (a stage passing its unsettled visits on) before a large loop is
 * declared not to settle: about a second. */
#define TRAFFIC_PUSH_MAX 200000000.0
/* A large loop has settled when its unsettled visits are this share of what
 * flows into it: each unsettled visit would make about as many more as one
 * arriving does, so the visits are then within this share. */
#define TRAFFIC_SETTLED 1e-13

/* The strongly connected components of the routing graph (routes of
 * positive probability), by Tarjan's algorithm on explicit stacks: a chain
 * of 65,535 stages would overflow the call stack. comp[i] gets stage i's
 * component, numbered so that every route leads to the same component or a
 * later one (Tarjan closes them sinks first, hence the renumbering). Returns
 * the count. Linear in stages plus routes. */
static size_t traffic_components(const struct model *m, size_t *comp)
{
	const size_t none = (size_t)-1, n = m->nstage;
	size_t *index = xmalloc(n * sizeof *index), *low = xmalloc(n * sizeof *low);
	size_t *stack = xmalloc(n * sizeof *stack), *frame = xmalloc(n * sizeof *frame);
	size_t *edge = xmalloc(n * sizeof *edge), next = 0, ncomp = 0, sp = 0, top = 0;
	char *on = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++)
		index[i] = none;
	for (size_t root = 0; root < n; root++) {
		if (index[root] != none)
			continue;
		index[root] = low[root] = next++;
		stack[sp++] = root;
		on[root] = 1;
		frame[top] = root;
		edge[top++] = 0;
		while (top) {
			size_t i = frame[top - 1];
			const struct route *r = &m->stage[i].next;
			if (edge[top - 1] < r->n) {
				size_t k = edge[top - 1]++;
				if (r->dest[k] == ROUTE_EXIT || !(route_p(r, k) > 0))
					continue;
				size_t j = (size_t)r->dest[k];
				if (index[j] == none) {
					index[j] = low[j] = next++;
					stack[sp++] = j;
					on[j] = 1;
					frame[top] = j;
					edge[top++] = 0;
				} else if (on[j] && index[j] < low[i]) {
					low[i] = index[j];
				}
				continue;
			}
			top--;
			if (top && low[i] < low[frame[top - 1]])
				low[frame[top - 1]] = low[i];
			if (low[i] != index[i])
				continue;
			size_t j;
			do {
				j = stack[--sp];
				on[j] = 0;
				comp[j] = ncomp;
			} while (j != i);
			ncomp++;
		}
	}
	for (size_t i = 0; i < n; i++)
		comp[i] = ncomp - 1 - comp[i];
	free(index);
	free(low);
	free(stack);
	free(frame);
	free(edge);
	free(on);
	return ncomp;
}

/* 1 - p(i -> i), summed over the other routes so that a stage that almost
 * always routes back to itself keeps its small remainder exactly. */
static double traffic_leave(const struct route *r, size_t i)
{
	double leave = 0;
	for (size_t k = 0; k < r->n; k++)
		if (r->dest[k] != (int)i)
			leave += route_p(r, k);
	return leave;
}

/* Solves v = b + v P over the k stages member[] of one routing loop, b being
 * what v holds for them on entry, by LU decomposition of (I - P)^T. pos maps
 * a member to its row. Returns 0, or -1 when (I - P) is singular to working
 * precision. */
static int traffic_dense(const struct model *m, const size_t *member, size_t k,
                         const size_t *comp, size_t *pos, double *v)
{
	gsl_matrix *a = gsl_matrix_calloc(k, k);
	gsl_vector *b = gsl_vector_alloc(k), *x = gsl_vector_alloc(k);
	gsl_permutation *perm = gsl_permutation_alloc(k);
	int sign, rc = -1;
	if (!a || !b || !x || !perm)
		util_out_of_memory();
	for (size_t l = 0; l < k; l++)
		pos[member[l]] = l;
	for (size_t l = 0; l < k; l++) {
		size_t i = member[l];
		const struct route *r = &m->stage[i].next;
		gsl_vector_set(b, l, v[i]);
		gsl_matrix_set(a, l, l, traffic_leave(r, i));
		for (size_t e = 0; e < r->n; e++) {
			int j = r->dest[e];
			if (j != ROUTE_EXIT && j != (int)i && comp[j] == comp[i])
				*gsl_matrix_ptr(a, pos[j], l) -= route_p(r, e);
		}
	}
	if (gsl_linalg_LU_decomp(a, perm, &sign))
		goto out;
	for (size_t l = 0; l < k; l++)   /* singular: LU_solve would call GSL's error handler */
		if (gsl_matrix_get(a, l, l) == 0)
			goto out;
	if (gsl_linalg_LU_solve(a, perm, b, x))
		goto out;
	for (size_t l = 0; l < k; l++)
		if (!(gsl_vector_get(x, l) >= 0 && isfinite(gsl_vector_get(x, l))))
			goto out;
	for (size_t l = 0; l < k; l++)
		v[member[l]] = gsl_vector_get(x, l);
	rc = 0;
out:
	gsl_permutation_free(perm);
	gsl_vector_free(x);
	gsl_vector_free(b);
	gsl_matrix_free(a);
	return rc;
}

/* A loop too large for LU: each member in turn adds its unsettled visits to
 * its own and passes them on along its routes inside the loop, until what
 * is unsettled is a negligible share of what flows in (v only grows, so it is
 * a lower bound throughout) or the visits pass cap. Returns 0, 1 when over cap, or -1 when
 * they did not settle within TRAFFIC_PUSH_MAX pushes. */
static int traffic_push(const struct model *m, const size_t *member, size_t k,
                        const size_t *comp, double cap, double *v, double *r)
{
	double pushes = 0, total = 0, unsettled = 0, inflow;
	for (size_t l = 0; l < k; l++) {
		r[member[l]] = v[member[l]];
		unsettled += v[member[l]];
		v[member[l]] = 0;
	}
	inflow = unsettled;
	while (unsettled > TRAFFIC_SETTLED * inflow) {
		if (total > cap)
			return 1;
		if (pushes > TRAFFIC_PUSH_MAX)
			return -1;
		unsettled = 0;
		for (size_t l = 0; l < k; l++) {
			size_t i = member[l];
			const struct route *rt = &m->stage[i].next;
			double x = r[i];
			r[i] = 0;
			v[i] += x;
			total += x;
			for (size_t e = 0; e < rt->n; e++) {
				int j = rt->dest[e];
				if (j != ROUTE_EXIT && comp[j] == comp[i])
					r[j] += x * route_p(rt, e);
			}
			pushes += 1 + (double)rt->n;
		}
		for (size_t l = 0; l < k; l++)
			unsettled += r[member[l]];
	}
	return 0;
}

static int solve(const struct model *m, const double *arrivals, double cap, double *v,
                 size_t *stage)
{
	size_t n = m->nstage, *comp = xmalloc(n * sizeof *comp);
	size_t *start = NULL, *member = xmalloc(n * sizeof *member);
	double *scratch = xcalloc(n, sizeof *scratch), total = 0;
	size_t *pos = xmalloc(n * sizeof *pos), ncomp = traffic_components(m, comp);
	int rc = 0;
	/* Members grouped by component, components in route order. */
	start = xcalloc(ncomp + 1, sizeof *start);
	for (size_t i = 0; i < n; i++)
		start[comp[i] + 1]++;
	for (size_t c = 0; c < ncomp; c++)
		start[c + 1] += start[c];
	memset(pos, 0, ncomp * sizeof *pos);
	for (size_t i = 0; i < n; i++)
		member[start[comp[i]] + pos[comp[i]]++] = i;
	for (size_t i = 0; i < n; i++)
		v[i] = 0;
	for (size_t i = 0; i < m->nstream; i++) {
		const struct model_stream *s = &m->stream[i];
		double a = arrivals[i];
		for (size_t k = 0; k < s->route.n; k++)
			if (s->route.dest[k] != ROUTE_EXIT)
				v[s->route.dest[k]] += a * route_p(&s->route, k);
	}
	for (size_t c = 0; c < ncomp && rc == 0; c++) {
		const size_t *mem = member + start[c];
		size_t k = start[c + 1] - start[c];
		if (k == 1 && v[mem[0]] > 0)
			v[mem[0]] /= traffic_leave(&m->stage[mem[0]].next, mem[0]);
		else if (k <= TRAFFIC_DENSE_MAX)
			rc = traffic_dense(m, mem, k, comp, pos, v);
		else
			rc = traffic_push(m, mem, k, comp, cap - total, v, scratch);
		if (k == 1 && !(isfinite(v[mem[0]])))
			rc = -1;
		if (rc)
			*stage = mem[0];
		/* What leaves the loop flows into later ones. */
		for (size_t l = 0; l < k && rc == 0; l++) {
			const struct route *r = &m->stage[mem[l]].next;
			total += v[mem[l]];
			for (size_t e = 0; e < r->n; e++)
				if (r->dest[e] != ROUTE_EXIT && comp[r->dest[e]] != c)
					v[r->dest[e]] += v[mem[l]] * route_p(r, e);
		}
	}
	free(start);
	free(pos);
	free(scratch);
	free(member);
	free(comp);
	return rc;
}

int traffic_visits(const struct model *m, double cap, double *v, size_t *stage)
{
	double *a = xmalloc((m->nstream ? m->nstream : 1) * sizeof *a);
	for (size_t i = 0; i < m->nstream; i++) {
		const struct model_stream *s = &m->stream[i];
		a[i] = s->per_day;
		for (size_t k = 0; k < s->nsurge; k++)
			a[i] *= fmax(1, s->surge[k].factor);
	}
	int rc = solve(m, a, cap, v, stage);
	free(a);
	return rc;
}

/* The share of a group's members that reach the first stage k clock hours
 * after the hour their group arrived in (the group's time uniform in its
 * hour, each member's delay a draw of the spread). */
static double spread_share(const struct dist *d, int k)
{
	enum { STEPS = 12 };
	double sum = 0;
	for (int j = 0; j < STEPS; j++) {
		double u = (j + 0.5) * 60.0 / STEPS;   /* minutes into the group's hour */
		double lo = 60.0 * k - u, hi = lo + 60.0;
		sum += (lo <= 0 ? 1 : dist_at_least(d, lo)) - (hi <= 0 ? 1 : dist_at_least(d, hi));
	}
	return sum / STEPS;
}

int traffic_hours(const struct model *m, double *v, size_t *stage)
{
	size_t ns = m->nstream ? m->nstream : 1;
	double *a = xcalloc(MODEL_HOURS * ns, sizeof *a);   /* a[h * ns + i] */
	double share[2 * MODEL_HOURS];
	int rc = 0;
	for (size_t i = 0; i < m->nstream; i++) {
		const struct model_stream *s = &m->stream[i];
		int spread = s->batched && !s->spread_zero;
		/* members reach the stages up to two days after their group */
		for (int k = 0; k < 2 * MODEL_HOURS; k++)
			share[k] = spread ? spread_share(&s->spread, k) : k == 0;
		for (int g = 0; g < MODEL_HOURS; g++)
			for (int k = 0; k < (spread ? 2 * MODEL_HOURS : 1); k++)
				a[(size_t)((g + k) % MODEL_HOURS) * ns + i] +=
					s->per_day * s->weight[g] * MODEL_HOURS * share[k];
	}
	for (int h = 0; h < MODEL_HOURS && rc == 0; h++)
		rc = solve(m, a + (size_t)h * ns, HUGE_VAL, v + (size_t)h * m->nstage, stage);
	free(a);
	return rc;
}

int traffic_events(const struct model *m, double *events, size_t *stage)
{
	double *v = xmalloc((m->nstage ? m->nstage : 1) * sizeof *v), total = 0;
	double per_visit = 2 * (m->days + m->warmup_days) * m->replications;
	int rc = traffic_visits(m, m->max_events / per_visit, v, stage);
	for (size_t i = 0; i < m->nstage; i++)
		total += v[i];
	/* A group's member that is spread reaches its first stage by an event
	 * of its own: half a visit's two. */
	for (size_t i = 0; i < m->nstream; i++) {
		const struct model_stream *s = &m->stream[i];
		double a = s->per_day;
		if (!s->batched || s->spread_zero)
			continue;
		for (size_t k = 0; k < s->nsurge; k++)
			a *= fmax(1, s->surge[k].factor);
		total += a / 2;
	}
	*events = total * per_visit;
	free(v);
	return rc;
}

/* Marks the stages from which exit can be reached by walking the routes
 * backwards from exit, each route once (a fixed point over all stages took
 * one pass a stage of a long chain). */
int traffic_exits(const struct model *m, size_t *stage)
{
	size_t n = m->nstage, nq = 0, *first = xcalloc(n + 1, sizeof *first), *from, *queue;
	int *out = xcalloc(n, sizeof *out), rc = 0;
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &m->stage[i].next;
		for (size_t k = 0; k < r->n; k++)
			if (r->dest[k] != ROUTE_EXIT && route_p(r, k) > 0)
				first[r->dest[k] + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		first[i + 1] += first[i];
	from = xmalloc((first[n] ? first[n] : 1) * sizeof *from);
	queue = xmalloc((n ? n : 1) * sizeof *queue);
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &m->stage[i].next;
		for (size_t k = 0; k < r->n; k++) {
			if (!(route_p(r, k) > 0))
				continue;
			if (r->dest[k] == ROUTE_EXIT && !out[i])
				out[i] = 1, queue[nq++] = i;
			else if (r->dest[k] != ROUTE_EXIT)
				from[first[r->dest[k]]++] = i;
		}
	}
	for (size_t i = n; i > 0; i--)   /* first[j] now ends j's list: shift back */
		first[i] = first[i - 1];
	first[0] = 0;
	for (size_t q = 0; q < nq; q++)
		for (size_t e = first[queue[q]]; e < first[queue[q] + 1]; e++)
			if (!out[from[e]])
				out[from[e]] = 1, queue[nq++] = from[e];
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!out[i]) {
			*stage = i;
			rc = -1;
		}
	}
	free(queue);
	free(from);
	free(first);
	free(out);
	return rc;
}

