/* calendar: a binary min-heap keyed on (time, sequence) for the current
 * window, and unsorted buckets for later windows.
 *
 * The heap holds events by value (32 bytes) so a push or pop touches one
 * contiguous array, and sifts move a hole instead of swapping. Events of later
 * windows are appended to their window's bucket, and enter the heap, keeping
 * their sequence numbers, when the heap runs dry and that window begins: since
 * every event in the heap is earlier than every event in a bucket, the order
 * out is exactly (time, sequence). A bucket costs an append and a copy; the
 * heap stays as small as an hour's events.
 *
 * Most events schedule exactly one follow-up (an arrival the next arrival, a
 * departure the next service). So pop leaves the root vacant, and a push that
 * finds it vacant fills it with one sift-down: a pop and a push for the price
 * of a pop. The order is the same total order either way. */
#include "calendar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The order of (time, seq) pairs. Times are finite and non-negative, so their
 * IEEE bit patterns order as the times do, and the comparison can be done on
 * integers with no branch: the heap's comparisons are data-dependent coin
 * flips that a branch predictor cannot learn. */
static inline uint64_t bits(double t)
{
	uint64_t u;
	memcpy(&u, &t, sizeof u);
	return u;
}

static inline int key_before(double t, uint64_t seq, const struct calendar_event *b)
{
	uint64_t x = bits(t), y = bits(b->time);
	return (x < y) | ((x == y) & (seq < b->seq));
}

static inline int before_key(const struct calendar_event *a, double t, uint64_t seq)
{
	uint64_t x = bits(a->time), y = bits(t);
	return (x < y) | ((x == y) & (a->seq < seq));
}

static inline int before(const struct calendar_event *a, const struct calendar_event *b)
{
	return before_key(a, b->time, b->seq);
}

/* Places the event (time, seq, fn, subject) at the root's vacancy and sifts it
 * down. The fields come separately, not as a struct by value: that copy
 * through the stack stalled on store forwarding and cost half of
 * calendar_push in profiles. (A bottom-up sift, descending to a leaf first,
 * took more branches and mispredicted more at these heap sizes.) */
static inline void sift_down(struct calendar_heap *hp, double time, uint64_t seq, calendar_fn fn,
                             void *subject)
{
	struct calendar_event *h = hp->ev;
	size_t n = hp->n, i = 0;
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= n)
			break;
		if (child + 1 < n)
			child += (size_t)before(&h[child + 1], &h[child]);
		if (!before_key(&h[child], time, seq))
			break;
		h[i] = h[child];
		i = child;
	}
	h[i].time = time;
	h[i].seq = seq;
	h[i].fn = fn;
	h[i].subject = subject;
}

/* Fills a vacant root with the last event. */
static void fill_hole(struct calendar_heap *hp)
{
	hp->hole = 0;
	hp->n--;
	if (hp->n > 0) {
		const struct calendar_event *last = &hp->ev[hp->n];
		sift_down(hp, last->time, last->seq, last->fn, last->subject);
	}
}

static void heap_push(struct calendar_heap *hp, double time, uint64_t seq, calendar_fn fn,
                      void *subject)
{
	if (hp->hole) {
		hp->hole = 0;
		sift_down(hp, time, seq, fn, subject);
		return;
	}
	if (hp->n == hp->cap) {
		hp->cap = hp->cap ? 2 * hp->cap : 64;
		hp->ev = xrealloc(hp->ev, hp->cap * sizeof *hp->ev);
	}
	size_t i = hp->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!key_before(time, seq, &hp->ev[parent]))
			break;
		hp->ev[i] = hp->ev[parent];
		i = parent;
	}
	hp->ev[i] = (struct calendar_event){ time, seq, fn, subject };
}

static void list_add(struct calendar_list *l, const struct calendar_event *ev)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->ev = xrealloc(l->ev, l->cap * sizeof *l->ev);
	}
	l->ev[l->n++] = *ev;
}

static long window_of(double time)
{
	return (long)floor(time / CALENDAR_WIDTH);
}

/* Files an event of a later window in its bucket, or beyond the ring. */
static void far_add(struct calendar *c, const struct calendar_event *ev, long w)
{
	if (w < c->window + CALENDAR_BUCKETS) {
		if (!c->bucket)
			c->bucket = xcalloc(CALENDAR_BUCKETS, sizeof *c->bucket);
		list_add(&c->bucket[w % CALENDAR_BUCKETS], ev);
	} else {
		list_add(&c->over, ev);
		if (c->over.n == 1 || w < c->over_min)
			c->over_min = w;
	}
	c->nfar++;
}

/* Moves into the ring the events beyond it that the ring now reaches. */
static void over_refile(struct calendar *c)
{
	struct calendar_list keep = c->over;
	size_t n = keep.n;
	c->over = (struct calendar_list){ keep.ev, 0, keep.cap };
	c->nfar -= n;
	for (size_t i = 0; i < n; i++) {
		struct calendar_event ev = keep.ev[i];
		far_add(c, &ev, window_of(ev.time));
	}
}

/* The heap is empty: the next window's events enter it. */
static void advance(struct calendar *c)
{
	c->window++;
	if (c->over.n && c->over_min < c->window + CALENDAR_BUCKETS)
		over_refile(c);
	if (!c->bucket)
		return;
	struct calendar_list *b = &c->bucket[c->window % CALENDAR_BUCKETS];
	for (size_t i = 0; i < b->n; i++)
		heap_push(&c->heap, b->ev[i].time, b->ev[i].seq, b->ev[i].fn, b->ev[i].subject);
	c->nfar -= b->n;
	b->n = 0;
}

void calendar_init(struct calendar *c)
{
	memset(c, 0, sizeof *c);
}

void calendar_release(struct calendar *c)
{
	for (size_t i = 0; c->bucket && i < CALENDAR_BUCKETS; i++)
		free(c->bucket[i].ev);
	free(c->bucket);
	free(c->over.ev);
	free(c->heap.ev);
	free(c->side.ev);
	memset(c, 0, sizeof *c);
}

void calendar_push(struct calendar *c, double time, calendar_fn fn, void *subject)
{
	uint64_t seq = c->next_seq++;
	long w = window_of(time);
	if (w <= c->window) {
		heap_push(&c->heap, time, seq, fn, subject);
		return;
	}
	struct calendar_event ev = { time, seq, fn, subject };
	far_add(c, &ev, w);
}

void calendar_push_side(struct calendar *c, double time, calendar_fn fn, void *subject)
{
	heap_push(&c->side, time, c->next_seq++, fn, subject);
}

int calendar_pop(struct calendar *c, struct calendar_event *out)
{
	struct calendar_heap *h = &c->heap, *s = &c->side;
	if (h->hole)
		fill_hole(h);
	if (s->hole)
		fill_hole(s);
	while (h->n == 0 && c->nfar)
		advance(c);
	struct calendar_heap *from;
	if (h->n == 0)
		from = s;
	else if (s->n == 0)
		from = h;
	else
		from = before(&s->ev[0], &h->ev[0]) ? s : h;
	if (from->n == 0)
		return 0;
	*out = from->ev[0];
	from->hole = 1;
	return 1;
}

size_t calendar_size(const struct calendar *c)
{
	return c->heap.n - (size_t)c->heap.hole + c->side.n - (size_t)c->side.hole + c->nfar;
}
