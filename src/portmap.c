/* portmap: ports and port groups of a model (see portmap.h). */
#include "portmap.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "model.h"
#include "parse.h"
#include "ports.h"
#include "scenario.h"
#include "util.h"
#include "value.h"

static int group_index(struct model *m, const char *name)
{
	for (size_t g = 0; g < m->npgroup; g++)
		if (strcmp(m->pgroup[g], name) == 0)
			return (int)g;
	m->pgroup = xrealloc(m->pgroup, (m->npgroup + 1) * sizeof *m->pgroup);
	m->pgroup[m->npgroup] = xstrdup(name);
	return (int)m->npgroup++;
}

static int port_groups(struct value_ctx *c, struct model_port *p, const char *section)
{
	struct value v;
	struct parse_words ws = { NULL, 0 };
	int rc = value_at(c, KEYS_PORT_GROUPS, section, &v);
	if (rc || parse_is_word(v.text, "none"))
		return rc;
	char msg[UTIL_ERRLEN];
	if (parse_words(&ws, v.text, msg, sizeof msg) < 0)
		return value_fail(c, &v, "%s", msg);
	p->group = xcalloc(ws.n ? ws.n : 1, sizeof *p->group);
	for (size_t i = 0; i < ws.n && !rc; i++) {
		if (!*ws.w[i])
			continue;
		if (!scenario_name_valid(ws.w[i]) || strchr(ws.w[i], '/'))
			rc = value_fail(c, &v, "bad port group name '%s': use letters, digits, '_' and '-'",
			                ws.w[i]);
		else
			p->group[p->ngroup++] = group_index(c->m, ws.w[i]);
	}
	parse_words_release(&ws);
	return rc;
}

static int port_named(const struct model *m, const char *name, size_t n)
{
	for (size_t p = 0; p < m->nport; p++)
		if (strlen(m->port[p].name) == n && strncmp(m->port[p].name, name, n) == 0)
			return (int)p;
	return -1;
}

/* The port of a stage or stream section; -2 (refused) when its PORT has
 * no [port.PORT]. */
static int port_of(struct value_ctx *c, const char *section, int *port)
{
	const char *name;
	size_t n = ports_of(section, &name);
	*port = n ? port_named(c->m, name, n) : -1;
	if (!n || *port >= 0)
		return 0;
	const struct scenario_entry *first = scenario_section_first(c->sc, section);
	struct value v = { first, section, first ? first->key : "", NULL };
	return value_fail(c, &v, "'%s' names port '%.*s', which has no [port.%.*s] section",
	                  strchr(section, '.') + 1, (int)n, name, (int)n, name);
}

int portmap_compile(struct value_ctx *c)
{
	const struct scenario *sc = c->sc;
	struct model *m = c->m;
	int rc = 0;
	for (size_t i = 0; i < sc->n; i++) {
		const char *s = sc->entry[i].section;
		if (strncmp(s, "port.", 5) == 0 && scenario_section_first(sc, s) == &sc->entry[i])
			m->nport++;
	}
	m->port = xcalloc(m->nport ? m->nport : 1, sizeof *m->port);
	m->nport = 0;
	for (size_t i = 0; i < sc->n && !rc; i++) {
		const char *s = sc->entry[i].section;
		if (strncmp(s, "port.", 5) != 0 || scenario_section_first(sc, s) != &sc->entry[i])
			continue;
		struct model_port *p = &m->port[m->nport++];
		struct value kind;
		p->name = xstrdup(s + 5);
		rc = value_at(c, KEYS_PORT_KIND, s, &kind) || port_groups(c, p, s) ? EX_DATAERR : 0;
	}
	for (size_t i = 0; i < m->nstage && !rc; i++) {
		char *section = xasprintf("stage.%s", m->stage[i].name);
		rc = port_of(c, section, &m->stage[i].port);
		free(section);
	}
	for (size_t i = 0; i < m->nstream && !rc; i++) {
		char *section = xasprintf("stream.%s", m->stream[i].name);
		rc = port_of(c, section, &m->stream[i].port);
		free(section);
	}
	return rc;
}

/* The index of name among n names (name_at), or -1 with the nearest one in
 * *near. */
static int lookup(const char *name, size_t n, const char *(*name_at)(const struct model *, size_t),
                  const struct model *m, const char **near)
{
	size_t best = (size_t)-1;
	*near = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *cand = name_at(m, i);
		if (strcmp(cand, name) == 0)
			return (int)i;
		size_t d = keys_distance(name, cand);
		if (d < best) {
			best = d;
			*near = cand;
		}
	}
	if (*near && !keys_near(best, name))
		*near = NULL;
	return -1;
}

static const char *port_name_at(const struct model *m, size_t i)
{
	return m->port[i].name;
}

static const char *group_name_at(const struct model *m, size_t i)
{
	return m->pgroup[i];
}

int portmap_targets(struct value_ctx *c, enum keys_id ports_id, enum keys_id groups_id,
                    const char *section, int streams, int *mark, int *any)
{
	struct model *m = c->m;
	struct value v[2];
	enum keys_id ids[2] = { ports_id, groups_id };
	int *on = xcalloc(m->nport ? m->nport : 1, sizeof *on), rc = 0;
	for (int k = 0; k < 2 && !rc; k++) {
		struct parse_words ws = { NULL, 0 };
		rc = value_at(c, ids[k], section, &v[k]);
		if (rc || !v[k].e)
			continue;
		char msg[UTIL_ERRLEN];
		if (parse_words(&ws, v[k].text, msg, sizeof msg) < 0) {
			rc = value_fail(c, &v[k], "%s", msg);
			continue;
		}
		for (size_t i = 0; i < ws.n && !rc; i++) {
			const char *near, *w = ws.w[i];
			int at = k == 0 ? lookup(w, m->nport, port_name_at, m, &near) :
			                  lookup(w, m->npgroup, group_name_at, m, &near);
			if (at < 0 && near)
				rc = value_fail(c, &v[k], "unknown %s '%s'; did you mean '%s'?",
				                k ? "port group" : "port", w, near);
			else if (at < 0)
				rc = value_fail(c, &v[k], "unknown %s '%s'", k ? "port group" : "port", w);
			for (size_t p = 0; at >= 0 && p < m->nport; p++) {
				int in = k == 0 && p == (size_t)at;
				for (size_t g = 0; k == 1 && g < m->port[p].ngroup; g++)
					in |= m->port[p].group[g] == at;
				on[p] |= in;
			}
		}
		parse_words_release(&ws);
	}
	size_t count = streams ? m->nstream : m->nstage;
	for (size_t i = 0; i < count && !rc; i++) {
		int p = streams ? m->stream[i].port : m->stage[i].port;
		if (p >= 0 && on[p])
			mark[i] = *any = 1;
	}
	free(on);
	return rc;
}

/* ---- names that stand for stages ---- */

const char *portmap_name(const struct model *m, enum portmap_kind kind, size_t i)
{
	switch (kind) {
	case PORTMAP_STAGE: return i < m->nstage ? m->stage[i].name : NULL;
	case PORTMAP_GROUP:
		return i < m->nstage ? (m->stage[i].group ? m->stage[i].group : "") : NULL;
	case PORTMAP_PORT: return i < m->nport ? m->port[i].name : NULL;
	default: return i < m->npgroup ? m->pgroup[i] : NULL;
	}
}

/* Whether stage i is in port group g. */
static int in_pgroup(const struct model *m, size_t i, size_t g)
{
	int p = m->stage[i].port;
	for (size_t k = 0; p >= 0 && k < m->port[p].ngroup; k++)
		if ((size_t)m->port[p].group[k] == g)
			return 1;
	return 0;
}

/* A stage or group name is its own stage (a group's once for each of its
 * stages); a port or port group stands for the stages in it. */
static size_t mark_kind(const struct model *m, enum portmap_kind kind, const char *name,
                        int *mark)
{
	const char *c;
	size_t n = 0;
	for (size_t j = 0; (c = portmap_name(m, kind, j)) != NULL; j++) {
		if (strcmp(c, name) != 0)
			continue;
		if (kind == PORTMAP_STAGE || kind == PORTMAP_GROUP) {
			mark[j] = 1;
			n++;
			continue;
		}
		for (size_t i = 0; i < m->nstage; i++)
			if (kind == PORTMAP_PORT ? m->stage[i].port == (int)j : in_pgroup(m, i, j)) {
				mark[i] = 1;
				n++;
			}
	}
	return n;
}

size_t portmap_mark(const struct model *m, enum portmap_kind kind, const char *name, int *mark)
{
	size_t n = 0;
	if (!*name)
		return 0;
	for (int k = 0; k < PORTMAP_NKIND; k++)
		if (kind == PORTMAP_ANY || kind == (enum portmap_kind)k)
			n += mark_kind(m, (enum portmap_kind)k, name, mark);
	return n;
}

const char *portmap_nearest(const struct model *m, enum portmap_kind kind, const char *name)
{
	const char *best = NULL, *c;
	size_t bd = (size_t)-1;
	for (int k = 0; k < PORTMAP_NKIND; k++) {
		if (kind != PORTMAP_ANY && kind != (enum portmap_kind)k)
			continue;
		for (size_t j = 0; (c = portmap_name(m, (enum portmap_kind)k, j)) != NULL; j++) {
			size_t d = *c ? keys_distance(name, c) : (size_t)-1;
			if (d < bd) {
				bd = d;
				best = c;
			}
		}
	}
	return best && keys_near(bd, name) ? best : NULL;
}
