/* inifile: INI files and their includes, read line by line for a caller
 * that stores what they hold (scenario.c, through struct inifile_handler).
 *
 * inih does the INI grammar; this module is the only one that includes
 * <ini.h>. inih's handler is not told the line number, so the file is fed to
 * ini_parse_stream through our own reader, which counts lines and also sees
 * every raw line before inih does. The reader is where most checks live:
 *
 * - Bounds. Each file is opened without blocking (a FIFO with no writer
 *   would hold open(2)) and refused unless it is a regular file: a FIFO, a
 *   device (/dev/zero never ends), a socket or a folder is not a scenario.
 *   A file larger than the caller's bytes_max is refused by its size before
 *   it is read, and the bytes of the file and its includes are counted as
 *   they are read against the same limit (a /proc file reports size 0; a
 *   file may grow). Includes nest at most depth_max deep, so that a long
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
 *   the caller knows, or include) are errors. inih 55 keeps a "; comment"
 *   at the end of a continuation line as part of the value, so the reader
 *   cuts it off, as inih does on key lines. The entry keeps the key line's
 *   number.
 * - Section headers. inih calls the handler only for keys, so an empty section
 *   with a misspelt kind would pass unseen; it truncates section names to
 *   49 characters; and it drops whatever follows the ']'. The reader has
 *   every header checked by the caller as it goes by, and refuses text after
 *   it other than a comment.
 * - BOM and CRLF: the reader drops a UTF-8 BOM on line 1 and a CR before LF,
 *   so lengths and indentation are judged on the text itself.
 *
 * Errors stop the parse: after the first, the reader returns end of file.
 * inih itself reports a syntax error only by line number; the reader checks
 * the same grammar first to give a message, and inih's number is the fallback.
 * Debian's build also exports its settings as ini_* globals; they are left
 * alone (process-wide state), and the line limit is taken from the num inih
 * hands the reader. The module is named inifile, not ini, because <ini.h>
 * and the ini_ prefix are inih's. */
#include "inifile.h"

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

#include "util.h"

/* One file being read; includes nest through parent. */
struct load {
	const struct inifile_handler *to;
	const char *path;            /* as used in messages and for relative includes */
	dev_t dev;                   /* the file's identity, for include cycles */
	ino_t ino;
	const struct load *parent;
	int depth;                   /* includes above this file: 0 for the top file */
	size_t *bytes;               /* bytes read so far, this file and every other */
	FILE *f;
	char buf[INIFILE_LINE_MAX + 8];   /* the line being read (a BOM and "\n\0" more) */
	int line;                    /* lines read so far */
	int cont;                    /* the line just read continues a value */
	int after_key;               /* an indented line now would continue a value */
	int status;                  /* first error, or 0 */
	int err_line;
	char *err;
	size_t errlen;
};

static int load_file(const struct inifile_handler *to, const char *path,
                     const struct load *parent, size_t *bytes, char *err, size_t errlen);

/* "include" or a key the caller knows. */
static int is_key_name(int (*is_key)(const char *name), const char *name)
{
	return strcmp(name, "include") == 0 || is_key(name);
}

int inifile_looks_like_key(const char *text, int (*is_key)(const char *name))
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
	return n > 0 && *p == '=' && is_key_name(is_key, name);
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
	if (ld->to->section(ld->to->ctx, section, msg, sizeof msg) < 0)
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
		if (inifile_looks_like_key(p, ld->to->is_key))
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

/* The bytes read, counted against bytes_max for the file and its includes
 * together; -1 past it. */
static int count_byte(struct load *ld)
{
	if (++*ld->bytes <= ld->to->bytes_max)
		return 0;
	return load_fail(ld, "too large: more than %zu MiB read; a scenario and its includes may "
	                 "hold %zu MiB", ld->to->bytes_max >> 20, ld->to->bytes_max >> 20);
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
 * counted (and held to bytes_max), never kept. */
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
	if (ld->depth >= ld->to->depth_max)
		return load_fail(ld, "include: includes nested more than %d deep: '%s' is one too "
		                 "many", ld->to->depth_max, file);
	char *path = include_path(ld->path, file);
	int rc = load_file(ld->to, path, ld, ld->bytes, ld->err, ld->errlen);
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
	if (ld->to->more(ld->to->ctx, section, name, value) < 0)
		return load_fail(ld, "continuation line without a key above it");
	return 0;
}

static int key_line(struct load *ld, const char *section, const char *name, const char *value)
{
	char msg[UTIL_ERRLEN];
	if (!*name)
		return load_fail(ld, "syntax error: missing key name before '='");
	if (strcmp(name, "include") == 0) {
		if (*section)
			return load_fail(ld, "include: must come before the first section");
		return include(ld, value);
	}
	if (ld->to->key(ld->to->ctx, section, name, value, ld->path, ld->line, msg, sizeof msg) < 0)
		return load_fail(ld, "%s", msg);
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
 * ends (util_open_regular) or is larger than bytes_max. Returns 0 with *f
 * open and *st filled, or a status with the message. */
static int open_regular(const struct load *parent, const char *path, size_t bytes_max, FILE **f,
                        struct stat *st, char *err, size_t errlen)
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
	if ((uintmax_t)st->st_size <= bytes_max)
		return 0;
	fclose(*f);
	*f = NULL;
	if (!parent)
		return util_err(err, errlen, EX_DATAERR, "%s: too large: %jd bytes; a scenario and "
		                "its includes may hold %zu MiB", path, (intmax_t)st->st_size,
		                bytes_max >> 20);
	return util_err(err, errlen, EX_DATAERR, "%s:%d: include: '%s' too large: %jd bytes; a "
	                "scenario and its includes may hold %zu MiB", parent->path, parent->line,
	                path, (intmax_t)st->st_size, bytes_max >> 20);
}

static int load_file(const struct inifile_handler *to, const char *path,
                     const struct load *parent, size_t *bytes, char *err, size_t errlen)
{
	struct load ld = { .to = to, .path = path, .parent = parent, .bytes = bytes,
	                   .depth = parent ? parent->depth + 1 : 0, .err = err, .errlen = errlen };
	struct stat st;
	int rc = open_regular(parent, path, to->bytes_max, &ld.f, &st, err, errlen);
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

int inifile_read(const char *path, const struct inifile_handler *to, char *err, size_t errlen)
{
	size_t bytes = 0;
	return load_file(to, path, NULL, &bytes, err, errlen);
}
