/* inline_display.c — Ardour's mixer-strip picture (idpy.h).
 *
 * render() runs on the GUI thread beside run(): it only reads the
 * lock-free trace hand-over (notify_display) and owns its cairo surface.
 * The drawing itself is a minimal voltage trace until gui/ provides the
 * shared drawing code.
 */
#include "plugin.h"

#include <cairo/cairo.h>

#include <stdlib.h>

#define DISPLAY_MAX_HEIGHT_RATIO 0.5 /* h = w / 2, within max_h */

struct inline_display {
    cairo_surface_t *surface;
    LV2_Inline_Display_Image_Surface image;
    float points[NOTIFY_DISPLAY_POINTS];
};

/* A copy of the most recent points, oldest first; returns how many. */
static uint32_t
copy_trace(const notify_display *d, float *points, uint32_t want)
{
    uint32_t written = atomic_load_explicit(&d->written, memory_order_acquire);
    uint32_t n = written < want ? written : want;
    if (n > NOTIFY_DISPLAY_POINTS)
        n = NOTIFY_DISPLAY_POINTS;
    for (uint32_t k = 0; k < n; ++k)
        points[k] = d->soma_mV[(written - n + k) & (NOTIFY_DISPLAY_POINTS - 1)];
    return n;
}

static void
draw_trace(cairo_t *cr, int w, int h, const float *points, uint32_t n, uint32_t neurons)
{
    cairo_set_source_rgb(cr, 0.07, 0.08, 0.10);
    cairo_paint(cr);
    if (n < 2)
        return;
    /* -90 .. +50 mV spans every model's range in mV */
    const double lo = -90.0, hi = 50.0;
    cairo_set_line_width(cr, 1.0);
    cairo_set_source_rgb(cr, 0.45, 0.85, 0.65);
    for (uint32_t k = 0; k < n; ++k) {
        double x = (double)k * (w - 1) / (double)(n - 1);
        double v = points[k];
        v = v < lo ? lo : v > hi ? hi : v;
        double y = (hi - v) / (hi - lo) * (h - 1) + 0.5;
        if (k == 0)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
    (void)neurons;
}

LV2_Inline_Display_Image_Surface *
hillock_inline_render(LV2_Handle instance, uint32_t w, uint32_t max_h)
{
    hillock_plugin *self = instance;
    uint32_t h = (uint32_t)(w * DISPLAY_MAX_HEIGHT_RATIO);
    if (h > max_h)
        h = max_h;
    if (w == 0 || h == 0)
        return NULL;
    struct inline_display *d = self->idisp;
    if (!d) {
        d = self->idisp = calloc(1, sizeof *d);
        if (!d)
            return NULL;
    }
    if (!d->surface || cairo_image_surface_get_width(d->surface) != (int)w ||
        cairo_image_surface_get_height(d->surface) != (int)h) {
        if (d->surface)
            cairo_surface_destroy(d->surface);
        d->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)w, (int)h);
    }
    if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS)
        return NULL;

    uint32_t want = w < NOTIFY_DISPLAY_POINTS ? w * 2 : NOTIFY_DISPLAY_POINTS;
    uint32_t n = copy_trace(&self->notify.display, d->points, want);
    cairo_t *cr = cairo_create(d->surface);
    draw_trace(cr, (int)w, (int)h, d->points, n,
               atomic_load_explicit(&self->notify.display.neurons, memory_order_relaxed));
    cairo_destroy(cr);
    cairo_surface_flush(d->surface);

    d->image.data = cairo_image_surface_get_data(d->surface);
    d->image.width = (int)w;
    d->image.height = (int)h;
    d->image.stride = cairo_image_surface_get_stride(d->surface);
    return &d->image;
}

void
hillock_inline_free(hillock_plugin *self)
{
    struct inline_display *d = self->idisp;
    if (!d)
        return;
    if (d->surface)
        cairo_surface_destroy(d->surface);
    free(d);
    self->idisp = NULL;
}
