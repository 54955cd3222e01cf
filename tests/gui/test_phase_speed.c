/* test_phase_speed — the phase plane and the scope show the same model-time
 * picture at every speed and sample rate. urn:hillock:bank runs its
 * defaults (8 identical HH neurons at I = 10 uA/cm2: a limit cycle of
 * about 14.5 model ms, 69 Hz, peaks 30.42 mV and troughs -74.89 mV; HH
 * table in docs/science.md) in the plugin tests' in-process host, at speed
 * 1 (the reference), 26 and 200 at 48 kHz and 26 at 44.1 kHz; the real
 * plugin's notifications go through the UI's parser into a view each.
 *
 * Reference: the orbit is a property of the model, not of the speed, so
 * the phase plane at any speed must be the picture at speed 1: at least
 * 95 % of each picture's lit pixels within 3 px of the other's (the orbit
 * covered, nothing off it) and a Hausdorff distance of a few pixels. A
 * plugin that sends one state per frame fails it: at speed 26 the HH cycle
 * locks to 27 frames, 27 states per cycle, which covered 44 % of the orbit.
 * The scope's window at speed 26 must keep every spike's peak and trough
 * (one state per frame, 0.54 model ms apart, cut the peaks by up to tens of
 * mV). Saves phase-speed-SPEED-RATE.png in the working directory. */
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

/* `seconds` of the plugin at `speed` and `rate`, through the UI's parser. */
static void
run_plugin(hillock_view *v, float speed, double rate, double seconds)
{
    hb_world *w = hb_world_new();
    hb_instance h;
    cr_assert(hb_instantiate(&h, w, false, rate));
    /* as a host exporting (lv2:freeWheeling): the CPU guard, which thins
     * the bank by the wall clock (a sanitizer build on a loaded machine
     * played 1 neuron of 8), stays off, so the run is the model's */
    h.late[PORT_LATE_FREEWHEEL] = 1.0f;
    h.controls[P_SPEED] = speed;
    hillock_view_init(v);
    hillock_view_set_param(v, P_SPEED, speed); /* as the host tells the UI */
    hv_urids u;
    hv_urids_map(&u, hb_map(w));
    lilv_instance_activate(h.inst);
    uint32_t block = (uint32_t)lround(rate / HILLOCK_NOTIFY_HZ);
    int blocks = (int)lround(seconds * HILLOCK_NOTIFY_HZ);
    for (int b = 0; b < blocks; ++b) {
        if (b == 0)
            hb_send_object(&h, HILLOCK__UiOn);
        else
            hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, block);
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

/* Each lit pixel of a: its distance to the nearest lit pixel of b. Returns
 * the fraction within r pixels; *farthest gets the largest distance (the
 * directed Hausdorff distance from a to b). */
static double
near_fraction(const bool *a, const bool *b, int r, double *farthest)
{
    static int bx[W * H], by[W * H];
    long nb = 0, lit = 0, near = 0;
    for (int i = 0; i < W * H; ++i)
        if (b[i]) {
            bx[nb] = i % W;
            by[nb++] = i / W;
        }
    *farthest = 0;
    for (int i = 0; i < W * H; ++i) {
        if (!a[i])
            continue;
        long best = W * W + H * H;
        for (long k = 0; k < nb && best > 0; ++k) {
            long dx = bx[k] - i % W, dy = by[k] - i / W;
            if (dx * dx + dy * dy < best)
                best = dx * dx + dy * dy;
        }
        lit++;
        near += best <= (long)r * r;
        *farthest = fmax(*farthest, sqrt((double)best));
    }
    return lit ? (double)near / lit : 0.0;
}

/* The phase plane at `speed` and `rate` against speed 1's picture. */
static void
expect_same_orbit(const hillock_view *ref, const bool *m_ref, float speed, double rate,
                  double seconds)
{
    hillock_view *v = malloc(sizeof *v);
    bool *m = calloc(W * H, sizeof *m);
    run_plugin(v, speed, rate, seconds);
    /* the same slow-variable axis, so the pictures are comparable */
    double lo_r, hi_r, lo, hi;
    hillock_phase_slow_range(ref, &lo_r, &hi_r);
    hillock_phase_slow_range(v, &lo, &hi);
    cr_expect_float_eq(lo, lo_r, 0.03, "speed %g: n axis from %.3f (speed 1: %.3f)",
                       (double)speed, lo, lo_r);
    cr_expect_float_eq(hi, hi_r, 0.03, "speed %g: n axis to %.3f (speed 1: %.3f)",
                       (double)speed, hi, hi_r);
    char png[64];
    snprintf(png, sizeof png, "phase-speed-%g-%.0f.png", (double)speed, rate);
    draw_mask(v, m, png);
    long lit = 0;
    for (int i = 0; i < W * H; ++i)
        lit += m[i];
    cr_assert_gt(lit, 300, "speed %g draws an orbit (%ld px)", (double)speed, lit);
    double off, missed;
    double on = near_fraction(m, m_ref, 3, &off), covered = near_fraction(m_ref, m, 3, &missed);
    double hausdorff = fmax(off, missed);
    cr_log_info("speed %g at %.0f Hz: on the orbit %.1f %%, orbit covered %.1f %%, "
                "Hausdorff %.1f px",
                (double)speed, rate, 100 * on, 100 * covered, hausdorff);
    cr_expect_geq(on, 0.95, "speed %g: %.1f %% of its pixels on speed 1's orbit",
                  (double)speed, 100 * on);
    cr_expect_geq(covered, 0.95, "speed %g: %.1f %% of speed 1's orbit covered",
                  (double)speed, 100 * covered);
    cr_expect_leq(hausdorff, 6.0, "speed %g: Hausdorff distance %.1f px", (double)speed,
                  hausdorff);
    free(v);
    free(m);
}

Test(phase_speed, the_orbit_at_any_speed_is_the_orbit_at_speed_1)
{
    hillock_view *ref = malloc(sizeof *ref);
    bool *m_ref = calloc(W * H, sizeof *m_ref);
    /* long enough to fill the view's 4096 samples: 0.4 s at speed 1, four
     * notifications (0.08 s) from speed 5 on, and a few more */
    run_plugin(ref, 1.0f, 48000.0, 0.6);
    draw_mask(ref, m_ref, "phase-speed-1-48000.png");
    expect_same_orbit(ref, m_ref, 26.0f, 48000.0, 0.3);
    expect_same_orbit(ref, m_ref, 26.0f, 44100.0, 0.3);
    expect_same_orbit(ref, m_ref, 200.0f, 48000.0, 0.12);
    free(ref);
    free(m_ref);
}

/* Every spike in the scope's window at speed 26 reaches the reference peak
 * and trough: the samples are the extremes of ~0.1 model ms each. */
Test(phase_speed, the_scope_at_speed_26_keeps_every_peak)
{
    hillock_view *v = malloc(sizeof *v);
    run_plugin(v, 26.0f, 48000.0, 0.2);
    double window_s = 100.0 / hillock_view_model_ms_per_s(v); /* the scope's 100 model ms */
    uint32_t n = (uint32_t)(window_s / v->trace_dt_s);
    cr_assert_leq(n, hillock_view_trace_count(v));
    float peak = -INFINITY, lowest_peak = INFINITY, highest_peak = -INFINITY;
    float trough = INFINITY, highest_trough = -INFINITY;
    int spikes = 0;
    bool up = false;
    /* oldest to newest; a spike is the part above -20 mV */
    for (uint32_t i = n; i-- > 0;) {
        float x = hillock_view_trace_at(v, i)->soma;
        cr_assert(isfinite(x), "a break inside the scope's window (sample %u)", i);
        if (x >= -20.0f) {
            if (!up && spikes > 0)
                highest_trough = fmaxf(highest_trough, trough);
            up = true;
            peak = fmaxf(peak, x);
        } else {
            if (up) {
                spikes++;
                lowest_peak = fminf(lowest_peak, peak);
                highest_peak = fmaxf(highest_peak, peak);
                trough = INFINITY;
            }
            up = false;
            peak = -INFINITY;
            trough = fminf(trough, x);
        }
    }
    cr_log_info("speed 26: %d spikes in the scope, peaks %.2f .. %.2f mV, troughs up to %.2f",
                spikes, lowest_peak, highest_peak, highest_trough);
    cr_expect(spikes >= 5 && spikes <= 8, "%d spikes in 100 model ms (69 Hz: 6.9)", spikes);
    cr_expect_float_eq(lowest_peak, 30.42f, 1.0f, "lowest peak %.2f mV (reference 30.42)",
                       lowest_peak);
    cr_expect_float_eq(highest_peak, 30.42f, 1.0f, "highest peak %.2f mV (reference 30.42)",
                       highest_peak);
    cr_expect_float_eq(highest_trough, -74.89f, 1.0f,
                       "shallowest trough %.2f mV (reference -74.89)", highest_trough);

    free(v);
}
