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

int autostaff_apply(struct model *m, size_t *stage)
{
	int any = 0, rc = 0;
	for (size_t i = 0; i < m->nstage; i++)
		any |= m->stage[i].auto_servers;
	if (!any)
		return 0;
	double *v = xmalloc(m->nstage * sizeof *v);
	for (int h = 0; h < MODEL_HOURS && !rc; h++) {
		rc = traffic_hour(m, h, v, stage);
		for (size_t i = 0; i < m->nstage && !rc; i++) {
			struct model_stage *st = &m->stage[i];
			if (st->auto_servers && !st->unlimited)
				st->servers[h] = autostaff_servers(v[i] / 1440.0 * st->service.mean, st->beta,
				                                   st->min_servers, st->max_servers);
		}
	}
	free(v);
	return rc < 0 ? -1 : 0;
}
