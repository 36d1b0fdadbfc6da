/* svg: the charts' drawing primitives, written as SVG text by hand.
 *
 * No library: an SVG of lines, circles and text is a page of fprintf, and a
 * dependency would buy nothing a test does not already check. Text from users
 * (scenario, stage, key and window names) goes through svg_text, which
 * escapes XML's five special characters and replaces what XML 1.0 cannot
 * carry (control characters, invalid UTF-8) with U+FFFD, so no name can make
 * a document ill-formed.
 *
 * Tick labels are for a briefing, not for a parser: the CSV files and the
 * circles' data-* attributes hold the exact numbers, so a label may round
 * ("5.9M") where the full digits (5,912,345) would overprint their neighbour
 * or the axis title. */
#include "svg.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "table.h"
#include "util.h"

#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

/* ---- text ---- */

/* The length of the valid UTF-8 sequence at s that XML 1.0 allows (not a
 * surrogate, not U+FFFE or U+FFFF, not overlong), or 0. s[0] >= 0x80. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
	if (n == 0 || s[0] > 0xF4)
		return 0;
	unsigned long cp = s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	static const unsigned long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
	    cp == 0xFFFE || cp == 0xFFFF)
		return 0;
	return n;
}

void svg_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		size_t n = 1;
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\t': case '\n': case '\r': fprintf(f, "&#%d;", *p); break;
		default:
			if (*p < 0x20)
				fputs(REPLACEMENT, f);
			else if (*p < 0x80)
				putc(*p, f);
			else if ((n = utf8_len(p)) > 0)
				fwrite(p, 1, n, f);
			else
				fputs(REPLACEMENT, f), n = 1;
		}
		p += n;
	}
}

void svg_value(FILE *f, double v)
{
	char buf[32];
	table_format_number(buf, sizeof buf, v);
	fputs(buf, f);
}

void svg_label(FILE *f, double x, double y, const char *cls, const char *anchor, const char *s)
{
	fprintf(f, "<text class=\"%s\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\">", cls, x, y,
	        anchor);
	svg_text(f, s);
	fputs("</text>\n", f);
}

double svg_text_width(const char *s, double px)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		n += (*p & 0xC0) != 0x80;   /* characters, not bytes */
	return 0.6 * px * (double)n;
}

void svg_format_grouped(char *buf, size_t len, double v, int decimals)
{
	if (isnan(v)) {
		snprintf(buf, len, "%s", "");
		return;
	}
	if (!(fabs(v) < 1e15)) {
		snprintf(buf, len, "%g", v);
		return;
	}
	decimals = decimals < 0 ? 0 : decimals > 17 ? 17 : decimals;
	char raw[64], out[96];
	snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
	size_t nint = strcspn(raw, "."), o = 0;
	if (v < 0 && strspn(raw, "0.") != strlen(raw))   /* no "-0" */
		out[o++] = '-';
	for (size_t i = 0; raw[i]; i++) {
		if (i > 0 && i < nint && (nint - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = raw[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
}

/* ---- the document ---- */

static const char style[] =
	"<style>\n"
	"text{font-family:sans-serif;font-size:12px;fill:#222}\n"
	".title{font-size:18px;font-weight:bold}\n"
	".sub{fill:#555}\n"
	".ptitle{font-size:13px;font-weight:bold}\n"
	".tick{font-size:11px;fill:#444}\n"
	".tq{font-size:11px;fill:#1f77b4}\n"
	".tw{font-size:11px;fill:#c62828}\n"
	".frame{fill:none;stroke:#444;stroke-width:1}\n"
	".grid{stroke:#e4e4e4;stroke-width:1}\n"
	".day{stroke:#c8c8c8;stroke-width:1}\n"
	".mark{stroke:#444;stroke-width:1}\n"
	".lq{fill:none;stroke:#1f77b4;stroke-width:1.6}\n"
	".lw{fill:none;stroke:#c62828;stroke-width:1.6;stroke-dasharray:6 3}\n"
	".q,.pt{fill:#1f77b4}\n"
	".w{fill:#c62828}\n"
	".bar{fill:none;stroke:#1f77b4;stroke-width:1.2}\n"
	".window{fill:#f59e0b;fill-opacity:0.2}\n"
	".wlabel{font-size:10px;fill:#8a5200}\n"
	".target{stroke:#2e7d32;stroke-width:1.4;stroke-dasharray:2 2}\n"
	".tlabel{font-size:10px;fill:#2e7d32}\n"
	".note{fill:#777;font-style:italic}\n"
	"</style>\n";

void svg_begin(FILE *f, double w, double h, const char *title)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
	        "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n", w, h, w, h);
	fputs("<title>", f);
	svg_text(f, title);
	fputs("</title>\n", f);
	fputs(style, f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", w, h);
}

int svg_end(FILE *f)
{
	fputs("</svg>\n", f);
	return svg_flush(f);
}

int svg_flush(FILE *f)
{
	fflush(f);
	if (!ferror(f))
		return 0;
	if (errno == 0)
		errno = EIO;
	return -1;
}

/* ---- axes ---- */

/* Where v lies from lo (0) to hi (1), clamped. When hi - lo overflows, the
 * halves of the three are used instead. */
static double axis_frac(const struct svg_axis *a, double v)
{
	double d = a->hi - a->lo, t;
	if (isfinite(d))
		t = d > 0 ? (v - a->lo) / d : 0.5;
	else
		t = (v / 2 - a->lo / 2) / (a->hi / 2 - a->lo / 2);
	return t < 0 ? 0 : t > 1 ? 1 : t;
}

double svg_frame_x(const struct svg_frame *fr, const struct svg_axis *a, double v)
{
	return fr->x + fr->pad + (fr->w - 2 * fr->pad) * axis_frac(a, v);
}

double svg_frame_y(const struct svg_frame *fr, const struct svg_axis *a, double v)
{
	return fr->y + fr->pad + (fr->h - 2 * fr->pad) * (1 - axis_frac(a, v));
}

/* A step of 1, 2 or 5 times a power of ten giving about n intervals over
 * [lo, hi]; NaN when there is none (range too small or too large). */
static double nice_step(double lo, double hi, int n)
{
	double raw = (hi / 2 - lo / 2) / n * 2;
	if (!(raw > 0) || !isfinite(raw))
		return NAN;
	double mag = pow(10, floor(log10(raw)));
	double r = raw / mag;
	double step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
	return step > 0 && isfinite(step) ? step : NAN;
}

/* Ticks at multiples of a nice step, the range widened to the outer ticks.
 * Returns -1 when the step or the widened range is not usable. */
static int axis_nice(struct svg_axis *a, double lo, double hi, int n)
{
	double step = nice_step(lo, hi, n);
	double k0 = floor(lo / step), k1 = ceil(hi / step);
	double a0 = k0 * step, b0 = k1 * step;
	if (!isfinite(a0) || !isfinite(b0) || !(a0 < b0) || !(k1 - k0 <= SVG_MAXTICK - 1))
		return -1;
	a->lo = a0;
	a->hi = b0;
	a->ntick = (size_t)(k1 - k0) + 1;
	for (size_t i = 0; i < a->ntick; i++)
		a->tick[i] = (k0 + (double)i) * step;
	double mag = fmax(fabs(a0), fabs(b0));
	a->step = mag < 1e15 && step >= 1e-10 ? step : NAN;
	a->digits = (int)ceil(log10(mag / step)) + 2;
	a->digits = a->digits < 3 ? 3 : a->digits > 17 ? 17 : a->digits;
	return 0;
}

void svg_axis_fit(struct svg_axis *a, double lo, double hi, int n)
{
	if (!(lo < hi)) {   /* one value: widen by a tenth of it, or by 1 around 0 */
		double d = fabs(lo) > 0 ? fabs(lo) / 10 : 1;
		double l = lo - d, h = hi + d;
		if (!isfinite(h))
			h = hi, l = lo - 2 * d;
		if (!isfinite(l))
			l = lo, h = hi + 2 * d;
		lo = l;
		hi = h;
	}
	if (axis_nice(a, lo, hi, n) == 0)
		return;
	a->lo = lo;
	a->hi = hi;
	a->ntick = (size_t)n + 1;
	for (size_t i = 0; i < a->ntick; i++) {
		double t = (double)i / n;
		a->tick[i] = lo * (1 - t) + hi * t;
	}
	a->step = NAN;
	a->digits = 6;
}

/* Decimals that show multiples of step (> 0) apart. */
static int decimals_for(double step)
{
	int d = (int)-floor(log10(step) + 1e-9);
	return d > 0 ? d : 0;
}

void svg_tick_label(char *buf, size_t len, const struct svg_axis *a, double v)
{
	static const struct { double div; const char *suffix; } si[] = {
		{ 1e12, "T" }, { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" },
	};
	v = v == 0 ? 0 : v;   /* no "-0" */
	double mag = fmax(fabs(a->lo), fabs(a->hi));
	if (!isfinite(a->step)) {
		snprintf(buf, len, "%.*g", a->digits, v);
		return;
	}
	if (mag < 1e5) {
		svg_format_grouped(buf, len, v, decimals_for(a->step));
		return;
	}
	size_t k = 0;
	while (k < NELEM(si) && fabs(v) < si[k].div)
		k++;
	double div = k < NELEM(si) ? si[k].div : 1;
	char num[64];
	snprintf(num, sizeof num, "%.*f", decimals_for(a->step / div), v / div);
	if (strchr(num, '.')) {   /* "1.50" -> "1.5", "2.0" -> "2" */
		size_t n = strlen(num);
		while (num[n - 1] == '0')
			num[--n] = '\0';
		if (num[n - 1] == '.')
			num[--n] = '\0';
	}
	snprintf(buf, len, "%s%s", num, k < NELEM(si) ? si[k].suffix : "");
}

void svg_y_axis(FILE *f, const struct svg_frame *fr, const struct svg_axis *a, int right,
                const char *cls)
{
	double x = right ? fr->x + fr->w : fr->x, out = right ? 4 : -4;
	for (size_t i = 0; i < a->ntick; i++) {
		double y = svg_frame_y(fr, a, a->tick[i]);
		char buf[64];
		svg_tick_label(buf, sizeof buf, a, a->tick[i]);
		if (!right)
			fprintf(f, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
			        "y2=\"%.2f\"/>\n", fr->x, y, fr->x + fr->w, y);
		fprintf(f, "<line class=\"mark\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
		        x, y, x + out, y);
		svg_label(f, x + 1.5 * out, y + 4, cls, right ? "start" : "end", buf);
	}
}

void svg_box(FILE *f, const struct svg_frame *fr)
{
	fprintf(f, "<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>\n",
	        fr->x, fr->y, fr->w, fr->h);
}
