/* scenario: key/values that remember where they came from.
 *
 * Entries are kept in order of first appearance, found through a hash index;
 * their values come from INI files (inifile.c reads the files, lines and
 * includes; this file tells it which sections and keys are known — keys.h —
 * and keeps what it hands over), from --set and from command-line options.
 * scenario_write gives the effective scenario back as INI. */
#include "scenario.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "inifile.h"
#include "ports.h"
#include "keys.h"
#include "parse.h"
#include "util.h"

#define SCENARIO_NAME_MAX 40   /* stage and stream names; inih keeps 49 section chars */
#define SCENARIO_WRAP 78       /* scenario_write breaks longer values over lines */

/* Two open-addressing hash tables over the entries, so that loading n keys,
 * looking them up and writing them back each take time linear in n (a scan
 * per key made 10,000 stages take half a minute). Slots hold an entry index
 * plus one, 0 for empty, and its hash, compared before any text; both
 * tables have nslot slots, a power of two at least twice the entries'
 * capacity. key_slot finds section.key;
 * sec_slot finds the first entry of a section, whose entries are chained in
 * order of appearance by next (index plus one, 0 at the end); tail[i] is the
 * last entry of the section whose first entry is i. next and tail have cap
 * elements, like the entries. */
struct index_slot {
	size_t entry, hash;
};

struct scenario_index {
	struct index_slot *key_slot, *sec_slot;
	size_t nslot;
	size_t *next, *tail;
};

void scenario_init(struct scenario *sc)
{
	memset(sc, 0, sizeof *sc);
}

static void index_free(struct scenario_index *ix)
{
	if (!ix)
		return;
	free(ix->key_slot);
	free(ix->sec_slot);
	free(ix->next);
	free(ix->tail);
	free(ix);
}

void scenario_release(struct scenario *sc)
{
	for (size_t i = 0; i < sc->n; i++) {
		free(sc->entry[i].section);
		free(sc->entry[i].key);
		free(sc->entry[i].value);
		free(sc->entry[i].origin);
	}
	free(sc->entry);
	free(sc->path);
	index_free(sc->index);
	memset(sc, 0, sizeof *sc);
}

/* FNV-1a over section, a NUL, and key (NULL: the section alone), then
 * MurmurHash3's finaliser: FNV's low bits, which pick the slot, depend only
 * on the low bits of the text's bytes, and names like s1, s2, ... cluster. */
static size_t index_hash(const char *section, const char *key)
{
	uint64_t h = 14695981039346656037u;
	for (const char *p = section; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	if (key) {
		h *= 1099511628211u;
		for (const char *p = key; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211u;
	}
	h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdu;
	h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53u;
	return (size_t)(h ^ (h >> 33));
}

/* The slot of section.key (key NULL: of section's first entry) in its table:
 * the one holding it, or the empty one where it would go. */
static struct index_slot *index_slot(const struct scenario *sc, const char *section,
                                     const char *key)
{
	const struct scenario_index *ix = sc->index;
	struct index_slot *slot = key ? ix->key_slot : ix->sec_slot;
	size_t mask = ix->nslot - 1, h = index_hash(section, key);
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		if (!slot[i].entry)
			return &slot[i];
		if (slot[i].hash != h)
			continue;
		const struct scenario_entry *e = &sc->entry[slot[i].entry - 1];
		if (strcmp(e->section, section) == 0 && (!key || strcmp(e->key, key) == 0))
			return &slot[i];
	}
}

/* Puts entry i into the tables; returns the index plus one of the first
 * entry of its section (i + 1 when it is the first). */
static size_t index_add(struct scenario *sc, size_t i)
{
	const struct scenario_entry *e = &sc->entry[i];
	struct index_slot *k = index_slot(sc, e->section, e->key);
	struct index_slot *first = index_slot(sc, e->section, NULL);
	k->entry = i + 1;
	k->hash = index_hash(e->section, e->key);
	if (!first->entry) {
		first->entry = i + 1;
		first->hash = index_hash(e->section, NULL);
	}
	return first->entry;
}

/* Rebuilds both tables with room for twice the entries' capacity. */
static void index_grow(struct scenario *sc)
{
	struct scenario_index *ix = sc->index;
	if (!ix)
		ix = sc->index = xcalloc(1, sizeof *ix);
	free(ix->key_slot);
	free(ix->sec_slot);
	ix->nslot = 16;
	while (ix->nslot < 2 * sc->cap)
		ix->nslot *= 2;
	ix->key_slot = xcalloc(ix->nslot, sizeof *ix->key_slot);
	ix->sec_slot = xcalloc(ix->nslot, sizeof *ix->sec_slot);
	ix->next = xrealloc(ix->next, sc->cap * sizeof *ix->next);
	ix->tail = xrealloc(ix->tail, sc->cap * sizeof *ix->tail);
	for (size_t i = 0; i < sc->n; i++)
		index_add(sc, i);
}

static struct scenario_entry *find_entry(const struct scenario *sc, const char *section,
                                         const char *key)
{
	if (!sc->index)
		return NULL;
	size_t i = index_slot(sc, section, key)->entry;
	return i ? &sc->entry[i - 1] : NULL;
}

const struct scenario_entry *scenario_get(const struct scenario *sc, const char *section,
                                          const char *key)
{
	return find_entry(sc, section, key);
}

const struct scenario_entry *scenario_section_first(const struct scenario *sc,
                                                    const char *section)
{
	if (!sc->index)
		return NULL;
	size_t i = index_slot(sc, section, NULL)->entry;
	return i ? &sc->entry[i - 1] : NULL;
}

/* The entry after e in its section, or NULL. */
static const struct scenario_entry *section_next(const struct scenario *sc,
                                                 const struct scenario_entry *e)
{
	size_t i = sc->index->next[e - sc->entry];
	return i ? &sc->entry[i - 1] : NULL;
}

/* Appends a new entry section.key, indexed. */
static struct scenario_entry *add_entry(struct scenario *sc, const char *section, const char *key)
{
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 16;
		sc->entry = xrealloc(sc->entry, sc->cap * sizeof *sc->entry);
		index_grow(sc);
	}
	size_t i = sc->n++;
	struct scenario_entry *e = &sc->entry[i];
	struct scenario_index *ix = sc->index;
	e->section = xstrdup(section);
	e->key = xstrdup(key);
	ix->next[i] = 0;
	size_t first = index_add(sc, i) - 1;
	if (first == i) {
		ix->tail[i] = i;
	} else {
		ix->next[ix->tail[first]] = i + 1;
		ix->tail[first] = i;
	}
	return e;
}

/* Last value wins; the entry keeps its place (first appearance). */
static void store(struct scenario *sc, const char *section, const char *key, const char *value,
                  const char *origin, int line)
{
	struct scenario_entry *e = find_entry(sc, section, key);
	if (!e) {
		e = add_entry(sc, section, key);
	} else {
		free(e->value);
		free(e->origin);
	}
	e->value = xstrdup(value);
	e->origin = xstrdup(origin);
	e->line = line;
}

int scenario_add(struct scenario *sc, const char *section, const char *key, const char *value,
                 const char *origin, int line)
{
	if (find_entry(sc, section, key))
		return 0;
	store(sc, section, key, value, origin, line);
	return 1;
}

const struct scenario_entry *scenario_section_next(const struct scenario *sc,
                                                   const struct scenario_entry *e)
{
	return section_next(sc, e);
}

void scenario_put(struct scenario *sc, const char *section, const char *key, const char *value)
{
	store(sc, section, key, value, "--set", 0);
}

void scenario_put_option(struct scenario *sc, const char *section, const char *key,
                         const char *value, const char *option)
{
	store(sc, section, key, value, option, 0);
}

void scenario_where(const struct scenario_entry *e, char *buf, size_t len)
{
	if (e->line == 0 && strcmp(e->origin, "--set") == 0)
		snprintf(buf, len, "--set '%s.%s=%s'", e->section, e->key, e->value);
	else if (e->line == 0)
		snprintf(buf, len, "%s '%s'", e->origin, e->value);
	else
		snprintf(buf, len, "%s:%d", e->origin, e->line);
}

/* ---- names ---------------------------------------------------------------- */

static int name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

int scenario_name_valid(const char *name)
{
	size_t n = strlen(name);
	const char *slash = strchr(name, '/');
	if (n == 0 || n > SCENARIO_NAME_MAX)
		return 0;
	/* PORT/NAME: a port's stage, stream or find */
	if (slash && (slash == name || !slash[1] || strchr(slash + 1, '/')))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!name_char((unsigned char)name[i]) && name + i != slash)
			return 0;
	return 1;
}

/* The kind of a section ("stage" of "stage.primary"), as a new string. */
static char *section_kind(const char *section)
{
	const char *dot = strchr(section, '.');
	size_t n = dot ? (size_t)(dot - section) : strlen(section);
	char *kind = xmalloc(n + 1);
	memcpy(kind, section, n);
	kind[n] = '\0';
	return kind;
}

/* Checks a section name ("scenario", "stage.primary"); on a problem writes
 * it (without a subject) into msg and returns -1. */
static int section_check(const char *section, char *msg, size_t len)
{
	const char *dot = strchr(section, '.');
	const char *name = dot ? dot + 1 : NULL;
	char *kind = section_kind(section);
	int rc = -1;
	if (!keys_kind_known(kind)) {
		const char *near = keys_suggest_kind(kind);
		if (near)
			snprintf(msg, len, "unknown section kind '%s'; did you mean '%s'?", kind, near);
		else
			snprintf(msg, len, "unknown section kind '%s'; expected [scenario], "
			         "[stream.NAME], [stage.NAME], [find.NAME], [surge.NAME], "
			         "[closure.NAME] or [staffing.NAME]", kind);
	} else if (!keys_kind_named(kind) && name) {
		snprintf(msg, len, "[%s] takes no name", kind);
	} else if (keys_kind_named(kind) && (!name || !*name)) {
		snprintf(msg, len, "a %s section needs a name, as in [%s.NAME]", kind, kind);
	} else if (name && strlen(name) > SCENARIO_NAME_MAX) {
		snprintf(msg, len, "name too long: at most %d characters", SCENARIO_NAME_MAX);
	} else if (name && !scenario_name_valid(name)) {
		snprintf(msg, len, "bad name '%s': use letters, digits, '_' and '-' (and one '/' "
		         "after a port's name)", name);
	} else if (name && strchr(name, '/') && (!strcmp(kind, "port") || !strcmp(kind, "ports"))) {
		snprintf(msg, len, "bad name '%s': a port or a kind of port has no '/'", name);
	} else if (name && strcmp(kind, "stage") == 0 && strcmp(name, "exit") == 0) {
		snprintf(msg, len, "'exit' is reserved for leaving the network; name the stage otherwise");
	} else {
		rc = 0;
	}
	free(kind);
	return rc;
}

/* Checks key in an already valid section; on a problem writes "unknown key"
 * with the nearest known key, named in this section when of its kind. */
static int key_check(const char *section, const char *key, char *msg, size_t len)
{
	char *kind = section_kind(section);
	int rc = 0;
	if (!keys_find(kind, key)) {
		const struct key_def *near = keys_nearest(kind, key);
		char hint[160] = "";
		if (near && strcmp(near->kind, kind) == 0)
			snprintf(hint, sizeof hint, "; did you mean '%s.%s'?", section, near->name);
		else if (near)
			snprintf(hint, sizeof hint, "; did you mean '%s'?", keys_full_name(near));
		snprintf(msg, len, "unknown key%s", hint);
		rc = -1;
	}
	free(kind);
	return rc;
}

/* section and key as the reader checks them; a bad section is named as
 * header says ("[%s]" in a file, "%s" on the command line). */
static int entry_check(const char *section, const char *key, const char *header, char *msg,
                       size_t len)
{
	char sub[256], name[300];
	if (section_check(section, sub, sizeof sub) < 0) {
		snprintf(name, sizeof name, header, section);
		snprintf(msg, len, "%s: %s", name, sub);
		return -1;
	}
	if (key_check(section, key, sub, sizeof sub) < 0) {
		snprintf(msg, len, "%s.%s: %s", section, key, sub);
		return -1;
	}
	return 0;
}

int scenario_check_entry(const char *section, const char *key, char *msg, size_t len)
{
	return entry_check(section, key, "[%s]", msg, len);
}

/* The hint for a key given outside any section, "" when none is near. */
static void outside_hint(const char *key, char *hint, size_t len)
{
	const struct key_def *near = keys_nearest("", key);
	if (near)
		snprintf(hint, len, "; did you mean '%s'?", keys_full_name(near));
	else
		hint[0] = '\0';
}

/* ---- reading -------------------------------------------------------------- */

static int load_section(void *ctx, const char *section, char *msg, size_t len)
{
	return section_check(section, msg, len);
}

static int load_key(void *ctx, const char *section, const char *key, const char *value,
                    const char *path, int line, char *msg, size_t len)
{
	char hint[256];
	if (!*section) {
		outside_hint(key, hint, sizeof hint);
		snprintf(msg, len, "%s: key outside any section%s", key, hint);
		return -1;
	}
	if (key_check(section, key, hint, sizeof hint) < 0) {
		snprintf(msg, len, "%s.%s: %s", section, key, hint);
		return -1;
	}
	store(ctx, section, key, value, path, line);
	return 0;
}

static int load_more(void *ctx, const char *section, const char *key, const char *value)
{
	struct scenario_entry *e = find_entry(ctx, section, key);
	if (!e)   /* inih continues only a key it has passed on */
		return -1;
	char *joined = *e->value ? xasprintf("%s %s", e->value, value) : xstrdup(value);
	free(e->value);
	e->value = joined;
	return 0;
}

int scenario_named_by_top(const struct scenario *sc)
{
	const struct scenario_entry *e = scenario_get(sc, "scenario", "name");
	return e && (e->line == 0 || (sc->path && strcmp(e->origin, sc->path) == 0));
}

int scenario_load(struct scenario *sc, const char *path, char *err, size_t errlen)
{
	free(sc->path);
	sc->path = xstrdup(path);
	const struct inifile_handler to = {
		.ctx = sc, .depth_max = SCENARIO_INCLUDE_DEPTH, .bytes_max = SCENARIO_BYTES_MAX,
		.section = load_section, .is_key = keys_name_known, .key = load_key, .more = load_more,
	};
	int rc = inifile_read(path, &to, err, errlen);
	return rc ? rc : ports_expand(sc, err, errlen);
}

/* ---- --set ---------------------------------------------------------------- */

/* A value scenario_write could not give back: control characters, or a ';'
 * that a scenario file would read as the start of a comment. */
static int value_unwritable(const char *v)
{
	for (const char *p = v; *p; p++) {
		if (iscntrl((unsigned char)*p) && *p != '\t')
			return 1;
		if (*p == ';' && (p == v || isspace((unsigned char)p[-1])))
			return 1;
	}
	return 0;
}

static size_t longest_unit(const char *value);

/* The section of sc of the same kind as section nearest to it by name, or
 * NULL when none is near. */
static const char *nearest_section(const struct scenario *sc, const char *section)
{
	const char *name = strchr(section, '.') + 1, *best = NULL;
	size_t kind_len = (size_t)(name - section), best_d = (size_t)-1;
	for (size_t i = 0; i < sc->n; i++) {
		const char *s = sc->entry[i].section;
		if (strncmp(s, section, kind_len) != 0)
			continue;
		size_t d = keys_distance(name, s + kind_len);
		if (d < best_d) {
			best_d = d;
			best = s;
		}
	}
	return best && keys_near(best_d, name) ? best : NULL;
}

/* --set changes what the scenario's files define; it does not add a named
 * section: a stage or stream needs several keys, and a typo in a name would
 * otherwise add a section nothing reaches and change nothing. */
static int section_exists(const struct scenario *sc, const char *section, char *msg,
                          size_t len)
{
	char *kind = section_kind(section);
	int named = keys_kind_named(kind);
	free(kind);
	for (size_t i = 0; named && i < sc->n; i++)
		if (strcmp(sc->entry[i].section, section) == 0)
			return 0;
	if (!named)
		return 0;
	const char *near = nearest_section(sc, section);
	if (near)
		snprintf(msg, len, "%s: no such section in the scenario; did you mean '%s'?",
		         section, near);
	else
		snprintf(msg, len, "%s: no such section in the scenario; --set and --vary change the "
		         "sections its files define, they add none", section);
	return -1;
}

/* A port's figure that --set names must be one the port has (a catalog
 * column): a new one would change nothing. */
static int port_figure_check(const struct scenario *sc, const char *section, const char *key,
                             char *msg, size_t len)
{
	const struct scenario_entry *e = scenario_section_first(sc, section), *best = NULL;
	size_t best_d = (size_t)-1;
	if (strncmp(section, "port.", 5) != 0 || keys_find("port", key) != keys_row(KEYS_PORT_FIGURE))
		return 0;
	for (; e; e = section_next(sc, e)) {
		if (strcmp(e->key, key) == 0)
			return 0;
		size_t d = keys_distance(key, e->key);
		if (d < best_d) {
			best_d = d;
			best = e;
		}
	}
	if (best && keys_near(best_d, key))
		snprintf(msg, len, "%s.%s: port %s has no such figure; did you mean '%s.%s'?", section,
		         key, section + 5, section, best->key);
	else
		snprintf(msg, len, "%s.%s: port %s has no such figure (its figures are its catalog "
		         "columns)", section, key, section + 5);
	return -1;
}

/* Checks section.key as named on the command line; on a problem writes
 * "SUBJECT: problem" into msg and returns -1. */
static int name_check(const struct scenario *sc, const char *section, const char *key,
                      char *msg, size_t len)
{
	char sub[256];
	if (!*section) {
		outside_hint(key, sub, sizeof sub);
		snprintf(msg, len, "%s: unknown key%s", key, sub);
		return -1;
	}
	if (entry_check(section, key, "%s", msg, len) < 0)
		return -1;
	if (section_exists(sc, section, msg, len) < 0)
		return -1;
	return port_figure_check(sc, section, key, msg, len);
}

int scenario_check_name(const struct scenario *sc, const char *name, char *err, size_t errlen)
{
	char msg[512];
	char *section = xstrdup(name), *dot = strrchr(section, '.');
	const char *key = dot ? dot + 1 : section;
	if (dot)
		*dot = '\0';
	int rc = name_check(sc, dot ? section : "", key, msg, sizeof msg);
	free(section);
	return rc < 0 ? util_err(err, errlen, EX_DATAERR, "%s", msg) : 0;
}

int scenario_set(struct scenario *sc, const char *assignment, char *err, size_t errlen)
{
	return scenario_set_fault(sc, assignment, NULL, err, errlen);
}

/* Every message below opens with "--set 'ASSIGNMENT': ". */
int scenario_set_fault(struct scenario *sc, const char *assignment, struct scenario_fault *fault,
                       char *err, size_t errlen)
{
	if (fault)
		*fault = (struct scenario_fault){ NULL, strlen("--set '") + strlen(assignment) +
		                                        strlen("': ") };
	const char *eq = strchr(assignment, '=');
	if (!eq)
		return util_err(err, errlen, EX_USAGE, "--set '%s': expected KEY=VALUE", assignment);
	char *lhs = xmalloc((size_t)(eq - assignment) + 1);
	memcpy(lhs, assignment, (size_t)(eq - assignment));
	lhs[eq - assignment] = '\0';
	char *name = parse_trim(lhs);
	char *value = parse_trim(eq + 1);
	int rc;
	if (!*name) {
		rc = util_err(err, errlen, EX_USAGE, "--set '%s': expected KEY=VALUE", assignment);
		goto out;
	}
	char *dot = strrchr(name, '.');
	const char *section = dot ? name : "", *key = dot ? dot + 1 : name;
	if (dot)
		*dot = '\0';
	char msg[512];
	if (name_check(sc, section, key, msg, sizeof msg) < 0)
		rc = util_err(err, errlen, EX_DATAERR, "--set '%s': %s", assignment, msg);
	else if (value_unwritable(value))
		rc = util_err(err, errlen, EX_DATAERR, "--set '%s': %s.%s: a value may not hold "
		              "control characters or a ';' at its start or after a blank", assignment,
		              section, key);
	else
		rc = 0;
	/* A file's value comes in lines the reader took; one from --set must
	 * fit them too, or the scenario.ini a run writes would not read back. */
	size_t unit;
	if (rc == 0 && (unit = longest_unit(value)) > INIFILE_LINE_MAX - 1)
		rc = util_err(err, errlen, EX_DATAERR, "--set '%s': %s.%s: a word of %zu characters; "
		              "a line of a scenario file holds at most %d", assignment, section, key,
		              unit, INIFILE_LINE_MAX - 1);
	if (rc == 0)
		scenario_put(sc, section, key, value);
out:
	free(value);
	free(name);
	free(lhs);
	return rc;
}

/* ---- writing -------------------------------------------------------------- */

/* Whether a continuation line may start with the word at w: not a comment,
 * not a section header, not what the reader takes for a key. */
static int can_start_line(const char *w)
{
	return *w != ';' && *w != '#' && *w != '[' && !inifile_looks_like_key(w, keys_name_known);
}

/* Blanks separate the words of a value as it is written: any white space,
 * not only ' ' and '\t'. A '\v', '\f' or '\r' kept inside a word would be
 * stripped by inih when a break put it at the end or start of a line. */
static int is_blank(char c)
{
	return isspace((unsigned char)c) != 0;
}

/* The end of the word at p: the next blank, or just past the next comma. */
static const char *word_end(const char *p)
{
	while (*p && !is_blank(*p) && *p != ',')
		p++;
	return *p == ',' ? p + 1 : p;
}

/* The length of the words of a value from p on that must share a line: the
 * word at p and each following word that cannot start a line, with one blank
 * for each run of blanks between. */
static size_t unit_length(const char *p)
{
	size_t n = 0;
	for (;;) {
		const char *w = p;
		p = word_end(p);
		n += (size_t)(p - w);
		const char *q = p;
		while (is_blank(*q))
			q++;
		if (!*q || can_start_line(q))
			return n;
		n += q > p;
		p = q;
	}
}

/* The longest run of words write_value must keep on one line. */
static size_t longest_unit(const char *value)
{
	size_t most = 0;
	for (const char *p = value; *p;) {
		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		if (p == value || can_start_line(p)) {
			size_t u = unit_length(p);
			most = u > most ? u : most;
		}
		p = word_end(p);
	}
	return most;
}

/* "key = value", broken at blanks (or, inside a long word, after commas)
 * onto indented continuation lines when longer than SCENARIO_WRAP. Read
 * back, a break at a blank gives the value as it was; runs of blanks become
 * one ' ' and a break after a comma adds a blank, which no list value minds.
 *
 * No line may pass INIFILE_LINE_MAX, or the file would not read back. Each
 * word that cannot start a line stood on the same input line as the word
 * before it, so such a run (a unit) was no longer than an input line: a unit
 * that would pass the limit goes on a line of its own, indented by one blank
 * when four are too many, and a first unit too long for "key = " follows
 * "key=" (or "key =" and a continuation line). A value that starts with ';'
 * follows "key=" too: after a blank, inih takes the ';' for a comment. A
 * value given by --set is held to the same bound (scenario_set), and may not
 * start with ';' either. */
static void write_value(FILE *f, const char *key, const char *value)
{
	size_t klen = strlen(key), first = unit_length(value), col;
	const char *p = value;
	int blank = 1;
	if (*value != ';' && (klen + 3 + first <= INIFILE_LINE_MAX || can_start_line(value))) {
		col = (size_t)fprintf(f, "%s =", key);
	} else {
		col = (size_t)fprintf(f, "%s=", key);
		blank = 0;
	}
	while (*p) {
		const char *w = p;
		size_t unit = unit_length(p);
		p = word_end(p);
		size_t wl = (size_t)(p - w);
		int at_key = col == klen + 2 && w == value;
		if (can_start_line(w) && ((!at_key && col + blank + wl > SCENARIO_WRAP) ||
		                          col + blank + unit > INIFILE_LINE_MAX)) {
			col = 4 + unit <= INIFILE_LINE_MAX ? 4 : 1;
			fprintf(f, "\n%*s", (int)col, "");
		} else if (blank) {
			fputc(' ', f);
			col++;
		}
		fwrite(w, 1, wl, f);
		col += wl;
		blank = is_blank(*p);
		while (is_blank(*p))
			p++;
	}
	fputc('\n', f);
}

static void write_section(const struct scenario *sc, FILE *f, const struct scenario_entry *first)
{
	int expanded = strncmp(first->section, "ports.", 6) == 0, header = 0;
	for (const struct scenario_entry *e = first; e; e = section_next(sc, e)) {
		if (expanded && (!strcmp(e->key, "template") || !strcmp(e->key, "catalog")))
			continue;   /* written out already: a section with nothing else is left out */
		if (!header++)
			fprintf(f, "\n[%s]\n", first->section);
		write_value(f, e->key, e->value);
	}
}

int scenario_write(const struct scenario *sc, FILE *f)
{
	fputs("; effective scenario written by bordersim\n", f);
	const struct scenario_entry *top = scenario_section_first(sc, "scenario");
	if (top)
		write_section(sc, f, top);
	for (size_t i = 0; i < sc->n; i++)
		if (&sc->entry[i] != top && scenario_section_first(sc, sc->entry[i].section) ==
		    &sc->entry[i])
			write_section(sc, f, &sc->entry[i]);
	if (fflush(f) != 0 || ferror(f))
		return -1;
	return 0;
}
