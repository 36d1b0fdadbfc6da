/* inifile: INI files and their includes, line by line, for a caller that
 * keeps what they hold.
 *
 * A file holds `[section]` headers and `key = value` lines; `include = FILE`
 * before the first section reads FILE first (relative to the including
 * file's folder); an indented line continues the value of the key line
 * directly above it. The reader checks the grammar, lines (length, CR, NUL,
 * a UTF-8 BOM), includes (depth, cycles, size) and that every file is a
 * regular one; it asks its caller, through struct inifile_handler, whether a
 * section and a key are known, and hands it each key with the file and line
 * it stands on. Every message names FILE:LINE. Reading never blocks on a
 * FIFO and never takes a read error for the end of a file. */
#ifndef BORDERSIM_INIFILE_H
#define BORDERSIM_INIFILE_H

#include <stddef.h>

/* The longest line the reader takes (Debian's inih splits longer ones). */
#define INIFILE_LINE_MAX 198

/* What the caller does with what is read. Callbacks that return -1 write
 * their message, without FILE:LINE (the reader adds it), into msg of len
 * bytes; the reader then stops. The reader owns none of ctx; the strings it
 * passes live only for the call. */
struct inifile_handler {
	void *ctx;
	int depth_max;       /* includes nested below the top file */
	size_t bytes_max;    /* a file and its includes, all told */
	/* A section header "[section]" as it goes by, before any of its keys:
	 * 0, or -1 when the section is not one the caller takes. */
	int (*section)(void *ctx, const char *section, char *msg, size_t len);
	/* Whether name is a key of some section: an indented "name =" is then a
	 * key written with indentation, an error, not a continuation line. */
	int (*is_key)(const char *name);
	/* A key line: section is "" for a key before the first section (include
	 * is the reader's own). path and line say where it stands. 0, or -1. */
	int (*key)(void *ctx, const char *section, const char *key, const char *value,
	           const char *path, int line, char *msg, size_t len);
	/* A continuation line: value goes on after section.key's, joined by one
	 * blank. -1 when the caller has no such key (the reader says so). */
	int (*more)(void *ctx, const char *section, const char *key, const char *value);
};

/* Reads path and its includes into to. Returns 0; EX_NOINPUT when path
 * cannot be opened or read, or is not a regular file (a folder, a FIFO, a
 * device, a socket); EX_DATAERR for a syntax error, a callback's -1, an
 * include that cannot be opened or read or is not a regular file, an include
 * cycle, includes nested deeper than depth_max, more than bytes_max bytes in
 * all, a CR not followed by LF, a line too long for inih; EX_SOFTWARE when
 * inih fails. The message, in err, names file:line. */
int inifile_read(const char *path, const struct inifile_handler *to, char *err, size_t errlen);

/* Whether text starts "name =" with name include or a key is_key knows: an
 * indented line that reads so is a key written with indentation, not a
 * continuation, whatever section it stands in. A writer of INI files uses
 * it to know which lines the reader would refuse. */
int inifile_looks_like_key(const char *text, int (*is_key)(const char *name));

#endif
