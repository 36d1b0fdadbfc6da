/* stop: a signal that would end the program becomes a request to stop.
 *
 * While caught, every signal whose default action ends the program (SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 ..., the real-time ones; SIGSEGV and the
 * other faults when another process sends them) sets stop_signal, which the
 * engine polls and the writers check between files; the command then removes
 * what it had begun to write and exits with 128 + the signal's number. */
#ifndef BORDERSIM_STOP_H
#define BORDERSIM_STOP_H

#include <signal.h>

#define STOP_MAXSIG 128     /* above every signal number, SIGRTMAX included */

/* The signal that asked the program to stop, 0 while none has. Set only by
 * the handler stop_catch installs; read it through a pointer to const. */
extern volatile sig_atomic_t stop_signal;

/* The handlers stop_catch replaced, for stop_restore. Caller storage. */
struct stop_save {
	struct sigaction old[STOP_MAXSIG];
	unsigned char set[STOP_MAXSIG];
};

/* Clears stop_signal and catches every signal that would end the program,
 * but one ignored when the program started (a background job of a script,
 * nohup) or already handled by someone else. */
void stop_catch(struct stop_save *s);

/* Puts back the handlers stop_catch replaced. */
void stop_restore(const struct stop_save *s);

#endif
