/* calendar: the future event list of one replication.
 *
 * Events come out in (time, insertion sequence) order: events at equal times
 * come out first-in first-out, so a run never depends on the structure's
 * internals. An event is a function and the subject it acts on; the calendar
 * does not own subjects and knows no event kinds.
 *
 * Two tiers: the current hour-long window is cut into fine slots, each a
 * short sorted list, so an event is filed and taken out in a few steps however
 * many are pending; later events wait unsorted in one bucket per window (a
 * ring of CALENDAR_BUCKETS, with a list beyond it) and are filed into the
 * slots when their window comes. A national day holds ten thousand people in
 * custody for days: their releases wait in buckets, out of the way. */
#ifndef BORDERSIM_CALENDAR_H
#define BORDERSIM_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

typedef void (*calendar_fn)(void *ctx, void *subject);

struct calendar_event {
	double time;
	uint64_t seq;
	calendar_fn fn;
	void *subject;
};

#define CALENDAR_WIDTH 60.0      /* minutes a window spans */
#define CALENDAR_BUCKETS 1024     /* windows in the ring: about 43 days */

struct calendar_list {
	struct calendar_event *ev;
	size_t n, cap;
};

/* An event filed in a slot: a node of the slot's sorted list. */
struct calendar_node {
	struct calendar_event ev;
	uint32_t next;                /* the next node of the slot, or CALENDAR_NIL */
};

#define CALENDAR_NIL UINT32_MAX

struct calendar {
	/* The current window, [window x CALENDAR_WIDTH, + CALENDAR_WIDTH), in nslot
	 * slots of equal width: slot[i] heads a list sorted by (time, seq), and
	 * bit i of mask says it is not empty. Slots before cur are empty. */
	uint32_t *slot;
	uint64_t *mask;
	size_t nslot, cur, cap_slot;
	double t0, per_minute;        /* window start; slots a minute */
	size_t n0;                    /* events in the slots */
	size_t taken;                 /* events taken from the slots this window */
	struct calendar_node *node;   /* node pool; free nodes chained from free */
	uint32_t nnode, cap_node, free;

	uint64_t next_seq;
	long window;                  /* the slots hold every event of windows <= this */
	struct calendar_list *bucket; /* CALENDAR_BUCKETS later windows, by index mod */
	struct calendar_list over;    /* windows beyond the ring, unsorted */
	long over_min;                /* the earliest window in over */
	size_t nfar;                  /* events in buckets and over */
};

void calendar_init(struct calendar *c);
void calendar_release(struct calendar *c);
/* Schedules fn(ctx, subject) at time. Never fails (allocation failure exits). */
void calendar_push(struct calendar *c, double time, calendar_fn fn, void *subject);
/* Removes the earliest event into *out; returns 0 when the calendar is empty. */
int calendar_pop(struct calendar *c, struct calendar_event *out);
/* The number of events waiting. */
size_t calendar_size(const struct calendar *c);

#endif
