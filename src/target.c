/* target: [target.NAME] sections and --target arguments into a limit per
 * stage and metric (target.h). */
#include "target.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "keys.h"
#include "model.h"
#include "parse.h"
#include "portmap.h"
#include "scenario.h"
#include "util.h"
#include "value.h"

const char *target_metric_name(enum target_metric k)
{
	return keys_row(KEYS_TARGET_METRIC)->choices[k];
}

_Static_assert(TARGET_HOURS == MODEL_HOURS, "a limit a clock hour");

int target_has(const struct target_set *t, size_t i)
{
	for (int k = 0; k < TARGET_NMETRIC; k++)
		if (!isnan(t->limit[i][k][0]))
			return 1;
	return 0;
}

double target_limit(const struct target_set *t, size_t i, int metric, int h)
{
	return t->limit[i][metric][h];
}

double target_limit_flat(const struct target_set *t, size_t i, int metric)
{
	const double *l = t->limit[i][metric];
	for (int h = 1; h < TARGET_HOURS; h++)
		if (!(l[h] == l[0]))
			return NAN;
	return l[0];
}

void target_release(struct target_set *t)
{
	for (size_t k = 0; k < t->ndef; k++) {
		free(t->def[k].name);
		free(t->def[k].stage);
	}
	free(t->def);
	free(t->limit);
	free(t->ini);
	memset(t, 0, sizeof *t);
}

/* Sets the limits (one an hour) of the marked stages that have servers to
 * staff, hour by hour the smaller where one is there, and keeps the target
 * as named; returns how many stages there were. */
static size_t apply(struct target_set *t, const struct model *m, const char *name,
                    const int *mark, int metric, const double *limit)
{
	struct target_def d = { xstrdup(name), metric, { 0 }, NULL, 0 };
	memcpy(d.limit, limit, sizeof d.limit);
	d.stage = xmalloc((m->nstage ? m->nstage : 1) * sizeof *d.stage);
	for (size_t i = 0; i < m->nstage; i++) {
		if (!mark[i] || m->stage[i].unlimited)
			continue;
		for (int h = 0; h < TARGET_HOURS; h++) {
			double *l = &t->limit[i][metric][h];
			if (isnan(*l) || limit[h] < *l)
				*l = limit[h];
		}
		d.stage[d.nstage++] = i;
	}
	t->def = xrealloc(t->def, (t->ndef + 1) * sizeof *t->def);
	t->def[t->ndef++] = d;
	return d.nstage;
}

static int read_limit(const struct model *m, const char *text, void *minutes, char *msg,
                      size_t len)
{
	return parse_durations(text, minutes, TARGET_HOURS, msg, len);
}

/* A [target.NAME] section; strict (staff): one of unlimited stages only is
 * refused (a run shows it limiting no stage). */
static int read_section(struct target_set *t, struct model *m, const struct scenario *sc,
                        const char *section, int strict, char *err, size_t errlen)
{
	char (*ring)[PORTS_VALUE_MAX] = xmalloc(VALUE_RING * sizeof *ring);
	struct value_ctx c = { sc, m, err, errlen, NULL, ring, 0 };
	int *mark = xcalloc(m->nstage, sizeof *mark), metric = 0;
	double limit[TARGET_HOURS];
	int rc = model_section_stages(m, sc, KEYS_TARGET_STAGES, KEYS_TARGET_GROUP, section, mark,
	                              err, errlen);
	if (!rc && (value_choice(&c, KEYS_TARGET_METRIC, section, &metric) ||
	            value_with(&c, KEYS_TARGET_LIMIT, section, read_limit, limit)))
		rc = EX_DATAERR;
	if (!rc && apply(t, m, section + 7, mark, metric, limit) == 0 && strict) {
		struct value v = { scenario_section_first(sc, section), section, "stages", NULL };
		rc = value_fail(&c, &v, "its stages all have servers = unlimited: nothing to staff");
	}
	free(mark);
	free(ring);
	return rc;
}

/* ---- --target KIND.NAME.METRIC=LIMIT ---- */

/* In the order of enum portmap_kind: a KIND's index is its portmap kind. */
static const char *const cli_kinds[] = { "stage", "group", "port", "port_group", NULL };
static const char *const cli_rows[] = { "stages", "groups", "ports", "port_groups" };

/* One --target argument; its section name in the INI text is option_K. */
static int read_cli(struct target_set *t, const struct model *m, const struct scenario *sc,
                    const char *arg, FILE *ini, int *serial, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	char *key = xasprintf("%.*s", (int)(eq ? eq - arg : (long)strlen(arg)), arg);
	char *dot = strchr(key, '.'), *last = strrchr(key, '.');
	int kind = -1, metric, rc = 0;
	double limit[TARGET_HOURS];
	if (dot) {
		*dot = '\0';
		kind = parse_choice(key, cli_kinds);
	}
	if (!eq || !dot || last == dot || last == dot + 1 || kind < 0) {
		rc = util_err(err, errlen, EX_USAGE, "--target '%s': expected KIND.NAME.METRIC=LIMIT, "
		              "KIND one of stage, group, port, port_group, e.g. "
		              "group.land_primary.wait_p95=30min", arg);
		goto out;
	}
	*last = '\0';
	const char *name = dot + 1;
	if ((metric = parse_choice(last + 1, keys_row(KEYS_TARGET_METRIC)->choices)) < 0) {
		rc = util_err(err, errlen, EX_DATAERR, "--target '%s': unknown metric '%s': expected "
		              "wait_mean or wait_p95", arg, last + 1);
		goto out;
	}
	char msg[UTIL_ERRLEN];
	if (parse_durations(eq + 1, limit, TARGET_HOURS, msg, sizeof msg) < 0) {
		rc = util_err(err, errlen, EX_DATAERR, "--target '%s': limit: %s", arg, msg);
		goto out;
	}
	char section[64];
	do
		snprintf(section, sizeof section, "target.option_%d", ++*serial);
	while (scenario_section_first(sc, section));
	int *mark = xcalloc(m->nstage ? m->nstage : 1, sizeof *mark);
	size_t named = portmap_mark(m, kind, name, mark);
	size_t staffed = apply(t, m, section + 7, mark, metric, limit);
	free(mark);
	if (named == 0) {
		const char *near = portmap_nearest(m, kind, name);
		rc = util_err(err, errlen, EX_DATAERR, "--target '%s': no %s '%s'%s%s%s", arg,
		              kind == PORTMAP_GROUP ? "stage group" :
		              kind == PORTMAP_PORT_GROUP ? "port group" : cli_kinds[kind],
		              name, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
		goto out;
	}
	if (staffed == 0) {
		rc = util_err(err, errlen, EX_DATAERR, "--target '%s': its stages all have servers = "
		              "unlimited: nothing to staff", arg);
		goto out;
	}
	fprintf(ini, "[%s]\n%s = %s\nmetric = %s\nlimit = %s\n\n", section, cli_rows[kind], name,
	        last + 1, eq + 1);
out:
	free(key);
	return rc;
}

/* A targeted stage that a [staffing.NAME] section also scales: staffing.ini's
 * servers would be scaled again when it is read. */
static int check_staffing(const struct target_set *t, struct model *m, const struct scenario *sc,
                          const char *section, char *err, size_t errlen)
{
	int *mark = xcalloc(m->nstage, sizeof *mark);
	int rc = model_section_stages(m, sc, KEYS_STAFFING_STAGES, KEYS_STAFFING_GROUP, section,
	                              mark, err, errlen);
	for (size_t i = 0; i < m->nstage && !rc; i++) {
		if (!mark[i] || !target_has(t, i))
			continue;
		char where[UTIL_ERRLEN];
		scenario_where(scenario_section_first(sc, section), where, sizeof where);
		rc = util_err(err, errlen, EX_DATAERR, "%s: %s: scales stage '%s', which has a target: "
		              "staff sets its servers; leave it out of one or the other", where,
		              section, m->stage[i].name);
	}
	free(mark);
	return rc;
}

/* Both readers: for staff (strict), the refusals of a scenario without
 * targets, of a target of unlimited stages only and of a targeted stage a
 * staffing section scales. */
static int read_targets(struct target_set *t, struct model *m, const struct scenario *sc,
                        const char *const *cli, size_t ncli, int strict, char *err,
                        size_t errlen)
{
	size_t len = 0;
	FILE *ini = open_memstream(&t->ini, &len);
	int rc = 0, serial = 0;
	if (!ini)
		util_out_of_memory();
	t->nstage = m->nstage;
	t->limit = xmalloc((m->nstage ? m->nstage : 1) * sizeof *t->limit);
	for (size_t i = 0; i < m->nstage; i++)
		for (int k = 0; k < TARGET_NMETRIC; k++)
			for (int h = 0; h < TARGET_HOURS; h++)
				t->limit[i][k][h] = NAN;
	for (size_t i = 0; i < sc->n && !rc; i++) {
		const char *s = sc->entry[i].section;
		if (strncmp(s, "target.", 7) == 0 && scenario_section_first(sc, s) == &sc->entry[i])
			rc = read_section(t, m, sc, s, strict, err, errlen);
	}
	for (size_t j = 0; j < ncli && !rc; j++)
		rc = read_cli(t, m, sc, cli[j], ini, &serial, err, errlen);
	for (size_t i = 0; i < sc->n && !rc && strict; i++) {
		const char *s = sc->entry[i].section;
		if (strncmp(s, "staffing.", 9) == 0 && scenario_section_first(sc, s) == &sc->entry[i])
			rc = check_staffing(t, m, sc, s, err, errlen);
	}
	if (fclose(ini) != 0)
		util_out_of_memory();
	size_t any = 0;
	for (size_t i = 0; i < m->nstage; i++)
		any += (size_t)target_has(t, i);
	if (!rc && !any && strict)
		rc = util_err(err, errlen, EX_DATAERR, "%s: no targets: give a [target.NAME] section "
		              "or --target KIND.NAME.METRIC=LIMIT", value_origin(sc));
	return rc;
}

int target_read(struct target_set *t, struct model *m, const struct scenario *sc,
                const char *const *cli, size_t ncli, char *err, size_t errlen)
{
	return read_targets(t, m, sc, cli, ncli, 1, err, errlen);
}

int target_read_run(struct target_set *t, struct model *m, const struct scenario *sc,
                    char *err, size_t errlen)
{
	return read_targets(t, m, sc, NULL, 0, 0, err, errlen);
}
