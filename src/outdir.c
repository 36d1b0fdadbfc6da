/* outdir: output folders written all or nothing.
 *
 * Each file is written in full under a temporary name in the target folder
 * (same file system, so rename is atomic), flushed and fsynced; only when all
 * are on disk are they renamed into place. A failure before that point removes
 * the temporary files and any folder this call made, so the folder is exactly
 * as it was. Renaming several files is not one atomic step: a rename failing
 * after another succeeded (rare, since targets are checked first) can leave a
 * mix of old and new complete files, never a half-written one.
 *
 * Nothing outside the folder is written: the folder is opened once and every
 * file is made, renamed and removed relative to it (openat, renameat), and a
 * temporary file, named OUTDIR_TMP_PREFIX "PID.NAME", is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, so a link or file planted at that name is never
 * followed or reused; a link given as the folder itself is followed only when
 * this user or root owns it. Building a new folder beside the target and renaming
 * it into place would write outside it, and would replace files of the
 * user's that the target holds; a lock serves instead. A write holds flock
 * on OUTDIR_LOCK_NAME in the folder from before its first temporary file
 * until after its last rename; a second writer fails at once (waiting could
 * be as long as the first's write, and two commands aimed at one folder are a
 * mistake to report, not to serialise). A lock file rather than the folder's
 * own descriptor, because NFS emulates flock with fcntl locks, which need a
 * descriptor open for writing. While the lock is held no other write runs in
 * the folder, so every temporary file found there belongs to a write that
 * died (kill -9, a crash) and is removed; that is how the leftovers of an
 * uncatchable signal go. A folder holding another kind of output (outdir_kind)
 * is refused rather than partly replaced: refusing keeps the user's earlier
 * results, and replacing a whole folder at once is not possible in place.
 *
 * Interruption is checked between files, inside the long writers (a run's, once a
 * replication) and once more with every signal but the program faults
 * blocked just before the renames: a signal that arrives before that last
 * check stops the write with nothing renamed; one that arrives during the
 * renames waits until they are done, and the write counts as finished. */
#include "outdir.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "util.h"

static int stopped(const volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

int outdir_text_write(FILE *f, const void *text)
{
	const struct outdir_text *t = text;
	if (t->len && fwrite(t->text, 1, t->len, f) != t->len)
		return -1;
	return ferror(f) ? -1 : 0;
}

/* ---- kinds ---- */

/* Every kind of output folder and the files it may hold. scenario.ini is in
 * each, and report.html; the other names tell the kinds apart. */
static const char *const run_names[] = {
	"summary.csv", "replications.csv", "hourly.csv", "scenario.ini", "hourly.svg", "report.html",
	"targets.csv", NULL,
};
static const char *const sweep_names[] = {
	"sweep.csv", "scenario.ini", "shard.csv", "sweep.svg", "report.html", NULL,
};
static const char *const compare_names[] = {
	"compare.csv", "base.ini", "scenario.ini", "report.html", NULL,
};
static const char *const staff_names[] = {
	"summary.csv", "replications.csv", "hourly.csv", "scenario.ini", "hourly.svg", "report.html",
	"staffing.csv", "staffing.ini", "targets.csv", NULL,
};
const struct outdir_kind outdir_kind_run = { "a run", run_names };
const struct outdir_kind outdir_kind_staff = { "a staffing", staff_names };
const struct outdir_kind outdir_kind_sweep = { "a sweep or merge", sweep_names };
const struct outdir_kind outdir_kind_compare = { "a compare", compare_names };
static const struct outdir_kind *const kinds[] = {
	&outdir_kind_run, &outdir_kind_sweep, &outdir_kind_compare, &outdir_kind_staff,
};

static int has_name(const struct outdir_kind *k, const char *name)
{
	for (const char *const *p = k->names; *p; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

/* Folders made by this call, outermost first, to remove on failure. */
struct made {
	char **path;
	size_t n;
};

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Makes one folder of the chain unless it is there already. An existing
 * non-folder in the middle of the chain is passed over: the next mkdir fails
 * with ENOTDIR, and the message names the deeper path the user asked for. */
static int make_one(const char *path, int last, struct made *made, char *err, size_t errlen)
{
	if (mkdir(path, 0777) == 0) {
		made->path = xrealloc(made->path, (made->n + 1) * sizeof *made->path);
		made->path[made->n++] = xstrdup(path);
		return 0;
	}
	int e = errno;
	if (is_dir(path) || (e == EEXIST && !last))
		return 0;
	return util_err(err, errlen, EX_CANTCREAT, "cannot create folder '%s': %s", path,
	                strerror(e == EEXIST ? ENOTDIR : e));
}

/* mkdir -p: each prefix of dir in turn, outermost first. */
static int make_dirs(const char *dir, struct made *made, char *err, size_t errlen)
{
	char *p = xstrdup(dir);
	int status = 0;
	for (char *s = p + 1; status == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (c == '\0' || s[-1] != '/')
			status = make_one(p, c == '\0', made, err, errlen);
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return status;
}

static void made_release(struct made *made, int remove)
{
	for (size_t i = made->n; i-- > 0;) {
		if (remove)
			rmdir(made->path[i]);
		free(made->path[i]);
	}
	free(made->path);
	made->path = NULL;
	made->n = 0;
}

/* dir without trailing slashes ("/" stays "/"). */
static char *clean_dir(const char *dir)
{
	char *d = xstrdup(dir);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	return d;
}

/* The file names of one write: temporary and final, relative to the folder;
 * the final path for messages; how far each got. Only a temporary this write
 * created is removed: a name someone else put there is not ours. */
enum { NAME_NONE, NAME_CREATED, NAME_RENAMED };
struct names {
	char **tmp, **path;
	const char **final;
	int *state;
	size_t n;
};

/* One write into one folder: what it holds, to take back on failure. */
struct folder {
	char *d;            /* the folder, without trailing slashes */
	const char *sep;    /* "/", or "" when d is "/" */
	int fd, lock;       /* the folder and its lock file, or -1 */
	int adopted;        /* d held only a dead write's leftovers: ours to remove */
	struct made made;
	struct names nm;
};

static void names_init(struct folder *fo, const struct outdir_file *file, size_t n)
{
	struct names *nm = &fo->nm;
	nm->n = n;
	nm->tmp = xcalloc(n, sizeof *nm->tmp);
	nm->path = xcalloc(n, sizeof *nm->path);
	nm->final = xcalloc(n, sizeof *nm->final);
	nm->state = xcalloc(n, sizeof *nm->state);
	for (size_t k = 0; k < n; k++) {
		nm->tmp[k] = xasprintf(OUTDIR_TMP_PREFIX "%ld.%s", (long)getpid(), file[k].name);
		nm->final[k] = file[k].name;
		nm->path[k] = xasprintf("%s%s%s", fo->d, fo->sep, file[k].name);
	}
}

/* The folder's lock: OUTDIR_LOCK_NAME, opened without following a link, held
 * with flock for the whole write. Its holder removes it before unlocking, so
 * a writer that locked a file no longer in the folder tries again; one whose
 * locked file is still the folder's holds the lock. *existed says the file
 * was there before (a write that died left it). Does not wait: a second
 * writer fails at once. */
static int lock_take(struct folder *fo, int *existed, char *err, size_t errlen)
{
	const int flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
	for (int tries = 0; tries < 100; tries++) {
		int fd = openat(fo->fd, OUTDIR_LOCK_NAME, flags | O_CREAT | O_EXCL, 0666);
		*existed = fd < 0 && errno == EEXIST;
		if (*existed)
			fd = openat(fo->fd, OUTDIR_LOCK_NAME, flags);
		if (fd < 0 && errno == ENOENT)
			continue;               /* removed by its holder in between */
		if (fd < 0)
			return util_err(err, errlen, EX_CANTCREAT, "cannot create '%s%s%s': %s", fo->d,
			                fo->sep, OUTDIR_LOCK_NAME, strerror(errno));
		struct stat a, b;
		int e = fstat(fd, &a) != 0 ? errno : flock(fd, LOCK_EX | LOCK_NB) != 0 ? errno : 0;
		if (e == 0 && !S_ISREG(a.st_mode)) {
			close(fd);
			return util_err(err, errlen, EX_CANTCREAT, "cannot lock '%s%s%s': not a regular "
			                "file; remove it", fo->d, fo->sep, OUTDIR_LOCK_NAME);
		}
		if (e == 0 && fstatat(fo->fd, OUTDIR_LOCK_NAME, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			fo->lock = fd;
			return 0;
		}
		close(fd);
		if (e == EWOULDBLOCK)
			return util_err(err, errlen, EX_CANTCREAT, "'%s' is being written by another "
			                "bordersim: wait until it is done, or write to another folder "
			                "(-o)", fo->d);
		if (e)
			return util_err(err, errlen, EX_CANTCREAT, "cannot lock '%s%s%s': %s", fo->d,
			                fo->sep, OUTDIR_LOCK_NAME, strerror(e));
	}
	return util_err(err, errlen, EX_CANTCREAT, "cannot lock '%s%s%s': it keeps being replaced",
	                fo->d, fo->sep, OUTDIR_LOCK_NAME);
}

/* Refuses a folder that holds the output of another kind of command: writing
 * this kind's files beside it would mix two outputs (scenario.ini replaced,
 * the rest kept). */
static int check_kind(struct folder *fo, const struct outdir_kind *kind, char *err,
                      size_t errlen)
{
	const struct outdir_kind *other = NULL;
	char *found = xstrdup("");
	for (size_t i = 0; i < NELEM(kinds); i++) {
		if (kinds[i] == kind)
			continue;
		for (const char *const *p = kinds[i]->names; *p; p++) {
			struct stat st;
			if (has_name(kind, *p) || strstr(found, *p) ||
			    fstatat(fo->fd, *p, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			char *s = xasprintf("%s%s%s", found, *found ? ", " : "", *p);
			free(found);
			found = s;
			other = other ? other : kinds[i];
		}
	}
	int status = 0;
	if (other)
		status = util_err(err, errlen, EX_CANTCREAT, "cannot write %s into '%s': it holds "
		                  "the output of %s (%s); choose another folder with -o, or remove "
		                  "that one first", kind->what, fo->d, other->what, found);
	free(found);
	return status;
}

/* Whether name is a process's temporary file: ours (OUTDIR_TMP_PREFIX), or
 * one of release 1 (".summary.csv.tmp.PID") whose process is gone. */
static int is_leftover(const char *name)
{
	if (strncmp(name, OUTDIR_TMP_PREFIX, strlen(OUTDIR_TMP_PREFIX)) == 0)
		return 1;
	const char *t = strstr(name, ".tmp.");
	if (name[0] != '.' || !t || t == name + 1 || t[5] == '\0' ||
	    strspn(t + 5, "0123456789") != strlen(t + 5) || strlen(t + 5) > 9)
		return 0;
	int known = 0;
	for (size_t i = 0; i < NELEM(kinds); i++)
		for (const char *const *p = kinds[i]->names; *p; p++)
			known |= strlen(*p) == (size_t)(t - name - 1) &&
			         strncmp(*p, name + 1, strlen(*p)) == 0;
	return known && kill((pid_t)atol(t + 5), 0) != 0 && errno == ESRCH;
}

/* Under the lock no other write is running in the folder, so every temporary
 * file in it is a dead write's (killed, or a crash) or planted: removed. A
 * folder left with nothing else was made by such a write; it is removed again
 * if this write fails. */
static void remove_leftovers(struct folder *fo, int lock_existed)
{
	int fd = dup(fo->fd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;
	}
	char **gone = NULL;
	size_t ngone = 0, others = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, OUTDIR_LOCK_NAME) == 0)
			continue;
		if (!is_leftover(e->d_name)) {
			others++;
			continue;
		}
		gone = xrealloc(gone, (ngone + 1) * sizeof *gone);
		gone[ngone++] = xstrdup(e->d_name);
	}
	closedir(dir);
	for (size_t i = 0; i < ngone; i++) {
		if (unlinkat(fo->fd, gone[i], 0) != 0)
			others++;
		free(gone[i]);
	}
	free(gone);
	fo->adopted = others == 0 && (ngone > 0 || lock_existed) && fo->made.n == 0;
}

/* Writes one file under its temporary name, which nothing may hold yet (a
 * link there is not followed), flushed and synced; messages name the final
 * path. */
static int write_one(struct folder *fo, size_t k, const struct outdir_file *file, char *err,
                     size_t errlen)
{
	const char *final = fo->nm.path[k];
	int fd = openat(fo->fd, fo->nm.tmp[k], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	                0666);
	if (fd < 0 && errno == EEXIST)
		return util_err(err, errlen, EX_CANTCREAT, "cannot create '%s%s%s' to write '%s': "
		                "%s", fo->d, fo->sep, fo->nm.tmp[k], final, strerror(EEXIST));
	if (fd >= 0)
		fo->nm.state[k] = NAME_CREATED;
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return util_err(err, errlen, EX_CANTCREAT, "cannot create '%s': %s", final,
		                strerror(e));
	}
	errno = 0;
	int e = 0;
	if (file->write(f, file->ctx) != 0 || fflush(f) != 0 || ferror(f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(f)) != 0 && errno != EINVAL && errno != EROFS)
		e = errno;
	if (fclose(f) != 0 && e == 0)
		e = errno;
	if (e)
		return util_err(err, errlen, EX_CANTCREAT, "cannot write '%s': %s", final,
		                strerror(e));
	return 0;
}

/* A target that exists must be something rename can replace. */
static int check_target(struct folder *fo, size_t k, char *err, size_t errlen)
{
	struct stat st;
	if (fstatat(fo->fd, fo->nm.final[k], &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISDIR(st.st_mode))
		return 0;
	return util_err(err, errlen, EX_CANTCREAT, "cannot replace '%s': %s", fo->nm.path[k],
	                strerror(EISDIR));
}

/* Writes each file to its temporary name; stops between files when asked. */
static int write_all(struct folder *fo, const struct outdir_file *file,
                     const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	int status = 0;
	for (size_t k = 0; k < fo->nm.n && status == 0; k++)
		status = check_target(fo, k, err, errlen);
	for (size_t k = 0; k < fo->nm.n && status == 0; k++) {
		if (stopped(stop))
			return OUTDIR_STOPPED;
		status = write_one(fo, k, &file[k], err, errlen);
		if (status && stopped(stop))
			return OUTDIR_STOPPED;
	}
	return status;
}

/* Renames every file into place with every signal but a fault of the program
 * held back, after one last look at stop. */
static int rename_all(struct folder *fo, const volatile sig_atomic_t *stop, char *err,
                      size_t errlen)
{
	static const int fault[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS };
	sigset_t block, old;
	sigfillset(&block);
	for (size_t i = 0; i < NELEM(fault); i++)
		sigdelset(&block, fault[i]);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	struct names *nm = &fo->nm;
	int status = stopped(stop) ? OUTDIR_STOPPED : 0;
	for (size_t k = 0; k < nm->n && status == 0; k++) {
		if (renameat(fo->fd, nm->tmp[k], fo->fd, nm->final[k]) == 0)
			nm->state[k] = NAME_RENAMED;
		else
			status = util_err(err, errlen, EX_CANTCREAT, "cannot rename '%s%s%s' to '%s': %s",
			                  fo->d, fo->sep, nm->tmp[k], nm->path[k], strerror(errno));
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return status;
}

/* Removes the files of this kind that this write did not make (a shard's
 * manifest after a whole sweep, a chart no longer drawn): they would mislead. */
static void remove_stale(struct folder *fo, const struct outdir_kind *kind)
{
	for (const char *const *p = kind->names; *p; p++) {
		int written = 0;
		for (size_t k = 0; k < fo->nm.n; k++)
			written |= strcmp(fo->nm.final[k], *p) == 0;
		struct stat st;
		if (!written && fstatat(fo->fd, *p, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode))
			unlinkat(fo->fd, *p, 0);
	}
}

/* Ends a write: a failed one takes back its temporary files, the files it
 * renamed into a folder it made, and that folder; either way the lock goes. */
static void folder_release(struct folder *fo, int failed)
{
	struct names *nm = &fo->nm;
	int ours = fo->made.n > 0 || fo->adopted;
	for (size_t k = 0; k < nm->n; k++) {
		if (failed && nm->state[k] == NAME_CREATED)
			unlinkat(fo->fd, nm->tmp[k], 0);
		if (failed && nm->state[k] == NAME_RENAMED && ours)
			unlinkat(fo->fd, nm->final[k], 0);
		free(nm->tmp[k]);
		free(nm->path[k]);
	}
	free(nm->tmp);
	free(nm->path);
	free(nm->final);
	free(nm->state);
	memset(nm, 0, sizeof *nm);
	if (fo->lock >= 0) {
		unlinkat(fo->fd, OUTDIR_LOCK_NAME, 0);
		close(fo->lock);      /* unlocks, after the file is gone */
	}
	if (fo->fd >= 0)
		close(fo->fd);
	fo->lock = fo->fd = -1;
	if (failed && fo->adopted)
		rmdir(fo->d);
	made_release(&fo->made, failed);
	free(fo->d);
	fo->d = NULL;
}

/* For util_out_of_memory: the write in progress fails. */
static void write_abandon(void *arg)
{
	folder_release(arg, 1);
}

/* Opens the folder. A link named as the folder is followed only when this
 * user or root owns it: one that another user put at the name, in a folder
 * others may write, would send the files wherever it points. */
static int open_dir(struct folder *fo, char *err, size_t errlen)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	struct stat st;
	fo->fd = open(fo->d, flags | O_NOFOLLOW);
	if (fo->fd < 0 && (errno == ELOOP || errno == ENOTDIR) && lstat(fo->d, &st) == 0 &&
	    S_ISLNK(st.st_mode)) {
		if (st.st_uid != geteuid() && st.st_uid != 0)
			return util_err(err, errlen, EX_CANTCREAT, "cannot write into '%s': it is a link "
			                "that another user (uid %ld) owns; name the folder it points to",
			                fo->d, (long)st.st_uid);
		fo->fd = open(fo->d, flags);
	}
	if (fo->fd < 0)
		return util_err(err, errlen, EX_CANTCREAT, "cannot open folder '%s': %s", fo->d,
		                strerror(errno));
	return 0;
}

/* Makes the folder, opens and locks it, refuses another kind's folder and
 * clears what dead writes left. */
static int folder_open(struct folder *fo, const struct outdir_kind *kind, char *err,
                       size_t errlen)
{
	int status, existed = 0;
	if ((status = make_dirs(fo->d, &fo->made, err, errlen)) != 0)
		return status;
	if ((status = open_dir(fo, err, errlen)) != 0)
		return status;
	if ((status = lock_take(fo, &existed, err, errlen)) != 0)
		return status;
	if ((status = check_kind(fo, kind, err, errlen)) != 0)
		return status;
	remove_leftovers(fo, existed);
	return 0;
}

int outdir_write(const char *dir, const struct outdir_file *file, size_t nfile,
                 const struct outdir_kind *kind, const volatile sig_atomic_t *stop, char *err,
                 size_t errlen)
{
	struct folder fo = { .d = clean_dir(dir), .fd = -1, .lock = -1 };
	int status = 0;

	for (size_t k = 0; k < nfile; k++)
		assert(has_name(kind, file[k].name));
	fo.sep = strcmp(fo.d, "/") == 0 ? "" : "/";
	if (*fo.d == '\0') {
		status = util_err(err, errlen, EX_CANTCREAT, "cannot create folder '': %s",
		                  strerror(ENOENT));
		goto out;
	}
	if (stopped(stop)) {
		status = OUTDIR_STOPPED;
		goto out;
	}
	names_init(&fo, file, nfile);
	util_on_out_of_memory(write_abandon, &fo);
	if ((status = folder_open(&fo, kind, err, errlen)) != 0)
		goto out;
	if ((status = write_all(&fo, file, stop, err, errlen)) != 0)
		goto out;
	if ((status = rename_all(&fo, stop, err, errlen)) != 0)
		goto out;
	remove_stale(&fo, kind);
	fsync(fo.fd);
out:
	util_on_out_of_memory(NULL, NULL);
	folder_release(&fo, status != 0);
	return status;
}

