/* plots.c — the panel's plots of the bank: the spike raster, the
 * population rate, the synaptic weights, the membrane scope and the phase
 * plane (draw.h), each over a window of model time shown in model and host
 * units. */
#include "draw.h"

#include "canvas.h"
#include "paint.h"
#include "synchrony.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
model_of(const hillock_view *v)
{
    int m = (int)lroundf(v->params[P_MODEL]);
    return m >= 0 && m < MODEL_COUNT ? m : MODEL_HH;
}



/* ---- time windows: model time, shown in model and host units ---- */

#define HV_RASTER_MS_PER_PX 1.75 /* the raster's model ms per pixel at scale 1: 1 s at 960 x 600 */
#define HV_SCOPE_MODEL_MS 100.0   /* the scope: a few periods */
#define HV_PHASE_MODEL_MS 1000.0  /* the phase plane: as much as the ring holds */
#define HV_RASTER_MAX_S 2.0       /* slow speeds: at most this much host time */
#define HV_SCOPE_MAX_S 10.0
#define HV_RATE_SPAN_S 2.0        /* the rate view: host time, its own window */
#define HV_PHASE_JOIN_MS 0.3      /* samples closer in model time are joined */

/* Host seconds of a window of model_ms at the current speed, at most max_s. */
static double
window_s(const hillock_view *v, double model_ms, double max_s)
{
    double mps = hillock_view_model_ms_per_s(v);
    double s = mps > 0 ? model_ms / mps : max_s;
    return s < max_s ? s : max_s;
}

/* "1000 ms" / "3.85 ms" / "1.2 s": a duration in ms for labels. */
static void
duration(char *buf, size_t len, double ms)
{
    if (ms >= 1000.0)
        snprintf(buf, len, "%.3g s", ms / 1000.0);
    else if (ms >= 100.0)
        snprintf(buf, len, "%.0f ms", ms);
    else if (ms >= 1.0)
        snprintf(buf, len, "%.3g ms", ms);
    else
        snprintf(buf, len, "%.0f \xc2\xb5s", ms * 1000.0);
}

/* The window label: its length in model time, and in host time when the
 * two differ. */
static void
window_label(char *buf, size_t len, const hillock_view *v, double span_s)
{
    char model[24], host[24];
    duration(model, sizeof model, span_s * hillock_view_model_ms_per_s(v));
    duration(host, sizeof host, span_s * 1000.0);
    if (fabs(hillock_view_model_ms_per_s(v) - 1000.0) < 1e-3)
        snprintf(buf, len, "\xe2\x88\x92%s", model);
    else
        snprintf(buf, len, "\xe2\x88\x92%s model = %s real", model, host);
}

/* ---- raster ---- */

/* The raster's window: a fixed model-time resolution per pixel, so a wide
 * panel shows about a dozen periods of a 70 Hz cell and the small inline
 * display a few, each spike resolved. */
static double
raster_span_s(const hillock_view *v, hv_rect r, double scale)
{
    return window_s(v, HV_RASTER_MS_PER_PX * r.w / scale, HV_RASTER_MAX_S);
}

/* Spikes counted per (row, pixel column), painted as one image: the cost
 * is the ring's spikes plus the plot's pixels, whatever the bank size. */
static void
raster_density(cairo_t *cr, hv_rect r, const hillock_view *v, double scale)
{
    uint32_t n = hillock_view_neurons(v), count = hillock_view_spike_count(v);
    int x0 = (int)floor(r.x), y0 = (int)floor(r.y);
    int w = (int)ceil(r.x + r.w) - x0, h = (int)ceil(r.y + r.h) - y0;
    if (w <= 0 || h <= 0)
        return;
    int rows = n < (uint32_t)h ? (int)n : h;
    hv_counts k;
    if (!hv_counts_init(&k, rows, w)) {
        hv_counts_free(&k);
        return;
    }
    double span = raster_span_s(v, r, scale), t0 = v->now_s - span;
    int mark_w = (int)lround(fmax(1.0, 1.5 * scale));
    for (uint32_t i = 0; i < count; ++i) {
        const hv_spike *s = hillock_view_spike_at(v, i);
        if (s->t_s < t0)
            break; /* newest first: the rest are older still */
        if (s->neuron >= n || s->t_s > v->now_s)
            continue;
        int c = (int)floor((r.x - x0) + (s->t_s - t0) / span * r.w);
        int row = (int)((uint64_t)s->neuron * (uint32_t)rows / n);
        hv_counts_add(&k, s->inhibitory, row, c - mark_w / 2, c - mark_w / 2 + mark_w - 1);
    }
    double row_h = (double)h / rows;
    const double exc[3] = {C_EXC.r, C_EXC.g, C_EXC.b}, inh[3] = {C_INH.r, C_INH.g, C_INH.b};
    /* one neuron per row: one spike shows at full strength; many neurons
     * per row: a cell lights fully only when most of them fire in it
     * (synchrony), asynchronous firing is a dim haze */
    double per_row = (double)n / rows;
    hv_counts_paint(cr, &k, x0, y0, w, h, row_h >= 3.0 ? row_h * 0.1 : 0.0, exc, inh,
                    per_row <= 1.0 ? 0.3 : 0.5 * per_row);
    hv_counts_free(&k);
}

void
hillock_draw_raster(cairo_t *cr, hv_rect r, const hillock_view *v, double scale, bool labels)
{
    paint_plot_begin(cr, r, scale);

    uint32_t n = hillock_view_neurons(v);
    double row = r.h / n;
    long focus = lroundf(v->params[P_FOCUS]);
    if (focus >= 0 && (uint32_t)focus < n) {
        paint_rgba(cr, C_SOMA, 0.14);
        cairo_rectangle(cr, r.x, r.y + focus * row, r.w, fmax(row, 1.0));
        cairo_fill(cr);
    }
    /* a faint line every quarter of the window */
    paint_rgb(cr, C_GRID);
    cairo_set_line_width(cr, fmax(1.0, scale));
    for (int k = 1; k < 4; ++k) {
        double x = floor(r.x + r.w * k / 4.0) + 0.5;
        cairo_move_to(cr, x, r.y);
        cairo_line_to(cr, x, r.y + r.h);
    }
    cairo_stroke(cr);

    raster_density(cr, r, v, scale);

    if (labels) {
        char buf[96];
        paint_font(cr, 11 * scale, false);
        snprintf(buf, sizeof buf, "%u neuron%s", n, n == 1 ? "" : "s");
        paint_label(cr, r.x + 6 * scale, r.y + 14 * scale, -1, C_TEXT, buf);
        paint_label(cr, r.x + r.w - 70 * scale, r.y + 14 * scale, -1, C_EXC, "exc");
        paint_label(cr, r.x + r.w - 38 * scale, r.y + 14 * scale, -1, C_INH, "inh");
        paint_font(cr, 10 * scale, false);
        window_label(buf, sizeof buf, v, raster_span_s(v, r, scale));
        paint_label(cr, r.x + 6 * scale, r.y + r.h - 5 * scale, -1, C_DIM, buf);
        paint_label(cr, r.x + r.w - 6 * scale, r.y + r.h - 5 * scale, 1, C_DIM, "now");
        if (v->lost_at_s >= 0 && v->now_s - v->lost_at_s < 1.0)
            paint_label(cr, r.x + r.w / 2, r.y + r.h - 5 * scale, 0, C_DIM,
                  "more spikes than the plugin sends: some not shown");
    }
    cairo_restore(cr);
}

/* ---- population rate ---- */

/* 1, 2, 5 x 10^k at or above x */
static double
nice_ceiling(double x)
{
    if (!(x > 1.0))
        return 1.0;
    double p = pow(10.0, floor(log10(x)));
    double m = x / p;
    return (m <= 1.0 ? 1.0 : m <= 2.0 ? 2.0 : m <= 5.0 ? 5.0 : 10.0) * p;
}

/* Spikes per neuron per model second, from a host-time rate. */
static double
model_hz(const hillock_view *v, double host_hz)
{
    double speed = hillock_view_model_ms_per_s(v) / 1000.0;
    return speed > 0 ? host_hz / speed : host_hz;
}

void
hillock_draw_rate(cairo_t *cr, hv_rect r, const hillock_view *v, double scale)
{
    paint_plot_begin(cr, r, scale);

    const uint32_t bins = (uint32_t)(HV_RATE_SPAN_S / HV_RATE_BIN_S + 0.5);
    float hz[(uint32_t)(HV_RATE_SPAN_S / HV_RATE_BIN_S + 0.5)];
    uint32_t count = hillock_view_rate_count(v);
    if (count > bins)
        count = bins;
    double top = 0.0;
    for (uint32_t i = 0; i < count; ++i) {
        hz[i] = (float)model_hz(v, hillock_view_rate_smooth_at(v, i));
        top = fmax(top, hz[i]);
    }
    top = nice_ceiling(top);
    double bw = r.w / bins;
    /* the newest closed bin ends where the open one starts */
    double open_frac = (v->now_s - v->rate_bin_start_s) / HV_RATE_BIN_S;
    open_frac = open_frac < 0 ? 0 : open_frac > 1 ? 1 : open_frac;
    double right = r.x + r.w - open_frac * bw;
    if (count) {
        cairo_move_to(cr, right, r.y + r.h);
        cairo_line_to(cr, right, r.y + r.h - hz[0] / top * (r.h - 4 * scale));
        for (uint32_t i = 0; i < count; ++i)
            cairo_line_to(cr, right - (i + 0.5) * bw,
                          r.y + r.h - hz[i] / top * (r.h - 4 * scale));
        cairo_line_to(cr, right - (count - 0.5) * bw, r.y + r.h);
        cairo_close_path(cr);
        paint_rgba(cr, C_ACCENT, 0.55);
        cairo_fill(cr);
    }

    char buf[160];
    paint_font(cr, 10 * scale, false);
    snprintf(buf, sizeof buf, "rate %.1f Hz per neuron (model time; Gaussian \xcf\x83 %g ms, last %g s)",
             count ? hz[0] : 0.0, HV_RATE_SMOOTH_S * 1000.0, HV_RATE_SPAN_S);
    paint_label(cr, r.x + 6 * scale, r.y + 12 * scale, -1, C_TEXT, buf);
    snprintf(buf, sizeof buf, "%g Hz", top);
    paint_label(cr, r.x + r.w - 6 * scale, r.y + 12 * scale, 1, C_DIM, buf);

    /* the instrument's indicators, while its features play */
    char beat[64] = "", pitch[80] = "";
    if (v->instrument_known && v->params[P_TEMPO_SYNC] >= 0.5f) {
        if (isfinite(v->tempo_error))
            snprintf(beat, sizeof beat, "beat lock \xc3\x97%.3g, last %+.2f div", v->tempo_scale,
                     v->tempo_error);
        else
            snprintf(beat, sizeof beat, "beat lock \xc3\x97%.3g, no beat yet", v->tempo_scale);
    }
    if (v->instrument_known && v->params[P_PITCH_MODE] >= 0.5f && v->pitch_hi_hz > 0.0f) {
        static const char *const names[12] = {"C", "C#", "D", "D#", "E", "F",
                                              "F#", "G", "G#", "A", "A#", "B"};
        int n = snprintf(pitch, sizeof pitch, "pitch reach %.0f\xe2\x80\x93%.0f Hz",
                         v->pitch_lo_hz, v->pitch_hi_hz);
        if (v->pitch_clamped >= 0 && n > 0 && (size_t)n < sizeof pitch)
            snprintf(pitch + n, sizeof pitch - (size_t)n, ", %s%d out of reach",
                     names[v->pitch_clamped % 12], v->pitch_clamped / 12 - 1);
    }
    if (beat[0] || pitch[0]) {
        snprintf(buf, sizeof buf, "%s%s%s", beat, beat[0] && pitch[0] ? "; " : "", pitch);
        paint_label(cr, r.x + 6 * scale, r.y + r.h - 5 * scale, -1, C_TEXT, buf);
    }

    /* the population's synchrony and rhythm (synchrony.h), when estimable */
    hv_synchrony sync;
    if (hillock_view_synchrony(v, &sync)) {
        char rhythm[32] = "no rhythm", win[24];
        if (isfinite(sync.rhythm_hz))
            snprintf(rhythm, sizeof rhythm, "rhythm %.0f Hz", sync.rhythm_hz);
        duration(win, sizeof win, sync.window_ms);
        snprintf(buf, sizeof buf, "synchrony \xcf\x87 %.2f, %s (last %s model%s)", sync.chi,
                 rhythm, win, sync.sampled ? ", sampled spikes" : "");
        paint_label(cr, r.x + r.w - 6 * scale, r.y + r.h - 5 * scale, 1, C_TEXT, buf);
    }
    cairo_restore(cr);
}

/* ---- learned weights ---- */

void
hillock_draw_weights(cairo_t *cr, hv_rect r, const hillock_view *v, double scale)
{
    paint_plot_begin(cr, r, scale);

    /* one bar per bin (HV_WEIGHT_BINS rectangles at most), heights over the
     * fullest bin; the start weight 1 (w_exc) marked */
    uint64_t total = 0;
    uint32_t most = 0;
    double mean = 0.0;
    for (int k = 0; k < HV_WEIGHT_BINS; ++k) {
        total += v->weight_bins[k];
        most = v->weight_bins[k] > most ? v->weight_bins[k] : most;
        mean += v->weight_bins[k] * (k + 0.5) * v->weight_max / HV_WEIGHT_BINS;
    }
    double top = r.y + 18 * scale, bottom = r.y + r.h - 16 * scale;
    double left = r.x + 6 * scale, width = r.w - 12 * scale;
    double bw = width / HV_WEIGHT_BINS;
    if (most > 0) {
        for (int k = 0; k < HV_WEIGHT_BINS; ++k) {
            double hgt = (bottom - top) * v->weight_bins[k] / most;
            if (v->weight_bins[k] > 0 && hgt < scale)
                hgt = scale; /* an occupied bin stays visible */
            cairo_rectangle(cr, left + k * bw, bottom - hgt, fmax(bw - scale, scale), hgt);
        }
        paint_rgba(cr, C_EXC, 0.75);
        cairo_fill(cr);
    }
    if (v->weight_max > 1.0f) {
        double x = left + width / v->weight_max;
        cairo_move_to(cr, x, top);
        cairo_line_to(cr, x, bottom);
        paint_rgba(cr, C_DIM, 0.8);
        cairo_set_line_width(cr, scale);
        cairo_stroke(cr);
    }

    char buf[112];
    paint_font(cr, 10 * scale, false);
    if (total)
        mean /= (double)total;
    if (v->weight_stride > 1)
        snprintf(buf, sizeof buf, "weights: %llu synapses (1 in %u), mean %.2f",
                 (unsigned long long)total, v->weight_stride, mean);
    else
        snprintf(buf, sizeof buf, "weights: %llu synapses, mean %.2f",
                 (unsigned long long)total, mean);
    paint_label(cr, r.x + 6 * scale, r.y + 13 * scale, -1, C_TEXT, buf);
    paint_label(cr, left, r.y + r.h - 4 * scale, -1, C_DIM, "0");
    if (v->weight_max > 1.0f)
        paint_label(cr, left + width / v->weight_max, r.y + r.h - 4 * scale, 0, C_DIM, "1 = w_exc");
    snprintf(buf, sizeof buf, "%g = w_max", v->weight_max);
    paint_label(cr, left + width, r.y + r.h - 4 * scale, 1, C_DIM, buf);
    cairo_restore(cr);
}

/* ---- scope ---- */

static double
scope_span_s(const hillock_view *v)
{
    return window_s(v, HV_SCOPE_MODEL_MS, HV_SCOPE_MAX_S);
}

/* Widen column c's range [lo, hi] to hold y. */
static void
widen(float *lo, float *hi, int c, int cols, double y)
{
    if (c < 0 || c >= cols)
        return;
    if (y < lo[c])
        lo[c] = (float)y;
    if (y > hi[c])
        hi[c] = (float)y;
}

/* The trace as one rectangle per pixel column, newest at the right: each
 * column spans what the line between consecutive samples covers inside it,
 * so dense data keeps every extreme and sparse data (high speeds) is
 * joined by straight lines. Cost: the samples in the window plus the
 * columns. */
static void
trace_columns(cairo_t *cr, hv_rect p, const hillock_view *v, const model_info *ax,
              bool dendrite, double lw)
{
    int x0 = (int)floor(p.x), cols = (int)ceil(p.x + p.w) - x0 + 1;
    if (cols <= 0)
        return;
    float *lo = malloc(2 * sizeof(float) * (size_t)cols);
    if (!lo)
        return;
    float *hi = lo + cols;
    for (int c = 0; c < cols; ++c) {
        lo[c] = INFINITY;
        hi[c] = -INFINITY;
    }
    double span = scope_span_s(v), dt = v->trace_dt_s > 0 ? v->trace_dt_s : 1e-3;
    double vspan = ax->axis_max - ax->axis_min, y_lo = p.y - 2, y_hi = p.y + p.h + 2;
    uint32_t count = hillock_view_trace_count(v);
    bool have_prev = false;
    double px = 0, py = 0;
    for (uint32_t i = 0; i < count; ++i) {
        double age = i * dt;
        if (age > span + dt)
            break;
        const hv_sample *s = hillock_view_trace_at(v, i);
        float val = dendrite ? s->dend : s->soma;
        if (!isfinite(val)) {
            have_prev = false;
            continue;
        }
        double x = p.x + p.w - age / span * p.w - x0;
        double y = p.y + p.h - (val - ax->axis_min) / vspan * p.h;
        y = y < y_lo ? y_lo : y > y_hi ? y_hi : y;
        if (!have_prev) {
            widen(lo, hi, (int)floor(x), cols, y);
        } else {
            /* segment (x, y) .. (px, py), px > x: its part in each column */
            int c0 = (int)floor(x), c1 = (int)floor(px);
            if (c1 >= cols)
                c1 = cols - 1;
            for (int c = c0 < 0 ? 0 : c0; c <= c1; ++c) {
                double xa = fmax(x, c), xb = fmin(px, c + 1.0);
                double ya = y + (py - y) * (xa - x) / (px - x + 1e-12);
                double yb = y + (py - y) * (xb - x) / (px - x + 1e-12);
                widen(lo, hi, c, cols, ya);
                widen(lo, hi, c, cols, yb);
            }
        }
        px = x;
        py = y;
        have_prev = true;
    }
    for (int c = 0; c < cols; ++c)
        if (lo[c] <= hi[c])
            cairo_rectangle(cr, x0 + c + 0.5 - lw / 2, lo[c] - lw / 2, lw, hi[c] - lo[c] + lw);
    free(lo);
}

/* One-compartment models send dend = soma (or NAN): draw it only if it
 * says something of its own. */
static bool
has_dendrite(const hillock_view *v)
{
    uint32_t count = hillock_view_trace_count(v);
    for (uint32_t i = 0; i < count; i += 7) {
        const hv_sample *s = hillock_view_trace_at(v, i);
        if (isfinite(s->dend) && fabsf(s->dend - s->soma) > 0.01f)
            return true;
    }
    return false;
}

void
hillock_draw_scope(cairo_t *cr, hv_rect r, const hillock_view *v, double scale, bool labels)
{
    const model_info *ax = model_info_of(model_of(v));
    paint_plot_begin(cr, r, scale);

    double margin = labels ? 40 * scale : 0;
    double vpad = labels ? 6 * scale : 1;
    hv_rect p = {r.x + margin, r.y + vpad, r.w - margin - (labels ? 6 * scale : 0),
                 r.h - 2 * vpad};
    double span = ax->axis_max - ax->axis_min;
    char buf[96];
    paint_font(cr, 10 * scale, false);
    cairo_set_line_width(cr, fmax(1.0, scale));
    for (float g = ceilf(ax->axis_min / ax->axis_grid) * ax->axis_grid; g <= ax->axis_max;
         g += ax->axis_grid) {
        double y = floor(p.y + p.h - (g - ax->axis_min) / span * p.h) + 0.5;
        paint_rgb(cr, C_GRID);
        cairo_move_to(cr, p.x, y);
        cairo_line_to(cr, p.x + p.w, y);
        cairo_stroke(cr);
        if (labels && y > p.y + 8 * scale) {
            paint_rgb(cr, C_DIM);
            snprintf(buf, sizeof buf, "%g", (double)g);
            paint_text(cr, p.x - 5 * scale, y + 3.5 * scale, 1, buf);
        }
    }

    bool dend = has_dendrite(v);
    if (dend) {
        trace_columns(cr, p, v, ax, true, 1.25 * scale);
        paint_rgba(cr, C_DEND, 0.85);
        cairo_fill(cr);
    }
    trace_columns(cr, p, v, ax, false, 1.5 * scale);
    paint_rgb(cr, C_SOMA);
    cairo_fill(cr);

    if (labels) {
        long focus = lroundf(v->params[P_FOCUS]);
        paint_font(cr, 11 * scale, false);
        snprintf(buf, sizeof buf, "neuron %ld  soma", focus);
        paint_label(cr, p.x + 6 * scale, r.y + 14 * scale, -1, C_TEXT, buf);
        if (dend)
            paint_label(cr, p.x + 118 * scale, r.y + 14 * scale, -1, C_DEND, "dendrite");
        paint_rgb(cr, C_DIM);
        paint_font(cr, 10 * scale, false);
        paint_text(cr, r.x + 4 * scale, r.y + 12 * scale, -1, ax->axis_unit);
        window_label(buf, sizeof buf, v, scope_span_s(v));
        paint_text(cr, p.x + p.w - 4 * scale, r.y + r.h - 5 * scale, 1, buf);
    }
    cairo_restore(cr);
}

/* ---- phase plane ---- */

/* Do the trace samples carry the slow variable (a sender with it per
 * sample), or only the phase ring (once per block)? */
static bool
slow_per_sample(const hillock_view *v)
{
    uint32_t count = hillock_view_trace_count(v), finite = 0, looked = 0;
    for (uint32_t i = 0; i < count && looked < 64; i += 5, ++looked)
        finite += isfinite(hillock_view_trace_at(v, i)->slow);
    return looked && finite * 2 > looked;
}

#define HV_PHASE_SMOOTH_DEG 20.0

/* Does the path a -> b -> c turn by less than HV_PHASE_SMOOTH_DEG at b,
 * with the two chords of comparable length (a factor of 2)? */
static bool
smooth_turn(double ax, double ay, double bx, double by, double cx, double cy)
{
    double ux = bx - ax, uy = by - ay, wx = cx - bx, wy = cy - by;
    double lu = hypot(ux, uy), lw = hypot(wx, wy);
    if (!(lu > 0 && lw > 0) || lu > 2 * lw || lw > 2 * lu)
        return false;
    return (ux * wx + uy * wy) / (lu * lw) > cos(HV_PHASE_SMOOTH_DEG * M_PI / 180.0);
}

/* The points the phase plane shows: the samples of its model-time window
 * (with the slow variable per sample), else the once-per-block ring. */
static uint32_t
phase_points(const hillock_view *v, bool curve)
{
    if (!curve)
        return hillock_view_phase_count(v);
    double dt = v->trace_dt_s > 0 ? v->trace_dt_s : 1e-3;
    double n = window_s(v, HV_PHASE_MODEL_MS, 1e9) / dt;
    uint32_t count = hillock_view_trace_count(v);
    return n < count ? (uint32_t)n + 1 : count;
}

static void
phase_point(const hillock_view *v, bool curve, uint32_t i, float *sv, float *sl)
{
    if (curve) {
        const hv_sample *s = hillock_view_trace_at(v, i);
        *sv = s->soma;
        *sl = s->slow;
    } else {
        const hv_phase_point *q = hillock_view_phase_at(v, i);
        *sv = q->soma;
        *sl = q->slow;
    }
}

double
hillock_phase_slow_range(const hillock_view *v, double *lo_out, double *hi_out)
{
    bool curve = slow_per_sample(v);
    uint32_t count = phase_points(v, curve);
    double lo = INFINITY, hi = -INFINITY;
    for (uint32_t i = 0; i < count; ++i) {
        float sv, sl;
        phase_point(v, curve, i, &sv, &sl);
        if (isfinite(sl)) {
            lo = fmin(lo, sl);
            hi = fmax(hi, sl);
        }
    }
    if (!(hi >= lo)) {
        lo = 0.0;
        hi = 1.0;
    }
    double pad = fmax((hi - lo) * 0.08, fmax(fabs(hi), 1.0) * 0.01);
    *lo_out = lo - pad;
    *hi_out = hi + pad;
    return count;
}

void
hillock_draw_phase(cairo_t *cr, hv_rect r, const hillock_view *v, double scale)
{
    const model_info *ax = model_info_of(model_of(v));
    paint_plot_begin(cr, r, scale);

    double m = 12 * scale;
    hv_rect p = {r.x + m, r.y + 2 * m, r.w - 2 * m, r.h - 4 * m};
    bool curve = slow_per_sample(v);
    uint32_t count = phase_points(v, curve);
    double lo, hi;
    hillock_phase_slow_range(v, &lo, &hi);

    /* axes: voltage grid as in the scope */
    paint_rgb(cr, C_GRID);
    cairo_set_line_width(cr, fmax(1.0, scale));
    double span = ax->axis_max - ax->axis_min;
    for (float g = ceilf(ax->axis_min / ax->axis_grid) * ax->axis_grid; g <= ax->axis_max;
         g += ax->axis_grid) {
        double x = floor(p.x + (g - ax->axis_min) / span * p.w) + 0.5;
        cairo_move_to(cr, x, p.y);
        cairo_line_to(cr, x, p.y + p.h);
    }
    cairo_stroke(cr);

    /* Rasterised into a canvas: the cost is the points plus the pixels the
     * joined segments cover, never cairo stroking thousands of segments.
     * Consecutive samples are joined when they are close in model time or
     * on screen, or where the path runs smoothly through them (the chords
     * before and after turn by less than HV_PHASE_SMOOTH_DEG at both ends):
     * there a straight chord is the path to within a fraction of its
     * length. Elsewhere (a spike's upstroke sampled at high speed) a chord
     * would draw a path the neuron never took, so each sample stays a dot
     * on the orbit. */
    int cx = (int)floor(p.x) - 2, cy = (int)floor(p.y) - 2;
    hv_canvas c = {0, 0, NULL};
    double model_dt = (v->trace_dt_s > 0 ? v->trace_dt_s : 1e-3) * hillock_view_model_ms_per_s(v);
    bool join_in_time = curve && model_dt <= HV_PHASE_JOIN_MS;
    double rad = 0.75 * scale, near = 3.0 * scale;
    double nx = 0, ny = 0;
    bool have_newest = false;
    uint32_t breaks = 0; /* unknown samples: where the sender skipped model time */
    /* points oldest first; NAN where a sample is unknown */
    double *px = malloc(2 * sizeof(double) * (count ? count : 1)), *py = px ? px + count : NULL;
    if (px && hv_canvas_init(&c, (int)ceil(p.w) + 5, (int)ceil(p.h) + 5)) {
        for (uint32_t k = 0; k < count; ++k) {
            float sv, sl;
            phase_point(v, curve, count - 1 - k, &sv, &sl);
            bool ok = isfinite(sv) && isfinite(sl);
            px[k] = ok ? p.x + (sv - ax->axis_min) / span * p.w - cx : NAN;
            py[k] = ok ? p.y + p.h - (sl - lo) / (hi - lo) * p.h - cy : NAN;
            breaks += !ok && k > 0;
        }
        for (uint32_t k = 0; k < count; ++k) {
            if (isnan(px[k]))
                continue;
            /* older parts fainter */
            float a = (float)(0.25 + 0.75 * (double)(k + 1) / count);
            bool joined = false;
            if (curve && k > 0 && !isnan(px[k - 1])) {
                double len = hypot(px[k] - px[k - 1], py[k] - py[k - 1]);
                joined = join_in_time || len <= near ||
                         (k > 1 && k + 1 < count &&
                          smooth_turn(px[k - 2], py[k - 2], px[k - 1], py[k - 1], px[k], py[k]) &&
                          smooth_turn(px[k - 1], py[k - 1], px[k], py[k], px[k + 1], py[k + 1]));
            }
            if (joined)
                hv_canvas_line(&c, px[k - 1], py[k - 1], px[k], py[k], a);
            else
                hv_canvas_dot(&c, px[k], py[k], curve ? 1.6 * rad : 1.6 * scale, a);
        }
        if (count && !isnan(px[count - 1])) {
            nx = px[count - 1] + cx;
            ny = py[count - 1] + cy;
            have_newest = true;
        }
        hv_canvas_thicken(&c, (int)lround(scale - 1.0));
        hv_canvas_paint(cr, &c, cx, cy, C_SOMA.r, C_SOMA.g, C_SOMA.b);
    }
    hv_canvas_free(&c);
    free(px);
    if (have_newest) {
        cairo_arc(cr, nx, ny, 3 * scale, 0, 2 * M_PI);
        paint_rgb(cr, C_ACCENT);
        cairo_fill(cr);
    }

    char buf[96];
    paint_font(cr, 11 * scale, false);
    paint_label(cr, r.x + 6 * scale, r.y + 14 * scale, -1, C_TEXT, "phase plane");
    paint_font(cr, 10 * scale, false);
    snprintf(buf, sizeof buf, "V (%s) \xe2\x86\x92", ax->axis_unit);
    paint_label(cr, r.x + r.w - 6 * scale, r.y + r.h - 5 * scale, 1, C_DIM, buf);
    if (curve) {
        /* at high speed the samples are pieces of model time (the newest of
         * each notification): their total, not a span of real time */
        double dt = v->trace_dt_s > 0 ? v->trace_dt_s : 1e-3;
        if (breaks) {
            char model[24];
            duration(model, sizeof model, count * dt * hillock_view_model_ms_per_s(v));
            snprintf(buf, sizeof buf, "%s model in %u pieces", model, breaks + 1);
        } else {
            window_label(buf, sizeof buf, v, count * dt);
        }
        paint_label(cr, r.x + 6 * scale, r.y + r.h - 5 * scale, -1, C_DIM, buf);
    }
    snprintf(buf, sizeof buf, "\xe2\x86\x91 %s  %.3g \xe2\x80\xa6 %.3g", ax->slow_name, lo, hi);
    paint_label(cr, r.x + r.w - 6 * scale, r.y + 14 * scale, 1, C_DIM, buf);
    cairo_restore(cr);
}
