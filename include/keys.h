/* keys: the one table of scenario keys.
 *
 * Every key a scenario may set — its section kind, name, type, bounds,
 * choices, default, unit and meaning — is one row here. The scenario reader
 * validates names against it; the model compiler reads each value by the
 * row's type, within the row's bounds, from the row's choices or default,
 * and quotes the row's bounds when it refuses one (keys_values); `bordersim
 * keys` prints the same words, and the key reference in docs/scenarios.md is checked
 * against that print. */
#ifndef BORDERSIM_KEYS_H
#define BORDERSIM_KEYS_H

#include <stddef.h>
#include <math.h>
#include <stdio.h>

enum key_type {
	KEY_STRING,
	KEY_INT,
	KEY_SEED,
	KEY_REAL,
	KEY_DAYS,
	KEY_PROFILE,
	KEY_SERVERS,
	KEY_CAPACITY,
	KEY_DIST,
	KEY_ROUTE,
	KEY_PERSONS,
	KEY_BATCH,
	KEY_CHOICE,
	KEY_NAME,
	KEY_LIST,
	KEY_DURATION,
	KEY_AMOUNT,
};

/* A bound that is not there, and which bounds exclude their value. */
#define KEYS_NONE HUGE_VAL
#define KEYS_LO_OPEN 1
#define KEYS_HI_OPEN 2

/* The rows: X(ID, kind, full-name prefix, name, type, type_name, lo, hi, open,
 * choices, default, unit, meaning). lo and hi bound a number (each number of a
 * list); KEYS_NONE for no bound; open says which bound excludes its value.
 * choices names a NULL-ended word list of keys.c: the words of a KEY_CHOICE
 * key in the order of the model's enum, or the one word ("unlimited", "flat")
 * a number may be replaced by; NULL for none. */
#define KEYS_TABLE(X)                                                                         \
	X(SCENARIO_NAME, "scenario", "scenario.", "name", KEY_STRING, "text", -KEYS_NONE,         \
	  KEYS_NONE, 0, NULL, "file name without .ini", "",                                        \
	  "Names the output folder and fills the scenario column of every CSV file.")             \
	X(SCENARIO_DAYS, "scenario", "scenario.", "days", KEY_DAYS, "number of days", 0,          \
	  KEYS_NONE, KEYS_LO_OPEN, NULL, "1", "d",                                                 \
	  "How many days are simulated and reported, after the warm-up; may be fractional.")      \
	X(SCENARIO_WARMUP_DAYS, "scenario", "scenario.", "warmup_days", KEY_DAYS,                  \
	  "number of days", 0, KEYS_NONE, 0, NULL, "0", "d",                                       \
	  "Days simulated first so queues fill as on a working day; they are not reported.")      \
	X(SCENARIO_REPLICATIONS, "scenario", "scenario.", "replications", KEY_INT, "whole number", \
	  1, 100000, 0, NULL, "10", "",                                                            \
	  "How many independent runs of the days; means and confidence intervals are over them.") \
	X(SCENARIO_SEED, "scenario", "scenario.", "seed", KEY_SEED, "whole number", 0, 0x1p64,    \
	  KEYS_HI_OPEN, NULL, "1", "",                                                             \
	  "Starting point of the random numbers; the same seed gives the same results.")          \
	X(SCENARIO_MAX_EVENTS, "scenario", "scenario.", "max_events", KEY_REAL, "number", 1, 1e18, \
	  0, NULL, "1e10", "events",                                                               \
	  "Budget of a run, all replications: a scenario whose expected events exceed it is "      \
	  "refused before it starts, with the estimate (1e10 is about a quarter of an hour).")    \
	X(SCENARIO_MAX_ENTITIES, "scenario", "scenario.", "max_entities", KEY_REAL, "number", 1,   \
	  1e12, 0, NULL, "2e7", "entities",                                                        \
	  "Most entities present at once in the whole run: each of the replications running at " \
	  "once (-j) may hold an equal share; a queue that grows past its share ends the run "    \
	  "with a message naming the stage, instead of exhausting memory.")                       \
	X(STREAM_PER_DAY, "stream", "stream.NAME.", "per_day", KEY_REAL, "number of arrivals", 0, \
	  KEYS_NONE, 0, NULL, NULL, "arrivals/d",                                                      \
	  "Expected arrivals of this stream in a day (vehicles, travelers, containers ...); "     \
	  "they come at random, at each hour's rate.")                                            \
	X(STREAM_PROFILE, "stream", "stream.NAME.", "profile", KEY_PROFILE, "24 weights", 0,       \
	  KEYS_NONE, 0, word_flat, "flat", "",                                                     \
	  "How the day's arrivals spread over the clock hours 0-23: 24 relative weights, "        \
	  "or flat for an even spread.")                                                          \
	X(STREAM_ROUTE, "stream", "stream.NAME.", "route", KEY_ROUTE, "route", -KEYS_NONE,         \
	  KEYS_NONE, 0, NULL, NULL, "",                                                            \
	  "The first stage arrivals join, or a list with shares such as primary_a:0.6,primary_b.") \
	X(STREAM_PRIORITY, "stream", "stream.NAME.", "priority", KEY_INT, "whole number", 0, 9, 0, \
	  NULL, "0", "", "Queue priority at every stage; a higher class is served before a lower one.") \
	X(STREAM_PERSONS, "stream", "stream.NAME.", "persons", KEY_PERSONS, "whole number", 0,     \
	  1000, 0, NULL, "1", "persons",                                                           \
	  "Persons each arrival carries: one number, shares such as 1:0.5,2:0.3,3:0.2 "           \
	  "(vehicles with occupants), or a mean such as 1.89 (the whole numbers either side).")   \
	X(STREAM_BATCH, "stream", "stream.NAME.", "batch", KEY_BATCH, "whole number", 1, 1e6, 0,   \
	  NULL, "1", "arrivals",                                                                   \
	  "Size of each arriving group (a flight, a bus, a train): one number, shares such as "   \
	  "150:0.3,250:0.5,350:0.2, a mean such as 14.8 (the whole numbers either side), or a "   \
	  "distribution drawn and rounded to a whole number of at least 1; per_day still counts " \
	  "the members, so groups come per_day / mean size a day.")                               \
	X(STREAM_BATCH_SPREAD, "stream", "stream.NAME.", "batch_spread", KEY_DIST, "distribution", \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "fixed(0s)", "",                                         \
	  "Each member of a group reaches the first stage this long after the group arrives "     \
	  "(deplaning, walking to the hall), drawn for each member, e.g. uniform(0min, 20min).")  \
	X(STREAM_COUNTS_AS, "stream", "stream.NAME.", "counts_as", KEY_CHOICE, "one of",           \
	  -KEYS_NONE, KEYS_NONE, 0, stream_counts, "none", "",                                     \
	  "Which national figure the stream adds to: its persons as air, sea or land "            \
	  "travelers processed, its arrivals as containers processed or as apprehensions.")       \
	X(STREAM_VALUE, "stream", "stream.NAME.", "value", KEY_REAL, "number", 0, 1e12, 0, NULL,   \
	  "0", "USD",                                                                              \
	  "Declared value of each arrival (imports), summed over those processed into "           \
	  "import_value_usd.")                                                                    \
	X(STREAM_GROUP, "stream", "stream.NAME.", "group", KEY_NAME, "name", -KEYS_NONE,           \
	  KEYS_NONE, 0, NULL, "none", "",                                                          \
	  "A group of streams that a surge may name at once, e.g. land_travel.")                  \
	X(STREAM_WHEN, "stream", "stream.NAME.", "when", KEY_STRING, "numbers", -KEYS_NONE,        \
	  KEYS_NONE, 0, NULL, "always", "",                                                        \
	  "In a port template: the stream exists only when one of these numbers is above 0.")    \
	X(STREAM_MEASURE, "stream", "stream.NAME.", "measure", KEY_CHOICE, "one of", -KEYS_NONE,   \
	  KEYS_NONE, 0, stream_measures, "none", "",                                               \
	  "Which of its port's figures the stream's completed arrivals count in: "                \
	  "vehicles_processed, pedestrians_processed, bus_passengers_processed (persons), "       \
	  "trucks_processed.")                                                                    \
	X(STAGE_SERVERS, "stage", "stage.NAME.", "servers", KEY_SERVERS, "whole number", 0,        \
	  100000, 0, word_servers, "1", "",                                                        \
	  "Officers, booths or lanes open: one number all day, or 24 numbers by clock hour; "     \
	  "unlimited for a delay nobody queues for (transport, holding); auto for square-root "   \
	  "staffing of each hour's offered load (see beta).")                                     \
	X(STAGE_SERVICE, "stage", "stage.NAME.", "service", KEY_DIST, "distribution", -KEYS_NONE,  \
	  KEYS_NONE, 0, NULL, "required unless per_hour", "",                                      \
	  "Time one server takes per arrival, e.g. lognormal(mean=34s, cv=0.5).")                 \
	X(STAGE_NEXT, "stage", "stage.NAME.", "next", KEY_ROUTE, "route", -KEYS_NONE, KEYS_NONE,   \
	  0, NULL, "exit", "",                                                                     \
	  "Where an arrival goes after this stage: exit, a stage, or shares such as "             \
	  "secondary:0.03,exit.")                                                                 \
	X(STAGE_CAPACITY, "stage", "stage.NAME.", "capacity", KEY_CAPACITY, "whole number", 0,     \
	  1e9, 0, word_unlimited, "unlimited", "",                                                 \
	  "The most that may wait here, not counting those in service; arrivals that find "       \
	  "the queue full are turned away and counted as blocked.")                               \
	X(STAGE_KIND, "stage", "stage.NAME.", "kind", KEY_CHOICE, "one of", -KEYS_NONE, KEYS_NONE, \
	  0, stage_kinds, "inspection", "",                                                        \
	  "What the stage is, for the national figures: nii counts scans, agriculture counts "    \
	  "inspections, custody counts people held and their time, checkpoint counts vehicles "   \
	  "flushed.")                                                                             \
	X(STAGE_PER_HOUR, "stage", "stage.NAME.", "per_hour", KEY_REAL, "number", 1e-9, 1e9, 0,    \
	  NULL, "none", "per server-hour",                                                         \
	  "Instead of service: each server handles this many an hour, each taking exactly "       \
	  "60/per_hour minutes (an NII scanner's scan rate).")                                    \
	X(STAGE_FLUSH_ABOVE, "stage", "stage.NAME.", "flush_above", KEY_CAPACITY, "whole number",  \
	  0, 1e9, 0, word_unlimited, "unlimited", "",                                              \
	  "Checkpoint flush rule: while more than this many wait, arrivals are waved through "    \
	  "unscreened and counted as flushed.")                                                   \
	X(STAGE_RATED_CAPACITY, "stage", "stage.NAME.", "rated_capacity", KEY_CAPACITY,            \
	  "whole number", 0, 1e9, 0, word_unlimited, "unlimited", "persons",                       \
	  "For custody: the population the facility is rated for; those held above it are "       \
	  "reported as over capacity (nobody is turned away).")                                   \
	X(STAGE_TARGETING, "stage", "stage.NAME.", "targeting", KEY_REAL, "number", 0, 1, 0, NULL, \
	  "0", "",                                                                                 \
	  "Share of this stage's routing decisions made by risk: the riskiest arrivals go to "     \
	  "the destinations listed first in next; the rest are chosen at random.")                \
	X(STAGE_GROUP, "stage", "stage.NAME.", "group", KEY_NAME, "name", -KEYS_NONE, KEYS_NONE,   \
	  0, NULL, "none", "", "A group of stages that a closure or staffing change may name at once.") \
	X(STAGE_BETA, "stage", "stage.NAME.", "beta", KEY_REAL, "number", 0, 100, 0, NULL, "1",   \
	  "", "With servers = auto: each clock hour gets ceil(a + beta sqrt(a)) servers for the "  \
	  "hour's offered load a (arrivals an hour times mean service, in erlangs).")            \
	X(STAGE_MAX_SERVERS, "stage", "stage.NAME.", "max_servers", KEY_CAPACITY, "whole number",  \
	  0, 100000, 0, word_unlimited, "unlimited", "",                                           \
	  "Most servers any hour may have (booths, lanes): bounds servers = auto and staffing.")  \
	X(STAGE_MIN_SERVERS, "stage", "stage.NAME.", "min_servers", KEY_INT, "whole number", 0,    \
	  100000, 0, NULL, "0", "",                                                                \
	  "Fewest servers any hour may have under servers = auto and staffing.")                  \
	X(STAGE_DIVERT, "stage", "stage.NAME.", "divert", KEY_LIST, "list of stream:share",       \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Arrivals that may turn away to other ports while the stage is closed or its queue is " \
	  "above divert_above: each joins the named stream (a neighbour's) with its share, e.g. " \
	  "otay_mesa/pov:0.3, tecate/pov:0.1; the rest wait.")                                    \
	X(STAGE_DIVERT_ABOVE, "stage", "stage.NAME.", "divert_above", KEY_CAPACITY,                \
	  "whole number", 0, 1e9, 0, word_unlimited, "unlimited", "",                              \
	  "Arrivals divert while more than this many wait (unlimited: only while closed).")      \
	X(STAGE_DIVERT_DELAY, "stage", "stage.NAME.", "divert_delay", KEY_DIST, "distribution",    \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "fixed(0s)", "",                                         \
	  "The drive to the other port: a diverted arrival joins its stream this long after.")    \
	X(STAGE_WHEN, "stage", "stage.NAME.", "when", KEY_STRING, "numbers", -KEYS_NONE,           \
	  KEYS_NONE, 0, NULL, "always", "",                                                        \
	  "In a port template: the stage exists only when one of these numbers (port figures, "  \
	  "e.g. {pov_per_day} {buses_per_day}) is above 0.")                                      \
	X(FIND_STAGES, "find", "find.NAME.", "stages", KEY_LIST, "list of stages", -KEYS_NONE,     \
	  KEYS_NONE, 0, NULL, NULL, "",                                                            \
	  "The stages whose inspections can make this find, e.g. nii_truck, secondary_land.")     \
	X(FIND_PROBABILITY, "find", "find.NAME.", "probability", KEY_REAL, "number", 0, 1, 0,      \
	  NULL, NULL, "",                                                                          \
	  "Chance that one inspection there finds it, for an arrival of average risk.")           \
	X(FIND_CONCENTRATION, "find", "find.NAME.", "concentration", KEY_REAL, "number", 0, 1000,  \
	  0, NULL, "0", "",                                                                        \
	  "How much the finds concentrate in high-risk arrivals: the chance for risk u is "       \
	  "probability x (k+1) u^k; 0 spreads them evenly.")                                      \
	X(FIND_AMOUNT, "find", "find.NAME.", "amount", KEY_AMOUNT, "distribution of a quantity",   \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "fixed(1)", "",                                          \
	  "Quantity of one find, as a distribution without units, e.g. "                         \
	  "lognormal(mean=12, cv=2) pounds.")                                                     \
	X(FIND_UNIT, "find", "find.NAME.", "unit", KEY_NAME, "name", -KEYS_NONE, KEYS_NONE, 0,     \
	  NULL, "count", "", "Unit of the amount, written in the unit column, e.g. lb.")          \
	X(FIND_COUNTS_AS, "find", "find.NAME.", "counts_as", KEY_CHOICE, "one of", -KEYS_NONE,     \
	  KEYS_NONE, 0, find_counts, "none", "",                                                   \
	  "National figure it adds to: drugs_seized_lb (the amounts) or pests_intercepted "       \
	  "(the finds).")                                                                         \
	X(FIND_WHEN, "find", "find.NAME.", "when", KEY_STRING, "numbers", -KEYS_NONE, KEYS_NONE, 0, \
	  NULL, "always", "",                                                                      \
	  "In a port template: the find exists only when one of these numbers is above 0.")       \
	X(SURGE_STREAMS, "surge", "surge.NAME.", "streams", KEY_LIST, "list of streams",           \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Streams whose arrivals the surge multiplies (or give group).")                         \
	X(SURGE_GROUP, "surge", "surge.NAME.", "group", KEY_LIST, "list of groups", -KEYS_NONE,    \
	  KEYS_NONE, 0, NULL, "none", "",                                                          \
	  "Stream groups whose arrivals the surge multiplies, e.g. air_travel, land_travel "      \
	  "(or give streams).")                                                                   \
	X(SURGE_PORTS, "surge", "surge.NAME.", "ports", KEY_LIST, "list of ports", -KEYS_NONE,   \
	  KEYS_NONE, 0, NULL, "none", "", "Ports whose streams the surge takes, e.g. san_ysidro.")  \
	X(SURGE_PORT_GROUPS, "surge", "surge.NAME.", "port_groups", KEY_LIST, "list of port groups", \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Groups of ports (a mode, region, state, field office or sector: see port.NAME.groups) " \
	  "whose streams the surge takes.")                                                         \
	X(SURGE_FACTOR, "surge", "surge.NAME.", "factor", KEY_REAL, "number", 0, 1000, 0, NULL,    \
	  NULL, "", "Multiplier of the arrival rate at the surge's height (0 stops arrivals).")   \
	X(SURGE_START, "surge", "surge.NAME.", "start", KEY_DURATION, "duration", -KEYS_NONE,      \
	  KEYS_NONE, 0, NULL, "0d", "",                                                            \
	  "When the ramp up begins, counted from the start of the reported days.")                \
	X(SURGE_RAMP_UP, "surge", "surge.NAME.", "ramp_up", KEY_DURATION, "duration", -KEYS_NONE,  \
	  KEYS_NONE, 0, NULL, "0s", "",                                                            \
	  "Time over which the multiplier rises linearly from 1 to factor.")                      \
	X(SURGE_DURATION, "surge", "surge.NAME.", "duration", KEY_DURATION, "duration",            \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, NULL, "", "Time at the full factor.")                    \
	X(SURGE_RAMP_DOWN, "surge", "surge.NAME.", "ramp_down", KEY_DURATION, "duration",          \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "0s", "",                                                \
	  "Time over which the multiplier falls linearly back to 1.")                             \
	X(CLOSURE_STAGES, "closure", "closure.NAME.", "stages", KEY_LIST, "list of stages",        \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Stages closed: no server on duty (or give group); the queue waits for the reopening.") \
	X(CLOSURE_GROUP, "closure", "closure.NAME.", "group", KEY_LIST, "list of groups",          \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "", "Stage groups closed (or give stages).")     \
	X(CLOSURE_PORTS, "closure", "closure.NAME.", "ports", KEY_LIST, "list of ports", -KEYS_NONE,   \
	  KEYS_NONE, 0, NULL, "none", "", "Ports whose stages the closure takes, e.g. san_ysidro.")  \
	X(CLOSURE_PORT_GROUPS, "closure", "closure.NAME.", "port_groups", KEY_LIST, "list of port groups", \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Groups of ports (a mode, region, state, field office or sector: see port.NAME.groups) " \
	  "whose stages the closure takes.")                                                         \
	X(CLOSURE_START, "closure", "closure.NAME.", "start", KEY_DURATION, "duration",            \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "0d", "",                                                \
	  "When the closure begins, counted from the start of the reported days.")                \
	X(CLOSURE_DURATION, "closure", "closure.NAME.", "duration", KEY_DURATION, "duration",      \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, NULL, "", "How long the stages stay closed.")            \
	X(STAFFING_STAGES, "staffing", "staffing.NAME.", "stages", KEY_LIST, "list of stages",     \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Stages whose servers the factor scales (or give group).")                              \
	X(STAFFING_GROUP, "staffing", "staffing.NAME.", "group", KEY_LIST, "list of groups",       \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Stage groups whose servers the factor scales, e.g. land_primary, secondary "           \
	  "(or give stages).")                                                                    \
	X(STAFFING_PORTS, "staffing", "staffing.NAME.", "ports", KEY_LIST, "list of ports", -KEYS_NONE,   \
	  KEYS_NONE, 0, NULL, "none", "", "Ports whose stages the staffing takes, e.g. san_ysidro.")  \
	X(STAFFING_PORT_GROUPS, "staffing", "staffing.NAME.", "port_groups", KEY_LIST, "list of port groups", \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Groups of ports (a mode, region, state, field office or sector: see port.NAME.groups) " \
	  "whose stages the staffing takes.")                                                         \
	X(STAFFING_FACTOR, "staffing", "staffing.NAME.", "factor", KEY_REAL, "number", 0, 1000, 0, \
	  NULL, "1", "", "Multiplies the servers of every hour, rounded to the nearest whole number.") \
	X(STAFFING_ADD, "staffing", "staffing.NAME.", "add", KEY_INT, "whole number", -100000,     \
	  100000, 0, NULL, "0", "servers",                                                         \
	  "Servers added to every hour after the factor (negative: taken away), kept from 0 to " \
	  "max_servers.")                                                                         \
	X(STAFFING_SERVERS, "staffing", "staffing.NAME.", "servers", KEY_CHOICE, "one of",        \
	  -KEYS_NONE, KEYS_NONE, 0, staffing_servers, "kept", "",                                  \
	  "kept: the stages keep their schedules; auto: servers = auto (each stage's beta, "      \
	  "min_servers and max_servers) on this scenario's loads in place of their schedules, "   \
	  "before factor and add.")                                                               \
	X(TARGET_STAGES, "target", "target.NAME.", "stages", KEY_LIST, "list of stages",         \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Stages that bordersim staff staffs to this target, and whose waits run measures "     \
	  "against it (targets.csv; or give groups, ports, port_groups).")                       \
	X(TARGET_GROUP, "target", "target.NAME.", "groups", KEY_LIST, "list of groups",           \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "", "Stage groups staffed to this target.")      \
	X(TARGET_PORTS, "target", "target.NAME.", "ports", KEY_LIST, "list of ports", -KEYS_NONE, \
	  KEYS_NONE, 0, NULL, "none", "", "Ports whose stages are staffed to this target.")        \
	X(TARGET_PORT_GROUPS, "target", "target.NAME.", "port_groups", KEY_LIST,                  \
	  "list of port groups", -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                       \
	  "Groups of ports whose stages are staffed to this target.")                             \
	X(TARGET_METRIC, "target", "target.NAME.", "metric", KEY_CHOICE, "one of", -KEYS_NONE,    \
	  KEYS_NONE, 0, target_metrics, NULL, "",                                                  \
	  "What must stay within limit in every clock hour: the mean wait or the 95th "           \
	  "percentile of the wait, each the mean over replications and reported days.")          \
	X(TARGET_LIMIT, "target", "target.NAME.", "limit", KEY_DURATION, "duration", -KEYS_NONE,  \
	  KEYS_NONE, 0, NULL, NULL, "",                                                            \
	  "The most the metric may be in any hour, e.g. 30min, or 24 durations, one a clock "     \
	  "hour; where two targets name a stage with one metric, the smaller limit holds.")      \
	X(PORTS_TEMPLATE, "ports", "ports.NAME.", "template", KEY_STRING, "file", -KEYS_NONE,      \
	  KEYS_NONE, 0, NULL, NULL, "",                                                            \
	  "INI file of this kind of port's streams, stages and finds, written once: {port} "     \
	  "stands for a port's name, {FIGURE} for its figure (relative to this file).")           \
	X(PORTS_CATALOG, "ports", "ports.NAME.", "catalog", KEY_STRING, "file", -KEYS_NONE,        \
	  KEYS_NONE, 0, NULL, "none", "",                                                          \
	  "CSV file, a row a port: column port (the name), then the figures; each row becomes "  \
	  "a [port.NAME] section of this kind (relative to this file).")                          \
	X(PORTS_SCALE, "ports", "ports.NAME.", "scale", KEY_STRING, "figure:factor list",          \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "National factors per figure, e.g. pov_per_day:0.95: a {FIGURE} of a port of this "    \
	  "kind is its figure times the factor.")                                                 \
	X(PORT_KIND, "port", "port.NAME.", "kind", KEY_NAME, "name", -KEYS_NONE, KEYS_NONE, 0,     \
	  NULL, NULL, "",                                                                          \
	  "The [ports.KIND] section whose template makes this port's stages and streams.")       \
	X(PORT_GROUPS, "port", "port.NAME.", "groups", KEY_LIST, "list of port groups",            \
	  -KEYS_NONE, KEYS_NONE, 0, NULL, "none", "",                                              \
	  "Port groups this port is in, e.g. land, southwest, ca (surges, closures, staffing "    \
	  "and the port_group rows of the outputs).")                                             \
	X(PORT_FIGURE, "port", "port.NAME.", "FIGURE", KEY_STRING, "number or text", -KEYS_NONE,   \
	  KEYS_NONE, 0, NULL, "none", "",                                                          \
	  "Any other key is one of the port's figures (a catalog column, e.g. pov_per_day), "    \
	  "read by its template as {FIGURE}; --set and --vary change it.")

/* Each row's identity: KEYS_SCENARIO_DAYS is the row of scenario.days, and
 * keys_row(KEYS_SCENARIO_DAYS) its definition. */
#define KEYS_ID(id, ...) KEYS_##id,
enum keys_id { KEYS_TABLE(KEYS_ID) KEYS_COUNT };
#undef KEYS_ID

struct key_def {
	const char *kind;     /* section kind: "scenario", "stream", "stage", "find", ... */
	const char *name;     /* key within the section */
	enum key_type type;
	const char *type_name;  /* the noun of a value: "number", "whole number", ... */
	double lo, hi;        /* bounds of a number, or of each number of a list */
	int open;             /* KEYS_LO_OPEN, KEYS_HI_OPEN: bounds that exclude their value */
	const char *const *choices;   /* NULL-ended words, or NULL (see KEYS_TABLE) */
	const char *def;      /* default as text; NULL when the key is required */
	const char *unit;     /* "" when none */
	const char *meaning;
};

/* The row of id. */
const struct key_def *keys_row(enum keys_id id);
/* Whether the row's numbers are whole numbers. */
int keys_whole(const struct key_def *d);
/* Whether v lies within the row's bounds. */
int keys_in_bounds(const struct key_def *d, double v);
/* The row's bounds as messages and `keys` state them: "from 0 to 1000",
 * "greater than 0", "at least 0", or "" when the row has none; into buf. */
const char *keys_bounds(const struct key_def *d, char *buf, size_t len);
/* What values the row takes, as `keys` prints it and messages quote it after
 * "expected a": "whole number from 1 to 100000", "one of none, drugs, pests",
 * "whole number from 0 to 100000, 24 of them, or unlimited"; into buf. */
const char *keys_values(const struct key_def *d, char *buf, size_t len);
/* Whether name is a key of any section kind. */
int keys_name_known(const char *name);

/* The table and its length. */
const struct key_def *keys_table(size_t *n);
/* The definition for key in a section of that kind, or NULL. */
const struct key_def *keys_find(const char *kind, const char *key);
/* Whether kind is a section kind; named kinds ("stream", "stage") need a
 * name after a dot, "scenario" takes none. */
int keys_kind_known(const char *kind);
int keys_kind_named(const char *kind);
/* The known key nearest to kind.key by edit distance (as "kind.NAME.key" for
 * named kinds), for "did you mean" messages; NULL when none is near. */
const char *keys_suggest(const char *kind, const char *key);
/* Prints the table: aligned text, or (markdown != 0) the table of docs/scenarios.md. */
void keys_print(FILE *f, int markdown);
/* The same for the keys whose full name ("stage.NAME.servers") contains
 * filter (all when NULL); the text lines fit KEYS_WIDTH columns. Returns
 * how many keys were printed (0: only the header). */
size_t keys_print_matching(FILE *f, int markdown, const char *filter);

/* The row nearest to kind.key, or NULL when none is near (what keys_suggest
 * names); kind "" or NULL compares the key alone, for keys outside a section. */
const struct key_def *keys_nearest(const char *kind, const char *key);
/* The full name of a row of the table, e.g. "stage.NAME.servers" (static). */
const char *keys_full_name(const struct key_def *d);
/* The section kind nearest to kind, or NULL when none is near. */
const char *keys_suggest_kind(const char *kind);
/* Levenshtein edit distance, and whether a distance counts as "near" for what
 * was typed (<= max(2, strlen(typed) / 3)); the model suggests stage names
 * with the same rule. */
size_t keys_distance(const char *a, const char *b);
int keys_near(size_t distance, const char *typed);

#endif
