/* cli: the bordersim command line — commands, options, exit statuses.
 *
 * Returns the process exit status (sysexits.h): 0, 64 usage, 65 bad data,
 * 66 no input, 70 internal, 73 cannot create output. Messages go to stderr. */
#ifndef BORDERSIM_CLI_H
#define BORDERSIM_CLI_H

int cli_main(int argc, char **argv);

#endif
