/* calendar: the future event list of one replication.
 *
 * A binary min-heap of events ordered by (time, insertion sequence): events at
 * equal times come out first-in first-out, so a run never depends on heap
 * internals. An event is a function and the subject it acts on; the calendar
 * does not own subjects and knows no event kinds. */
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

struct calendar {
	struct calendar_event *heap;
	size_t n, cap;
	uint64_t next_seq;
	int hole;            /* the root was popped and not yet refilled */
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
