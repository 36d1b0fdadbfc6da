/* portmap: the model's ports — which port each stage and stream belongs to
 * (the PORT of its name PORT/NAME), and the port groups each port is in —
 * and the targets of a surge, closure or staffing section that names ports
 * or port groups. Part of the model compiler (model.c). */
#ifndef BORDERSIM_PORTMAP_H
#define BORDERSIM_PORTMAP_H

#include <stddef.h>

#include "keys.h"

struct model;
struct value_ctx;

/* The kinds of name that stand for stages, as targets and --hourly take
 * them: a stage, a stage group, a port (its stages PORT/...), a port group
 * (the stages of its ports); PORTMAP_ANY: whichever of them a name is. */
enum portmap_kind {
	PORTMAP_STAGE,
	PORTMAP_GROUP,
	PORTMAP_PORT,
	PORTMAP_PORT_GROUP,
	PORTMAP_NKIND,
	PORTMAP_ANY = PORTMAP_NKIND,
};

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

/* Name i of a kind (not PORTMAP_ANY) in m, or NULL past the end: stage i's
 * name; stage i's group ("" when it has none: a group's name comes once for
 * each of its stages); port i's; port group i's. */
const char *portmap_name(const struct model *m, enum portmap_kind kind, size_t i);

/* Marks (mark[i] = 1, nstage values) the stages that name stands for as a
 * kind, or as any kind; returns how many it stands for, marked before or
 * not (0: no such name; an empty name stands for nothing). */
size_t portmap_mark(const struct model *m, enum portmap_kind kind, const char *name, int *mark);

/* The name of the kind (of any kind) nearest to name when one is near
 * (keys_near), else NULL; the first of equally near ones. */
const char *portmap_nearest(const struct model *m, enum portmap_kind kind, const char *name);

#endif
