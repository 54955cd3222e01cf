/* long_render.c — renders the busiest preset for a long time, offline, and
 * checks that nothing degrades:
 *   - no sample is non-finite or beyond +-1 (engine.h's contract), ever;
 *   - the CPU cost per second of audio does not grow: the median cost of the
 *     last third of the 5 s windows is at most 1.5x that of the first third
 *     (growth would mean state accumulating: denormals, queues, drift);
 *   - memory does not grow: the peak resident size (getrusage ru_maxrss)
 *     after the render equals the one after the first window, within 1 MiB
 *     (the engine allocates only in engine_create, engine.h).
 *
 *   long_render SECONDS [PRESET]   (default: the costliest preset, measured)
 *
 * The stimulus is a deterministic noise+tone at half scale and a MIDI note
 * (on for 0.5 s, off for 0.5 s, walking the keyboard) every second, so
 * presets driven by audio or MIDI do their work. It exits 0 when every
 * promise held and prints the figures.
 */
#include "bounded.h"
#include "engine.h"
#include "presets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define RATE 48000.0
#define BLOCK 512u
/* 5 s: CI's 60 s render has 12 windows, a median of 3 at each end; the
 * hour on demand (scripts/reliability-long.sh) has 720 */
#define WINDOW_S 5

static double
cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static long
maxrss_kb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Renders `seconds` of preset `values`; returns 0 and prints why on failure.
 * With cost_only, renders and returns the CPU seconds spent (as > 0). */
static double
render(const float values[PARAM_COUNT], double seconds, bounded_run *r, int report)
{
    engine *e = engine_create(RATE);
    if (!e) {
        fprintf(stderr, "long_render: engine_create failed\n");
        return 0;
    }
    engine_set_all_params(e, values);
    const uint64_t total = (uint64_t)(seconds * RATE);
    const uint64_t per_window = (uint64_t)(WINDOW_S * RATE);
    size_t n_windows = (size_t)((total + per_window - 1) / per_window);
    double *cost = calloc(n_windows ? n_windows : 1, sizeof *cost);
    long rss_first = 0;
    double t_start = cpu_s(), t_window = t_start;
    uint64_t done = 0;
    size_t w = 0;
    int ok = 1;
    while (done < total && ok) {
        uint32_t n = total - done < BLOCK ? (uint32_t)(total - done) : BLOCK;
        /* a note every second: on at 0 s, off at 0.5 s */
        uint64_t sec = done / (uint64_t)RATE, in_sec = done % (uint64_t)RATE;
        if (in_sec < BLOCK || (in_sec >= (uint64_t)RATE / 2 && in_sec < (uint64_t)RATE / 2 + BLOCK)) {
            uint8_t note = (uint8_t)(36 + sec % 48);
            uint8_t msg[3] = {in_sec < BLOCK ? 0x90 : 0x80, note, 100};
            engine_midi(e, msg, 3);
        }
        bounded_signal(r->stim, n, done, 0.5f);
        ok = bounded_block(e, r, n, r->stim, NULL);
        done += n;
        if (done >= (uint64_t)(w + 1) * per_window || done == total) {
            double now = cpu_s();
            cost[w++] = now - t_window;
            t_window = now;
            if (w == 1)
                rss_first = maxrss_kb();
        }
    }
    double spent = cpu_s() - t_start;
    engine_stats st;
    engine_get_stats(e, &st);
    engine_destroy(e);
    if (!ok) {
        fprintf(stderr, "long_render: at %.1f s: %s\n", (double)done / RATE, r->failure);
        free(cost);
        return 0;
    }
    if (!report) {
        free(cost);
        return spent > 0 ? spent : 1e-9;
    }
    long rss_end = maxrss_kb();
    printf("rendered %.0f s of audio in %.1f s CPU (%.1fx real time); %llu spikes, "
           "%llu non-finite resets, peak %.3f\n",
           seconds, spent, seconds / spent, (unsigned long long)st.spikes,
           (unsigned long long)st.nonfinite_resets, r->peak);
    printf("max RSS after the first %d s: %ld KiB, at the end: %ld KiB\n", WINDOW_S, rss_first,
           rss_end);
    int good = 1;
    if (rss_end - rss_first > 1024) {
        fprintf(stderr, "long_render: memory grew by %ld KiB\n", rss_end - rss_first);
        good = 0;
    }
    /* full windows only; the first is the warm-up */
    size_t full = (size_t)(total / per_window);
    if (full >= 4) {
        size_t third = (full - 1) / 3;
        double *early = cost + 1, *late = cost + full - third;
        double early_copy[4096], late_copy[4096];
        third = third > 4096 ? 4096 : third;
        memcpy(early_copy, early, third * sizeof(double));
        memcpy(late_copy, late, third * sizeof(double));
        double me = median(early_copy, third), ml = median(late_copy, third);
        printf("CPU per %d s window: median %.3f s early, %.3f s late (ratio %.2f)\n", WINDOW_S,
               me, ml, ml / me);
        if (ml > 1.5 * me) {
            fprintf(stderr, "long_render: cost per second grew %.2fx\n", ml / me);
            good = 0;
        }
    }
    free(cost);
    return good ? spent : 0;
}

int
main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 60.0;
    static bounded_run r;
    float values[PARAM_COUNT];
    char err[512], chosen[64] = "";
    if (argc > 2) {
        if (!preset_load(argv[2], values, err, sizeof err)) {
            fprintf(stderr, "long_render: %s\n", err);
            return 1;
        }
        snprintf(chosen, sizeof chosen, "%.63s", argv[2]);
    } else {
        /* the busiest preset is the one that costs the most to render */
        static preset_info list[64];
        int n = presets_list(list, 64, err, sizeof err);
        if (n <= 0) {
            fprintf(stderr, "long_render: no presets: %s\n", err);
            return 1;
        }
        double worst = -1;
        for (int i = 0; i < n; ++i) {
            float v[PARAM_COUNT];
            if (!preset_load(list[i].path, v, err, sizeof err)) {
                fprintf(stderr, "long_render: %s\n", err);
                return 1;
            }
            double c = render(v, 1.0, &r, 0);
            if (c == 0)
                return 1;
            if (c > worst) {
                worst = c;
                memcpy(values, v, sizeof values);
                snprintf(chosen, sizeof chosen, "%.63s", list[i].name);
            }
        }
        printf("busiest of %d presets: %s (%.3f s CPU per second of audio)\n", n, chosen, worst);
    }
    return render(values, seconds, &r, 1) > 0 ? 0 : 1;
}
