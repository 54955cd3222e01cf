/* test_phase_speed — the phase plane shows the same model-time orbit at
 * speed 26 as at speed 1. urn:hillock:bank runs its defaults (8 identical
 * HH neurons at I = 10 uA/cm2: a limit cycle of about 14.5 model ms,
 * reference/HH table, 69 Hz) in the plugin tests' in-process host, once at
 * speed 1 and once at speed 26; the real plugin's notifications go through
 * the UI's parser into a view each, and the phase plane is drawn from each.
 *
 * Reference: the orbit is a property of the model, not of the speed, so
 * the picture at speed 26 must lie on the picture at speed 1: at least
 * 90 % of its lit pixels within 3 px of a lit pixel of speed 1's. Straight
 * chords between samples 0.54 model ms apart (a frame at speed 26) would
 * cross the inside of the loop and fail that bound. At speed 26 this
 * neuron's period locks to 27 frames, so the plugin can only ever send 27
 * distinct states per cycle: the slow part of the loop is drawn as a line,
 * the spike as its few true states, and at least 35 % of speed 1's orbit
 * must be covered (measured: 44 %). Saves
 * phase-speed-1.png and phase-speed-26.png in the working directory. */
#include "draw.h"
#include "host.h"
#include "notify_view.h"

#include <cairo.h>
#include <criterion/criterion.h>
#include <lv2/atom/util.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define W 300
#define H 300

/* One second of the plugin at `speed`, through the UI's parser. */
static void
run_plugin(hillock_view *v, float speed)
{
    hb_world *w = hb_world_new();
    hb_instance h;
    cr_assert(hb_instantiate(&h, w, false, 48000.0));
    h.controls[P_SPEED] = speed;
    hillock_view_init(v);
    hillock_view_set_param(v, P_SPEED, speed); /* as the host tells the UI */
    hv_urids u;
    hv_urids_map(&u, hb_map(w));
    lilv_instance_activate(h.inst);
    for (int b = 0; b < 50; ++b) { /* 50 x 960 frames = 1 s */
        if (b == 0)
            hb_send_object(&h, HILLOCK__UiOn);
        else
            hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 960);
        const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h.atom_out;
        LV2_ATOM_SEQUENCE_FOREACH (seq, ev)
            hillock_view_apply_atom(v, &u, &ev->body);
    }
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
    hb_world_free(w);
}

/* The phase plane's lit pixels (the trajectory's green over the dark plot). */
static void
draw_mask(const hillock_view *v, bool *lit, const char *png)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    hillock_draw_phase(cr, (hv_rect){0, 0, W, H}, v, 1.0);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cairo_surface_write_to_png(s, png);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    /* inside the plot, away from the labels at its top and bottom */
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            uint32_t p = *(const uint32_t *)(d + y * stride + 4 * x);
            int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
            lit[y * W + x] = y > 30 && y < H - 30 && g > 60 && g > r + 25 && g > b + 25;
        }
    cairo_surface_destroy(s);
}

/* Fraction of a's lit pixels with a lit pixel of b within r pixels. */
static double
near_fraction(const bool *a, const bool *b, int r)
{
    long lit = 0, near = 0;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            if (!a[y * W + x])
                continue;
            lit++;
            bool found = false;
            for (int dy = -r; dy <= r && !found; ++dy)
                for (int dx = -r; dx <= r && !found; ++dx) {
                    int yy = y + dy, xx = x + dx;
                    found = yy >= 0 && yy < H && xx >= 0 && xx < W && b[yy * W + xx];
                }
            near += found;
        }
    return lit ? (double)near / lit : 0.0;
}

Test(phase_speed, the_orbit_at_speed_26_is_the_orbit_at_speed_1)
{
    hillock_view *v1 = malloc(sizeof *v1), *v26 = malloc(sizeof *v26);
    bool *m1 = calloc(W * H, sizeof *m1), *m26 = calloc(W * H, sizeof *m26);
    run_plugin(v1, 1.0f);
    run_plugin(v26, 26.0f);
    /* the same slow-variable axis, so the pictures are comparable */
    double lo1, hi1, lo26, hi26;
    hillock_phase_slow_range(v1, &lo1, &hi1);
    hillock_phase_slow_range(v26, &lo26, &hi26);
    cr_expect_float_eq(lo1, lo26, 0.03, "n axis from %.3f (speed 1) and %.3f (26)", lo1, lo26);
    cr_expect_float_eq(hi1, hi26, 0.03, "n axis to %.3f (speed 1) and %.3f (26)", hi1, hi26);
    draw_mask(v1, m1, "phase-speed-1.png");
    draw_mask(v26, m26, "phase-speed-26.png");
    long lit1 = 0, lit26 = 0;
    for (int i = 0; i < W * H; ++i) {
        lit1 += m1[i];
        lit26 += m26[i];
    }
    cr_assert_gt(lit1, 300, "speed 1 draws an orbit (%ld px)", lit1);
    cr_assert_gt(lit26, 100, "speed 26 draws an orbit (%ld px)", lit26);
    double precision = near_fraction(m26, m1, 3), recall = near_fraction(m1, m26, 3);
    cr_log_info("on the orbit %.1f %%, orbit covered %.1f %%", 100 * precision, 100 * recall);
    cr_expect_geq(precision, 0.90, "%.1f %% of speed 26's pixels on speed 1's orbit",
                  100 * precision);
    cr_expect_geq(recall, 0.35, "%.1f %% of speed 1's orbit covered at speed 26",
                  100 * recall);
    free(v1);
    free(v26);
    free(m1);
    free(m26);
}
