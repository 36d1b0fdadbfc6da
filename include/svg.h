/* svg: the drawing primitives of the charts — escaped text, labels, the
 * document, axes with nice ticks and tick labels a reader can take in.
 *
 * Everything is written with fprintf to a FILE the caller owns; coordinates
 * are printed "%.2f", so the same input gives the same bytes. svg_text's
 * escaping is good for HTML as well as XML (html.c uses it). */
#ifndef BORDERSIM_SVG_H
#define BORDERSIM_SVG_H

#include <stddef.h>
#include <stdio.h>

#define SVG_MAXTICK 24

/* Writes s (NULL: nothing) as XML character data, good in text and in quoted
 * attributes: the five special characters as entities, tab and line ends as
 * references, other control characters and bytes that are not UTF-8 (or that
 * XML 1.0 cannot carry) as U+FFFD. */
void svg_text(FILE *f, const char *s);

/* A data value as the CSV files write it (table_format_number; "" for NaN). */
void svg_value(FILE *f, double v);

/* <text> at (x, y) with a class and an anchor ("start", "middle", "end"). */
void svg_label(FILE *f, double x, double y, const char *cls, const char *anchor, const char *s);

/* The width s takes at size px, estimated (no font metrics): 0.6 em a
 * character, a little more than a sans-serif's mean, so estimates err wide. */
double svg_text_width(const char *s, double px);

/* v with thousands separators, at most `decimals` decimals ("12,345.6");
 * "" for NaN; "%g" beyond 1e15. */
void svg_format_grouped(char *buf, size_t len, double v, int decimals);

/* The document's head (XML declaration, <svg> of w x h, <title>, the charts'
 * style sheet, a white background) and its end. svg_end flushes f and returns
 * 0, or -1 (errno set) when any write failed. */
void svg_begin(FILE *f, double w, double h, const char *title);
int svg_end(FILE *f);

/* Flushes f: 0, or -1 when any write to it failed (errno set, EIO when the
 * failure left none). Documents end with it. */
int svg_flush(FILE *f);

/* An axis: the range drawn and its ticks. */
struct svg_axis {
	double lo, hi;               /* finite, lo < hi */
	size_t ntick;
	double tick[SVG_MAXTICK];
	double step;                 /* between ticks; NaN when the ticks are not nice */
	int digits;                  /* "%.*g" digits for ticks that are not nice */
};

/* Fits an axis over [lo, hi] (finite; widened when equal) with about n
 * intervals: ticks at a step of 1, 2 or 5 times a power of ten when the
 * numbers allow, else n + 1 even ticks. */
void svg_axis_fit(struct svg_axis *a, double lo, double hi, int n);

/* A tick's label, short enough to sit beside an axis: below 100,000 with
 * thousands separators and the decimals the step needs ("2,500", "0.25");
 * from there on SI-short ("250k", "5.9M", "1.25G"), trailing zeros dropped;
 * "%g" when the ticks are not nice or beyond 1e15. No "-0". */
void svg_tick_label(char *buf, size_t len, const struct svg_axis *a, double v);

/* A plot area in pixels; data are drawn pad px inside it. */
struct svg_frame {
	double x, y, w, h;
	double pad;
};

double svg_frame_x(const struct svg_frame *fr, const struct svg_axis *a, double v);
double svg_frame_y(const struct svg_frame *fr, const struct svg_axis *a, double v);

/* A y axis on the left or right side of fr: marks and tick labels of class
 * cls, gridlines from the left one. */
void svg_y_axis(FILE *f, const struct svg_frame *fr, const struct svg_axis *a, int right,
                const char *cls);

/* The plot's box. */
void svg_box(FILE *f, const struct svg_frame *fr);

#endif
