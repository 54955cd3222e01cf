/* controls.c — the panel's controls: knobs, menus with their open
 * lists, and tabs (draw.h, controls.h). */
#include "controls.h"

#include "paint.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Knob cells are narrow: shorter names than the table's where needed. */
static const char *
knob_label(param_id id, const param_info *p)
{
    switch (id) {
    case P_CONNECTIVITY: return "Connect";
    case P_W_EXC: return "Exc weight";
    case P_W_INH: return "Inh weight";
    case P_GAP: return "Gap";
    case P_BRANCH_A: return "Branch A";
    case P_MEMBRANE_LEVEL: return "Membrane";
    case P_SPIKE_LEVEL: return "Spikes";
    case P_MASTER_LEVEL: return "Master";
    default: return p->name;
    }
}

/* The value line of a control: the value with its unit for the model, or
 * the text being typed into it (red when it was not a valid value). */
static void
value_text(cairo_t *cr, double x, double y, int align, double max_w, param_id id, float value,
           const float *params, double scale, const hillock_panel_state *edit)
{
    char buf[48];
    if (edit) {
        cairo_text_extents_t e;
        snprintf(buf, sizeof buf, "%s|", edit->text);
        cairo_text_extents(cr, buf, &e);
        double x0 = align == 0 ? x - max_w / 2 : x;
        cairo_rectangle(cr, x0, y - 11 * scale, max_w, 15 * scale);
        paint_rgb(cr, C_PLOT);
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, scale);
        if (edit->text_error)
            cairo_set_source_rgb(cr, 0.95, 0.30, 0.30);
        else
            paint_rgb(cr, C_ACCENT);
        cairo_stroke(cr);
        paint_rgb(cr, C_TEXT);
        paint_text_fit(cr, x, y, align, max_w - 2 * scale, buf);
        return;
    }
    hillock_param_format_in(id, value, params, buf, sizeof buf);
    paint_rgb(cr, C_TEXT);
    paint_text_fit(cr, x, y, align, max_w, buf);
}

void
draw_knob(cairo_t *cr, hv_rect r, param_id id, float value, const float *params, double scale,
          bool highlighted, const hillock_panel_state *edit)
{
    const param_info *p = &param_table[id];
    cairo_save(cr);
    paint_font_setup(cr);
    double cx = r.x + r.w / 2;
    double rad = fmin(r.w * 0.30, 19 * scale);
    double cy = r.y + 18 * scale + rad + 4 * scale;
    double a0 = 0.75 * M_PI, a1 = 2.25 * M_PI;
    double a = a0 + hillock_param_to_norm(id, value) * (a1 - a0);

    paint_font(cr, 10 * scale, false);
    paint_rgb(cr, highlighted ? C_TEXT : C_DIM);
    paint_text_fit(cr, cx, r.y + 11 * scale, 0, r.w - 4 * scale, knob_label(id, p));

    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_width(cr, 4 * scale);
    paint_rgb(cr, C_GRID);
    cairo_arc(cr, cx, cy, rad, a0, a1);
    cairo_stroke(cr);
    paint_rgb(cr, C_ACCENT);
    cairo_arc(cr, cx, cy, rad, a0, a);
    cairo_stroke(cr);

    cairo_arc(cr, cx, cy, rad - 5 * scale, 0, 2 * M_PI);
    paint_rgb(cr, highlighted ? C_GRID : C_HEADER);
    cairo_fill(cr);
    cairo_set_line_width(cr, 2 * scale);
    paint_rgb(cr, C_TEXT);
    cairo_move_to(cr, cx + cos(a) * (rad - 14 * scale), cy + sin(a) * (rad - 14 * scale));
    cairo_line_to(cr, cx + cos(a) * (rad - 5 * scale), cy + sin(a) * (rad - 5 * scale));
    cairo_stroke(cr);

    value_text(cr, cx, cy + rad + 14 * scale, 0, r.w - 2 * scale, id, value, params, scale,
               edit);
    cairo_restore(cr);
}

void
hillock_draw_knob(cairo_t *cr, hv_rect r, param_id id, float value, double scale,
                  bool highlighted)
{
    draw_knob(cr, r, id, value, NULL, scale, highlighted, NULL);
}

void
draw_menu(cairo_t *cr, hv_rect r, param_id id, float value, const float *params, double scale,
          bool highlighted, const hillock_panel_state *edit)
{
    hv_rect box = hillock_menu_box_in(r, scale);
    cairo_save(cr);
    paint_font_setup(cr);
    paint_font(cr, 10 * scale, false);
    paint_rgb(cr, highlighted ? C_TEXT : C_DIM);
    paint_text_fit(cr, r.x + r.w / 2, r.y + 11 * scale, 0, r.w - 4 * scale, param_table[id].name);

    paint_rounded(cr, box, 3 * scale);
    paint_rgb(cr, highlighted ? C_GRID : C_PLOT);
    cairo_fill(cr);
    paint_font(cr, 12 * scale, false);
    value_text(cr, box.x + 6 * scale, box.y + box.h / 2 + 4.5 * scale, -1,
               box.w - 22 * scale, id, value, params, scale, edit);
    /* a small down arrow */
    double ax = box.x + box.w - 9 * scale, ay = box.y + box.h / 2;
    cairo_move_to(cr, ax - 4 * scale, ay - 2 * scale);
    cairo_line_to(cr, ax + 4 * scale, ay - 2 * scale);
    cairo_line_to(cr, ax, ay + 3 * scale);
    cairo_close_path(cr);
    paint_rgb(cr, C_ACCENT);
    cairo_fill(cr);
    cairo_restore(cr);
}

void
hillock_draw_menu(cairo_t *cr, hv_rect r, param_id id, float value, double scale,
                  bool highlighted)
{
    draw_menu(cr, r, id, value, NULL, scale, highlighted, NULL);
}

void
hillock_draw_menu_list(cairo_t *cr, const hillock_layout *l, int control,
                       const hillock_view *v)
{
    if (control < 0 || (unsigned)control >= l->n_controls ||
        l->controls[control].kind != HV_CTRL_MENU)
        return;
    param_id id = l->controls[control].param;
    unsigned n = hillock_menu_items(l, control);
    double s = l->scale;
    long current = lroundf(v->params[id]);
    cairo_save(cr);
    paint_font_setup(cr);
    hv_rect first = hillock_menu_item(l, control, 0);
    hv_rect all = {first.x, first.y, first.w, first.h * n};
    paint_rounded(cr, all, 3 * s);
    paint_rgb(cr, C_HEADER);
    cairo_fill_preserve(cr);
    paint_rgb(cr, C_GRID);
    cairo_set_line_width(cr, s);
    cairo_stroke(cr);
    paint_font(cr, 12 * s, false);
    char buf[48];
    for (unsigned i = 0; i < n; ++i) {
        hv_rect it = hillock_menu_item(l, control, i);
        if ((long)i == current) {
            paint_rgba(cr, C_ACCENT, 0.25);
            cairo_rectangle(cr, it.x + s, it.y, it.w - 2 * s, it.h);
            cairo_fill(cr);
        }
        hillock_param_format(id, (float)i, buf, sizeof buf);
        paint_rgb(cr, C_TEXT);
        paint_text(cr, it.x + 7 * s, it.y + it.h / 2 + 4.5 * s, -1, buf);
    }
    cairo_restore(cr);
}

void
draw_tab(cairo_t *cr, const hv_control *c, double s, bool current, bool hot)
{
    char title[32];
    hillock_page_title((unsigned)c->page, title, sizeof title);
    paint_rounded(cr, c->r, 3 * s);
    if (current)
        paint_rgb(cr, C_PLOT);
    else
        paint_rgb(cr, hot ? C_GRID : C_HEADER);
    cairo_fill(cr);
    if (current) {
        cairo_rectangle(cr, c->r.x + 6 * s, c->r.y + c->r.h - 3 * s, c->r.w - 12 * s, 2 * s);
        paint_rgb(cr, C_ACCENT);
        cairo_fill(cr);
    }
    paint_font(cr, 12 * s, current);
    paint_rgb(cr, current || hot ? C_TEXT : C_DIM);
    paint_text_fit(cr, c->r.x + c->r.w / 2, c->r.y + c->r.h / 2 + 4.5 * s, 0, c->r.w - 6 * s, title);
}
