/* fuzz_merge: libFuzzer harness for the reader behind `bordersim merge`.
 *
 * merge_run reads three files from each shard folder: the manifest
 * shard.csv, scenario.ini and sweep.csv. The input is split on form feeds
 * ('\f') into at most six parts, written as
 *
 *     a/shard.csv \f a/scenario.ini \f a/sweep.csv \f b/shard.csv \f ...
 *
 * in a private folder made once per process (the sixth part takes the rest
 * of the input); a part the input does not reach is a missing file. With more
 * than three parts two folders are merged, else one. The manifest holds
 * fingerprints of the other two files that no mutation would hit by chance,
 * so "@INI@" and "@CSV@" in a manifest stand for the fingerprints of its
 * folder's scenario.ini and sweep.csv (batch_hash), and the fuzzer gets past
 * them to the rows.
 *
 * A refusal must be EX_NOINPUT or EX_DATAERR with a message. What merges
 * must be a whole sweep as `sweep` makes one: as many points as its axes
 * make, no key varied twice nor a value listed twice in an axis (among
 * neighbours up to 64 apart, to stay linear), every row as wide as the header. It is then written as `merge` writes it — sweep.csv and, for
 * a sweep over one numeric key, sweep.svg — to /dev/null, without the folder
 * and its fsyncs. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "batch.h"
#include "chart.h"
#include "fuzzutil.h"
#include "merge.h"
#include "table.h"

#define NPART 6

static const char *const file[3] = { "shard.csv", "scenario.ini", "sweep.csv" };
static char *root, *sub[2], *part_path[NPART];
static FILE *null;

static void cleanup(void)
{
	for (int i = 0; i < NPART; i++)
		unlink(part_path[i]);
	for (int k = 0; k < 2; k++)
		rmdir(sub[k]);
	rmdir(root);
	fclose(null);
}

static void setup(void)
{
	if (root)
		return;
	root = fuzz_tmpdir("fuzz_merge");
	for (int k = 0; k < 2; k++) {
		sub[k] = malloc(strlen(root) + 3);
		FUZZ_CHECK(sub[k] != NULL, "out of memory");
		sprintf(sub[k], "%s/%c", root, 'a' + k);
		FUZZ_CHECK(mkdir(sub[k], 0700) == 0, "cannot make %s", sub[k]);
	}
	for (int i = 0; i < NPART; i++) {
		part_path[i] = malloc(strlen(sub[i / 3]) + strlen(file[i % 3]) + 2);
		FUZZ_CHECK(part_path[i] != NULL, "out of memory");
		sprintf(part_path[i], "%s/%s", sub[i / 3], file[i % 3]);
	}
	null = fopen("/dev/null", "w");
	FUZZ_CHECK(null != NULL, "cannot open /dev/null");
	atexit(cleanup);
}

/* text[0..n) with every "@INI@" and "@CSV@" replaced by the fingerprints of
 * ini and csv, as a new buffer of *len bytes. */
static char *fill_hashes(const uint8_t *text, size_t n, const uint8_t *ini, size_t nini,
                         const uint8_t *csv, size_t ncsv, size_t *len)
{
	char h[2][64];
	snprintf(h[0], sizeof h[0], "fnv1a64:%016" PRIx64, batch_hash(ini, nini));
	snprintf(h[1], sizeof h[1], "fnv1a64:%016" PRIx64, batch_hash(csv, ncsv));
	char *out = malloc(n / 5 * 24 + n + 1);   /* each 5-byte mark grows to 24 */
	FUZZ_CHECK(out != NULL, "out of memory");
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		int k = i + 5 <= n && !memcmp(text + i, "@INI@", 5) ? 0 :
		        i + 5 <= n && !memcmp(text + i, "@CSV@", 5) ? 1 : -1;
		if (k < 0) {
			out[o++] = (char)text[i++];
			continue;
		}
		memcpy(out + o, h[k], 24);
		o += 24;
		i += 5;
	}
	*len = o;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *part[NPART] = { 0 };
	size_t len[NPART] = { 0 };
	int nparts = 0;
	setup();
	for (const uint8_t *p = data, *end = data + size; nparts < NPART;) {
		const uint8_t *ff = nparts < NPART - 1 ? memchr(p, '\f', (size_t)(end - p)) : NULL;
		part[nparts] = p;
		len[nparts++] = ff ? (size_t)(ff - p) : (size_t)(end - p);
		if (!ff)
			break;
		p = ff + 1;
	}
	for (int i = 0; i < NPART; i++) {
		unlink(part_path[i]);
		if (i >= nparts)
			continue;
		if (i % 3 == 0) {
			size_t n;
			int d = i + 1 < nparts, c = i + 2 < nparts;
			char *m = fill_hashes(part[i], len[i], d ? part[i + 1] : NULL, d ? len[i + 1] : 0,
			                      c ? part[i + 2] : NULL, c ? len[i + 2] : 0, &n);
			fuzz_write(part_path[i], m, n);
			free(m);
		} else {
			fuzz_write(part_path[i], part[i], len[i]);
		}
	}

	const char *dirs[2] = { sub[0], sub[1] };
	struct batch_sweep s;
	char err[1024] = "";
	batch_sweep_init(&s);
	int rc = merge_run(&s, dirs, nparts > 3 ? 2 : 1, err, sizeof err);
	if (fuzz_verbose())
		fprintf(stderr, "merge_run: %d %s\n", rc, err);
	if (rc) {
		FUZZ_CHECK(rc == EX_DATAERR || rc == EX_NOINPUT, "merge_run returned %d: %s", rc,
		           err);
		FUZZ_CHECK(*err, "merge_run refused without a message");
	} else {
		struct batch_chart c;
		double points = s.grid.naxis ? 1 : 0;
		for (size_t a = 0; a < s.grid.naxis; a++)
			points *= (double)s.grid.axis[a].nvalue;
		FUZZ_CHECK(points == (double)s.grid.npoint, "%zu points, the axes make %g",
		           s.grid.npoint, points);
		for (size_t a = 0; a < s.grid.naxis; a++)
			for (size_t b = 0; b < a; b++)
				FUZZ_CHECK(strcmp(s.grid.axis[a].key, s.grid.axis[b].key) != 0,
				           "'%s' varied twice", s.grid.axis[a].key);
		for (size_t a = 0; a < s.grid.naxis; a++)
			for (size_t i = 0; i < s.grid.axis[a].nvalue; i++)
				for (size_t j = i + 1; j < s.grid.axis[a].nvalue && j < i + 64; j++)
					FUZZ_CHECK(strcmp(s.grid.axis[a].value[i], s.grid.axis[a].value[j]) != 0,
					           "'%s' lists '%s' twice", s.grid.axis[a].key,
					           s.grid.axis[a].value[i]);
		FUZZ_CHECK(s.name && s.shard_n == 0, "merged sweep");
		FUZZ_CHECK(batch_sweep_csv(null, &s) == 0, "sweep.csv");
		if (batch_chart_build(&c, &s))
			FUZZ_CHECK(chart_sweep(null, s.name, s.grid.axis[0].key, c.npoint, c.x,
			                       c.nseries, c.series) == 0, "sweep.svg");
		batch_chart_release(&c);
	}
	batch_sweep_release(&s);
	return 0;
}
