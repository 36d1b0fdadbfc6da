/* cli_priv: what the command files of the command line (cli.c, cli_sweep.c)
 * share: messages, the scenario's loading and the threads. Not an interface
 * beyond src/cli*.c. */
#ifndef BORDERSIM_CLI_PRIV_H
#define BORDERSIM_CLI_PRIV_H

#include <stddef.h>

struct model;
struct opts;
struct scenario;

#define STOPPED (-1)    /* ENGINE_STOPPED, OUTDIR_STOPPED and POOL_STOPPED */

struct outdir_text;

/* "bordersim: " and the message, escaped, on stderr. */
void cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Says err (or "interrupted" after a signal) and returns the exit status:
 * status, or 128 + the signal; a usage error adds the --help hint. */
int cli_fail(int status, const char *err);
/* Flushes stdout: 0, or EX_CANTCREAT with the message in err. */
int cli_stdout_written(char *err, size_t errlen);
/* The threads for -j 0: the cores online. */
unsigned long cli_default_threads(void);
/* Reads the scenario at path, names it after its file unless the file names
 * it, applies -r, -s and --set in order. */
int cli_load_scenario(struct scenario *sc, const char *path, const struct opts *o,
                      char *err, size_t errlen);
/* The effective scenario as scenario.ini's bytes. */
void cli_ini_text(const struct scenario *sc, struct outdir_text *t);
/* "" when dir ends in '/', else "/": "-> DIR/" in messages. */
const char *cli_slash(const char *dir);

/* The sweep command (cli_sweep.c). */
int cli_sweep(const struct opts *o);

#endif
