/* paint.h — the panel's palette, text and shapes, shared by its plots
 * (plots.c), its controls (controls.c) and the panel itself (draw.c).
 *
 * Text uses the toy font API with DejaVu Sans and fixed font options (grey
 * antialiasing, no hinting) so a picture does not depend on the desktop's
 * font settings: the tests compare pixels against reference images.
 */
#ifndef HILLOCK_PAINT_H
#define HILLOCK_PAINT_H

#include "draw.h"

#include <cairo.h>
#include <stdbool.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct {
    double r, g, b;
} rgb;

static const rgb C_BG = {0.082, 0.094, 0.114};
static const rgb C_HEADER = {0.110, 0.125, 0.149};
static const rgb C_PLOT = {0.055, 0.063, 0.078};
static const rgb C_GRID = {0.180, 0.200, 0.235};
static const rgb C_TEXT = {0.800, 0.835, 0.870};
static const rgb C_DIM = {0.520, 0.560, 0.610};
static const rgb C_EXC = {1.000, 0.690, 0.250};  /* excitatory spikes: amber */
static const rgb C_INH = {0.300, 0.650, 1.000};  /* inhibitory spikes: blue */
static const rgb C_SOMA = {0.490, 0.880, 0.490}; /* somatic voltage: green */
static const rgb C_DEND = {0.840, 0.480, 0.880}; /* dendritic voltage: violet */
static const rgb C_ACCENT = {1.000, 0.690, 0.250};

void paint_rgb(cairo_t *cr, rgb c);
void paint_rgba(cairo_t *cr, rgb c, double a);
/* The font options every picture uses (see above). */
void paint_font_setup(cairo_t *cr);
void paint_font(cairo_t *cr, double px, bool bold);
/* Text with its baseline at y; align -1 left, 0 centre, +1 right of x. */
void paint_text(cairo_t *cr, double x, double y, int align, const char *s);
/* Text in colour c on a dark patch, readable over dense data. */
void paint_label(cairo_t *cr, double x, double y, int align, rgb c, const char *s);
/* Like paint_text, shrinking the font so the text fits in max_w. */
void paint_text_fit(cairo_t *cr, double x, double y, int align, double max_w, const char *s);
/* A rectangle with corners of radius rad, as a path. */
void paint_rounded(cairo_t *cr, hv_rect r, double rad);
/* A plot's dark rounded ground. */
void paint_plot_background(cairo_t *cr, hv_rect r, double scale);
/* A plot begins: the state saved (the plot ends with cairo_restore), the
 * fonts set, its ground painted and everything after clipped to it. */
void paint_plot_begin(cairo_t *cr, hv_rect r, double scale);

#endif
