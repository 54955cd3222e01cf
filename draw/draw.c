/* draw.c — cairo drawing of the whole panel (its plots in plots.c, its
 * controls in controls.c, the palette and text in paint.c) and of the
 * inline display. */
#include "draw.h"

#include "controls.h"
#include "paint.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The CPU guard's state, when the host passes its output ports on: load
 * as a bar (1 = the whole real-time budget), and a word when it thins the
 * bank, or the time scale when it slows model time. Nothing when the
 * plugin never reported it. */
static void
draw_guard(cairo_t *cr, hv_rect r, const hillock_view *v, double s)
{
    if (!v->guard_known)
        return;
    double load = v->guard_load < 0 ? 0 : v->guard_load > 1 ? 1 : v->guard_load;
    char buf[32], state[48];
    snprintf(buf, sizeof buf, "%.0f %%", 100.0 * load);
    const bool slowed = v->guard_time > 0.0f && v->guard_time < 0.9995f;
    if (slowed)
        snprintf(state, sizeof state, "CPU guard: time x%.2f", (double)v->guard_time);
    else
        snprintf(state, sizeof state, "%s", v->guard_active ? "CPU guard: thinning" : "CPU guard");
    paint_font(cr, 10 * s, false);
    paint_rgb(cr, C_TEXT);
    paint_text(cr, r.x + r.w, r.y + 9 * s, 1, buf);
    cairo_text_extents_t pct;
    cairo_text_extents(cr, buf, &pct);
    paint_font(cr, 10 * s, v->guard_active);
    if (v->guard_active)
        cairo_set_source_rgb(cr, 0.95, 0.35, 0.30);
    else
        paint_rgb(cr, C_DIM);
    /* the state's words end before the percentage */
    paint_text_fit(cr, r.x, r.y + 9 * s, -1, r.w - pct.x_advance - 6 * s, state);
    hv_rect bar = {r.x, r.y + 14 * s, r.w, 8 * s};
    paint_rounded(cr, bar, 2 * s);
    paint_rgb(cr, C_PLOT);
    cairo_fill(cr);
    if (load > 0) {
        paint_rounded(cr, (hv_rect){bar.x, bar.y, fmax(bar.w * load, 4 * s), bar.h}, 2 * s);
        if (v->guard_active)
            cairo_set_source_rgb(cr, 0.95, 0.35, 0.30);
        else
            paint_rgb(cr, C_SOMA);
        cairo_fill(cr);
    }
}

/* ---- the panel ---- */

void
hillock_draw_panel(cairo_t *cr, const hillock_layout *l, const hillock_view *v,
                   const hillock_panel_state *st)
{
    double s = l->scale;
    cairo_save(cr);
    paint_font_setup(cr);
    paint_rgb(cr, C_BG);
    cairo_paint(cr);
    cairo_rectangle(cr, l->header.x, l->header.y, l->header.w, l->header.h);
    paint_rgb(cr, C_HEADER);
    cairo_fill(cr);

    paint_font(cr, 20 * s, true);
    paint_rgb(cr, C_TEXT);
    paint_text(cr, 12 * s, 30 * s, -1, "Hillock");
    paint_font(cr, 9 * s, false);
    paint_rgb(cr, C_DIM);
    paint_text(cr, 12 * s, 42 * s, -1, "neurons as sound");

    hillock_draw_raster(cr, l->raster, v, s, true);
    hillock_draw_rate(cr, l->rate, v, s);
    hillock_draw_scope(cr, l->scope, v, s, true);
    if (hillock_view_weights_live(v)) {
        /* the learned weights under a shorter phase plane */
        hv_rect ph = l->phase, wt = l->phase;
        ph.h = l->phase.h * 0.68;
        wt.y = ph.y + ph.h + 6 * s;
        wt.h = l->phase.h - ph.h - 6 * s;
        hillock_draw_phase(cr, ph, v, s);
        hillock_draw_weights(cr, wt, v, s);
    } else {
        hillock_draw_phase(cr, l->phase, v, s);
    }

    draw_guard(cr, l->guard, v, s);
    for (unsigned i = 0; i < l->n_controls; ++i) {
        const hv_control *c = &l->controls[i];
        bool hot = st && (st->hover == (int)i || st->active == (int)i);
        const hillock_panel_state *edit = st && st->editing == (int)i ? st : NULL;
        if (c->kind == HV_CTRL_TAB)
            draw_tab(cr, c, s, c->page == l->page, hot);
        else if (c->kind == HV_CTRL_KNOB)
            draw_knob(cr, c->r, c->param, v->params[c->param], v->params, s, hot, edit);
        else
            draw_menu(cr, c->r, c->param, v->params[c->param], v->params, s, hot, edit);
    }
    if (st && st->open_menu >= 0)
        hillock_draw_menu_list(cr, l, st->open_menu, v);
    cairo_restore(cr);
}

/* ---- Ardour's inline display ---- */

void
hillock_draw_inline(cairo_t *cr, int w, int h, const hillock_view *v)
{
    double s = h >= 60 ? 1.0 : 0.5;
    cairo_save(cr);
    paint_font_setup(cr);
    paint_rgb(cr, C_BG);
    cairo_paint(cr);
    double gap = 2.0;
    /* a sender that gives no spikes (only the trace) gets the scope alone */
    if (v->spike_head == 0) {
        hillock_draw_scope(cr, (hv_rect){1, 1, w - 2, h - 2}, v, s, false);
    } else {
        hv_rect raster = {1, 1, w - 2, (h - 2) * 0.6 - gap / 2};
        hv_rect scope = {1, raster.y + raster.h + gap, w - 2, h - 2 - raster.h - gap};
        hillock_draw_raster(cr, raster, v, s, false);
        hillock_draw_scope(cr, scope, v, s, false);
    }
    cairo_restore(cr);
}
