/* scenario: INI scenario files into key/values that remember where they came from.
 *
 * `[section]` headers and `key = value` lines become entries named by section
 * and key; `include = FILE` before the first section reads FILE first (relative
 * to the including file); later values override earlier ones and `--set`
 * assignments override everything. Section kinds and key names are checked
 * against the key table (keys.h) as they are read, so an unknown key is
 * reported at its own file:line with the nearest known key suggested. Values
 * are kept as text here; model.h turns them into a model. */
#ifndef BORDERSIM_SCENARIO_H
#define BORDERSIM_SCENARIO_H

#include <stddef.h>
#include <stdio.h>

struct scenario_entry {
	char *section;   /* "scenario", "stream.car", "stage.primary" */
	char *key;       /* "per_day" */
	char *value;     /* trimmed text */
	char *origin;    /* the file it was read from, or "--set" */
	int line;        /* line in origin; 0 for --set */
};

struct scenario {
	struct scenario_entry *entry;   /* owned; in order of first appearance */
	size_t n, cap;
	char *path;                     /* the top file as given */
	size_t *slot, nslot;            /* hash of (section, key): entry index + 1, 0 empty */
	size_t *sslot;                  /* hash of section: its first entry's index + 1 */
};

void scenario_init(struct scenario *sc);
void scenario_release(struct scenario *sc);

/* Reads path (and its includes) into sc. Returns 0, EX_NOINPUT when a file
 * cannot be opened, or EX_DATAERR for a syntax error, an unknown section or
 * key, an include cycle; the message names file:line and the key. */
int scenario_load(struct scenario *sc, const char *path, char *err, size_t errlen);

/* Applies "section.key=value" (e.g. "stage.primary.servers=4"). Returns 0,
 * EX_USAGE when the text is not KEY=VALUE, or EX_DATAERR for an unknown key;
 * the message quotes the argument. */
int scenario_set(struct scenario *sc, const char *assignment, char *err, size_t errlen);

/* Sets a value as if by --set, without validation messages (for -r, -s and the
 * default scenario name). */
void scenario_put(struct scenario *sc, const char *section, const char *key, const char *value);

/* The same for a value given by a command-line option such as -r: messages
 * name it as "-r 'VALUE'". */
void scenario_put_option(struct scenario *sc, const char *section, const char *key,
                         const char *value, const char *option);

/* The entry for section.key, or NULL. */
/* The first entry of section (in order of first appearance), or NULL. */
const struct scenario_entry *scenario_first(const struct scenario *sc, const char *section);
const struct scenario_entry *scenario_get(const struct scenario *sc, const char *section,
                                          const char *key);

/* Writes the effective scenario as INI: [scenario] first, then every other
 * section in order of first appearance, each key with its final value. Reading
 * the result back gives the same model. Returns 0, or -1 on a write error. */
int scenario_write(const struct scenario *sc, FILE *f);

/* Where an entry came from, for messages: "FILE:LINE"; for an entry made by
 * --set (or scenario_put) the argument as "--set 'section.key=value'"; for
 * one made by an option, "-r 'VALUE'". */
void scenario_where(const struct scenario_entry *e, char *buf, size_t len);

/* Whether name is a valid stage or stream name: 1 to 40 letters, digits, '_'
 * and '-'. */
int scenario_name_valid(const char *name);

#endif
