/* scenario: INI scenario files, their includes and --set, into key/values.
 *
 * inih does the INI grammar; this module is the only one that includes
 * <ini.h>. inih's handler is not told the line number, so the file is fed to
 * ini_parse_stream through our own reader, which counts lines and also sees
 * every raw line before inih does. The reader is where most checks live:
 *
 * - Line length. Debian's libinih is built with a line buffer of 200 bytes
 *   (INI_MAX_LINE; the reader is handed num = 200) and silently splits a
 *   longer line into two lines. The reader reads whole lines itself (getline)
 *   and refuses one longer than num - 2 characters (room for "\n\0") as
 *   "FILE:LINE: line too long".
 * - Continuation lines. libinih is built with multi-line values on: an
 *   indented line after a key is passed to the handler again under that key.
 *   inih also does so after a blank line, and takes an indented "key = value"
 *   as more of the value above, which silently swallows keys written with
 *   indentation. We support continuation deliberately, because a profile of
 *   24 weights is long, under stricter rules: an indented line continues the
 *   value of the key line directly above it (comment lines may come between,
 *   blank lines may not) and is joined to it with one blank; an indented line
 *   anywhere else, an indented section header, and an indented line that reads
 *   as "known_key =" are errors. inih 55 keeps a "; comment" at the end of a
 *   continuation line as part of the value, so the reader cuts it off, as
 *   inih does on key lines. The entry keeps the key line's number.
 * - Section headers. inih calls the handler only for keys, so an empty section
 *   with a misspelt kind would pass unseen; and it truncates section names to
 *   49 characters. The reader checks every header as it goes by.
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
	FILE *f;
	char *buf;                   /* getline buffer */
	size_t cap;
	int line;                    /* lines read so far */
	int cont;                    /* the line just read continues a value */
	int after_key;               /* an indented line now would continue a value */
	int status;                  /* first error, or 0 */
	int err_line;
	char *err;
	size_t errlen;
};

static int load_file(struct scenario *sc, const char *path, const struct load *parent,
                     char *err, size_t errlen);

void scenario_init(struct scenario *sc)
{
	memset(sc, 0, sizeof *sc);
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
	free(sc->slot);
	free(sc->sslot);
	memset(sc, 0, sizeof *sc);
}

/* FNV-1a over section, a separator and key: entries are found by hashing,
 * since a scenario of 65,535 stages has twice as many entries and a scan for
 * each would make reading it quadratic. */
static size_t entry_hash(const char *section, const char *key)
{
	uint64_t h = 1469598103934665603u;
	for (const char *p = section; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	h = (h ^ 0xffu) * 1099511628211u;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return (size_t)h;
}

/* Entry i into the tables: by section and key, and as its section's first
 * entry unless the section has one. */
static void slot_put(struct scenario *sc, size_t i)
{
	const struct scenario_entry *e = &sc->entry[i];
	size_t mask = sc->nslot - 1, s = entry_hash(e->section, e->key) & mask;
	while (sc->slot[s])
		s = (s + 1) & mask;
	sc->slot[s] = i + 1;
	for (s = entry_hash(e->section, "") & mask; sc->sslot[s]; s = (s + 1) & mask)
		if (strcmp(sc->entry[sc->sslot[s] - 1].section, e->section) == 0)
			return;
	sc->sslot[s] = i + 1;
}

static struct scenario_entry *find_entry(const struct scenario *sc, const char *section,
                                         const char *key)
{
	size_t mask = sc->nslot - 1;
	if (!sc->nslot)
		return NULL;
	for (size_t s = entry_hash(section, key) & mask; sc->slot[s]; s = (s + 1) & mask) {
		struct scenario_entry *e = &sc->entry[sc->slot[s] - 1];
		if (strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

const struct scenario_entry *scenario_first(const struct scenario *sc, const char *section)
{
	size_t mask = sc->nslot - 1;
	if (!sc->nslot)
		return NULL;
	for (size_t s = entry_hash(section, "") & mask; sc->sslot[s]; s = (s + 1) & mask)
		if (strcmp(sc->entry[sc->sslot[s] - 1].section, section) == 0)
			return &sc->entry[sc->sslot[s] - 1];
	return NULL;
}

const struct scenario_entry *scenario_get(const struct scenario *sc, const char *section,
                                          const char *key)
{
	return find_entry(sc, section, key);
}

/* Last value wins; the entry keeps its place (first appearance). */
static void store(struct scenario *sc, const char *section, const char *key, const char *value,
                  const char *origin, int line)
{
	struct scenario_entry *e = find_entry(sc, section, key);
	if (!e) {
		if (sc->n == sc->cap) {
			sc->cap = sc->cap ? 2 * sc->cap : 16;
			sc->entry = xrealloc(sc->entry, sc->cap * sizeof *sc->entry);
		}
		e = &sc->entry[sc->n++];
		e->section = xstrdup(section);
		e->key = xstrdup(key);
		if (2 * sc->n > sc->nslot) {   /* at most half full: grow and rehash */
			free(sc->slot);
			free(sc->sslot);
			sc->nslot = sc->nslot ? 2 * sc->nslot : 64;
			sc->slot = xcalloc(sc->nslot, sizeof *sc->slot);
			sc->sslot = xcalloc(sc->nslot, sizeof *sc->sslot);
			for (size_t i = 0; i < sc->n; i++)
				slot_put(sc, i);
		} else {
			slot_put(sc, sc->n - 1);
		}
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

static int is_key_name(const char *name)
{
	return strcmp(name, "include") == 0 || keys_find("scenario", name) ||
	       keys_find("stream", name) || keys_find("stage", name);
}

/* Whether text starts "known_key =": an indented line that reads so is a key
 * the writer indented, not a continuation. */
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
	if (section_check(section, msg, sizeof msg) < 0)
		rc = load_fail(ld, "[%s]: %s", section, msg);
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

static char *reader(char *str, int num, void *stream)
{
	struct load *ld = stream;
	if (ld->status)
		return NULL;
	errno = 0;
	ssize_t got = getline(&ld->buf, &ld->cap, ld->f);
	if (got < 0) {
		if (ferror(ld->f)) {
			ld->status = open_fail(ld->parent, ld->path, "read", errno ? errno : EIO,
			                       ld->err, ld->errlen);
			ld->err_line = ld->line + 1;
		}
		return NULL;
	}
	ld->line++;
	char *s = ld->buf;
	size_t len = (size_t)got;
	if (len && s[len - 1] == '\n')
		len--;
	if (len && s[len - 1] == '\r')
		len--;
	s[len] = '\0';
	if (ld->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (strlen(s) != len) {
		load_fail(ld, "line contains a NUL byte");
		return NULL;
	}
	if (num < 3 || len > (size_t)num - 2) {
		load_fail(ld, "line too long (%zu characters, at most %d): break a long value over "
		          "indented continuation lines", len, num - 2);
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
	char *path = include_path(ld->path, file);
	int rc = load_file(ld->sc, path, ld, ld->err, ld->errlen);
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

static int load_file(struct scenario *sc, const char *path, const struct load *parent,
                     char *err, size_t errlen)
{
	struct load ld = { .sc = sc, .path = path, .parent = parent, .err = err, .errlen = errlen };
	int rc;
	ld.f = fopen(path, "r");
	if (!ld.f) {
		rc = open_fail(parent, path, "open", errno, err, errlen);
		goto out;
	}
	struct stat st;
	if (fstat(fileno(ld.f), &st) == 0) {
		ld.dev = st.st_dev;
		ld.ino = st.st_ino;
	}
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
	free(ld.buf);
	return rc;
}

int scenario_load(struct scenario *sc, const char *path, char *err, size_t errlen)
{
	free(sc->path);
	sc->path = xstrdup(path);
	return load_file(sc, path, NULL, err, errlen);
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

static int set_check(const char *arg, const char *section, const char *key, const char *value,
                     char *err, size_t errlen)
{
	char msg[256];
	if (!*section) {
		outside_hint(key, msg, sizeof msg);
		return util_err(err, errlen, EX_DATAERR, "--set '%s': %s: unknown key%s", arg, key,
		                msg);
	}
	if (section_check(section, msg, sizeof msg) < 0)
		return util_err(err, errlen, EX_DATAERR, "--set '%s': %s: %s", arg, section, msg);
	if (key_check(section, key, msg, sizeof msg) < 0)
		return util_err(err, errlen, EX_DATAERR, "--set '%s': %s.%s: %s", arg, section, key,
		                msg);
	if (value_unwritable(value))
		return util_err(err, errlen, EX_DATAERR, "--set '%s': %s.%s: a value may not hold "
		                "control characters or a ';' at its start or after a blank", arg,
		                section, key);
	return 0;
}

static size_t longest_unit(const char *value);

int scenario_set(struct scenario *sc, const char *assignment, char *err, size_t errlen)
{
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
	rc = set_check(assignment, section, key, value, err, errlen);
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

/* Writes the section of entry first (its first entry), following next[], the
 * chain of each entry to the next of its section. */
static void write_section(const struct scenario *sc, FILE *f, size_t first, const size_t *next)
{
	fprintf(f, "\n[%s]\n", sc->entry[first].section);
	for (size_t i = first; i < sc->n; i = next[i])
		write_value(f, sc->entry[i].key, sc->entry[i].value);
}

int scenario_write(const struct scenario *sc, FILE *f)
{
	/* Chains each section's entries in order, so that writing is linear. */
	size_t *next = xmalloc((sc->n ? sc->n : 1) * sizeof *next);
	size_t *last = xmalloc((sc->n ? sc->n : 1) * sizeof *last);
	const struct scenario_entry *top = scenario_first(sc, "scenario");
	for (size_t i = 0; i < sc->n; i++) {
		size_t head = (size_t)(scenario_first(sc, sc->entry[i].section) - sc->entry);
		next[i] = sc->n;
		if (head != i)
			next[last[head]] = i;
		last[head] = i;
	}
	fputs("; effective scenario written by bordersim\n", f);
	if (top)
		write_section(sc, f, (size_t)(top - sc->entry), next);
	for (size_t i = 0; i < sc->n; i++)
		if (strcmp(sc->entry[i].section, "scenario") != 0 &&
		    scenario_first(sc, sc->entry[i].section) == &sc->entry[i])
			write_section(sc, f, i, next);
	free(last);
	free(next);
	if (fflush(f) != 0 || ferror(f))
		return -1;
	return 0;
}
