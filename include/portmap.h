/* portmap: the model's ports — which port each stage and stream belongs to
 * (the PORT of its name PORT/NAME), and the port groups each port is in —
 * and the targets of a surge, closure or staffing section that names ports
 * or port groups. Part of the model compiler (model.c). */
#ifndef BORDERSIM_PORTMAP_H
#define BORDERSIM_PORTMAP_H

#include "keys.h"

struct value_ctx;

/* Fills the model's ports from the scenario's [port.NAME] sections (their
 * `groups`), and the port of every stage and stream (-1 when its name has
 * no PORT/ part). Returns 0, or EX_DATAERR naming a stage or stream whose
 * PORT has no [port.PORT], or a bad group name. */
int portmap_compile(struct value_ctx *c);

/* Marks (mark[i] = 1) the streams (streams = 1) or stages of the ports that
 * section's `ports` (row ports_id) and `port_groups` (row groups_id) name;
 * *any is set when it marked one. Returns 0, or EX_DATAERR for an unknown
 * port or group, with the nearest one suggested. */
int portmap_targets(struct value_ctx *c, enum keys_id ports_id, enum keys_id groups_id,
                    const char *section, int streams, int *mark, int *any);

#endif
