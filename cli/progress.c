/* progress.c — "[#######.......]  47%  4.7 / 10.0 s  ETA 5 s" redrawn in place
 * with a carriage return, at most ten times a second. */
#include "progress.h"

#include <stdio.h>
#include <time.h>

#define BAR_WIDTH 30
#define SHOW_AFTER_S 1.0
#define REDRAW_EVERY_S 0.1

double
progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void
progress_start(progress *p, bool enabled)
{
    p->enabled = enabled;
    p->drawn = false;
    p->start_s = progress_now();
    p->last_draw_s = 0.0;
}

void
progress_update(progress *p, double done, double total)
{
    if (!p->enabled || total <= 0.0)
        return;
    double now = progress_now(), elapsed = now - p->start_s;
    if (elapsed < SHOW_AFTER_S || now - p->last_draw_s < REDRAW_EVERY_S)
        return;
    p->last_draw_s = now;
    double frac = done / total;
    if (frac > 1.0)
        frac = 1.0;
    char bar[BAR_WIDTH + 1];
    int filled = (int)(frac * BAR_WIDTH);
    for (int i = 0; i < BAR_WIDTH; ++i)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    double eta = frac > 0.0 ? elapsed * (1.0 - frac) / frac : 0.0;
    fprintf(stderr, "\r[%s] %3d%%  %.1f / %.1f s  ETA %.0f s   ", bar, (int)(frac * 100.0),
            done, total, eta);
    fflush(stderr);
    p->drawn = true;
}

void
progress_finish(progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr); /* carriage return, erase to end of line */
        fflush(stderr);
        p->drawn = false;
    }
}
