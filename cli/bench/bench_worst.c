/* bench_worst.c — the worst-case rows of `hillock bench`: banks at the top
 * of every range the guard exists for, timed block by block at 48 kHz in
 * 64-frame blocks (1.33 ms each): without the guard (the offline render's
 * path) and with it, budgeted as the plugin and `hillock jack` budget
 * (engine_calibrate_budget, 90 % of a block). A row gives the worst and
 * the mean block time (this thread's CPU time, so a shared core's waits do
 * not count), the guard's largest load, the neurons it kept and the time
 * scale it ran model time at in the end (1: as set; less where even its
 * fewest neurons do not fit and it slows model time). */
#define _POSIX_C_SOURCE 200809L
#include "bench_worst.h"

#include "bench_measure.h"
#include "engine.h"

#include <stdio.h>

#define RATE 48000.0
#define BLOCK 64u

typedef struct {
    const char *name;
    int model;
    float speed, temperature, connectivity, drive, w_exc, w_inh, inh_fraction;
} worst_case;

static const worst_case cases[] = {
    {"pinsky_rinzel 50 degC 10% coupled", MODEL_PINSKY_RINZEL, 200, 50, 0.1f, 200, 2, 5, 0.2f},
    {"pinsky_rinzel 50 degC all-to-all", MODEL_PINSKY_RINZEL, 200, 50, 1.0f, 200, 2, 5, 0.2f},
    {"hh 50 degC 10% coupled", MODEL_HH, 200, 50, 0.1f, 200, 2, 5, 0.2f},
    {"izhikevich all-to-all excitatory", MODEL_IZHIKEVICH, 200, 6.3f, 1.0f, 200, 2, 0, 0.0f},
    /* within reach of thinning: the same at speed 2 */
    {"pinsky_rinzel 10% coupled speed 2", MODEL_PINSKY_RINZEL, 2, 50, 0.1f, 200, 2, 5, 0.2f},
    {"hh 10% coupled speed 2", MODEL_HH, 2, 6.3f, 0.1f, 200, 2, 5, 0.2f},
};

/* Worst and mean block time, largest load, neurons at the end. */
static int
run(const worst_case *c, double budget, int blocks, double *worst, double *mean, float *load,
    unsigned *kept, double *time_scale)
{
    engine *e = engine_create(RATE);
    if (!e)
        return 1;
    float v[PARAM_COUNT];
    param_defaults(v);
    v[P_DRIVE_MODE] = DRIVE_ABSOLUTE; /* the cases' drives: the model's own unit */
    v[P_START] = START_REST;          /* the heaviest blocks from the first frame */
    v[P_MODEL] = (float)c->model;
    v[P_NEURONS] = (float)ENGINE_MAX_NEURONS;
    v[P_SPEED] = c->speed;
    v[P_TEMPERATURE] = c->temperature;
    v[P_CONNECTIVITY] = c->connectivity;
    v[P_DRIVE] = c->drive;
    v[P_W_EXC] = c->w_exc;
    v[P_W_INH] = c->w_inh;
    v[P_INHIBITORY_FRACTION] = c->inh_fraction;
    v[P_LISTEN] = LISTEN_BANK;
    v[P_START] = START_REST; /* stepping from the first block */
    engine_set_all_params(e, v);
    engine_set_budget(e, budget);
    static float l[BLOCK], r[BLOCK];
    engine_io io = {.out_left = l, .out_right = r};
    *worst = *mean = 0.0;
    *load = 0.0f;
    for (int k = 0; k < blocks; ++k) {
        double t0 = bench_cpu_ms();
        engine_process(e, &io, BLOCK);
        double t = bench_cpu_ms() - t0;
        *worst = t > *worst ? t : *worst;
        *mean += t / blocks;
        *load = io.guard_load > *load ? io.guard_load : *load;
    }
    engine_stats st;
    engine_get_stats(e, &st);
    *kept = budget > 0.0 ? st.guard_neurons : ENGINE_MAX_NEURONS;
    *time_scale = st.guard_time_scale;
    engine_destroy(e);
    return 0;
}

int
bench_worst(int blocks)
{
    const double block_ms = BLOCK / RATE * 1e3;
    const double budget = engine_calibrate_budget(RATE, simd_default(), 0.9);
    printf("worst case: %u neurons, speed 200 (and 2), drive and weights at their top, 48 kHz, "
           "%u-frame blocks (%.2f ms), %d blocks from rest, path %s, thread CPU time\n",
           ENGINE_MAX_NEURONS, BLOCK, block_ms, blocks,
           simd_name(simd_default()));
    printf("guard budget (engine_calibrate_budget, 90 %% of a block): %.3g work units/s\n",
           budget);
    printf("%-34s %-9s %10s %10s %8s %8s %8s %6s\n", "bank", "guard", "worst ms", "mean ms",
           "worst/blk", "load", "neurons", "time");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
        for (int guarded = 0; guarded < 2; ++guarded) {
            double worst, mean;
            float load;
            unsigned kept;
            double time_scale;
            if (run(&cases[i], guarded ? budget : 0.0, guarded ? 4 * blocks : blocks, &worst,
                    &mean, &load, &kept, &time_scale))
                return 1;
            printf("%-34s %-9s %10.2f %10.2f %8.2fx %8.2f %8u %6.2f\n", cases[i].name,
                   guarded ? "on" : "off", worst, mean, worst / block_ms,
                   guarded ? (double)load : 0.0, kept, time_scale);
            fflush(stdout);
        }
    return 0;
}
