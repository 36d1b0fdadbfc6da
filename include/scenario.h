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

/* Limits of what scenario_load reads (docs/scenarios.md, "Limits of what is read"). */
#define SCENARIO_INCLUDE_DEPTH 32            /* includes nested below the top file */
#define SCENARIO_BYTES_MAX (16u << 20)       /* a file and its includes, all told */

struct scenario_entry {
	char *section;   /* "scenario", "stream.car", "stage.primary" */
	char *key;       /* "per_day" */
	char *value;     /* trimmed text */
	char *origin;    /* the file it was read from, or "--set" */
	int line;        /* line in origin; 0 for --set */
};

struct scenario_index;   /* private to scenario.c */

struct scenario {
	struct scenario_entry *entry;   /* owned; in order of first appearance */
	size_t n, cap;
	char *path;                     /* the top file as given */
	struct scenario_index *index;   /* owned; finds an entry, or a section's
	                                   entries, without a scan of them all */
};

void scenario_init(struct scenario *sc);
void scenario_release(struct scenario *sc);

/* Reads path (and its includes) into sc. Returns 0; EX_NOINPUT when the top
 * file cannot be opened or read, or is not a regular file (a folder, a FIFO,
 * a device, a socket); or EX_DATAERR for a syntax error, an unknown section
 * or key, an include that cannot be opened or read or is not a regular file,
 * an include cycle, includes nested deeper than SCENARIO_INCLUDE_DEPTH, more
 * than SCENARIO_BYTES_MAX bytes in all, a CR not followed by LF. The message
 * names file:line and the key. Reading never blocks on a FIFO and never
 * takes a read error for the end of a file. */
int scenario_load(struct scenario *sc, const char *path, char *err, size_t errlen);

/* Applies "section.key=value" (e.g. "stage.primary.servers=4") to a loaded
 * scenario. Returns 0, EX_USAGE when the text is not KEY=VALUE, or EX_DATAERR
 * for an unknown key or for a named section (stage.NAME, stream.NAME, ...)
 * that sc does not have, with the nearest one of its kind; the message quotes
 * the argument. [scenario] keys may always be set. */
int scenario_set(struct scenario *sc, const char *assignment, char *err, size_t errlen);

/* Where a failed scenario_set_fault or model_compile_fault put the blame,
 * for a caller that names the place its own way (a sweep names its --vary
 * argument rather than the --set it made of it). Borrows from the scenario. */
struct scenario_fault {
	const struct scenario_entry *entry;   /* the entry whose place (scenario_where)
	                                         opens the message; NULL when none does
	                                         (a --set refused, a default) */
	size_t problem;                       /* offset in err of what follows the
	                                         opening "PLACE: "; 0 when none */
};

/* scenario_set, and on failure *fault filled: the place is the argument,
 * "--set 'ASSIGNMENT'", no entry. */
int scenario_set_fault(struct scenario *sc, const char *assignment, struct scenario_fault *fault,
                       char *err, size_t errlen);

/* Checks a key as --set and --vary name it ("stage.primary.servers"): a
 * known key, in [scenario] or a named section sc has. Returns 0, or EX_DATAERR
 * with "SUBJECT: problem" in err, the nearest known name suggested. */
int scenario_check_name(const struct scenario *sc, const char *name, char *err, size_t errlen);

/* Sets a value as if by --set, without validation messages (for -r, -s and the
 * default scenario name). */
void scenario_put(struct scenario *sc, const char *section, const char *key, const char *value);

/* The same for a value given by a command-line option such as -r: messages
 * name it as "-r 'VALUE'". */
void scenario_put_option(struct scenario *sc, const char *section, const char *key,
                         const char *value, const char *option);

/* Whether scenario.name is given by the top file itself (or by --set), not
 * by a file it includes: a scenario that includes another is not that one. */
int scenario_named_by_top(const struct scenario *sc);

/* The entry for section.key, or NULL. Constant time on average. */
const struct scenario_entry *scenario_get(const struct scenario *sc, const char *section,
                                          const char *key);

/* The first entry of section (in order of appearance), or NULL when the
 * section has none. Constant time on average. */
const struct scenario_entry *scenario_section_first(const struct scenario *sc,
                                                    const char *section);

/* Adds section.key = value from origin:line unless the scenario has that key
 * already (a port's catalog row or template never overrides what a file or
 * --set gave). Returns 1 when added, 0 when it was there. */
int scenario_add(struct scenario *sc, const char *section, const char *key, const char *value,
                 const char *origin, int line);

/* The entry after e in e's section, or NULL. */
const struct scenario_entry *scenario_section_next(const struct scenario *sc,
                                                   const struct scenario_entry *e);

/* Checks a section name and a key in it as the reader does; on a problem
 * writes "[section]: problem" or "section.key: problem" into msg and returns -1. */
int scenario_check_entry(const char *section, const char *key, char *msg, size_t len);

/* Writes the effective scenario as INI: [scenario] first, then every other
 * section in order of first appearance, each key with its final value; the
 * template and catalog of a [ports.KIND] are left out, their sections being
 * written out already. Reading
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
