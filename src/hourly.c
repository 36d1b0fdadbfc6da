/* hourly: the stages hourly.csv holds (hourly.h).
 *
 * The rule is decided from the model before anything runs, so that the
 * replications' threads format only the rows that will be written: a named
 * list is known then; the charted stages are not (they are the longest waits
 * of the run), so under the rule the few rows kept are formatted when the
 * file is written, and no thread formats rows that would be dropped. */
#include "hourly.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "panels.h"
#include "parse.h"
#include "portmap.h"
#include "util.h"

static int is_all(const char *text)
{
	return parse_is_word(text, "all");
}

int hourly_check_option(const char *text, char *err, size_t errlen)
{
	struct parse_words ws = { NULL, 0 };
	char msg[UTIL_ERRLEN];
	int all = 0;
	size_t n = parse_words(&ws, text, msg, sizeof msg) < 0 ? 0 : ws.n;
	for (size_t i = 0; i < n; i++)
		all |= strcmp(ws.w[i], "all") == 0;
	parse_words_release(&ws);
	if (n == 0)
		return util_err(err, errlen, EX_USAGE, "--hourly '%s': an empty name; give all, or "
		                "stages, groups, ports or port groups separated by commas", text);
	if (all && n > 1)
		return util_err(err, errlen, EX_USAGE, "--hourly '%s': 'all' with other names; give "
		                "all alone, or the names alone", text);
	return 0;
}

double hourly_rows(const struct model *m)
{
	/* The engine's boundaries: every clock hour, the warm-up's end and the
	 * horizon; a reported interval opens at each from the warm-up's end. */
	double warm = m->warmup_days * 1440.0, end = warm + m->days * 1440.0;
	double first = floor(warm / 60.0) + 1, last = ceil(end / 60.0) - 1;
	double per_stage = (last >= first ? last - first + 1 : 0) + 1;
	return (double)m->replications * per_stage * (double)m->nstage;
}

/* Marks the stages of each name of text; EX_DATAERR at the first unknown. */
static int mark_names(const struct model *m, const char *text, int *mark, char *err,
                      size_t errlen)
{
	struct parse_words ws;
	int rc = parse_words(&ws, text, err, errlen) < 0 ? EX_USAGE : 0;
	for (size_t i = 0; i < ws.n && !rc; i++) {
		if (portmap_mark(m, PORTMAP_ANY, ws.w[i], mark))
			continue;
		const char *near = portmap_nearest(m, PORTMAP_ANY, ws.w[i]);
		rc = util_err(err, errlen, EX_DATAERR, "--hourly '%s': no stage, group, port or port "
		              "group '%s' in '%s'%s%s%s", text, ws.w[i], m->name,
		              near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
	}
	parse_words_release(&ws);
	return rc;
}

/* Keeps the marked stages; every stage when all are marked. */
static void keep_marked(struct hourly_plan *p, const struct model *m, const int *mark)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nstage; i++)
		n += mark[i] != 0;
	p->nkeep = n;
	if (n == m->nstage)
		return;
	p->keep = xcalloc(m->nstage, 1);
	for (size_t i = 0; i < m->nstage; i++)
		p->keep[i] = mark[i] != 0;
}

int hourly_plan_init(struct hourly_plan *p, const struct model *m, const char *text, char *err,
                     size_t errlen)
{
	memset(p, 0, sizeof *p);
	p->rows = hourly_rows(m);
	p->nkeep = m->nstage;
	if (!text) {
		p->charted = p->rows > HOURLY_ROWS_MAX;
		return 0;
	}
	if (is_all(text))
		return 0;
	int *mark = xcalloc(m->nstage ? m->nstage : 1, sizeof *mark);
	int rc = mark_names(m, text, mark, err, errlen);
	if (rc == 0)
		keep_marked(p, m, mark);
	free(mark);
	return rc;
}

void hourly_plan_chart(struct hourly_plan *p, const struct model *m, const struct results *rep,
                       size_t nrep, const char *chart)
{
	if (!p->charted)
		return;
	size_t stage[PANELS_MAX];
	size_t n = panels_choose(m, rep, nrep, chart, stage, NULL);
	int *mark = xcalloc(m->nstage ? m->nstage : 1, sizeof *mark);
	for (size_t i = 0; i < n; i++)
		mark[stage[i]] = 1;
	keep_marked(p, m, mark);
	free(mark);
	p->charted = p->keep != NULL;
}

void hourly_plan_release(struct hourly_plan *p)
{
	free(p->keep);
	memset(p, 0, sizeof *p);
}
