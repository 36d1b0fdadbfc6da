/* keys: the one table of scenario keys, its look-ups and its prints.
 *
 * The table is an X-macro so that each row is written once and gives both the
 * key_def and the key's full name as shown to people ("stage.NAME.servers"):
 * the full names are string literals, so keys_suggest can return them without
 * building strings at run time (threads may call it at once). */
#include "keys.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* X(kind, full-name prefix, name, type, type_name, default, unit, meaning) */
#define KEYS_TABLE(X)                                                                        \
	X("scenario", "scenario.", "name", KEY_STRING, "text", "file name without .ini", "",       \
	  "Names the output folder and fills the scenario column of every CSV file.")             \
	X("scenario", "scenario.", "days", KEY_DAYS, "number of days", "1", "d",                   \
	  "How many days are simulated and reported, after the warm-up; may be fractional.")      \
	X("scenario", "scenario.", "warmup_days", KEY_DAYS, "number of days", "0", "d",            \
	  "Days simulated first so queues fill as on a working day; they are not reported.")      \
	X("scenario", "scenario.", "replications", KEY_INT, "whole number 1-100000", "10", "",     \
	  "How many independent runs of the days; means and confidence intervals are over them.") \
	X("scenario", "scenario.", "seed", KEY_SEED, "whole number 0-2^64-1", "1", "",             \
	  "Starting point of the random numbers; the same seed gives the same results.")          \
	X("scenario", "scenario.", "max_events", KEY_REAL, "number", "1e10", "events",            \
	  "Budget of a run, all replications: a scenario whose expected events exceed it is "      \
	  "refused before it starts, with the estimate (1e10 is about a quarter of an hour).")    \
	X("scenario", "scenario.", "max_entities", KEY_REAL, "number", "2e7", "entities",         \
	  "Most entities present at once in the whole run: each of the replications running at " \
	  "once (-j) may hold an equal share; a queue that grows past its share ends the run "    \
	  "with a message naming the stage, instead of exhausting memory.")                       \
	X("stream", "stream.NAME.", "per_day", KEY_REAL, "number", NULL, "arrivals/d",             \
	  "Expected arrivals of this stream in a day (vehicles, travelers, containers ...); "   \
	  "they come at random, at each hour's rate.")     \
	X("stream", "stream.NAME.", "profile", KEY_PROFILE, "flat or 24 weights", "flat", "",      \
	  "How the day's arrivals spread over the clock hours 0-23: 24 relative weights, "        \
	  "or flat for an even spread.")                                                          \
	X("stream", "stream.NAME.", "route", KEY_ROUTE, "route", NULL, "",                         \
	  "The first stage arrivals join, or a list with shares such as primary_a:0.6,primary_b.") \
	X("stream", "stream.NAME.", "priority", KEY_INT, "whole number 0-9", "0", "",              \
	  "Queue priority at every stage; a higher class is served before a lower one.")          \
	X("stream", "stream.NAME.", "persons", KEY_PERSONS, "whole number or shares", "1",         \
	  "persons",                                                                              \
	  "Persons each arrival carries: one number, or shares such as 1:0.5,2:0.3,3:0.2 "        \
	  "(vehicles with occupants).")                                                           \
	X("stream", "stream.NAME.", "counts_as", KEY_CHOICE,                                       \
	  "none, travelers_air, travelers_sea, travelers_land, containers or apprehensions",      \
	  "none", "",                                                                             \
	  "Which national figure the stream adds to: its persons as air, sea or land "            \
	  "travelers processed, its arrivals as containers processed or as apprehensions.")       \
	X("stream", "stream.NAME.", "value", KEY_REAL, "number", "0", "USD",                       \
	  "Declared value of each arrival (imports), summed over those processed into "           \
	  "import_value_usd.")                                                                    \
	X("stream", "stream.NAME.", "group", KEY_NAME, "name", "none", "",                         \
	  "A group of streams that a surge may name at once, e.g. land_travel.")                  \
	X("stage", "stage.NAME.", "servers", KEY_SERVERS, "whole number, 24 of them, or unlimited", \
	  "1", "",                                                                                \
	  "Officers, booths or lanes open: one number all day, or 24 numbers by clock hour; "     \
	  "unlimited for a delay nobody queues for (transport, holding).")                        \
	X("stage", "stage.NAME.", "service", KEY_DIST, "distribution", "required unless per_hour", \
	  "", "Time one server takes per arrival, e.g. lognormal(mean=34s, cv=0.5).")             \
	X("stage", "stage.NAME.", "next", KEY_ROUTE, "route", "exit", "",                          \
	  "Where an arrival goes after this stage: exit, a stage, or shares such as "             \
	  "secondary:0.03,exit.")                                                                 \
	X("stage", "stage.NAME.", "capacity", KEY_CAPACITY, "whole number or unlimited",           \
	  "unlimited", "",                                                                        \
	  "The most that may wait here, not counting those in service; arrivals that find "       \
	  "the queue full are turned away and counted as blocked.")                               \
	X("stage", "stage.NAME.", "kind", KEY_CHOICE,                                              \
	  "inspection, nii, agriculture, custody or checkpoint", "inspection", "",                \
	  "What the stage is, for the national figures: nii counts scans, agriculture counts "    \
	  "inspections, custody counts people held and their time, checkpoint counts vehicles "   \
	  "flushed.")                                                                             \
	X("stage", "stage.NAME.", "per_hour", KEY_REAL, "number", "none", "per server-hour",      \
	  "Instead of service: each server handles this many an hour, each taking exactly "       \
	  "60/per_hour minutes (an NII scanner's scan rate).")                                    \
	X("stage", "stage.NAME.", "flush_above", KEY_CAPACITY, "whole number or unlimited",        \
	  "unlimited", "",                                                                        \
	  "Checkpoint flush rule: while more than this many wait, arrivals are waved through "    \
	  "unscreened and counted as flushed.")                                                   \
	X("stage", "stage.NAME.", "rated_capacity", KEY_CAPACITY, "whole number or unlimited",     \
	  "unlimited", "persons",                                                                 \
	  "For custody: the population the facility is rated for; those held above it are "       \
	  "reported as over capacity (nobody is turned away).")                                   \
	X("stage", "stage.NAME.", "targeting", KEY_PROB, "number 0-1", "0", "",                    \
	  "Share of this stage's routing decisions made by risk: the riskiest arrivals go to "     \
	  "the destinations listed first in next; the rest are chosen at random.")                \
	X("stage", "stage.NAME.", "group", KEY_NAME, "name", "none", "",                           \
	  "A group of stages that a closure or staffing change may name at once.")                \
	X("find", "find.NAME.", "stages", KEY_LIST, "list of stages", NULL, "",                   \
	  "The stages whose inspections can make this find, e.g. nii_truck, secondary_land.")     \
	X("find", "find.NAME.", "probability", KEY_PROB, "number 0-1", NULL, "",                  \
	  "Chance that one inspection there finds it, for an arrival of average risk.")           \
	X("find", "find.NAME.", "concentration", KEY_REAL, "number >= 0", "0", "",                 \
	  "How much the finds concentrate in high-risk arrivals: the chance for risk u is "       \
	  "probability x (k+1) u^k; 0 spreads them evenly.")                                      \
	X("find", "find.NAME.", "amount", KEY_AMOUNT, "distribution of a quantity", "fixed(1)",   \
	  "", "Quantity of one find, as a distribution without units, e.g. "                     \
	  "lognormal(mean=12, cv=2) pounds.")                                                     \
	X("find", "find.NAME.", "unit", KEY_NAME, "name", "count", "",                             \
	  "Unit of the amount, written in the unit column, e.g. lb.")                             \
	X("find", "find.NAME.", "counts_as", KEY_CHOICE, "none, drugs or pests", "none", "",       \
	  "National figure it adds to: drugs_seized_lb (the amounts) or pests_intercepted "       \
	  "(the finds).")                                                                         \
	X("surge", "surge.NAME.", "streams", KEY_LIST, "list of streams", "none", "",             \
	  "Streams whose arrivals the surge multiplies (or give group).")                         \
	X("surge", "surge.NAME.", "group", KEY_LIST, "list of groups", "none", "",                           \
	  "Stream groups whose arrivals the surge multiplies, e.g. air_travel, land_travel "    \
	  "(or give streams).")                \
	X("surge", "surge.NAME.", "factor", KEY_REAL, "number >= 0", NULL, "",                     \
	  "Multiplier of the arrival rate at the surge's height (0 stops arrivals).")             \
	X("surge", "surge.NAME.", "start", KEY_DURATION, "duration", "0d", "",                     \
	  "When the ramp up begins, counted from the start of the reported days.")                \
	X("surge", "surge.NAME.", "ramp_up", KEY_DURATION, "duration", "0s", "",                   \
	  "Time over which the multiplier rises linearly from 1 to factor.")                      \
	X("surge", "surge.NAME.", "duration", KEY_DURATION, "duration", NULL, "",                  \
	  "Time at the full factor.")                                                             \
	X("surge", "surge.NAME.", "ramp_down", KEY_DURATION, "duration", "0s", "",                 \
	  "Time over which the multiplier falls linearly back to 1.")                             \
	X("closure", "closure.NAME.", "stages", KEY_LIST, "list of stages", "none", "",           \
	  "Stages closed: no server on duty (or give group); the queue waits for the reopening.") \
	X("closure", "closure.NAME.", "group", KEY_LIST, "list of groups", "none", "",                       \
	  "Stage groups closed (or give stages).")                                               \
	X("closure", "closure.NAME.", "start", KEY_DURATION, "duration", "0d", "",                 \
	  "When the closure begins, counted from the start of the reported days.")                \
	X("closure", "closure.NAME.", "duration", KEY_DURATION, "duration", NULL, "",              \
	  "How long the stages stay closed.")                                                     \
	X("staffing", "staffing.NAME.", "stages", KEY_LIST, "list of stages", "none", "",         \
	  "Stages whose servers the factor scales (or give group).")                              \
	X("staffing", "staffing.NAME.", "group", KEY_LIST, "list of groups", "none", "",                     \
	  "Stage groups whose servers the factor scales, e.g. land_primary, secondary "        \
	  "(or give stages).")                      \
	X("staffing", "staffing.NAME.", "factor", KEY_REAL, "number >= 0", NULL, "",               \
	  "Multiplies the servers of every hour, rounded to the nearest whole number.")

#define KEY_ROW(kind, prefix, name, type, tname, def, unit, meaning) \
	{ kind, name, type, tname, def, unit, meaning },
#define KEY_FULL(kind, prefix, name, type, tname, def, unit, meaning) prefix name,

static const struct key_def table[] = { KEYS_TABLE(KEY_ROW) };
static const char *const full[] = { KEYS_TABLE(KEY_FULL) };
#define NKEY (sizeof table / sizeof table[0])
_Static_assert(sizeof table / sizeof table[0] == sizeof full / sizeof full[0],
               "one full name per key");

static const char *const kinds[] = { "scenario", "stream", "stage", "find",
                                     "surge", "closure", "staffing" };
#define NKIND (sizeof kinds / sizeof kinds[0])

const struct key_def *keys_table(size_t *n)
{
	if (n)
		*n = NKEY;
	return table;
}

const struct key_def *keys_find(const char *kind, const char *key)
{
	for (size_t i = 0; i < NKEY; i++)
		if (strcmp(table[i].kind, kind) == 0 && strcmp(table[i].name, key) == 0)
			return &table[i];
	return NULL;
}

int keys_kind_known(const char *kind)
{
	for (size_t i = 0; i < NKIND; i++)
		if (strcmp(kinds[i], kind) == 0)
			return 1;
	return 0;
}

int keys_kind_named(const char *kind)
{
	return keys_kind_known(kind) && strcmp(kind, "scenario") != 0;
}

const char *keys_full_name(const struct key_def *d)
{
	return full[d - table];
}

/* Two rows of the classic dynamic programme; names are short, so the cost
 * (length a times length b) does not matter. */
size_t keys_distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	size_t *prev = xmalloc((nb + 1) * sizeof *prev);
	size_t *cur = xmalloc((nb + 1) * sizeof *cur);
	for (size_t j = 0; j <= nb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	size_t d = prev[nb];
	free(prev);
	free(cur);
	return d;
}

int keys_near(size_t distance, const char *typed)
{
	size_t len = strlen(typed);
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	return distance <= limit;
}

const struct key_def *keys_nearest(const char *kind, const char *key)
{
	/* With no kind (a key outside any section), compare the key alone. */
	int bare = kind == NULL || *kind == '\0';
	/* A key of another kind, spelt right, is the likeliest meaning. */
	for (size_t i = 0; i < NKEY; i++)
		if (strcmp(table[i].name, key) == 0)
			return &table[i];
	char *typed = bare ? xstrdup(key) : xasprintf("%s.%s", kind, key);
	const struct key_def *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < NKEY; i++) {
		char *cand = bare ? xstrdup(table[i].name)
		                  : xasprintf("%s.%s", table[i].kind, table[i].name);
		size_t d = keys_distance(typed, cand);
		free(cand);
		if (d < best_d) {
			best_d = d;
			best = &table[i];
		}
	}
	/* The bar is set by the key as typed, not by its kind prefix: "colour"
	 * is not near "group" however long the section name. */
	if (best && !keys_near(best_d, key))
		best = NULL;
	free(typed);
	return best;
}

const char *keys_suggest(const char *kind, const char *key)
{
	const struct key_def *d = keys_nearest(kind, key);
	return d ? keys_full_name(d) : NULL;
}

const char *keys_suggest_kind(const char *kind)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < NKIND; i++) {
		size_t d = keys_distance(kind, kinds[i]);
		if (d < best_d) {
			best_d = d;
			best = kinds[i];
		}
	}
	return best && keys_near(best_d, kind) ? best : NULL;
}

static const char *shown_default(const struct key_def *d)
{
	return d->def ? d->def : "required";
}

static void print_text(FILE *f)
{
	int wk = (int)strlen("key"), wt = (int)strlen("type"), wd = (int)strlen("default");
	int wu = (int)strlen("unit");
	for (size_t i = 0; i < NKEY; i++) {
		int k = (int)strlen(full[i]), t = (int)strlen(table[i].type_name);
		int d = (int)strlen(shown_default(&table[i])), u = (int)strlen(table[i].unit);
		wk = k > wk ? k : wk;
		wt = t > wt ? t : wt;
		wd = d > wd ? d : wd;
		wu = u > wu ? u : wu;
	}
	fprintf(f, "%-*s  %-*s  %-*s  %-*s  %s\n", wk, "key", wt, "type", wd, "default", wu, "unit",
	        "meaning");
	for (size_t i = 0; i < NKEY; i++)
		fprintf(f, "%-*s  %-*s  %-*s  %-*s  %s\n", wk, full[i], wt, table[i].type_name, wd,
		        shown_default(&table[i]), wu, table[i].unit, table[i].meaning);
}

static void print_markdown(FILE *f)
{
	fputs("| key | type | default | unit | meaning |\n", f);
	fputs("| --- | --- | --- | --- | --- |\n", f);
	for (size_t i = 0; i < NKEY; i++)
		fprintf(f, "| `%s` | %s | %s | %s | %s |\n", full[i], table[i].type_name,
		        shown_default(&table[i]), table[i].unit, table[i].meaning);
}

void keys_print(FILE *f, int markdown)
{
	if (markdown)
		print_markdown(f);
	else
		print_text(f);
}
