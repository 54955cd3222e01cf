/* frame_bench — time to draw the whole panel (960 x 600, scale 1) from a
 * view filled by synth_speed.c, for every speed x bank size of the grid:
 *
 *   frame_bench [FRAMES] [MAX_MS]
 *
 * Prints one line per case: speed, neurons, mean and worst ms per frame.
 * With MAX_MS, exits 1 if any case's worst frame exceeds it (the test's
 * bound). Each frame draws after the view has advanced by one 60 Hz frame
 * of new activity, as in the UI. */
#include "draw.h"
#include "synth_speed.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

int
main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 20;
    double max_ms = argc > 2 ? atof(argv[2]) : 0.0;
    static const double speeds[] = {1, 26, 200};
    static const unsigned sizes[] = {8, 4096, 16384};
    const int w = HILLOCK_UI_BASE_W, h = HILLOCK_UI_BASE_H;
    hillock_view *v = malloc(sizeof *v);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    hillock_layout l;
    hillock_layout_compute(&l, w, h);
    hillock_panel_state st = {-1, -1, -1};
    int status = 0;
    printf("%8s %8s %10s %10s\n", "speed", "neurons", "mean_ms", "worst_ms");
    for (unsigned a = 0; a < sizeof speeds / sizeof *speeds; ++a)
        for (unsigned b = 0; b < sizeof sizes / sizeof *sizes; ++b) {
            double sum = 0, worst = 0;
            for (int f = 0; f < frames; ++f) {
                synth_fill_speed(v, sizes[b], speeds[a], 10.0 + f / 60.0, 1.2, 0);
                cairo_t *cr = cairo_create(s);
                double t0 = now_ms();
                hillock_draw_panel(cr, &l, v, &st);
                cairo_surface_flush(s);
                double dt = now_ms() - t0;
                cairo_destroy(cr);
                sum += dt;
                worst = dt > worst ? dt : worst;
            }
            printf("%8g %8u %10.2f %10.2f\n", speeds[a], sizes[b], sum / frames, worst);
            fflush(stdout);
            if (max_ms > 0 && worst > max_ms)
                status = 1;
        }
    cairo_surface_destroy(s);
    free(v);
    return status;
}
