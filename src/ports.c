/* ports: a catalog's rows into [port.NAME] sections, a template written out
 * for each port of its kind, and {FIGURE} references read at compile time
 * (see ports.h). */
#include "ports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "inifile.h"
#include "keys.h"
#include "parse.h"
#include "scenario.h"
#include "table.h"
#include "util.h"

/* ---- paths ---------------------------------------------------------------- */

/* file, named in the entry e, relative to the folder of e's file. */
static char *relative_to(const struct scenario_entry *e, const char *file)
{
	const char *slash = strrchr(e->origin, '/');
	if (file[0] == '/' || e->line == 0 || !slash)
		return xstrdup(file);
	return xasprintf("%.*s/%s", (int)(slash - e->origin), e->origin, file);
}

/* ---- catalogs ------------------------------------------------------------- */

/* A catalog's rows as [port.NAME] sections of kind, each key from its
 * file:line (line = row + 1: a catalog has no quoted line breaks). */
static int read_catalog(struct scenario *sc, const struct scenario_entry *named,
                        const char *kind, char *err, size_t errlen)
{
	char *path = relative_to(named, named->value), where[512], msg[UTIL_ERRLEN];
	struct table t = { 0 };
	int rc = table_read_csv(path, &t, msg, sizeof msg);
	size_t col = (size_t)-1;
	scenario_where(named, where, sizeof where);
	if (rc) {
		rc = util_err(err, errlen, rc, "%s: %s.catalog: %s", where, named->section, msg);
		goto out;
	}
	for (size_t j = 0; t.nrow && j < t.ncol[0]; j++)
		if (strcmp(t.row[0][j], "port") == 0)
			col = j;
	if (col == (size_t)-1) {
		rc = util_err(err, errlen, EX_DATAERR, "%s:1: a catalog needs a column 'port' (the "
		              "ports' names)", path);
		goto out;
	}
	for (size_t j = 0; j < t.ncol[0]; j++)
		if (j != col && keys_find("port", t.row[0][j]) == NULL) {
			rc = util_err(err, errlen, EX_DATAERR, "%s:1: column '%s': a figure's name is "
			              "lower-case letters, digits and '_'", path, t.row[0][j]);
			goto out;
		}
	for (size_t i = 1; i < t.nrow; i++) {
		const char *name = t.row[i][col];
		int line = (int)i + 1;
		if (t.ncol[i] != t.ncol[0]) {
			rc = util_err(err, errlen, EX_DATAERR, "%s:%d: %zu fields, but the header has %zu",
			              path, line, t.ncol[i], t.ncol[0]);
			goto out;
		}
		char *section = xasprintf("port.%s", name);
		if (scenario_check_entry(section, "kind", msg, sizeof msg) < 0 ||
		    strchr(name, '-') || strlen(name) > 30) {
			rc = util_err(err, errlen, EX_DATAERR, "%s:%d: port '%s': a port's name is at most "
			              "30 letters, digits and '_'", path, line, name);
			free(section);
			goto out;
		}
		const struct scenario_entry *had = scenario_get(sc, section, "kind");
		if (had && strcmp(had->origin, path) == 0) {
			rc = util_err(err, errlen, EX_DATAERR, "%s:%d: port '%s' is a row of the catalog "
			              "already", path, line, name);
			free(section);
			goto out;
		}
		scenario_add(sc, section, "kind", kind, path, line);
		for (size_t j = 0; j < t.ncol[i]; j++)
			if (j != col)
				scenario_add(sc, section, t.row[0][j], t.row[i][j], path, line);
		free(section);
	}
out:
	table_release(&t);
	free(path);
	return rc;
}

/* ---- templates ------------------------------------------------------------ */

struct tline {
	char *section, *key, *value;
	int line;
};

struct tmpl {
	struct tline *l;
	size_t n, cap;
	size_t last;   /* the line a continuation goes on */
};

static int tmpl_section(void *ctx, const char *section, char *msg, size_t len)
{
	return 0;   /* checked once {port} is replaced */
}

static int tmpl_key(void *ctx, const char *section, const char *key, const char *value,
                    const char *path, int line, char *msg, size_t len)
{
	struct tmpl *t = ctx;
	if (!*section) {
		snprintf(msg, len, "%s: key outside any section", key);
		return -1;
	}
	/* a template that includes another changes its keys: the last value
	 * wins, in the place of the first */
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->l[i].section, section) == 0 && strcmp(t->l[i].key, key) == 0) {
			free(t->l[i].value);
			t->l[i].value = xstrdup(value);
			t->l[i].line = line;
			t->last = i;
			return 0;
		}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->l = xrealloc(t->l, t->cap * sizeof *t->l);
	}
	t->last = t->n;
	t->l[t->n++] = (struct tline){ xstrdup(section), xstrdup(key), xstrdup(value), line };
	return 0;
}

static int tmpl_more(void *ctx, const char *section, const char *key, const char *value)
{
	struct tmpl *t = ctx;
	if (!t->n)
		return -1;
	struct tline *l = &t->l[t->last];
	char *joined = xasprintf("%s %s", l->value, value);
	free(l->value);
	l->value = joined;
	return 0;
}

static void tmpl_release(struct tmpl *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->l[i].section);
		free(t->l[i].key);
		free(t->l[i].value);
	}
	free(t->l);
}

/* text with every "{port}" replaced by port, as a new string. */
static char *with_port(const char *text, const char *port)
{
	size_t n = strlen(text) + 1, plen = strlen(port);
	for (const char *p = strstr(text, "{port}"); p; p = strstr(p + 6, "{port}"))
		n += plen;
	char *out = xmalloc(n), *o = out;
	for (const char *p = text; *p;) {
		if (strncmp(p, "{port}", 6) == 0) {
			memcpy(o, port, plen);
			o += plen;
			p += 6;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* The template written out for port (a [port.NAME] of its kind). */
static int instantiate(struct scenario *sc, const struct tmpl *t, const char *path,
                       const char *port, char *err, size_t errlen)
{
	char msg[UTIL_ERRLEN];
	for (size_t i = 0; i < t->n; i++) {
		const struct tline *l = &t->l[i];
		char *section = with_port(l->section, port);
		char *value = with_port(l->value, port);
		int bad = strchr(section, '{') != NULL;
		if (bad)
			snprintf(msg, sizeof msg, "[%s]: a section's name may hold only {port}", l->section);
		else
			bad = scenario_check_entry(section, l->key, msg, sizeof msg) < 0;
		if (!bad)
			scenario_add(sc, section, l->key, value, path, l->line);
		free(section);
		free(value);
		if (bad)
			return util_err(err, errlen, EX_DATAERR, "%s:%d: port %s: %s", path, l->line, port,
			                msg);
	}
	return 0;
}

static int read_template(struct scenario *sc, const struct scenario_entry *named,
                         const char *kind, char *err, size_t errlen)
{
	struct tmpl t = { NULL, 0, 0, 0 };
	char *path = relative_to(named, named->value);
	const struct inifile_handler to = {
		.ctx = &t, .depth_max = SCENARIO_INCLUDE_DEPTH, .bytes_max = SCENARIO_BYTES_MAX,
		.section = tmpl_section, .is_key = keys_name_known, .key = tmpl_key, .more = tmpl_more,
	};
	char msg[UTIL_ERRLEN], where[512];
	int rc = inifile_read(path, &to, msg, sizeof msg);
	if (rc) {
		scenario_where(named, where, sizeof where);
		rc = util_err(err, errlen, rc, "%s: %s.template: %s", where, named->section, msg);
	}
	/* Every port of the kind, catalog rows and [port.NAME] sections alike,
	 * in order of appearance; sc grows as they are written out. */
	size_t n = sc->n;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct scenario_entry *e = &sc->entry[i];
		if (strncmp(e->section, "port.", 5) == 0 && strcmp(e->key, "kind") == 0 &&
		    strcmp(e->value, kind) == 0) {
			char *port = xstrdup(e->section + 5);
			rc = instantiate(sc, &t, path, port, err, errlen);
			free(port);
		}
	}
	tmpl_release(&t);
	free(path);
	return rc;
}

int ports_expand(struct scenario *sc, char *err, size_t errlen)
{
	size_t n = sc->n;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct scenario_entry *e = &sc->entry[i];
		if (strncmp(e->section, "ports.", 6) != 0 || scenario_section_first(sc, e->section) != e)
			continue;
		/* entries move as the scenario grows: names are copied, entries looked up again */
		char *section = xstrdup(e->section);
		const char *kind = section + 6;
		const struct scenario_entry *cat = scenario_get(sc, section, "catalog"), *tpl;
		if (cat && strcmp(cat->value, "none") != 0)
			rc = read_catalog(sc, cat, kind, err, errlen);
		tpl = scenario_get(sc, section, "template");
		if (!rc && tpl && strcmp(tpl->value, "none") != 0)
			rc = read_template(sc, tpl, kind, err, errlen);
		free(section);
	}
	return rc;
}

/* ---- references ----------------------------------------------------------- */

size_t ports_of(const char *section, const char **port)
{
	const char *dot = strchr(section, '.');
	const char *slash = dot ? strchr(dot + 1, '/') : NULL;
	if (!slash)
		return 0;
	*port = dot + 1;
	return (size_t)(slash - dot - 1);
}

/* The kind's scale for figure f: 1 when it has none. -1 when the scale is
 * not a list of figure:factor. */
static int scale_of(const struct scenario *sc, const char *kind, const char *f, double *out,
                    char *msg, size_t len)
{
	char *section = xasprintf("ports.%s", kind);
	const struct scenario_entry *e = scenario_get(sc, section, "scale");
	struct parse_words ws = { NULL, 0 };
	int rc = 0;
	*out = 1;
	if (e && strcmp(e->value, "none") != 0) {
		if (parse_words(&ws, e->value, msg, len) < 0)
			rc = -1;
		for (size_t i = 0; i < ws.n && rc == 0; i++) {
			char *colon = strchr(ws.w[i], ':');
			double v;
			if (!colon || parse_number(colon + 1, &v, msg, len) < 0 || !(v >= 0)) {
				snprintf(msg, len, "%s.scale: expected figure:factor, got '%s'", section, ws.w[i]);
				rc = -1;
			} else if ((size_t)(colon - ws.w[i]) == strlen(f) &&
			           strncmp(ws.w[i], f, strlen(f)) == 0) {
				*out = v;
			}
		}
	}
	parse_words_release(&ws);
	free(section);
	return rc;
}

/* "port P has no such figure", with the nearest one it has. */
static void no_figure(const struct scenario *sc, const char *section, const char *name,
                      const char *port, char *msg, size_t len)
{
	const struct scenario_entry *best = NULL;
	size_t best_d = (size_t)-1;
	for (const struct scenario_entry *e = scenario_section_first(sc, section); e;
	     e = scenario_section_next(sc, e)) {
		size_t d = keys_distance(name, e->key);
		if (d < best_d) {
			best_d = d;
			best = e;
		}
	}
	if (best && keys_near(best_d, name))
		snprintf(msg, len, "{%s}: port %s has no such figure; did you mean {%s}?", name, port,
		         best->key);
	else
		snprintf(msg, len, "{%s}: port %s has no such figure", name, port);
}

/* The scaled value of figure f (n characters) of port: 0 with *v, 1 when
 * the figure is empty, -1 on a problem. *raw: its text. */
static int figure(const struct scenario *sc, const char *port, const char *f, size_t n,
                  double *v, const char **raw, char *msg, size_t len)
{
	char *section = xasprintf("port.%s", port), *name = xasprintf("%.*s", (int)n, f);
	const struct scenario_entry *e = scenario_get(sc, section, name);
	const struct scenario_entry *kind = scenario_get(sc, section, "kind");
	double scale = 1;
	int rc = -1;
	if (!scenario_section_first(sc, section))
		snprintf(msg, len, "{%s}: no [%s] gives this port's figures", name, section);
	else if (!e)
		no_figure(sc, section, name, port, msg, len);
	else if (!*e->value)
		rc = 1;
	else if (!kind || scale_of(sc, kind->value, name, &scale, msg, len) == 0)
		rc = 0;
	if (rc == 0) {
		*raw = e->value;
		if (parse_number(e->value, v, msg, len) < 0) {
			rc = kind && scale != 1 ? -1 : 2;   /* text, used as it is */
			if (rc < 0)
				snprintf(msg, len, "{%s}: port %s's figure '%s' is not a number to scale",
				         name, port, e->value);
		} else if (kind) {
			*v *= scale;
		}
	}
	free(section);
	free(name);
	return rc;
}

int ports_resolve(const struct scenario *sc, const char *section, const char *text, char *out,
                  size_t outlen, char *msg, size_t msglen)
{
	const char *pname = NULL;
	size_t plen = ports_of(section, &pname), o = 0;
	char *port = plen ? xasprintf("%.*s", (int)plen, pname) : NULL;
	int rc = 0, overflow = 0;
	for (const char *p = text; *p && rc == 0;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (!close) {
			if (o + 1 >= outlen)
				rc = -1, overflow = 1;
			else
				out[o++] = *p++;
			continue;
		}
		if (!port) {
			snprintf(msg, msglen, "%.*s: a figure of a port, outside a port's section "
			         "(PORT/NAME)", (int)(close - p + 1), p);
			rc = -1;
			break;
		}
		const char *f = p + 1, *slash = memchr(f, '/', (size_t)(close - f));
		size_t n = slash ? (size_t)(slash - f) : (size_t)(close - f);
		double a = 0, b = 1;
		const char *raw = NULL, *rawb = NULL;
		char num[64];
		int ra = figure(sc, port, f, n, &a, &raw, msg, msglen), rb = 0;
		if (slash && ra >= 0)
			rb = figure(sc, port, slash + 1, (size_t)(close - slash - 1), &b, &rawb, msg, msglen);
		if (ra < 0 || rb < 0)
			rc = -1;
		else if (slash && (ra == 2 || rb == 2)) {
			snprintf(msg, msglen, "%.*s: a ratio of figures that are not numbers",
			         (int)(close - p + 1), p);
			rc = -1;
		}
		const char *put = "";
		if (rc == 0 && ra == 2)
			put = raw;
		else if (rc == 0 && ra == 0 && rb == 0 && b != 0) {
			table_format_number(num, sizeof num, a / b);
			put = num;
		}
		if (rc == 0 && o + strlen(put) + 1 >= outlen)
			rc = -1, overflow = 1;
		if (rc == 0) {
			memcpy(out + o, put, strlen(put));
			o += strlen(put);
		}
		p = close + 1;
	}
	if (overflow)
		snprintf(msg, msglen, "the value with its figures is longer than %zu characters",
		         outlen - 1);
	out[o < outlen ? o : outlen - 1] = '\0';
	free(port);
	return rc;
}
