/* outdir: output folders written all or nothing — the writer that run,
 * sweep, merge and compare use for their files.
 *
 * Every file is first written in full under a temporary name in the folder;
 * only when all are written are they renamed into place, so a failed or
 * interrupted write leaves the folder as it was (a folder made by this call is
 * removed again). One write at a time holds a folder, and a folder holds one
 * kind of output. The files' contents are the callers': each file comes with
 * a writer, which outdir calls once. */
#ifndef BORDERSIM_OUTDIR_H
#define BORDERSIM_OUTDIR_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

/* Returned when *stop was found set: nothing was written or renamed. */
#define OUTDIR_STOPPED (-1)

/* One file of an output folder: write puts the whole document into f and
 * returns 0, or -1 on a write error (errno set). ctx is the writer's own. */
struct outdir_file {
	const char *name;
	int (*write)(FILE *f, const void *ctx);
	const void *ctx;
};

/* A kind of output folder: what writes it ("a run", "a sweep or merge", "a
 * compare", for messages) and every file it may hold (NULL-terminated). A
 * folder holding a file of another kind that is not one of this kind's holds
 * another command's output. */
struct outdir_kind {
	const char *what;
	const char *const *names;
};
extern const struct outdir_kind outdir_kind_run, outdir_kind_sweep, outdir_kind_compare,
	outdir_kind_staff;

/* Temporary files are named OUTDIR_TMP_PREFIX "PID.NAME" in the folder; the
 * folder's lock file, held while a write runs, is OUTDIR_LOCK_NAME. Both are
 * removed by the write that made them; after a kill -9 or a crash the next
 * write into the folder removes them. */
#define OUTDIR_TMP_PREFIX ".bordersim-tmp."
#define OUTDIR_LOCK_NAME ".bordersim.lock"

/* Writes every file into dir (made if missing, parents too), whose names must
 * be kind's: under the folder's lock (another write into it holds it: refused
 * at once), each file under a temporary name created exclusively (nothing at
 * that name is followed or reused), then all renamed into place. A folder
 * holding another kind's output is refused, untouched, and a link given as
 * dir is followed only when this user or root owns it. Temporary files that a
 * dead write left are removed first; after the renames, files of this kind
 * that this write did not make (a shard's manifest after a whole sweep) are
 * removed. stop, when not NULL, is polled between files and before the
 * renames; every signal but a program fault (SIGSEGV ...) is blocked while
 * the renames run, so a signal either stops the write before any rename or
 * comes after the last. Running out of memory during the write takes it back
 * as a failure would (util_on_out_of_memory). Call with no other threads
 * running. Returns 0, OUTDIR_STOPPED, or EX_CANTCREAT with a message naming
 * the path. */
int outdir_write(const char *dir, const struct outdir_file *file, size_t nfile,
                 const struct outdir_kind *kind, const volatile sig_atomic_t *stop, char *err,
                 size_t errlen);

/* Bytes held in memory, e.g. a scenario.ini to copy; text is the holder's. */
struct outdir_text {
	char *text;
	size_t len;
};
/* An outdir_file writer: the bytes of a const struct outdir_text *. */
int outdir_text_write(FILE *f, const void *text);

#endif
