/* autostaff: square-root staffing of servers = auto (see autostaff.h). */
#include "autostaff.h"

#include <math.h>
#include <stdlib.h>

#include "keys.h"
#include "model.h"
#include "traffic.h"
#include "util.h"

int autostaff_servers(double load, double beta, long min_servers, long max_servers)
{
	double most = keys_row(KEYS_STAGE_SERVERS)->hi;
	double c = load > 0 ? ceil(load + beta * sqrt(load) - 1e-9) : 0;
	if (max_servers != MODEL_UNLIMITED && c > (double)max_servers)
		c = (double)max_servers;
	if (c < (double)min_servers)
		c = (double)min_servers;
	return c > most ? (int)most : (int)c;
}

double *autostaff_loads(const struct model *m, size_t *stage)
{
	double *v = xmalloc(MODEL_HOURS * (m->nstage ? m->nstage : 1) * sizeof *v);
	if (traffic_hours(m, v, stage) != 0) {
		free(v);
		return NULL;
	}
	for (int h = 0; h < MODEL_HOURS; h++)
		for (size_t i = 0; i < m->nstage; i++)
			v[(size_t)h * m->nstage + i] *= m->stage[i].service.mean / 1440.0;
	return v;
}

int autostaff_apply(struct model *m, size_t *stage)
{
	int any = 0;
	for (size_t i = 0; i < m->nstage; i++)
		any |= m->stage[i].auto_servers;
	if (!any)
		return 0;
	double *load = autostaff_loads(m, stage);
	if (!load)
		return -1;
	for (int h = 0; h < MODEL_HOURS; h++)
		for (size_t i = 0; i < m->nstage; i++) {
			struct model_stage *st = &m->stage[i];
			if (st->auto_servers && !st->unlimited)
				st->servers[h] = autostaff_servers(load[(size_t)h * m->nstage + i], st->beta,
				                                   st->min_servers, st->max_servers);
		}
	free(load);
	return 0;
}
