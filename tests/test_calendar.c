/* test_calendar: the event calendar's total order — time, then insertion.
 *
 * Equal-time events must come out first-in first-out (libuv's timer_order
 * test), mixed times sorted by (time, insertion), and long random runs of
 * interleaved pushes and pops, in the pattern of a simulation (a pop, then a
 * push or two at or after its time), with windows dense enough to put many
 * events in one slot and sparse enough to leave most slots empty, must agree
 * event for event with a plain reference list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "calendar.h"

static void event_a(void *ctx, void *subject) { (void)ctx; (void)subject; }
static void event_b(void *ctx, void *subject) { (void)ctx; (void)subject; }

/* A small deterministic generator (xorshift64*) so the random test does not
 * depend on the rng module. */
static uint64_t xs_state;

static uint64_t xs_next(void)
{
	xs_state ^= xs_state >> 12;
	xs_state ^= xs_state << 25;
	xs_state ^= xs_state >> 27;
	return xs_state * 0x2545f4914f6cdd1dULL;
}

static unsigned xs_below(unsigned n) { return (unsigned)(xs_next() >> 33) % n; }

static void empty_pop_returns_zero(void **state)
{
	(void)state;
	struct calendar c;
	struct calendar_event ev = { 0 };
	calendar_init(&c);
	assert_int_equal(calendar_size(&c), 0);
	assert_int_equal(calendar_pop(&c, &ev), 0);
	assert_int_equal(calendar_pop(&c, &ev), 0);

	/* Drained after use. */
	int x;
	calendar_push(&c, 1.0, event_a, &x);
	assert_int_equal(calendar_pop(&c, &ev), 1);
	assert_true(ev.subject == &x);
	assert_int_equal(calendar_size(&c), 0);
	assert_int_equal(calendar_pop(&c, &ev), 0);
	assert_int_equal(calendar_size(&c), 0);
	calendar_release(&c);

	/* Released and initialised again, it works as new. */
	calendar_init(&c);
	calendar_push(&c, 2.0, event_b, &x);
	assert_int_equal(calendar_size(&c), 1);
	assert_int_equal(calendar_pop(&c, &ev), 1);
	assert_true(ev.fn == event_b);
	assert_true(ev.time == 2.0);
	assert_int_equal(calendar_pop(&c, &ev), 0);
	calendar_release(&c);
}

/* Like libuv's timer_order: many events at one time run in the order they
 * were scheduled, across several growths of the heap. */
static void equal_times_fifo(void **state)
{
	(void)state;
	enum { N = 1000 };
	static int id[N];
	struct calendar c;
	struct calendar_event ev;
	calendar_init(&c);
	for (int i = 0; i < N; i++) {
		id[i] = i;
		calendar_push(&c, 5.0, i % 2 ? event_a : event_b, &id[i]);
	}
	assert_int_equal(calendar_size(&c), N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(calendar_pop(&c, &ev), 1);
		assert_int_equal(*(int *)ev.subject, i);
		assert_true(ev.fn == (i % 2 ? event_a : event_b));
		assert_true(ev.time == 5.0);
	}
	assert_int_equal(calendar_pop(&c, &ev), 0);
	calendar_release(&c);
}

/* An event pushed straight after a pop, at the time of events already
 * waiting, still runs after them. */
static void equal_times_fifo_after_pops(void **state)
{
	(void)state;
	enum { N = 200 };
	static int id[2 * N];
	struct calendar c;
	struct calendar_event ev;
	calendar_init(&c);
	for (int i = 0; i < N; i++) {
		id[i] = i;
		calendar_push(&c, 3.0, event_a, &id[i]);
	}
	/* Each pop is followed by one push at the same time: a rotating queue. */
	int next = N;
	for (int i = 0; i < 2 * N; i++) {
		assert_int_equal(calendar_pop(&c, &ev), 1);
		assert_int_equal(*(int *)ev.subject, i);
		if (next < 2 * N) {
			id[next] = next;
			calendar_push(&c, 3.0, event_a, &id[next]);
			next++;
		}
		assert_int_equal(calendar_size(&c), (size_t)(i < N ? N : 2 * N - 1 - i));
	}
	assert_int_equal(calendar_pop(&c, &ev), 0);
	calendar_release(&c);
}

/* Times pushed out of order with many ties: out by time, ties by insertion. */
static void mixed_times_sorted_then_fifo(void **state)
{
	(void)state;
	enum { N = 700 };
	static int id[N];
	struct calendar c;
	struct calendar_event ev;
	calendar_init(&c);
	/* 7 distinct times, visited in a scrambled order (i * 3 mod 7). */
	for (int i = 0; i < N; i++) {
		id[i] = i;
		calendar_push(&c, (double)((i * 3) % 7) * 0.25, event_a, &id[i]);
	}
	double last_time = -1;
	int last_id = -1;
	for (int i = 0; i < N; i++) {
		assert_int_equal(calendar_pop(&c, &ev), 1);
		int k = *(int *)ev.subject;
		assert_true(ev.time == (double)((k * 3) % 7) * 0.25);
		assert_true(ev.time >= last_time);
		if (ev.time == last_time)
			assert_true(k > last_id);   /* insertion order within a time */
		last_time = ev.time;
		last_id = k;
	}
	assert_int_equal(calendar_pop(&c, &ev), 0);
	calendar_release(&c);
}

static void size_through_pushes_and_pops(void **state)
{
	(void)state;
	int x[5];
	struct calendar c;
	struct calendar_event ev;
	calendar_init(&c);
	calendar_push(&c, 3.0, event_a, &x[0]);
	calendar_push(&c, 1.0, event_a, &x[1]);
	calendar_push(&c, 2.0, event_a, &x[2]);
	assert_int_equal(calendar_size(&c), 3);
	assert_int_equal(calendar_pop(&c, &ev), 1);
	assert_true(ev.subject == &x[1]);
	assert_int_equal(calendar_size(&c), 2);
	calendar_push(&c, 2.5, event_a, &x[3]);
	assert_int_equal(calendar_size(&c), 3);
	calendar_push(&c, 0.5, event_a, &x[4]);            /* earlier than the last pop */
	assert_int_equal(calendar_size(&c), 4);
	const int *want[] = { &x[4], &x[2], &x[3], &x[0] };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(calendar_pop(&c, &ev), 1);
		assert_true(ev.subject == want[i]);
		assert_int_equal(calendar_size(&c), (size_t)(3 - i));
	}
	assert_int_equal(calendar_pop(&c, &ev), 0);
	assert_int_equal(calendar_size(&c), 0);
	calendar_release(&c);
}

/* The reference: an unsorted list; a pop takes the least (time, seq). */
struct ref_event {
	double time;
	uint64_t seq;
	int id;
};

static int ref_pop(struct ref_event *r, size_t *n, struct ref_event *out)
{
	if (*n == 0)
		return 0;
	size_t best = 0;
	for (size_t i = 1; i < *n; i++)
		if (r[i].time < r[best].time ||
		    (r[i].time == r[best].time && r[i].seq < r[best].seq))
			best = i;
	*out = r[best];
	r[best] = r[--*n];
	return 1;
}

/* Delays of the follow-up events: a coarse grid of minutes, so ties are
 * common (all within the current window or the next); or a spread from seconds
 * to two months, with some on exact window edges, so events wait in buckets,
 * beyond the bucket ring, and across empty windows. */
static double delay_near(void)
{
	return 0.5 * xs_below(8);
}

static double delay_wide(void)
{
	unsigned r = xs_below(100);
	if (r < 60)
		return 0.5 * xs_below(8);
	if (r < 85)
		return 0.25 * xs_below(24 * 60 * 4);            /* up to a day */
	if (r < 95)
		return 60.0 * xs_below(24 * 20);                /* window edges, 20 days */
	return 60.0 * xs_below(24 * 60) + 0.5;               /* up to 60 days: past the ring */
}

/* Delays within a second: tens of thousands of events an hour, more than the
 * slots of a window, so slots hold long lists. */
static double delay_dense(void)
{
	return (double)xs_below(1000) / 60000.0;
}

/* 40,000 operations in a discrete-event pattern: each pop is followed by 0, 1
 * (most often) or 2 pushes at or after the popped time; bursts of pushes and
 * of pops grow and shrink the calendar. */
static void run_random(double (*delay)(void))
{
	enum { OPS = 40000, MAXN = OPS };
	static struct ref_event ref[MAXN];
	static int id[MAXN];
	size_t nref = 0;
	uint64_t seq = 0;
	int nid = 0;
	double now = 0;
	struct calendar c;
	struct calendar_event ev;
	struct ref_event want;
	unsigned follow_ups = 0;
	xs_state = 0x9e3779b97f4a7c15ULL;
	calendar_init(&c);

#define PUSH() do { \
		double t_ = now + delay(); \
		id[nid] = nid; \
		calendar_push(&c, t_, event_a, &id[nid]); \
		ref[nref++] = (struct ref_event){ t_, seq++, nid }; \
		nid++; \
	} while (0)

	for (int i = 0; i < 50; i++)
		PUSH();
	while (nid < OPS) {
		unsigned r = xs_below(100);
		if (r < 3 && nid + 40 < OPS) {          /* a burst of pushes */
			for (int k = 0; k < 40; k++)
				PUSH();
		} else if (r < 6) {                      /* a burst of pops */
			for (int k = 0; k < 30; k++) {
				int got = calendar_pop(&c, &ev);
				assert_int_equal(got, ref_pop(ref, &nref, &want));
				if (!got)
					break;
				assert_int_equal(*(int *)ev.subject, want.id);
				assert_true(ev.time == want.time);
				now = ev.time;
			}
		} else {                                  /* pop, then schedule follow-ups */
			int got = calendar_pop(&c, &ev);
			assert_int_equal(got, ref_pop(ref, &nref, &want));
			if (got) {
				assert_int_equal(*(int *)ev.subject, want.id);
				assert_true(ev.time == want.time);
				assert_true(ev.fn == event_a);
				now = ev.time;
			}
			unsigned follow = r < 15 ? 0 : r < 90 ? 1 : 2;
			if (got && follow)
				follow_ups++;
			for (unsigned k = 0; k < follow && nid < OPS; k++)
				PUSH();
		}
		assert_int_equal(calendar_size(&c), nref);
	}
#undef PUSH
	/* Drain and compare the rest. */
	for (;;) {
		int got = calendar_pop(&c, &ev);
		assert_int_equal(got, ref_pop(ref, &nref, &want));
		if (!got)
			break;
		assert_int_equal(*(int *)ev.subject, want.id);
		assert_true(ev.time == want.time);
		assert_int_equal(calendar_size(&c), nref);
	}
	assert_int_equal(nref, 0);
	/* The run was mostly pops each followed by pushes. */
	assert_true(follow_ups > OPS / 4);
	calendar_release(&c);
}

static void random_against_reference(void **state)
{
	run_random(delay_near);
}

static void random_wide_times_against_reference(void **state)
{
	run_random(delay_wide);
}

static void random_dense_times_against_reference(void **state)
{
	run_random(delay_dense);
}

/* A window of 200,000 events (more than the most slots a window gets), then
 * windows of a few: every event in order, across the change of slot counts;
 * and times on the edges of slots and windows. */
static void dense_then_sparse_windows(void **state)
{
	(void)state;
	enum { N = 200000, M = 50 };
	static int id[N + M];
	struct calendar c;
	struct calendar_event ev;
	calendar_init(&c);
	xs_state = 0x2545f4914f6cdd1dULL;
	for (int i = 0; i < N; i++) {
		id[i] = i;
		calendar_push(&c, 60.0 + (double)xs_below(1u << 20) * (60.0 / (1u << 20)), event_a,
		              &id[i]);
	}
	for (int i = 0; i < M; i++) {
		id[N + i] = N + i;
		calendar_push(&c, 120.0 + 60.0 * (double)i + (i % 2 ? 0.0 : 59.999), event_b,
		              &id[N + i]);
	}
	double last = -1;
	int last_id = -1;
	for (int i = 0; i < N + M; i++) {
		assert_int_equal(calendar_pop(&c, &ev), 1);
		int k = *(int *)ev.subject;
		assert_true(ev.time >= last);
		if (ev.time == last)
			assert_true(k > last_id);
		assert_true((k < N) == (ev.fn == event_a));
		/* One pushed back to the same time after each of the sparse pops:
		 * it comes out next. */
		if (k >= N && k % 7 == 0) {
			int again;
			calendar_push(&c, ev.time, event_b, &again);
			struct calendar_event ev2;
			assert_int_equal(calendar_pop(&c, &ev2), 1);
			assert_true(ev2.subject == &again);
			assert_true(ev2.time == ev.time);
		}
		last = ev.time;
		last_id = k;
	}
	assert_int_equal(calendar_pop(&c, &ev), 0);
	assert_int_equal(calendar_size(&c), 0);
	calendar_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_pop_returns_zero),
		cmocka_unit_test(equal_times_fifo),
		cmocka_unit_test(equal_times_fifo_after_pops),
		cmocka_unit_test(mixed_times_sorted_then_fifo),
		cmocka_unit_test(size_through_pushes_and_pops),
		cmocka_unit_test(random_against_reference),
		cmocka_unit_test(random_wide_times_against_reference),
		cmocka_unit_test(random_dense_times_against_reference),
		cmocka_unit_test(dense_then_sparse_windows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
