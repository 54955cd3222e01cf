/* paint.c — the panel's palette, text and shapes (paint.h). */
#include "paint.h"

void
paint_rgb(cairo_t *cr, rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void
paint_rgba(cairo_t *cr, rgb c, double a)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, a);
}

void
paint_font_setup(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

void
paint_font(cairo_t *cr, double px, bool bold)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, px);
}

/* Text with its baseline at y; align -1 left, 0 centre, +1 right of x. */
void
paint_text(cairo_t *cr, double x, double y, int align, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    double dx = align < 0 ? 0.0 : align == 0 ? -e.x_advance / 2.0 : -e.x_advance;
    cairo_move_to(cr, x + dx, y);
    cairo_show_text(cr, s);
    cairo_new_path(cr); /* show_text leaves a current point; arcs would join it */
}

/* Text in colour c on a dark patch, readable over dense data. */
void
paint_label(cairo_t *cr, double x, double y, int align, rgb c, const char *s)
{
    cairo_text_extents_t e;
    cairo_font_extents_t fe;
    cairo_text_extents(cr, s, &e);
    cairo_font_extents(cr, &fe);
    double x0 = align < 0 ? x : align == 0 ? x - e.x_advance / 2 : x - e.x_advance;
    double m = fe.ascent * 0.25;
    cairo_rectangle(cr, x0 - m, y - fe.ascent - m * 0.5, e.x_advance + 2 * m,
                    fe.ascent + fe.descent + m);
    paint_rgba(cr, C_PLOT, 0.8);
    cairo_fill(cr);
    paint_rgb(cr, c);
    paint_text(cr, x, y, align, s);
}

/* Like paint_text(), shrinking the font so the text fits in max_w. */
void
paint_text_fit(cairo_t *cr, double x, double y, int align, double max_w, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    if (e.x_advance > max_w && max_w > 0) {
        cairo_matrix_t m;
        cairo_get_font_matrix(cr, &m); /* m.xx is the font size */
        cairo_save(cr);
        cairo_set_font_size(cr, m.xx * max_w / e.x_advance);
        paint_text(cr, x, y, align, s);
        cairo_restore(cr);
        return;
    }
    paint_text(cr, x, y, align, s);
}

void
paint_rounded(cairo_t *cr, hv_rect r, double rad)
{
    double x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x1 - rad, y0 + rad, rad, -M_PI / 2, 0);
    cairo_arc(cr, x1 - rad, y1 - rad, rad, 0, M_PI / 2);
    cairo_arc(cr, x0 + rad, y1 - rad, rad, M_PI / 2, M_PI);
    cairo_arc(cr, x0 + rad, y0 + rad, rad, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

void
paint_plot_background(cairo_t *cr, hv_rect r, double scale)
{
    paint_rounded(cr, r, 4 * scale);
    paint_rgb(cr, C_PLOT);
    cairo_fill(cr);
}

void
paint_plot_begin(cairo_t *cr, hv_rect r, double scale)
{
    cairo_save(cr);
    paint_font_setup(cr);
    paint_plot_background(cr, r, scale);
    paint_rounded(cr, r, 4 * scale);
    cairo_clip(cr);
}
