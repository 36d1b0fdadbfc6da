/* calendar: a binary min-heap keyed on (time, sequence).
 *
 * The heap holds events by value (32 bytes) so a push or pop touches one
 * contiguous array, and sifts move a hole instead of swapping. At the sizes a
 * replication sees (one pending arrival per stream, one departure per busy
 * server, a boundary) a binary heap beats fancier queues.
 *
 * Most events schedule exactly one follow-up (an arrival the next arrival, a
 * departure the next service). So pop leaves the root vacant, and a push that
 * finds it vacant fills it with one sift-down: a pop and a push for the price
 * of a pop. The order is the same total order either way. */
#include "calendar.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static inline int before(const struct calendar_event *a, const struct calendar_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* Places ev at the root's vacancy and sifts it down among heap[0..n-1]. */
static void sift_down(struct calendar *c, struct calendar_event ev)
{
	struct calendar_event *h = c->heap;
	size_t n = c->n, i = 0;
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= n)
			break;
		if (child + 1 < n && before(&h[child + 1], &h[child]))
			child++;
		if (!before(&h[child], &ev))
			break;
		h[i] = h[child];
		i = child;
	}
	h[i] = ev;
}

/* Fills a vacant root with the last event. */
static void fill_hole(struct calendar *c)
{
	c->hole = 0;
	c->n--;
	if (c->n > 0)
		sift_down(c, c->heap[c->n]);
}

void calendar_init(struct calendar *c)
{
	memset(c, 0, sizeof *c);
}

void calendar_release(struct calendar *c)
{
	free(c->heap);
	memset(c, 0, sizeof *c);
}

void calendar_push(struct calendar *c, double time, calendar_fn fn, void *subject)
{
	struct calendar_event ev = { time, c->next_seq++, fn, subject };
	if (c->hole) {
		c->hole = 0;
		sift_down(c, ev);
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->heap = xrealloc(c->heap, c->cap * sizeof *c->heap);
	}
	size_t i = c->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!before(&ev, &c->heap[parent]))
			break;
		c->heap[i] = c->heap[parent];
		i = parent;
	}
	c->heap[i] = ev;
}

int calendar_pop(struct calendar *c, struct calendar_event *out)
{
	if (c->hole)
		fill_hole(c);
	if (c->n == 0)
		return 0;
	*out = c->heap[0];
	c->hole = 1;
	return 1;
}

size_t calendar_size(const struct calendar *c)
{
	return c->n - (size_t)c->hole;
}
