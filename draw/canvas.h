/* canvas.h — pictures whose cost is bounded by their pixels, not by the
 * data: an alpha canvas that lines and dots are rasterised into (the phase
 * plane), painted with one cairo mask; and a count grid of spikes per
 * (row, pixel column) painted as one image (the raster). Both allocate
 * per frame on the drawing thread (never the audio thread). */
#ifndef HILLOCK_CANVAS_H
#define HILLOCK_CANVAS_H

#include <cairo.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int w, h;
    float *a; /* coverage 0..1 per device pixel, row-major */
} hv_canvas;

bool hv_canvas_init(hv_canvas *c, int w, int h);
void hv_canvas_free(hv_canvas *c);

/* A round dot of radius r (device pixels) at (x, y) with opacity a: each
 * pixel keeps the largest coverage it was given, so overlapping strokes
 * do not bead or add up into solid blocks. */
void hv_canvas_dot(hv_canvas *c, double x, double y, double r, float a);
/* A thin antialiased line from (x0, y0) to (x1, y1): four pixel writes per
 * pixel of length (bounded by the canvas's size). */
void hv_canvas_line(hv_canvas *c, double x0, double y0, double x1, double y1, float a);
/* Every pixel takes the largest coverage within r pixels (a square):
 * thicker lines for larger scales, at a cost of the pixels times r. */
void hv_canvas_thicken(hv_canvas *c, int r);
/* Paint the canvas at (x, y) in colour (r, g, b) with its coverage as alpha. */
void hv_canvas_paint(cairo_t *cr, const hv_canvas *c, double x, double y, double r,
                     double g, double b);

/* Spike counts of two kinds per cell: rows x cols. */
typedef struct {
    int rows, cols;
    uint16_t *n[2];
} hv_counts;

bool hv_counts_init(hv_counts *k, int rows, int cols);
void hv_counts_free(hv_counts *k);
/* One spike of kind (0, 1) in row, over columns [c0, c1] (clipped). */
void hv_counts_add(hv_counts *k, int kind, int row, int c0, int c1);
/* Paint the grid into the w x h pixel rectangle at (x, y): each row spans
 * h / rows pixels (minus a gap of `gap` of them at each edge when rows are
 * tall), each cell's colour mixes the two kinds' colours by count and its
 * opacity grows with the count: 1 - exp(-count / `soft`), so one spike
 * shows and a thousand do not make a white block. */
void hv_counts_paint(cairo_t *cr, const hv_counts *k, int x, int y, int w, int h,
                     double gap, const double rgb0[3], const double rgb1[3], double soft);

#endif
