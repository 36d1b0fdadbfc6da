/* calendar: the future event list of one replication.
 *
 * Events come out in (time, insertion sequence) order: events at equal times
 * come out first-in first-out, so a run never depends on the structure's
 * internals. An event is a function and the subject it acts on; the calendar
 * does not own subjects and knows no event kinds.
 *
 * Two tiers: a binary heap holds the events of the current hour-long window;
 * later events wait unsorted in one bucket per window (a ring of
 * CALENDAR_BUCKETS, with a list beyond it) and enter the heap when their
 * window comes. A national day holds ten thousand people in custody for days:
 * their releases wait in buckets instead of deepening every heap operation. */
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

/* A binary min-heap of events; hole: the root was popped and not refilled. */
struct calendar_heap {
	struct calendar_event *ev;
	size_t n, cap;
	int hole;
};

struct calendar {
	struct calendar_heap heap;    /* the current window's events */
	struct calendar_heap side;    /* events pushed with calendar_push_side */
	uint64_t next_seq;
	long window;                  /* the heap holds every event of windows <= this */
	struct calendar_list *bucket; /* CALENDAR_BUCKETS later windows, by index mod */
	struct calendar_list over;    /* windows beyond the ring, unsorted */
	long over_min;                /* the earliest window in over */
	size_t nfar;                  /* events in buckets and over */
};

void calendar_init(struct calendar *c);
void calendar_release(struct calendar *c);
/* Schedules fn(ctx, subject) at time. Never fails (allocation failure exits). */
void calendar_push(struct calendar *c, double time, calendar_fn fn, void *subject);
/* The same, for a few events that recur all run long (a stream's next
 * arrival): they wait in a small heap of their own beside the large one, so
 * each costs a few comparisons instead of a descent through every pending
 * service. The order out is the same single (time, sequence) order. */
void calendar_push_side(struct calendar *c, double time, calendar_fn fn, void *subject);
/* Removes the earliest event into *out; returns 0 when the calendar is empty. */
int calendar_pop(struct calendar *c, struct calendar_event *out);
/* The number of events waiting. */
size_t calendar_size(const struct calendar *c);

#endif
