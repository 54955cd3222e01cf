/* test_flash — the panel is safe to watch: no large area of it flashes
 * more than three times a second.
 *
 * Reference: WCAG 2.2, success criterion 2.3.1 "Three Flashes or Below
 * Threshold" and its definition of a general flash: a pair of opposing
 * changes in relative luminance of 10 % or more of the maximum relative
 * luminance (1.0), where the darker image is below 0.80, over a combined
 * area of at least a quarter of any 10 degree field of view (341 x 256 px
 * of a 1024 x 768 screen, about 11 % of it). Relative luminance as WCAG
 * defines it from sRGB.
 *
 * The panel (480 x 300: its layout at half scale, the same fractions of
 * its area) is drawn 60 times a second of activity for 1.2 s,
 * and the mean relative luminance of every window of a third of its width
 * and height (stride a sixth) is followed from frame to frame; no window
 * may show more than three flashes in any second. Cases: a synchronous
 * bank of 16384 neurons all firing at 10 Hz, the same with 8 neurons, and
 * an asynchronous 16384-neuron bank at speed 200. The counter itself is
 * checked on a picture that strobes at 5 Hz. */
#include "draw.h"
#include "synth_speed.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>

#define W 480 /* the layout at scale 0.5: the same areas, a quarter of the pixels */
#define H 300
#define FPS 60
#define FRAMES 72
#define GRID 5 /* window positions per axis: thirds at a stride of a sixth */

static double
linear(unsigned c)
{
    double s = c / 255.0;
    return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

/* Mean relative luminance of each window of the surface. */
static void
window_luminance(cairo_surface_t *s, double out[GRID * GRID])
{
    static double lut[256];
    if (lut[255] == 0)
        for (int i = 0; i < 256; ++i)
            lut[i] = linear((unsigned)i);
    cairo_surface_flush(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    /* luminance summed per cell of a 6 x 6 grid; a window is 2 x 2 cells */
    double cell[6][6] = {{0}};
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            uint32_t p = *(const uint32_t *)(d + y * stride + 4 * x);
            cell[y * 6 / H][x * 6 / W] += 0.2126 * lut[(p >> 16) & 255] +
                                          0.7152 * lut[(p >> 8) & 255] + 0.0722 * lut[p & 255];
        }
    double per_cell = (double)(W / 6) * (H / 6);
    for (int wy = 0; wy < GRID; ++wy)
        for (int wx = 0; wx < GRID; ++wx)
            out[wy * GRID + wx] = (cell[wy][wx] + cell[wy][wx + 1] + cell[wy + 1][wx] +
                                   cell[wy + 1][wx + 1]) / (4 * per_cell);
}

/* Most flashes (pairs of opposing changes of >= 0.1 with the darker side
 * below 0.8) within any FPS consecutive frames of one luminance series. */
static int
most_flashes_per_second(const double *lum, int n)
{
    int change_at[FRAMES * 2], changes = 0, dir = 0;
    double lo = lum[0], hi = lum[0];
    for (int t = 1; t < n; ++t) {
        double l = lum[t];
        if (dir >= 0 && hi - l >= 0.1 && l < 0.8) { /* a fall from the high */
            change_at[changes++] = t;
            dir = -1;
            lo = hi = l;
        } else if (dir <= 0 && l - lo >= 0.1 && lo < 0.8) { /* a rise from the low */
            change_at[changes++] = t;
            dir = 1;
            lo = hi = l;
        }
        lo = fmin(lo, l);
        hi = fmax(hi, l);
    }
    int most = 0;
    for (int i = 0; i < changes; ++i) {
        int j = i;
        while (j < changes && change_at[j] - change_at[i] < FPS)
            ++j;
        most = (j - i) / 2 > most ? (j - i) / 2 : most;
    }
    return most;
}

static int
worst_window(double series[GRID * GRID][FRAMES])
{
    int worst = 0;
    for (int k = 0; k < GRID * GRID; ++k) {
        int f = most_flashes_per_second(series[k], FRAMES);
        worst = f > worst ? f : worst;
    }
    return worst;
}

static double series[GRID * GRID][FRAMES];

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
        double lum[GRID * GRID];
        window_luminance(s, lum);
        for (int k = 0; k < GRID * GRID; ++k)
            series[k][f] = lum[k];
    }
    cairo_surface_destroy(s);
    free(v);
    return worst_window(series);
}

Test(flash, the_counter_sees_a_5_hz_strobe)
{
    for (int f = 0; f < FRAMES; ++f)
        for (int k = 0; k < GRID * GRID; ++k)
            series[k][f] = (f / 6) % 2 ? 0.5 : 0.02; /* 6 frames on, 6 off */
    cr_expect_eq(worst_window(series), 5);
    for (int f = 0; f < FRAMES; ++f)
        series[0][f] = 0.02 + 0.05 * ((f / 6) % 2); /* a change under 0.1 */
    cr_expect_eq(most_flashes_per_second(series[0], FRAMES), 0);
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
