/* test_draw — every picture of draw_cases.c matches its reference image.
 *
 * Reference: tests/gui/ref/NAME.png, rendered by render_refs from the same
 * synthetic data and checked by eye when the drawing last changed on
 * purpose. Tolerance: a pixel differs when a channel is off by more than
 * 48/255; at most 0.5 % of the pixels may differ, and the mean absolute
 * difference must stay under 2/255 per channel (room for a different
 * pixman or FreeType build, none for a moved widget or a missing trace).
 * A failing case leaves NAME.actual.png in the working directory.
 */
#include "draw_cases.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GUI_REF_DIR
#error "GUI_REF_DIR must name tests/gui/ref"
#endif

typedef struct {
    double differing_fraction;
    double mean_abs;
} image_diff;

static image_diff
compare(cairo_surface_t *a, cairo_surface_t *b)
{
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    const unsigned char *pa = cairo_image_surface_get_data(a);
    const unsigned char *pb = cairo_image_surface_get_data(b);
    long differing = 0;
    double sum = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            int worst = 0;
            for (int c = 0; c < 4; ++c) {
                int d = abs(pa[y * sa + 4 * x + c] - pb[y * sb + 4 * x + c]);
                sum += d;
                worst = d > worst ? d : worst;
            }
            differing += worst > 48;
        }
    return (image_diff){(double)differing / ((double)w * h), sum / (4.0 * w * h)};
}

static void
check_case(const draw_case *c)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.png", GUI_REF_DIR, c->name);
    cairo_surface_t *ref = cairo_image_surface_create_from_png(path);
    cr_assert_eq(cairo_surface_status(ref), CAIRO_STATUS_SUCCESS, "cannot read %s", path);
    cairo_surface_t *got = draw_case_render(c);
    cr_assert_eq(cairo_image_surface_get_width(got), cairo_image_surface_get_width(ref));
    cr_assert_eq(cairo_image_surface_get_height(got), cairo_image_surface_get_height(ref));
    /* the PNG loads as RGB24 when opaque: compare as ARGB32 either way */
    cairo_surface_t *ref32 =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, c->w, c->h);
    cairo_t *cr = cairo_create(ref32);
    cairo_set_source_surface(cr, ref, 0, 0);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(ref32);
    /* an opaque picture loads without alpha: make the render's alpha the same */
    if (cairo_image_surface_get_format(ref) == CAIRO_FORMAT_RGB24) {
        cairo_surface_t *g = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, c->w, c->h);
        cr = cairo_create(g);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_paint(cr);
        cairo_set_source_surface(cr, got, 0, 0);
        cairo_paint(cr);
        cairo_destroy(cr);
        cairo_surface_destroy(got);
        got = g;
        cairo_surface_flush(got);
    }
    image_diff d = compare(got, ref32);
    if (d.differing_fraction > 0.005 || d.mean_abs > 2.0) {
        snprintf(path, sizeof path, "%s.actual.png", c->name);
        cairo_surface_write_to_png(got, path);
    }
    cr_expect_leq(d.differing_fraction, 0.005, "%s: %.3f %% of pixels differ", c->name,
                  100 * d.differing_fraction);
    cr_expect_leq(d.mean_abs, 2.0, "%s: mean difference %.2f/255", c->name, d.mean_abs);
    cairo_surface_destroy(ref32);
    cairo_surface_destroy(ref);
    cairo_surface_destroy(got);
}

static const draw_case *
find(const char *name)
{
    for (unsigned i = 0; i < draw_case_count; ++i)
        if (strcmp(draw_cases[i].name, name) == 0)
            return &draw_cases[i];
    cr_assert_fail("no case %s", name);
    return NULL;
}

Test(draw, panel_at_1x_matches_reference) { check_case(find("panel_hh_1x")); }
Test(draw, panel_at_speed_26_matches_reference) { check_case(find("panel_speed26_1x")); }
Test(draw, panel_at_1_5x_with_a_4096_bank_and_the_cpu_guard_matches_reference)
{
    check_case(find("panel_guard_1x5"));
}
Test(draw, panel_at_2x_with_open_menu_and_dendrite_matches_reference)
{
    check_case(find("panel_pr_menu_2x"));
}
Test(draw, raster_of_300_neurons_matches_reference) { check_case(find("raster_300")); }
Test(draw, scope_matches_reference) { check_case(find("scope_hr")); }
Test(draw, phase_plane_matches_reference) { check_case(find("phase_izh")); }
Test(draw, knobs_match_reference) { check_case(find("knobs")); }
Test(draw, inline_display_matches_reference) { check_case(find("inline")); }
Test(draw, inline_display_without_spikes_matches_reference)
{
    check_case(find("inline_trace_only"));
}

/* The comparison itself can fail: a picture with one trace missing differs. */
Test(draw, comparison_detects_a_missing_widget)
{
    const draw_case *c = find("panel_hh_1x");
    cairo_surface_t *a = draw_case_render(c), *b = draw_case_render(c);
    cairo_t *cr = cairo_create(b);
    hillock_layout l;
    hillock_layout_compute(&l, c->w, c->h, 0);
    cairo_rectangle(cr, l.scope.x, l.scope.y, l.scope.w, l.scope.h);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(b);
    image_diff d = compare(a, b);
    cr_expect_gt(d.differing_fraction, 0.005);
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
}
