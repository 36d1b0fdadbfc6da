/* calendar: fine slots for the current window, unsorted buckets for later
 * windows.
 *
 * The current window is cut into nslot slots of equal width; an event goes to
 * the slot its time falls in, into the slot's list sorted by (time, seq). The
 * slot count is chosen when the window begins, from how many events the last
 * window took, so that a slot holds at most an event or two: filing one is a
 * short walk, and the earliest pending event is the head of the first non-empty
 * slot, found in a bitmap. (A binary heap of the same events cost a descent of
 * a dozen levels for every event, half the run time of a national day.) The
 * slot index is a non-decreasing function of time, so slots in order and each
 * slot's list in order give exactly (time, seq) order.
 *
 * Events of later windows are appended to their window's bucket and filed
 * into the slots, keeping their sequence numbers, when the slots run dry and
 * that window begins: since every event in the slots is earlier than every
 * event in a bucket, the order out is exactly (time, seq).
 *
 * Times are finite and non-negative (the engine's clock starts at 0). */
#include "calendar.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The order of (time, seq) pairs. Times are finite and non-negative, so their
 * IEEE bit patterns order as the times do, and the comparison is done on
 * integers with no branch. */
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

static void list_add(struct calendar_list *l, const struct calendar_event *ev)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->ev = xrealloc(l->ev, l->cap * sizeof *l->ev);
	}
	l->ev[l->n++] = *ev;
}

/* The window of a time: truncation is floor for the non-negative times the
 * calendar takes, and a multiplication is cheaper than floor of a division.
 * Any non-decreasing function of time would do, used everywhere alike. */
static long window_of(double time)
{
	return (long)(time * (1.0 / CALENDAR_WIDTH));
}

/* Files an event of the current window (or an earlier time) in its slot.
 * Inline: it is most of calendar_push. */
static inline __attribute__((always_inline)) void slot_add(struct calendar *c, double time, uint64_t seq, calendar_fn fn, void *subject)
{
	uint32_t k = c->free;
	if (k != CALENDAR_NIL) {
		c->free = c->node[k].next;
	} else {
		if (c->nnode == c->cap_node) {
			if (c->cap_node >= CALENDAR_NIL / 2)
				util_out_of_memory();
			c->cap_node = c->cap_node ? 2 * c->cap_node : 256;
			c->node = xrealloc(c->node, (size_t)c->cap_node * sizeof *c->node);
		}
		k = c->nnode++;
	}
	struct calendar_node *nd = &c->node[k];
	nd->ev.time = time;
	nd->ev.seq = seq;
	nd->ev.fn = fn;
	nd->ev.subject = subject;

	/* The slot: floor((time - t0) x slots a minute), kept in [cur, nslot). The
	 * product is non-decreasing in time, so the clamped index is too. */
	long j = (long)((time - c->t0) * c->per_minute);
	if (j >= (long)c->nslot)
		j = (long)c->nslot - 1;
	size_t i = j > (long)c->cur ? (size_t)j : c->cur;

	c->mask[i >> 6] |= (uint64_t)1 << (i & 63);
	uint32_t *at = &c->slot[i];
	while (*at != CALENDAR_NIL && !key_before(time, seq, &c->node[*at].ev))
		at = &c->node[*at].next;
	nd->next = *at;
	*at = k;
	c->n0++;
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

/* Slots for a window expected to take `expect` events: the power of two at
 * or above it, between 64 and 65536. More list heads than that (2^18, 1 MB)
 * spared some mispredicted branches but missed the L2 cache more often, for
 * no gain in time. */
static size_t slots_for(size_t expect)
{
	size_t n = 64;
	while (n < expect && n < 65536)
		n *= 2;
	return n;
}

/* The slots are empty: the next window begins, its events filed in slots. */
static void advance(struct calendar *c)
{
	c->window++;
	if (c->over.n && c->over_min < c->window + CALENDAR_BUCKETS)
		over_refile(c);
	struct calendar_list *b = c->bucket ? &c->bucket[c->window % CALENDAR_BUCKETS] : NULL;
	size_t n = b ? b->n : 0;

	/* Two slots an event: most are filed into an empty slot, a branch
	 * taken nearly always instead of a coin flip. */
	size_t want = slots_for(2 * (c->taken > n ? c->taken : n));
	/* Every slot is empty again when the last window's events are all out:
	 * only a larger array needs clearing. */
	if (want > c->cap_slot) {
		free(c->slot);
		free(c->mask);
		c->slot = xmalloc(want * sizeof *c->slot);
		c->mask = xcalloc(want / 64, sizeof *c->mask);
		memset(c->slot, 0xff, want * sizeof *c->slot);
		c->cap_slot = want;
	}
	c->nslot = want;
	c->cur = 0;
	c->t0 = (double)c->window * CALENDAR_WIDTH;
	c->per_minute = (double)want / CALENDAR_WIDTH;
	c->taken = 0;

	for (size_t i = 0; i < n; i++)
		slot_add(c, b->ev[i].time, b->ev[i].seq, b->ev[i].fn, b->ev[i].subject);
	c->nfar -= n;
	if (b)
		b->n = 0;
}

void calendar_init(struct calendar *c)
{
	memset(c, 0, sizeof *c);
	c->free = CALENDAR_NIL;
	/* Window -1 of one slot, empty: the first pop or push begins window 0 or
	 * files the event as of an earlier window. */
	c->window = -1;
	c->nslot = 0;
}

void calendar_release(struct calendar *c)
{
	for (size_t i = 0; c->bucket && i < CALENDAR_BUCKETS; i++)
		free(c->bucket[i].ev);
	free(c->bucket);
	free(c->over.ev);
	free(c->slot);
	free(c->mask);
	free(c->node);
	memset(c, 0, sizeof *c);
}

void calendar_push(struct calendar *c, double time, calendar_fn fn, void *subject)
{
	uint64_t seq = c->next_seq++;
	long w = window_of(time);
	if (w > c->window || c->nslot == 0) {
		struct calendar_event ev = { time, seq, fn, subject };
		far_add(c, &ev, w > c->window ? w : c->window + 1);
		return;
	}
	slot_add(c, time, seq, fn, subject);
}

int calendar_pop(struct calendar *c, struct calendar_event *out)
{
	while (c->n0 == 0) {
		if (c->nfar == 0)
			return 0;
		advance(c);
	}
	/* The first non-empty slot at or after cur; n0 > 0 promises one. */
	size_t w = c->cur >> 6;
	uint64_t m = c->mask[w] & (~(uint64_t)0 << (c->cur & 63));
	while (!m)
		m = c->mask[++w];
	size_t i = (w << 6) + (size_t)__builtin_ctzll(m);
	c->cur = i;

	uint32_t k = c->slot[i];
	struct calendar_node *nd = &c->node[k];
	*out = nd->ev;
	c->slot[i] = nd->next;
	/* The slot's bit goes when it empties; without a branch, since whether
	 * it does is a coin flip. */
	c->mask[w] &= ~((uint64_t)(nd->next == CALENDAR_NIL) << (i & 63));
	nd->next = c->free;
	c->free = k;
	c->n0--;
	c->taken++;
	return 1;
}

size_t calendar_size(const struct calendar *c)
{
	return c->n0 + c->nfar;
}
