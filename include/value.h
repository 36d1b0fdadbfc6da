/* value: one key's value for the model compiler, read, parsed and refused
 * where it was written.
 *
 * A value is the scenario's entry for section.key, or else the key table's
 * default (keys.h). Each value_* reader below reads row id's value in section
 * (NULL: the row's kind, for [scenario]) by the row's type, within its bounds
 * and words, into *out, and returns 0; or writes "FILE:LINE: section.key:
 * problem" into the context's err and returns EX_DATAERR. Nothing is owned
 * here: the context's scenario, model and buffer are the caller's. */
#ifndef BORDERSIM_VALUE_H
#define BORDERSIM_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "ports.h"

struct model;
struct scenario;
struct scenario_entry;

/* What values are read from (sc), what they may name (m), and where a
 * refusal goes (err, of errlen bytes). */
struct value_ctx {
	const struct scenario *sc;
	struct model *m;
	char *err;
	size_t errlen;
	struct scenario_fault *fault;   /* where a refusal puts the blame; NULL: not asked */
	char (*resolved)[PORTS_VALUE_MAX];   /* VALUE_RING buffers for values with {FIGURE}s,
	                                        made by the first such value; the caller
	                                        frees them */
	unsigned ring;                       /* the next one to use */
};

/* How many values with {FIGURE}s stay readable at once. */
#define VALUE_RING 4

/* One key's value: the entry it came from (NULL for a default) and its text. */
struct value {
	const struct scenario_entry *e;
	const char *section, *key, *text;   /* text: with a port's {FIGURE}s read */
};

/* Reads a value of some syntax into dst; -1 with a message in msg (of len
 * bytes) otherwise. m gives the stages and streams a value may name. */
typedef int (*value_reader)(const struct model *m, const char *text, void *dst, char *msg,
                            size_t len);

/* The scenario's path, or "scenario" when it has none, for messages. */
const char *value_origin(const struct scenario *sc);
/* "WHERE: section.key: problem" into c->err, WHERE from v's entry; returns
 * EX_DATAERR. */
int value_fail(const struct value_ctx *c, const struct value *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Fills v with section.key's value or default (kind: the key's row kind); a
 * required key that is missing is refused at the first entry of its section.
 * A value with {FIGURE}s is read with its port's figures (ports.h) into the
 * context's buffer, valid until the next value read; one that comes out
 * blank (an empty figure) is the key's default. The last VALUE_RING such
 * values read stay valid. */
int value_get(struct value_ctx *c, const char *kind, const char *section,
              const char *key, struct value *v);
/* value_get of row id in section (NULL: the row's kind). */
int value_at(struct value_ctx *c, enum keys_id id, const char *section,
             struct value *v);
/* Refuses v with "expected VALUES, got 'TEXT'", VALUES as `keys` prints row d's. */
int value_expected(const struct value_ctx *c, const struct value *v,
                   const struct key_def *d);

/* A number of the row's type within its bounds (parse_value). */
int value_number(struct value_ctx *c, enum keys_id id, const char *section,
                 double *out);
/* A whole number from 0 to 2^64 - 1 (parse_seed). */
int value_seed(struct value_ctx *c, enum keys_id id, const char *section, uint64_t *out);
/* One of the row's words, as its index (the model's enum follows the row). */
int value_choice(struct value_ctx *c, enum keys_id id, const char *section, int *out);
/* A whole number, or the row's word for no limit (MODEL_UNLIMITED). */
int value_capacity(struct value_ctx *c, enum keys_id id, const char *section,
                   long *out);
/* The value read by read into dst; a refusal is reported at the value. */
int value_with(struct value_ctx *c, enum keys_id id, const char *section,
               value_reader read, void *dst);
/* A name of letters, digits, '_' and '-', as a new string; "none" gives NULL
 * where the row's default is "none" (a group), and is refused elsewhere (a
 * unit). */
int value_name(struct value_ctx *c, enum keys_id id, const char *section, char **out);

#endif
