/* keys: the one table of scenario keys.
 *
 * Every key a scenario may set — its section kind, name, type, default, unit
 * and meaning — is one row here. The scenario reader validates names against
 * it, the model compiler reads defaults from it, `bordersim keys` prints it and
 * the README's key reference is checked against that print. */
#ifndef BORDERSIM_KEYS_H
#define BORDERSIM_KEYS_H

#include <stddef.h>
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
	KEY_CHOICE,
	KEY_NAME,
	KEY_LIST,
	KEY_PROB,
	KEY_DURATION,
	KEY_AMOUNT,
};

struct key_def {
	const char *kind;     /* section kind: "scenario", "stream", "stage", "find", ... */
	const char *name;     /* key within the section */
	enum key_type type;
	const char *type_name;  /* as printed: "number", "duration", ... */
	const char *def;      /* default as text; NULL when the key is required */
	const char *unit;     /* "" when none */
	const char *meaning;
};

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
/* Prints the table: aligned text, or (markdown != 0) the README's table. */
void keys_print(FILE *f, int markdown);

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
