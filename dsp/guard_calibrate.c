/* guard_calibrate.c — the real-time guard's budget for this CPU
 * (engine_calibrate_budget). Runs outside the audio thread only: it creates
 * an engine and reads the thread's CPU clock. */
#define _POSIX_C_SOURCE 200809L
#include "engine.h"
#include "guard.h"
#include "models/registry.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Each probe runs until PROBE_NS of CPU time have passed, twice; the faster
 * run counts. Seven probes: about 40 ms in all. */
#define PROBE_NS 2.5e6
#define PROBE_BLOCK 64u

static double
cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

typedef struct {
    int model;
    float neurons, speed, noise, connectivity;
} probe;

/* Work units per second of CPU time one probe achieves. */
static double
probe_rate(engine *e, const probe *p)
{
    const model_info *info = model_info_of(p->model);
    float v[PARAM_COUNT];
    param_defaults(v);
    v[P_MODEL] = (float)p->model;
    v[P_NEURONS] = p->neurons;
    v[P_DRIVE] = info->bench_drive;
    v[P_SPREAD] = 0.2f;
    v[P_SPEED] = p->speed;
    v[P_NOISE] = p->noise;
    v[P_LISTEN] = LISTEN_BANK;
    if (p->connectivity > 0.0f) {
        v[P_CONNECTIVITY] = p->connectivity;
        v[P_W_EXC] = 0.01f;
        v[P_W_INH] = 0.05f;
    }
    engine_set_all_params(e, v);
    static float l[PROBE_BLOCK], r[PROBE_BLOCK];
    engine_io io = {.out_left = l, .out_right = r};
    engine_process(e, &io, PROBE_BLOCK); /* tables, caches */
    double best = 0.0;
    for (int k = 0; k < 2; ++k) {
        double units = 0.0, t0 = cpu_ns(), t;
        do {
            engine_stats s;
            engine_process(e, &io, PROBE_BLOCK);
            engine_get_stats(e, &s);
            units += s.guard_work;
            t = cpu_ns() - t0;
        } while (t < PROBE_NS);
        double rate = units / (t * 1e-9);
        best = rate > best ? rate : best;
    }
    return best;
}

double
engine_calibrate_budget(double sample_rate, simd_isa isa, double share)
{
    engine *e = engine_create(sample_rate);
    if (!e)
        return 0.0;
    engine_set_isa(e, isa);
    /* every model, then what the per-neuron costs do not cover: noise,
     * synapses, and the fixed costs of a small bank stepped often */
    probe probes[MODEL_COUNT + 3];
    unsigned n = 0;
    for (int m = 0; m < MODEL_COUNT; ++m)
        probes[n++] = (probe){m, 1024, 1, 0, 0};
    probes[n++] = (probe){MODEL_HH, 512, 1, 1, 0};
    probes[n++] = (probe){MODEL_IZHIKEVICH, 1024, 1, 0, 0.1f};
    probes[n++] = (probe){MODEL_IZHIKEVICH, 16, 20, 0, 0};
    double slowest = 0.0;
    for (unsigned k = 0; k < n; ++k) {
        double rate = probe_rate(e, &probes[k]);
        if (k == 0 || rate < slowest)
            slowest = rate;
    }
    engine_destroy(e);
    return share * GUARD_SAFETY * slowest;
}

int
engine_guard_wanted(void)
{
    const char *v = getenv("HILLOCK_GUARD");
    return !(v && (!strcmp(v, "off") || !strcmp(v, "0")));
}
