/* stop: signals that would end the program, caught as requests to stop.
 *
 * A signal ignored when the program started (a background job of a script,
 * nohup) stays ignored. SIGPIPE and SIGXFSZ that a failed write of this
 * process raised are not requests to stop: the write reports its error (73
 * naming the file for a file past ulimit -f). A real fault still ends the
 * program at once. The handlers are installed without SA_RESTART, so a
 * blocking call (opening a FIFO without a writer) returns EINTR and the
 * command sees the request. */
#include "stop.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

volatile sig_atomic_t stop_signal;

/* The signals that report a fault of the program itself. */
static int is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGABRT || sig == SIGTRAP || sig == SIGSYS;
}

/* A signal that another process sent (kill) asks the command to stop. One
 * that the kernel raised for this process, or this process for itself, may
 * not: a write to a closed pipe or past the file-size limit (ulimit -f)
 * raises SIGPIPE or SIGXFSZ, and that write fails with EPIPE or EFBIG, which
 * is reported where it happened, naming the file (a closed standard error
 * only loses messages); a fault (a bad address, abort() of a failed
 * assertion) gets its default action at once, as if not caught: returning
 * would run the faulting instruction again. */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int own = si->si_code > 0 || si->si_pid == getpid();
	if (own && is_fault(sig)) {
		signal(sig, SIG_DFL);
		raise(sig);             /* delivered when the handler returns */
		return;
	}
	if (own && (sig == SIGPIPE || sig == SIGXFSZ))
		return;
	stop_signal = sig;
}

/* Every signal whose default action ends the program, the real-time signals
 * after them. */
static const int caught[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
	SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGSEGV, SIGBUS, SIGFPE, SIGILL,
	SIGABRT, SIGTRAP, SIGSYS,
#ifdef SIGPOLL
	SIGPOLL,
#endif
#ifdef SIGPWR
	SIGPWR,
#endif
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};

/* Catches sig unless it was ignored when we started (a background job of a
 * script, nohup) or something else handles it already. */
static void catch_one(struct stop_save *s, int sig)
{
	if (sig <= 0 || sig >= STOP_MAXSIG || s->set[sig])
		return;
	if (sigaction(sig, NULL, &s->old[sig]) != 0 || (s->old[sig].sa_flags & SA_SIGINFO) ||
	    s->old[sig].sa_handler != SIG_DFL)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	s->set[sig] = sigaction(sig, &sa, NULL) == 0;
}

void stop_catch(struct stop_save *s)
{
	stop_signal = 0;
	memset(s->set, 0, sizeof s->set);
	for (size_t k = 0; k < NELEM(caught); k++)
		catch_one(s, caught[k]);
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		catch_one(s, sig);
}

void stop_restore(const struct stop_save *s)
{
	for (int sig = 1; sig < STOP_MAXSIG; sig++)
		if (s->set[sig])
			sigaction(sig, &s->old[sig], NULL);
}
