/* canvas.c — see canvas.h. */
#include "canvas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool
hv_canvas_init(hv_canvas *c, int w, int h)
{
    c->w = w > 0 ? w : 0;
    c->h = h > 0 ? h : 0;
    c->a = calloc((size_t)c->w * (size_t)c->h + 1, sizeof(float));
    return c->a != NULL;
}

void
hv_canvas_free(hv_canvas *c)
{
    free(c->a);
    c->a = NULL;
}

void
hv_canvas_dot(hv_canvas *c, double x, double y, double r, float a)
{
    if (!(x > -r - 1 && x < c->w + r + 1 && y > -r - 1 && y < c->h + r + 1))
        return; /* also rejects NaN */
    int x0 = (int)floor(x - r - 0.5), x1 = (int)ceil(x + r + 0.5);
    int y0 = (int)floor(y - r - 0.5), y1 = (int)ceil(y + r + 0.5);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > c->w - 1) x1 = c->w - 1;
    if (y1 > c->h - 1) y1 = c->h - 1;
    for (int py = y0; py <= y1; ++py)
        for (int px = x0; px <= x1; ++px) {
            double dx = px + 0.5 - x, dy = py + 0.5 - y;
            /* coverage of a disc by a pixel, to first order */
            double cov = r + 0.5 - sqrt(dx * dx + dy * dy);
            if (cov <= 0)
                continue;
            float v = (float)(cov > 1 ? 1 : cov) * a;
            float *p = &c->a[(size_t)py * c->w + px];
            if (v > *p)
                *p = v;
        }
}

static void
splat(hv_canvas *c, int x, int y, float v)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return;
    float *p = &c->a[(size_t)y * c->w + x];
    if (v > *p)
        *p = v;
}

void
hv_canvas_line(hv_canvas *c, double x0, double y0, double x1, double y1, float a)
{
    double len = hypot(x1 - x0, y1 - y0);
    if (!isfinite(len))
        return;
    int steps = (int)ceil(len);
    if (steps > 2 * (c->w + c->h))
        steps = 2 * (c->w + c->h); /* longer than the canvas is wide: bounded */
    /* one pixel per step, shared bilinearly among the four pixels around
     * the point (gain 1.6 so a line between pixel centres stays opaque) */
    for (int i = 0; i <= steps; ++i) {
        double t = steps ? (double)i / steps : 0.0;
        double x = x0 + t * (x1 - x0) - 0.5, y = y0 + t * (y1 - y0) - 0.5;
        if (!(x > -2 && y > -2 && x < c->w + 1 && y < c->h + 1))
            continue;
        int ix = (int)floor(x), iy = (int)floor(y);
        float fx = (float)(x - ix), fy = (float)(y - iy);
        float g = 1.6f * a;
        splat(c, ix, iy, fminf(a, g * (1 - fx) * (1 - fy)));
        splat(c, ix + 1, iy, fminf(a, g * fx * (1 - fy)));
        splat(c, ix, iy + 1, fminf(a, g * (1 - fx) * fy));
        splat(c, ix + 1, iy + 1, fminf(a, g * fx * fy));
    }
}

void
hv_canvas_thicken(hv_canvas *c, int r)
{
    if (r <= 0 || c->w <= 0 || c->h <= 0)
        return;
    float *row = malloc(sizeof(float) * (size_t)(c->w > c->h ? c->w : c->h));
    if (!row)
        return;
    for (int y = 0; y < c->h; ++y) { /* horizontal max over 2 r + 1 */
        float *p = &c->a[(size_t)y * c->w];
        for (int x = 0; x < c->w; ++x) {
            float m = 0;
            for (int k = x - r < 0 ? 0 : x - r; k <= x + r && k < c->w; ++k)
                m = p[k] > m ? p[k] : m;
            row[x] = m;
        }
        memcpy(p, row, sizeof(float) * (size_t)c->w);
    }
    for (int x = 0; x < c->w; ++x) { /* vertical */
        for (int y = 0; y < c->h; ++y) {
            float m = 0;
            for (int k = y - r < 0 ? 0 : y - r; k <= y + r && k < c->h; ++k) {
                float q = c->a[(size_t)k * c->w + x];
                m = q > m ? q : m;
            }
            row[y] = m;
        }
        for (int y = 0; y < c->h; ++y)
            c->a[(size_t)y * c->w + x] = row[y];
    }
    free(row);
}

void
hv_canvas_paint(cairo_t *cr, const hv_canvas *c, double x, double y, double r, double g,
                double b)
{
    if (c->w <= 0 || c->h <= 0)
        return;
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_A8, c->w, c->h);
    if (cairo_surface_status(m) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(m);
        return;
    }
    cairo_surface_flush(m);
    unsigned char *d = cairo_image_surface_get_data(m);
    int stride = cairo_image_surface_get_stride(m);
    for (int py = 0; py < c->h; ++py)
        for (int px = 0; px < c->w; ++px) {
            float v = c->a[(size_t)py * c->w + px];
            d[py * stride + px] = (unsigned char)(v >= 1.0f ? 255 : v * 255.0f + 0.5f);
        }
    cairo_surface_mark_dirty(m);
    cairo_set_source_rgb(cr, r, g, b);
    cairo_mask_surface(cr, m, x, y);
    cairo_surface_destroy(m);
}

bool
hv_counts_init(hv_counts *k, int rows, int cols)
{
    k->rows = rows > 0 ? rows : 0;
    k->cols = cols > 0 ? cols : 0;
    size_t n = (size_t)k->rows * (size_t)k->cols + 1;
    k->n[0] = calloc(n, sizeof(uint16_t));
    k->n[1] = calloc(n, sizeof(uint16_t));
    return k->n[0] && k->n[1];
}

void
hv_counts_free(hv_counts *k)
{
    free(k->n[0]);
    free(k->n[1]);
    k->n[0] = k->n[1] = NULL;
}

void
hv_counts_add(hv_counts *k, int kind, int row, int c0, int c1)
{
    if (row < 0 || row >= k->rows || kind < 0 || kind > 1)
        return;
    if (c0 < 0)
        c0 = 0;
    if (c1 > k->cols - 1)
        c1 = k->cols - 1;
    uint16_t *n = k->n[kind] + (size_t)row * k->cols;
    for (int c = c0; c <= c1; ++c)
        if (n[c] < UINT16_MAX)
            n[c]++;
}

void
hv_counts_paint(cairo_t *cr, const hv_counts *k, int x, int y, int w, int h, double gap,
                const double rgb0[3], const double rgb1[3], double soft)
{
    if (w <= 0 || h <= 0 || k->rows <= 0 || k->cols <= 0)
        return;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return;
    }
    cairo_surface_flush(img);
    unsigned char *d = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    double row_h = (double)h / k->rows;
    /* opacity for 0..255 spikes in a cell, once */
    float alpha[256];
    for (int i = 0; i < 256; ++i)
        alpha[i] = (float)(1.0 - exp(-i / soft));
    for (int py = 0; py < h; ++py) {
        int row = (int)((py + 0.5) / row_h);
        if (row >= k->rows)
            row = k->rows - 1;
        double in_row = py + 0.5 - row * row_h;
        uint32_t *out = (uint32_t *)(d + (size_t)py * stride);
        if (in_row < gap || in_row > row_h - gap) {
            for (int px = 0; px < w; ++px)
                out[px] = 0;
            continue;
        }
        const uint16_t *n0 = k->n[0] + (size_t)row * k->cols;
        const uint16_t *n1 = k->n[1] + (size_t)row * k->cols;
        for (int px = 0; px < w; ++px) {
            int c = (int)((long)px * k->cols / w);
            unsigned a0 = n0[c], a1 = n1[c], sum = a0 + a1;
            if (!sum) {
                out[px] = 0;
                continue;
            }
            double f1 = (double)a1 / sum;
            float a = alpha[sum > 255 ? 255 : sum];
            /* premultiplied ARGB */
            unsigned A = (unsigned)(a * 255.0f + 0.5f);
            unsigned R = (unsigned)(((1 - f1) * rgb0[0] + f1 * rgb1[0]) * a * 255.0 + 0.5);
            unsigned G = (unsigned)(((1 - f1) * rgb0[1] + f1 * rgb1[1]) * a * 255.0 + 0.5);
            unsigned B = (unsigned)(((1 - f1) * rgb0[2] + f1 * rgb1[2]) * a * 255.0 + 0.5);
            out[px] = A << 24 | R << 16 | G << 8 | B;
        }
    }
    cairo_surface_mark_dirty(img);
    cairo_set_source_surface(cr, img, x, y);
    cairo_paint(cr);
    cairo_surface_destroy(img);
}
