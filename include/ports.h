/* ports: kinds of port written once, ports as rows of a catalog.
 *
 * A `[ports.KIND]` section names a template (an INI file of streams, stages
 * and finds in which `{port}` stands for a port's name) and a catalog (a CSV
 * file, a row a port: column `port`, then the port's figures). Reading a
 * scenario ends with ports_expand: each catalog row becomes a `[port.NAME]`
 * section (`kind = KIND` and a key a column), and the template is written out
 * once for each port of the kind, `{port}` replaced by its name, as entries
 * from the template's file and line. Neither overrides a key the scenario's
 * files already give, so a scenario changes one port's stage by writing it.
 *
 * Values keep their `{FIGURE}` references until the model compiler reads
 * them (ports_resolve), so `--set port.NAME.FIGURE=...` and `--vary` change
 * a port's figures after reading. A reference `{f}` is the port's figure f
 * times the kind's `scale` for f (when it has one); `{f/g}` is f over g,
 * each scaled, and empty when g is 0; an empty figure gives an empty value,
 * which means the key's default. */
#ifndef BORDERSIM_PORTS_H
#define BORDERSIM_PORTS_H

#include <stddef.h>

struct scenario;

/* The longest value a resolved reference may make. */
#define PORTS_VALUE_MAX 2048

/* Expands every [ports.KIND] of sc (see above). Returns 0, EX_DATAERR with
 * "FILE:LINE: problem" (a catalog, a template or the [ports.KIND] entry that
 * names them), or EX_NOINPUT when the catalog or template cannot be read. */
int ports_expand(struct scenario *sc, char *err, size_t errlen);

/* The port a stage, stream or find section belongs to: the n characters
 * of *port before the '/' of its name; 0 when it has none. */
size_t ports_of(const char *section, const char **port);

/* text, a value of section, with each {FIGURE} reference replaced, into out
 * (outlen bytes). Returns 0, or -1 with the problem in msg (a reference
 * outside a port's section, a figure the port lacks, a bad scale). */
int ports_resolve(const struct scenario *sc, const char *section, const char *text, char *out,
                  size_t outlen, char *msg, size_t msglen);

#endif
