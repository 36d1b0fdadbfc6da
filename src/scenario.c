/* scenario: INI scenario files, their includes and --set, into key/values.
 *
 * inih does the INI grammar; this module is the only one that includes
 * <ini.h>. inih's handler is not told the line number, so the file is fed to
 * ini_parse_stream through our own reader, which counts lines and also sees
 * every raw line before inih does. The reader is where most checks live:
 *
 * - Bounds. Each file is opened without blocking (a FIFO with no writer
 *   would hold open(2)) and refused unless it is a regular file: a FIFO, a
 *   device (/dev/zero never ends), a socket or a folder is not a scenario.
 *   A file larger than SCENARIO_BYTES_MAX is refused by its size before it
 *   is read, and the bytes of the file and its includes are counted as they
 *   are read against the same limit (a /proc file reports size 0; a file may
 *   grow). Includes nest at most SCENARIO_INCLUDE_DEPTH deep, so that a long
 *   chain meets a message, not the end of the stack.
 * - Lines. The reader reads a line a character at a time into a buffer of
 *   fixed size, so nothing grows with a line; a read error is an error, never
 *   the end of the file. Debian's libinih is built with a line buffer of 200
 *   bytes (INI_MAX_LINE; the reader is handed num = 200) and silently splits
 *   a longer line into two lines: a line longer than num - 2 characters (room
 *   for "\n\0") is refused as "FILE:LINE: line too long". A line ends at LF
 *   or CRLF; a CR alone is refused, since a file with CR line ends would
 *   otherwise be one long line.
 * - Continuation lines. libinih is built with multi-line values on: an
 *   indented line after a key is passed to the handler again under that key.
 *   inih also does so after a blank line, and takes an indented "key = value"
 *   as more of the value above, which silently swallows keys written with
 *   indentation. We support continuation deliberately, because a profile of
 *   24 weights is long, under stricter rules, the same in every section
 *   kind: an indented line continues the value of the key line directly
 *   above it (comment lines may come between, blank lines may not) and is
 *   joined to it with one blank; an indented line anywhere else, an indented
 *   section header, and an indented line that reads as "known_key =" (a key
 *   of any section kind, or include) are errors. inih 55 keeps a "; comment"
 *   at the end of a continuation line as part of the value, so the reader
 *   cuts it off, as inih does on key lines. The entry keeps the key line's
 *   number.
 * - Section headers. inih calls the handler only for keys, so an empty section
 *   with a misspelt kind would pass unseen; it truncates section names to
 *   49 characters; and it drops whatever follows the ']'. The reader checks
 *   every header as it goes by, and refuses text after it other than a
 *   comment.
 * - BOM and CRLF: the reader drops a UTF-8 BOM on line 1 and a CR before LF,
 *   so lengths and indentation are judged on the text itself.
 *
 * Errors stop the parse: after the first, the reader returns end of file.
 * inih itself reports a syntax error only by line number; the reader checks
 * the same grammar first to give a message, and inih's number is the fallback.
 * Debian's build also exports its settings as ini_* globals; they are left
 * alone (process-wide state), and the line limit is taken from the num inih
 * hands the reader. */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sysexits.h>

#include "keys.h"
#include "parse.h"
#include "util.h"

#define SCENARIO_NAME_MAX 40   /* stage and stream names; inih keeps 49 section chars */
#define SCENARIO_WRAP 78       /* scenario_write breaks longer values over lines */
#define SCENARIO_LINE_MAX 198  /* the longest line the reader takes from Debian's inih */

/* One file being read; includes nest through parent. */
struct load {
	struct scenario *sc;
	const char *path;            /* as used in messages and for relative includes */
	dev_t dev;                   /* the file's identity, for include cycles */
	ino_t ino;
	const struct load *parent;
	int depth;                   /* includes above this file: 0 for the top file */
	size_t *bytes;               /* bytes read so far, this file and every other */
	FILE *f;
	char buf[SCENARIO_LINE_MAX + 8];   /* the line being read (a BOM and "\n\0" more) */
	int line;                    /* lines read so far */
	int cont;                    /* the line just read continues a value */
	int after_key;               /* an indented line now would continue a value */
	int status;                  /* first error, or 0 */
	int err_line;
	char *err;
	size_t errlen;
};

static int load_file(struct scenario *sc, const char *path, const struct load *parent,
                     size_t *bytes, char *err, size_t errlen);

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
	if (n == 0 || n > SCENARIO_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!name_char((unsigned char)name[i]))
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
		snprintf(msg, len, "bad name '%s': use letters, digits, '_' and '-'", name);
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

/* The hint for a key given outside any section, "" when none is near. */
static void outside_hint(const char *key, char *hint, size_t len)
{
	const struct key_def *near = keys_nearest("", key);
	if (near)
		snprintf(hint, len, "; did you mean '%s'?", keys_full_name(near));
	else
		hint[0] = '\0';
}

/* "include" or a key of any section kind in the key table. */
static int is_key_name(const char *name)
{
	return strcmp(name, "include") == 0 || keys_name_known(name);
}

/* Whether text starts "known_key =", the key of any section kind: an
 * indented line that reads so is a key the writer indented, not a
 * continuation, whatever section it stands in. */
static int looks_like_key(const char *text)
{
	char name[64];
	size_t n = 0;
	while (n < sizeof name - 1 && (isalnum((unsigned char)text[n]) || text[n] == '_')) {
		name[n] = text[n];
		n++;
	}
	name[n] = '\0';
	const char *p = text + n;
	while (*p == ' ' || *p == '\t')
		p++;
	return n > 0 && *p == '=' && is_key_name(name);
}

/* ---- reading -------------------------------------------------------------- */

static int load_fail(struct load *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records the first error, at the current line; returns -1. */
static int load_fail(struct load *ld, const char *fmt, ...)
{
	if (ld->status)
		return -1;
	ld->status = EX_DATAERR;
	ld->err_line = ld->line;
	if (ld->err && ld->errlen) {
		int n = snprintf(ld->err, ld->errlen, "%s:%d: ", ld->path, ld->line);
		if (n >= 0 && (size_t)n < ld->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return -1;
}

/* inih's find_chars_or_comment: the first of chars, or an inline ';' comment
 * (a ';' after a blank), or the end. */
static const char *find_or_comment(const char *s, const char *chars)
{
	int was_space = 0;
	while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

static int section_line(struct load *ld, const char *p)
{
	const char *end = find_or_comment(p + 1, "]");
	if (*end != ']')
		return load_fail(ld, "syntax error: section header '%s' needs a closing ']'", p);
	char *section = xmalloc((size_t)(end - p));
	memcpy(section, p + 1, (size_t)(end - p - 1));
	section[end - p - 1] = '\0';
	char msg[256];
	int rc = 0;
	const char *rest = end + 1;
	while (isspace((unsigned char)*rest))
		rest++;
	if (section_check(section, msg, sizeof msg) < 0)
		rc = load_fail(ld, "[%s]: %s", section, msg);
	else if (*rest && *rest != ';' && *rest != '#')
		rc = load_fail(ld, "[%s]: text after the section header: '%s'; put it on a line "
		               "of its own", section, rest);
	free(section);
	return rc;
}

/* Classifies a raw line (see the top of the file); -1 on an error. Drops
 * an inline comment from a continuation line: inih 55 strips those only from
 * key lines and would keep "; ..." as part of the value. */
static int classify(struct load *ld, char *s)
{
	char *p = s;
	while (isspace((unsigned char)*p))
		p++;
	ld->cont = 0;
	if (*p == '\0') {
		ld->after_key = 0;
		return 0;
	}
	if (*p == ';' || *p == '#')
		return 0;
	if (p > s) {
		if (!ld->after_key)
			return load_fail(ld, "unexpected indentation: only the continuation lines of "
			                 "a value may be indented");
		if (*p == '[')
			return load_fail(ld, "indented section header '%s': remove the indentation", p);
		if (looks_like_key(p))
			return load_fail(ld, "indented '%s' would continue the value above: remove the "
			                 "indentation to make it a key", p);
		ld->cont = 1;
		*(char *)find_or_comment(p, "") = '\0';
		return 0;
	}
	if (*p == '[') {
		ld->after_key = 0;
		return section_line(ld, p);
	}
	ld->after_key = 1;
	const char *eq = find_or_comment(p, "=:");
	if (*eq != '=' && *eq != ':')
		return load_fail(ld, "syntax error: expected 'key = value' or '[section]', got '%s'", p);
	return 0;
}

/* A file that cannot be opened or read: EX_NOINPUT for the top file, bad
 * scenario data naming the include line for an included one. */
static int open_fail(const struct load *parent, const char *path, const char *what, int errnum,
                     char *err, size_t errlen)
{
	if (!parent)
		return util_err(err, errlen, EX_NOINPUT, "cannot %s '%s': %s", what, path,
		                strerror(errnum));
	return util_err(err, errlen, EX_DATAERR, "%s:%d: include: cannot %s '%s': %s",
	                parent->path, parent->line, what, path, strerror(errnum));
}

/* The bytes read, counted against SCENARIO_BYTES_MAX for the scenario and
 * its includes together; -1 past it. */
static int count_byte(struct load *ld)
{
	if (++*ld->bytes <= SCENARIO_BYTES_MAX)
		return 0;
	return load_fail(ld, "too large: more than %u MiB read; a scenario and its includes may "
	                 "hold %u MiB", SCENARIO_BYTES_MAX >> 20, SCENARIO_BYTES_MAX >> 20);
}

/* A read error: an error, never the end of the file. */
static int read_fail(struct load *ld)
{
	ld->status = open_fail(ld->parent, ld->path, "read", errno ? errno : EIO, ld->err,
	                       ld->errlen);
	ld->err_line = ld->line;
	return -1;
}

/* Reads one line into ld->buf, keeping at most max characters of it; its
 * length (all of it) into *len. Returns 1, 0 at the end of the file, -1 on
 * an error (recorded). The line ends at LF or CRLF; a CR before anything
 * else is refused, since a file with CR line ends would otherwise read as
 * one long line. Nothing grows with the line: a line past max is only
 * counted (and held to SCENARIO_BYTES_MAX), never kept. */
static int read_line(struct load *ld, size_t max, size_t *len)
{
	size_t n = 0;
	errno = 0;
	int c = getc_unlocked(ld->f);
	if (c == EOF)
		return ferror(ld->f) ? read_fail(ld) : 0;
	ld->line++;
	for (;; c = getc_unlocked(ld->f)) {
		if (c == EOF) {
			if (ferror(ld->f))
				return read_fail(ld);
			break;   /* a last line without its LF */
		}
		if (count_byte(ld) < 0)
			return -1;
		if (c == '\n')
			break;
		if (c == '\r') {
			c = getc_unlocked(ld->f);
			if (c == '\n') {
				if (count_byte(ld) < 0)
					return -1;
				break;
			}
			if (c == EOF && ferror(ld->f))
				return read_fail(ld);
			return load_fail(ld, "a carriage return (CR) not followed by a line feed: "
			                 "save the file with LF or CRLF line ends");
		}
		if (c == '\0')
			return load_fail(ld, "line contains a NUL byte");
		if (n < max)
			ld->buf[n] = (char)c;
		n++;
	}
	ld->buf[n < max ? n : max] = '\0';
	*len = n;
	return 1;
}

static char *reader(char *str, int num, void *stream)
{
	struct load *ld = stream;
	size_t len = 0, limit = num < 3 ? 0 : (size_t)num - 2;
	if (ld->status)
		return NULL;
	/* room for a BOM on line 1 and one character past the limit */
	if (read_line(ld, limit + 4 < sizeof ld->buf ? limit + 4 : sizeof ld->buf - 1, &len) <= 0)
		return NULL;
	char *s = ld->buf;
	if (ld->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (len > limit) {
		load_fail(ld, "line too long (%zu characters, at most %zu): break a long value over "
		          "indented continuation lines", len, limit);
		return NULL;
	}
	if (classify(ld, s) < 0)
		return NULL;
	len = strlen(s);   /* classify may have cut a comment off */
	memcpy(str, s, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return str;
}

/* The include's path: relative to the including file's folder. */
static char *include_path(const char *from, const char *file)
{
	const char *slash = strrchr(from, '/');
	if (file[0] == '/' || !slash)
		return xstrdup(file);
	return xasprintf("%.*s/%s", (int)(slash - from), from, file);
}

static int include(struct load *ld, const char *file)
{
	if (!*file)
		return load_fail(ld, "include: expected a file name");
	if (ld->depth >= SCENARIO_INCLUDE_DEPTH)
		return load_fail(ld, "include: includes nested more than %d deep: '%s' is one too "
		                 "many", SCENARIO_INCLUDE_DEPTH, file);
	char *path = include_path(ld->path, file);
	int rc = load_file(ld->sc, path, ld, ld->bytes, ld->err, ld->errlen);
	free(path);
	if (rc) {
		ld->status = rc;
		ld->err_line = ld->line;
		return -1;
	}
	return 0;
}

static int continue_value(struct load *ld, const char *section, const char *name,
                          const char *value)
{
	if (!*section && strcmp(name, "include") == 0)
		return load_fail(ld, "include: a file name may not go on over lines");
	struct scenario_entry *e = find_entry(ld->sc, section, name);
	if (!e)   /* inih continues only a key it has passed on */
		return load_fail(ld, "continuation line without a key above it");
	char *joined = *e->value ? xasprintf("%s %s", e->value, value) : xstrdup(value);
	free(e->value);
	e->value = joined;
	return 0;
}

static int key_line(struct load *ld, const char *section, const char *name, const char *value)
{
	char msg[256];
	if (!*name)
		return load_fail(ld, "syntax error: missing key name before '='");
	if (strcmp(name, "include") == 0) {
		if (*section)
			return load_fail(ld, "include: must come before the first section");
		return include(ld, value);
	}
	if (!*section) {
		outside_hint(name, msg, sizeof msg);
		return load_fail(ld, "%s: key outside any section%s", name, msg);
	}
	if (key_check(section, name, msg, sizeof msg) < 0)
		return load_fail(ld, "%s.%s: %s", section, name, msg);
	store(ld->sc, section, name, value, ld->path, ld->line);
	return 0;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	if (ld->status)
		return 0;
	if (ld->cont)
		return continue_value(ld, section, name, value) == 0;
	return key_line(ld, section, name, value) == 0;
}

/* "a.ini -> b.ini -> a.ini" for a cycle closing at path. */
static char *cycle_text(const struct load *parent, const char *path)
{
	char *s = xstrdup(path);
	for (const struct load *p = parent; p; p = p->parent) {
		char *t = xasprintf("%s -> %s", p->path, s);
		free(s);
		s = t;
	}
	return s;
}

static int check_cycle(const struct load *ld, char *err, size_t errlen)
{
	for (const struct load *p = ld->parent; p; p = p->parent) {
		if (p->dev == ld->dev && p->ino == ld->ino) {
			char *chain = cycle_text(ld->parent, ld->path);
			util_err(err, errlen, EX_DATAERR, "%s:%d: include: include cycle %s",
			         ld->parent->path, ld->parent->line, chain);
			free(chain);
			return EX_DATAERR;
		}
	}
	return 0;
}

/* Opens path for reading, refusing at once what is not a regular file that
 * ends (util_open_regular) or is larger than SCENARIO_BYTES_MAX. Returns 0
 * with *f open and *st filled, or a status with the message. */
static int open_regular(const struct load *parent, const char *path, FILE **f, struct stat *st,
                        char *err, size_t errlen)
{
	int rc = util_open_regular(path, f, st);
	if (rc > 0)
		return open_fail(parent, path, rc == EISDIR ? "read" : "open", rc, err, errlen);
	if (rc < 0 && !parent)
		return util_err(err, errlen, EX_NOINPUT, "cannot read '%s': %s, not a regular file",
		                path, util_file_kind(st->st_mode));
	if (rc < 0)
		return util_err(err, errlen, EX_DATAERR, "%s:%d: include: cannot read '%s': %s, not "
		                "a regular file", parent->path, parent->line, path,
		                util_file_kind(st->st_mode));
	if ((uintmax_t)st->st_size <= SCENARIO_BYTES_MAX)
		return 0;
	fclose(*f);
	*f = NULL;
	if (!parent)
		return util_err(err, errlen, EX_DATAERR, "%s: too large: %jd bytes; a scenario and "
		                "its includes may hold %u MiB", path, (intmax_t)st->st_size,
		                SCENARIO_BYTES_MAX >> 20);
	return util_err(err, errlen, EX_DATAERR, "%s:%d: include: '%s' too large: %jd bytes; a "
	                "scenario and its includes may hold %u MiB", parent->path, parent->line,
	                path, (intmax_t)st->st_size, SCENARIO_BYTES_MAX >> 20);
}

static int load_file(struct scenario *sc, const char *path, const struct load *parent,
                     size_t *bytes, char *err, size_t errlen)
{
	struct load ld = { .sc = sc, .path = path, .parent = parent, .bytes = bytes,
	                   .depth = parent ? parent->depth + 1 : 0, .err = err, .errlen = errlen };
	struct stat st;
	int rc = open_regular(parent, path, &ld.f, &st, err, errlen);
	if (rc)
		goto out;
	ld.dev = st.st_dev;
	ld.ino = st.st_ino;
	rc = check_cycle(&ld, err, errlen);
	if (rc)
		goto out;
	int bad = ini_parse_stream(reader, &ld, handler, &ld);
	if (bad > 0 && (!ld.status || bad < ld.err_line)) {
		/* A line inih refused that the reader let through. */
		ld.status = EX_DATAERR;
		util_err(err, errlen, EX_DATAERR, "%s:%d: syntax error", path, bad);
	} else if (bad < 0 && !ld.status) {
		ld.status = util_err(err, errlen, EX_SOFTWARE, "%s: inih could not read the file",
		                     path);
	}
	rc = ld.status;
out:
	if (ld.f)
		fclose(ld.f);
	return rc;
}

int scenario_load(struct scenario *sc, const char *path, char *err, size_t errlen)
{
	free(sc->path);
	sc->path = xstrdup(path);
	size_t bytes = 0;
	return load_file(sc, path, NULL, &bytes, err, errlen);
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
	if (section_check(section, sub, sizeof sub) < 0) {
		snprintf(msg, len, "%s: %s", section, sub);
		return -1;
	}
	if (key_check(section, key, sub, sizeof sub) < 0) {
		snprintf(msg, len, "%s.%s: %s", section, key, sub);
		return -1;
	}
	return section_exists(sc, section, msg, len);
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
	if (rc == 0 && (unit = longest_unit(value)) > SCENARIO_LINE_MAX - 1)
		rc = util_err(err, errlen, EX_DATAERR, "--set '%s': %s.%s: a word of %zu characters; "
		              "a line of a scenario file holds at most %d", assignment, section, key,
		              unit, SCENARIO_LINE_MAX - 1);
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
	return *w != ';' && *w != '#' && *w != '[' && !looks_like_key(w);
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
 * No line may pass SCENARIO_LINE_MAX, or the file would not read back. Each
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
	if (*value != ';' && (klen + 3 + first <= SCENARIO_LINE_MAX || can_start_line(value))) {
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
		                          col + blank + unit > SCENARIO_LINE_MAX)) {
			col = 4 + unit <= SCENARIO_LINE_MAX ? 4 : 1;
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
	fprintf(f, "\n[%s]\n", first->section);
	for (const struct scenario_entry *e = first; e; e = section_next(sc, e))
		write_value(f, e->key, e->value);
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
