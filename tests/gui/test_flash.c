/* test_flash — the panel is safe to watch: no large area of it flashes
 * more than three times a second (WCAG 2.3.1, counted as flash_count.h
 * says).
 *
 * The panel (480 x 300: its layout at half scale, the same fractions of
 * its area) is drawn 60 times a second of activity for 1.2 s. Cases: a
 * synchronous bank of 16384 neurons all firing at 10 Hz, the same with 8
 * neurons, and an asynchronous 16384-neuron bank at speed 200. The counter
 * itself is checked on a picture that strobes at 5 Hz. (The real plugin
 * playing its presets: test_flash_plugin.c.) */
#include "draw.h"
#include "flash_count.h"
#include "synth_speed.h"

#include <criterion/criterion.h>

#include <stdlib.h>

#define W 480 /* the layout at scale 0.5: the same areas, a quarter of the pixels */
#define H 300
#define FPS 60
#define FRAMES 72

static double series[FLASH_WINDOWS][FLASH_MAX_FRAMES];

static int
flashes_of(unsigned neurons, double speed, int synchronous)
{
    hillock_view *v = malloc(sizeof *v);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    hillock_layout l;
    hillock_layout_compute(&l, W, H, 0);
    hillock_panel_state st = {-1, -1, -1, -1, "", false};
    double t = 2.0;
    synth_fill_speed(v, neurons, speed, t, 1.0, synchronous);
    for (int f = 0; f < FRAMES; ++f) {
        double next = t + 1.0 / FPS;
        synth_run_speed(v, neurons, speed, t, next, synchronous);
        t = next;
        cairo_t *cr = cairo_create(s);
        hillock_draw_panel(cr, &l, v, &st);
        cairo_destroy(cr);
        double lum[FLASH_WINDOWS];
        flash_window_luminance(s, lum);
        for (int k = 0; k < FLASH_WINDOWS; ++k)
            series[k][f] = lum[k];
    }
    cairo_surface_destroy(s);
    free(v);
    return flash_worst_window(series, FRAMES, FPS);
}

Test(flash, the_counter_sees_a_5_hz_strobe)
{
    for (int f = 0; f < FRAMES; ++f)
        for (int k = 0; k < FLASH_WINDOWS; ++k)
            series[k][f] = (f / 6) % 2 ? 0.5 : 0.02; /* 6 frames on, 6 off */
    cr_expect_eq(flash_worst_window(series, FRAMES, FPS), 5);
    for (int f = 0; f < FRAMES; ++f)
        series[0][f] = 0.02 + 0.05 * ((f / 6) % 2); /* a change under 0.1 */
    cr_expect_eq(flash_most_per_second(series[0], FRAMES, FPS), 0);
}

Test(flash, a_synchronous_bank_of_16384_at_10_hz_pulses_gently)
{
    int f = flashes_of(16384, 1.0, 1);
    cr_expect_leq(f, 3, "%d flashes in a second", f);
}

Test(flash, a_synchronous_bank_of_8_at_10_hz_pulses_gently)
{
    int f = flashes_of(8, 1.0, 1);
    cr_expect_leq(f, 3, "%d flashes in a second", f);
}

Test(flash, a_16384_neuron_bank_at_speed_200_pulses_gently)
{
    int f = flashes_of(16384, 200.0, 0);
    cr_expect_leq(f, 3, "%d flashes in a second", f);
}
