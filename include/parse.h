/* parse: values of scenario files — numbers, integers, durations, lists, and
 * the values of a key row (keys.h): a number within the row's bounds, a
 * profile of hourly weights, servers by hour, shares of persons.
 *
 * Each parser takes the whole text (surrounding blanks ignored) and either
 * stores a value and returns 0, or writes a message (no file:line prefix; the
 * caller adds it) into err (of errlen bytes) and returns -1. NaN and
 * infinities are refused. Names are resolved elsewhere (model, route). */
#ifndef BORDERSIM_PARSE_H
#define BORDERSIM_PARSE_H

#include <stddef.h>
#include <stdint.h>

struct key_def;

/* A finite real number; a subnormal one (4.9e-324) as it is. Returns -2 for a
 * number too close to 0 for a double (1e-400), saying so, -1 otherwise. */
int parse_number(const char *text, double *out, char *err, size_t errlen);
/* A whole number in [lo, hi]. */
int parse_int(const char *text, long lo, long hi, long *out, char *err, size_t errlen);
/* A duration with a unit — s, min, h or d — into minutes; a bare number is an
 * error. Negative durations are refused. */
int parse_duration(const char *text, double *minutes, char *err, size_t errlen);
/* One duration for all n hours, or n of them (separated by blanks or
 * commas), one a clock hour, into minutes[0..n-1]. */
int parse_durations(const char *text, double *minutes, int n, char *err, size_t errlen);
/* Copies text without leading and trailing blanks into a new string. */
char *parse_trim(const char *text);

/* A whole number from 0 to 2^64 - 1 (which no double holds exactly), no sign. */
int parse_seed(const char *text, uint64_t *out);
/* The index of text (trimmed) in the NULL-ended words, or -1. */
int parse_choice(const char *text, const char *const *words);
/* Whether text, trimmed, is word. */
int parse_is_word(const char *text, const char *word);

/* Items of a list, each a new string (parse_words_release frees them). */
struct parse_words {
	char **w;
	size_t n;
};
/* Splits a list separated by commas and/or blanks ("1, 2 3,4"); an empty
 * item (",," or a trailing comma) is refused, ws then empty. */
int parse_words(struct parse_words *ws, const char *text, char *err, size_t errlen);
/* Splits text at commas, skipping empty items, each kept as written. */
void parse_items(struct parse_words *ws, const char *text);
void parse_words_release(struct parse_words *ws);

/* A number of row d's type within its bounds: KEY_DAYS also takes a duration
 * ("36h"), rows of whole numbers only whole numbers. Returns -1 for a value
 * outside the row's rule (err untouched, or holding parse_number's message),
 * -2 for a number too close to 0 to hold (err then says so). */
int parse_value(const struct key_def *d, const char *text, double *out, char *err,
                size_t errlen);
/* "expected VALUES, got 'GOT'" as `keys` prints row d's values, or "..., got
 * N" when a list held n != 1 items. */
void parse_expected(const struct key_def *d, const char *got, size_t n, char *err,
                    size_t errlen);
/* n hourly weights into weight[], normalised to sum 1: row d's word ("flat")
 * or n numbers within its bounds. All 0 is refused when per_day > 0. */
int parse_profile(const struct key_def *d, const char *text, double per_day, double *weight,
                  int n, char *err, size_t errlen);
/* Servers by hour into servers[] (n of them): one whole number within row
 * d's bounds, or n of them; *unlimited set for the row's word ("unlimited"),
 * servers[] then 0. */
int parse_servers(const struct key_def *d, const char *text, int *servers, int n,
                  int *unlimited, char *err, size_t errlen);
/* One whole number of persons, or shares of them ("1:0.5, 2:0.3, 3:0.2"),
 * each number within row d's bounds, the shares summing to 1 within tol:
 * *n values into new arrays *value and *cum (cumulative shares, the last
 * exactly 1), set (and owned by the caller) even on a refusal; their mean in
 * *mean. */
int parse_persons(const struct key_def *d, const char *text, double tol, size_t *n,
                  int **value, double **cum, double *mean, char *err, size_t errlen);

#endif
