/* main: the bordersim program — turns GSL's aborting error handler off (every
 * GSL result is checked where it is used) and hands over to the command line. */
#include <gsl/gsl_errno.h>

#include "cli.h"

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	return cli_main(argc, argv);
}
