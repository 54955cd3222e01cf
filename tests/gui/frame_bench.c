/* frame_bench — time to draw the whole panel (960 x 600, scale 1) from a
 * view filled by synth_speed.c, for every speed x bank size of the grid:
 *
 *   frame_bench [FRAMES] [MAX_MS] [PNG_DIR]
 *
 * Prints one line per case: speed, neurons, mean and worst ms per frame of
 * the whole panel, then the mean ms of each view drawn alone.
 * With MAX_MS, exits 1 if any case's worst frame exceeds it (the test's
 * bound). Each frame draws after the view has advanced by one 60 Hz frame
 * of new activity, as in the UI. Times are the thread's CPU time, which a
 * busy machine inflates less than wall time; one untimed frame first warms
 * the font caches. With PNG_DIR, each case's last frame is saved there as
 * panel_SPEED_NEURONS.png. */
#include "draw.h"
#include "synth_speed.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

int
main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 20;
    double max_ms = argc > 2 ? atof(argv[2]) : 0.0;
    const char *png_dir = argc > 3 ? argv[3] : NULL;
    static const double speeds[] = {1, 26, 200};
    static const unsigned sizes[] = {8, 4096, 16384};
    const int w = HILLOCK_UI_BASE_W, h = HILLOCK_UI_BASE_H;
    hillock_view *v = malloc(sizeof *v);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    hillock_layout l;
    hillock_layout_compute(&l, w, h, 0);
    hillock_panel_state st = {-1, -1, -1, -1, "", false};
    int status = 0;
    synth_fill_speed(v, 8, 1.0, 1.0, 0.5, 0);
    cairo_t *warm = cairo_create(s);
    hillock_draw_panel(warm, &l, v, &st);
    cairo_destroy(warm);
    printf("%8s %8s %10s %10s %8s %8s %8s %8s\n", "speed", "neurons", "mean_ms", "worst_ms",
           "raster", "rate", "scope", "phase");
    for (unsigned a = 0; a < sizeof speeds / sizeof *speeds; ++a)
        for (unsigned b = 0; b < sizeof sizes / sizeof *sizes; ++b) {
            double sum = 0, worst = 0, views[4] = {0};
            for (int f = 0; f < frames; ++f) {
                synth_fill_speed(v, sizes[b], speeds[a], 10.0 + f / 60.0, 1.2, 0);
                cairo_t *cr = cairo_create(s);
                double t0 = now_ms();
                hillock_draw_panel(cr, &l, v, &st);
                cairo_surface_flush(s);
                double dt = now_ms() - t0;
                double t1 = now_ms();
                hillock_draw_raster(cr, l.raster, v, l.scale, true);
                double t2 = now_ms();
                hillock_draw_rate(cr, l.rate, v, l.scale);
                double t3 = now_ms();
                hillock_draw_scope(cr, l.scope, v, l.scale, true);
                double t4 = now_ms();
                hillock_draw_phase(cr, l.phase, v, l.scale);
                cairo_surface_flush(s);
                double t5 = now_ms();
                views[0] += t2 - t1;
                views[1] += t3 - t2;
                views[2] += t4 - t3;
                views[3] += t5 - t4;
                cairo_destroy(cr);
                sum += dt;
                worst = dt > worst ? dt : worst;
            }
            if (png_dir) {
                char path[1024];
                snprintf(path, sizeof path, "%s/panel_%g_%u.png", png_dir, speeds[a], sizes[b]);
                cairo_surface_t *shot = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
                cairo_t *cr = cairo_create(shot);
                hillock_draw_panel(cr, &l, v, &st);
                cairo_destroy(cr);
                cairo_surface_write_to_png(shot, path);
                cairo_surface_destroy(shot);
            }
            printf("%8g %8u %10.2f %10.2f %8.2f %8.2f %8.2f %8.2f\n", speeds[a], sizes[b],
                   sum / frames, worst, views[0] / frames, views[1] / frames,
                   views[2] / frames, views[3] / frames);
            fflush(stdout);
            if (max_ms > 0 && worst > max_ms)
                status = 1;
        }
    cairo_surface_destroy(s);
    free(v);
    return status;
}
