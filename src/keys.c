/* keys: the one table of scenario keys, its look-ups and its prints.
 *
 * The table is an X-macro so that each row is written once and gives both the
 * key_def and the key's full name as shown to people ("stage.NAME.servers"):
 * the full names are string literals, so keys_suggest can return them without
 * building strings at run time (threads may call it at once). */
#include "keys.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The word lists the rows name (see KEYS_TABLE): a choice key's words in the
 * order of the model's enum, or the word that stands for no number. */
static const char *const word_flat[] = { "flat", NULL };
static const char *const word_unlimited[] = { "unlimited", NULL };
static const char *const word_servers[] = { "unlimited", "auto", NULL };
static const char *const stream_counts[] = { "none", "travelers_air", "travelers_sea",
                                             "travelers_land", "containers", "apprehensions",
                                             NULL };
static const char *const stage_kinds[] = { "inspection", "nii", "agriculture", "custody",
                                           "checkpoint", NULL };
static const char *const stream_measures[] = { "none", "vehicles", "pedestrians",
                                               "bus_passengers", "trucks", NULL };
static const char *const find_counts[] = { "none", "drugs", "pests", NULL };
static const char *const target_metrics[] = { "wait_mean", "wait_p95", NULL };
static const char *const staffing_servers[] = { "kept", "auto", NULL };

#define KEY_ROW(id, kind, prefix, name, type, tname, lo, hi, open, choices, def, unit, meaning) \
	[KEYS_##id] = { kind, name, type, tname, lo, hi, open, choices, def, unit, meaning },
#define KEY_FULL(id, kind, prefix, name, type, tname, lo, hi, open, choices, def, unit, \
                 meaning) [KEYS_##id] = prefix name,

static const struct key_def table[] = { KEYS_TABLE(KEY_ROW) };
static const char *const full[] = { KEYS_TABLE(KEY_FULL) };
#define NKEY NELEM(table)
_Static_assert(NELEM(table) == KEYS_COUNT, "one row per id");
_Static_assert(NELEM(table) == NELEM(full),
               "one full name per key");

static const char *const kinds[] = { "scenario", "stream", "stage", "find",
                                     "surge", "closure", "staffing", "target", "ports",
                                     "port" };
#define NKIND NELEM(kinds)

const struct key_def *keys_table(size_t *n)
{
	if (n)
		*n = NKEY;
	return table;
}

/* A port's figure: a name of lower-case letters, digits and '_'. */
static int figure_name(const char *key)
{
	if (!*key || strlen(key) > 40)
		return 0;
	for (const char *p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

const struct key_def *keys_find(const char *kind, const char *key)
{
	for (size_t i = 0; i < NKEY; i++)
		if (strcmp(table[i].kind, kind) == 0 && strcmp(table[i].name, key) == 0)
			return &table[i];
	if (strcmp(kind, "port") == 0 && figure_name(key))
		return &table[KEYS_PORT_FIGURE];
	return NULL;
}

int keys_kind_known(const char *kind)
{
	for (size_t i = 0; i < NKIND; i++)
		if (strcmp(kinds[i], kind) == 0)
			return 1;
	return 0;
}

int keys_kind_named(const char *kind)
{
	return keys_kind_known(kind) && strcmp(kind, "scenario") != 0;
}

const char *keys_full_name(const struct key_def *d)
{
	return full[d - table];
}

/* Two rows of the classic dynamic programme; names are short, so the cost
 * (length a times length b) does not matter. */
size_t keys_distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	size_t *prev = xmalloc((nb + 1) * sizeof *prev);
	size_t *cur = xmalloc((nb + 1) * sizeof *cur);
	for (size_t j = 0; j <= nb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	size_t d = prev[nb];
	free(prev);
	free(cur);
	return d;
}

int keys_near(size_t distance, const char *typed)
{
	size_t len = strlen(typed);
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	return distance <= limit;
}

const struct key_def *keys_nearest(const char *kind, const char *key)
{
	/* With no kind (a key outside any section), compare the key alone. */
	int bare = kind == NULL || *kind == '\0';
	/* A key of another kind, spelt right, is the likeliest meaning. */
	for (size_t i = 0; i < NKEY; i++)
		if (strcmp(table[i].name, key) == 0)
			return &table[i];
	char *typed = bare ? xstrdup(key) : xasprintf("%s.%s", kind, key);
	const struct key_def *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < NKEY; i++) {
		char *cand = bare ? xstrdup(table[i].name)
		                  : xasprintf("%s.%s", table[i].kind, table[i].name);
		size_t d = keys_distance(typed, cand);
		free(cand);
		if (d < best_d) {
			best_d = d;
			best = &table[i];
		}
	}
	/* The bar is set by the key as typed, not by its kind prefix: "colour"
	 * is not near "group" however long the section name. */
	if (best && !keys_near(best_d, key))
		best = NULL;
	free(typed);
	return best;
}

const char *keys_suggest(const char *kind, const char *key)
{
	const struct key_def *d = keys_nearest(kind, key);
	return d ? keys_full_name(d) : NULL;
}

const char *keys_suggest_kind(const char *kind)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < NKIND; i++) {
		size_t d = keys_distance(kind, kinds[i]);
		if (d < best_d) {
			best_d = d;
			best = kinds[i];
		}
	}
	return best && keys_near(best_d, kind) ? best : NULL;
}

const struct key_def *keys_row(enum keys_id id)
{
	return &table[id];
}

int keys_name_known(const char *name)
{
	for (size_t i = 0; i < NKEY; i++)
		if (strcmp(table[i].name, name) == 0)
			return 1;
	return 0;
}

int keys_in_bounds(const struct key_def *d, double v)
{
	int lo_ok = d->open & KEYS_LO_OPEN ? v > d->lo : v >= d->lo;
	int hi_ok = d->open & KEYS_HI_OPEN ? v < d->hi : v <= d->hi;
	return lo_ok && hi_ok;
}

int keys_whole(const struct key_def *d)
{
	return d->type == KEY_INT || d->type == KEY_SEED || d->type == KEY_SERVERS ||
	       d->type == KEY_CAPACITY || d->type == KEY_PERSONS || d->type == KEY_BATCH;
}

/* A bound as written: whole numbers in full for keys of whole numbers. */
static void bound_text(const struct key_def *d, double x, char *buf, size_t len)
{
	snprintf(buf, len, keys_whole(d) ? "%.0f" : "%g", x);
}

const char *keys_bounds(const struct key_def *d, char *buf, size_t len)
{
	char lo[32], hi[32];
	int has_lo = d->lo != -KEYS_NONE, has_hi = d->hi != KEYS_NONE;
	bound_text(d, d->lo, lo, sizeof lo);
	bound_text(d, d->hi, hi, sizeof hi);
	if (d->type == KEY_SEED)   /* no double holds 2^64 - 1 */
		snprintf(buf, len, "from 0 to %llu", (unsigned long long)UINT64_MAX);
	else if (has_lo && has_hi && !d->open)
		snprintf(buf, len, "from %s to %s", lo, hi);
	else if (has_lo && has_hi)
		snprintf(buf, len, "%s %s and %s %s", d->open & KEYS_LO_OPEN ? "greater than" :
		         "at least", lo, d->open & KEYS_HI_OPEN ? "less than" : "at most", hi);
	else if (has_lo)
		snprintf(buf, len, "%s %s", d->open & KEYS_LO_OPEN ? "greater than" : "of at least", lo);
	else if (has_hi)
		snprintf(buf, len, "%s %s", d->open & KEYS_HI_OPEN ? "less than" : "at most", hi);
	else
		snprintf(buf, len, "%s", "");
	return buf;
}

/* "one of a, b, c" into buf. */
static void choice_text(const struct key_def *d, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s", d->type_name);
	for (size_t i = 0; d->choices[i] && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s %s", i ? "," : "", d->choices[i]);
}

const char *keys_values(const struct key_def *d, char *buf, size_t len)
{
	char b[96];
	keys_bounds(d, b, sizeof b);
	const char *sep = *b ? " " : "";
	switch (d->type) {
	case KEY_CHOICE:
		choice_text(d, buf, len);
		break;
	case KEY_PROFILE:
		snprintf(buf, len, "%s, or %s %s", d->choices[0], d->type_name, b);
		break;
	case KEY_SERVERS:
		snprintf(buf, len, "%s %s, 24 of them, or %s or %s", d->type_name, b, d->choices[0],
		         d->choices[1]);
		break;
	case KEY_CAPACITY:
		snprintf(buf, len, "%s %s, or %s", d->type_name, b, d->choices[0]);
		break;
	case KEY_PERSONS:
		snprintf(buf, len, "%s %s, or shares such as 1:0.6, 2:0.4, or a mean such as 1.89",
		         d->type_name, b);
		break;
	case KEY_BATCH:
		snprintf(buf, len, "%s %s, shares such as 150:0.6, 250:0.4, a mean such as 14.8, or a "
		         "distribution", d->type_name, b);
		break;
	default:
		snprintf(buf, len, "%s%s%s", d->type_name, sep, b);
		break;
	}
	return buf;
}

static const char *shown_default(const struct key_def *d)
{
	return d->def ? d->def : "required";
}

#define KEYS_WIDTH 100

/* Writes the words of s from column col, breaking lines before KEYS_WIDTH
 * and indenting continuations by indent; returns the column reached. */
static int print_wrapped(FILE *f, const char *s, int col, int indent)
{
	while (*s) {
		size_t n = strcspn(s, " ");
		if (col > indent && col + 1 + (int)n > KEYS_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)n, s);
		col += (int)n;
		s += n;
		s += strspn(s, " ");
	}
	return col;
}

static int matches(size_t i, const char *filter)
{
	return !filter || strstr(full[i], filter) != NULL;
}

static size_t print_text(FILE *f, const char *filter)
{
	int wk = (int)strlen("key");
	char values[256], line[512];
	size_t n = 0;
	for (size_t i = 0; i < NKEY; i++)
		if (matches(i, filter))
			wk = (int)strlen(full[i]) > wk ? (int)strlen(full[i]) : wk;
	fprintf(f, "%-*s  values; default; unit\n    meaning\n\n", wk, "key");
	for (size_t i = 0; i < NKEY; i++) {
		const struct key_def *d = &table[i];
		if (!matches(i, filter))
			continue;
		snprintf(line, sizeof line, "%s; default %s%s%s", keys_values(d, values, sizeof values),
		         shown_default(d), *d->unit ? "; unit " : "", d->unit);
		fprintf(f, "%-*s  ", wk, full[i]);
		print_wrapped(f, line, wk + 2, wk + 2);
		fprintf(f, "\n    ");
		print_wrapped(f, d->meaning, 4, 4);
		fputc('\n', f);
		n++;
	}
	return n;
}

static size_t print_markdown(FILE *f, const char *filter)
{
	char values[256];
	size_t n = 0;
	fputs("| key | values | default | unit | meaning |\n", f);
	fputs("| --- | --- | --- | --- | --- |\n", f);
	for (size_t i = 0; i < NKEY; i++) {
		if (!matches(i, filter))
			continue;
		fprintf(f, "| `%s` | %s | %s | %s | %s |\n", full[i],
		        keys_values(&table[i], values, sizeof values), shown_default(&table[i]),
		        table[i].unit, table[i].meaning);
		n++;
	}
	return n;
}

size_t keys_print_matching(FILE *f, int markdown, const char *filter)
{
	return markdown ? print_markdown(f, filter) : print_text(f, filter);
}

void keys_print(FILE *f, int markdown)
{
	keys_print_matching(f, markdown, NULL);
}
