/* draw_cases.c — see draw_cases.h. */
#include "draw_cases.h"

#include "synth.h"
#include "synth_speed.h"

#include <stdlib.h>

static hillock_view *
view(unsigned n, int model, int dendrite)
{
    hillock_view *v = malloc(sizeof *v);
    synth_fill(v, n, 12.5, 3.0, model, dendrite);
    return v;
}

static void
panel_of(cairo_t *cr, int w, int h, hillock_view *v, int open_menu)
{
    hillock_view_set_param(v, P_DRIVE, 25.0f);
    hillock_view_set_param(v, P_CONNECTIVITY, 0.3f);
    hillock_view_set_param(v, P_W_EXC, 0.5f);
    hillock_view_set_param(v, P_MEMBRANE_LEVEL, -60.0f); /* "off" */
    hillock_layout l;
    hillock_layout_compute(&l, w, h, 0);
    /* open_menu >= 0: the model's menu open, the pointer over Drive */
    int open = open_menu >= 0 ? hillock_layout_control_of(&l, P_MODEL) : -1;
    hillock_panel_state st = {open, hillock_layout_control_of(&l, P_DRIVE), -1, -1, "", false};
    hillock_draw_panel(cr, &l, v, &st);
    free(v);
}

static void
panel(cairo_t *cr, int w, int h, int model, int dendrite, int open_menu)
{
    panel_of(cr, w, h, view(16, model, dendrite), open_menu);
}

/* 16 neurons on the 70 Hz orbit of synth_speed.c at a given speed */
static void
panel_speed(cairo_t *cr, int w, int h, double speed)
{
    hillock_view *v = malloc(sizeof *v);
    synth_fill_speed(v, 16, speed, 12.5, 1.2, 0);
    panel_of(cr, w, h, v, -1);
}

/* the CPU guard thinning the bank, shown from its output ports */
static void
panel_guard(cairo_t *cr, int w, int h)
{
    hillock_view *v = malloc(sizeof *v);
    synth_fill_speed(v, 4096, 1.0, 12.5, 1.2, 0);
    v->guard_known = true;
    v->guard_load = 0.97f;
    v->guard_active = true;
    panel_of(cr, w, h, v, -1);
}

static void
panel_speed1(cairo_t *cr, int w, int h)
{
    panel_speed(cr, w, h, 1.0);
}

static void
panel_speed26(cairo_t *cr, int w, int h)
{
    panel_speed(cr, w, h, 26.0);
}

static void
panel_pr_menu(cairo_t *cr, int w, int h)
{
    panel(cr, w, h, MODEL_PINSKY_RINZEL, 1, 0);
}

static void
raster_many(cairo_t *cr, int w, int h)
{
    hillock_view *v = view(300, MODEL_IZHIKEVICH, 0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    hillock_draw_raster(cr, (hv_rect){0, 0, w, h}, v, 1.0, true);
    free(v);
}

static void
scope_hr(cairo_t *cr, int w, int h)
{
    hillock_view *v = view(8, MODEL_HINDMARSH_ROSE, 0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    hillock_draw_scope(cr, (hv_rect){0, 0, w, h}, v, 1.0, true);
    free(v);
}

static void
phase_izh(cairo_t *cr, int w, int h)
{
    hillock_view *v = view(8, MODEL_IZHIKEVICH, 0);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    hillock_draw_phase(cr, (hv_rect){0, 0, w, h}, v, 1.0);
    free(v);
}

static void
knobs(cairo_t *cr, int w, int h)
{
    static const struct {
        param_id id;
        float value;
    } k[] = {{P_NEURONS, 64}, {P_DRIVE, -50}, {P_SPEED, 1}, {P_NOISE, 50},
             {P_SPIKE_LEVEL, -60}, {P_GAP, 0.25f}};
    const unsigned n = sizeof k / sizeof k[0];
    cairo_set_source_rgb(cr, 0.082, 0.094, 0.114);
    cairo_paint(cr);
    for (unsigned i = 0; i < n; ++i)
        hillock_draw_knob(cr, (hv_rect){i * (double)w / n, 0, (double)w / n, h}, k[i].id,
                          k[i].value, 1.0, i == 2);
}

static void
inline_display(cairo_t *cr, int w, int h)
{
    hillock_view *v = view(16, MODEL_HH, 0);
    hillock_draw_inline(cr, w, h, v);
    free(v);
}

/* what a plugin that hands over only the trace gets */
static void
inline_trace_only(cairo_t *cr, int w, int h)
{
    hillock_view *v = view(16, MODEL_HH, 0);
    v->spike_head = 0;
    hillock_draw_inline(cr, w, h, v);
    free(v);
}

const draw_case draw_cases[] = {
    {"panel_hh_1x", 960, 600, panel_speed1},
    {"panel_speed26_1x", 960, 600, panel_speed26},
    {"panel_guard_1x5", 1440, 900, panel_guard},
    {"panel_pr_menu_2x", 1920, 1200, panel_pr_menu},
    {"raster_300", 400, 200, raster_many},
    {"scope_hr", 400, 160, scope_hr},
    {"phase_izh", 240, 240, phase_izh},
    {"knobs", 420, 100, knobs},
    {"inline", 120, 80, inline_display},
    {"inline_trace_only", 160, 60, inline_trace_only},
};
const unsigned draw_case_count = sizeof draw_cases / sizeof draw_cases[0];

cairo_surface_t *
draw_case_render(const draw_case *c)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, c->w, c->h);
    cairo_t *cr = cairo_create(s);
    c->draw(cr, c->w, c->h);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}
