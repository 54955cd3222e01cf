#include "bench_measure.h"

#include "engine.h"
#include "models/registry.h"
#include "synapses.h"
#include "zeroed.h"

#include "../synapse_opts.h"
#include "workers.h"

#include <malloc.h>
#include <stdlib.h>
#include <time.h>

#define BLOCK 64u
#define RATE 48000.0

static struct workers *pool;

/* CPU time of this thread: time the thread was not running (the machine
 * may be shared) is not counted. With a pool, wall time: the work is on
 * other threads too. */
static double
now_ns(void)
{
    struct timespec t;
    clock_gettime(pool ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

double
bench_cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

void
bench_use_workers(workers *w)
{
    pool = w;
}

static engine *
make_engine(const bench_case *c, simd_isa isa, uint32_t neurons, double fs)
{
    engine *e = engine_create(fs);
    if (!e)
        return NULL;
    engine_set_isa(e, isa);
    float v[PARAM_COUNT];
    param_defaults(v);
    v[P_DRIVE_MODE] = DRIVE_ABSOLUTE; /* bench_drive: the model's own unit */
    v[P_START] = START_REST;          /* timed from the first frame */
    v[P_MODEL] = (float)c->model;
    v[P_NEURONS] = (float)neurons;
    v[P_DRIVE] = c->drive;
    v[P_SPREAD] = c->spread;
    v[P_NOISE] = c->noise;
    if (c->connectivity > 0.0f) {
        v[P_CONNECTIVITY] = c->connectivity;
        v[P_W_EXC] = 0.01f;
        v[P_W_INH] = 0.05f;
    }
    if (c->learning) {
        v[P_SYNAPSE_MODEL] = SYNAPSE_RECEPTORS;
        v[P_PLASTICITY] = 1.0f;
        v[P_AXON_VELOCITY] = 1.0f;
    }
    engine_set_all_params(e, v);
    if (c->learning && !cli_synapses_update("bench", e, true)) {
        engine_destroy(e);
        return NULL;
    }
    if (pool) {
        engine_set_parallel(e, workers_run, pool, workers_count(pool));
        engine_set_parallel_tasks(e, workers_post, workers_wait);
    }
    return e;
}

static void
destroy_engine(engine *e)
{
    cli_synapses_release(e);
    engine_destroy(e);
}

/* Time of one BLOCK-frame block, ns: the average over a run of `frames`
 * frames (every block, spiking or quiet, counts), the fastest of `repeats`
 * runs. Spikes: of the last run. */
static double
time_engine(engine *e, uint32_t frames, int repeats, uint64_t *spikes)
{
    static float l[BLOCK], r[BLOCK];
    engine_io io = {.out_left = l, .out_right = r};
    double best = 1e300;
    for (int k = 0; k < repeats; ++k) {
        engine_stats s0, s1;
        engine_get_stats(e, &s0);
        double t0 = now_ns();
        uint32_t blocks = 0;
        for (uint32_t done = 0; done < frames; done += BLOCK, ++blocks)
            engine_process(e, &io, BLOCK);
        double t = (now_ns() - t0) / blocks;
        if (t < best)
            best = t;
        engine_get_stats(e, &s1);
        *spikes = s1.spikes - s0.spikes;
    }
    return best;
}

static uint32_t
frames_of(double seconds)
{
    return (uint32_t)(seconds * RATE / BLOCK + 1.0) * BLOCK;
}

/* One bank of n neurons: *block_ns per BLOCK-frame block, the spikes of the
 * last run, the model steps per frame. */
static int
time_bank(const bench_case *c, simd_isa isa, uint32_t n, uint32_t frames, int repeats,
          double *block_ns, uint64_t *spikes, uint32_t *substeps)
{
    engine *e = make_engine(c, isa, n, RATE);
    if (!e)
        return -1;
    time_engine(e, (uint32_t)(0.1 * RATE), 1, spikes); /* warm up: past the onset */
    *block_ns = time_engine(e, frames, repeats, spikes);
    engine_stats st;
    engine_get_stats(e, &st);
    *substeps = st.substeps;
    destroy_engine(e);
    return 0;
}

int
bench_thread_split(const bench_case *c, simd_isa isa, uint32_t n, double seconds,
                   bench_threads *out)
{
    if (!pool)
        return -1;
    engine *e = make_engine(c, isa, n, RATE);
    if (!e)
        return -1;
    uint64_t spikes;
    time_engine(e, (uint32_t)(0.1 * RATE), 1, &spikes); /* warm up: past the onset */
    workers_profile_start(pool);
    time_engine(e, frames_of(seconds), 1, &spikes);
    out->profile = workers_profile_read(pool);
    engine_destroy(e);
    /* the parts of a step of this bank (bank.c: four a thread, whole
     * blocks of 512 neurons) */
    unsigned parts = 4u * workers_count(pool), blocks = (n + 511u) / 512u;
    parts = parts < blocks ? parts : blocks;
    out->fork_join_ns = workers_fork_join_ns(pool, parts, 20000);
    /* the voices' task runs beside the serial part, on another thread */
    const double s = out->profile.serial_ns, p = out->profile.parallel_ns,
                 t = out->profile.task_ns;
    out->parallel_share = (p + t) / (s + p + t);
    out->projected =
        (s + p + t) / ((s > t ? s : t) + p / workers_count(pool) + out->fork_join_ns);
    return 0;
}

int
bench_measure_at(const bench_case *c, simd_isa isa, uint32_t n, double seconds, int repeats,
                 double *ns_per_neuron_step, double *spikes_hz)
{
    const uint32_t frames = frames_of(seconds);
    double t;
    uint64_t spikes = 0;
    uint32_t substeps = 1;
    if (time_bank(c, isa, n, frames, repeats, &t, &spikes, &substeps))
        return -1;
    *ns_per_neuron_step = t / ((double)BLOCK * substeps * n);
    *spikes_hz = (double)spikes / (n * frames / RATE);
    return 0;
}

int
bench_measure(const bench_case *c, simd_isa isa, uint32_t n_small, uint32_t n_max, double seconds,
              int repeats, bench_result *out)
{
    uint32_t frames = frames_of(seconds);
    double t[2];
    uint32_t n[2] = {n_small, n_max};
    uint64_t spikes = 0;
    for (int k = 0; k < 2; ++k)
        if (time_bank(c, isa, n[k], frames, repeats, &t[k], &spikes, &out->substeps))
            return -1;
    /* t[] are per block */
    double steps = (double)BLOCK * out->substeps;
    out->ns_per_neuron_step = (t[1] - t[0]) / (steps * (double)(n_max - n_small));
    out->ns_per_frame_fixed = (t[0] / BLOCK) - out->ns_per_neuron_step * n_small * out->substeps;
    if (out->ns_per_frame_fixed < 0.0)
        out->ns_per_frame_fixed = 0.0;
    out->ns_per_neuron_step_at_max = t[1] / (steps * n_max);
    out->spikes_per_neuron_s = (double)spikes / (n_max * frames / RATE);
    return 0;
}

/* Heap in use: the main arena and the blocks mapped on their own. */
static double
heap_bytes(void)
{
    struct mallinfo2 a = mallinfo2();
    return (double)(a.uordblks + a.hblkhd);
}

double
bench_engine_bytes(void)
{
    double before = heap_bytes() + (double)zeroed_mapped_bytes();
    engine *e = engine_create(RATE);
    double after = heap_bytes() + (double)zeroed_mapped_bytes();
    engine_destroy(e);
    return e ? after - before : 0.0;
}

/* CPU time (this thread's, the system's page work included) of creating and
 * destroying a real-time engine, fastest of `repeats`: what a host waits
 * for at a plugin's instantiation. */
double
bench_engine_create_ms(int repeats)
{
    double best = 0.0;
    for (int r = 0; r < repeats; ++r) {
        const double t0 = bench_cpu_ms();
        engine_destroy(engine_create(RATE));
        const double ms = bench_cpu_ms() - t0;
        if (r == 0 || ms < best)
            best = ms;
    }
    return best;
}

/* Heap of an engine holding case c's bank (plastic: its synapses stored,
 * the table built as `hillock render` builds it), after one block. */
static double
bench_bank_bytes(const bench_case *c, uint32_t neurons, int plastic, double *synapses)
{
    static float l[BLOCK], r[BLOCK];
    engine_io io = {.out_left = l, .out_right = r};
    double before = heap_bytes() + (double)zeroed_mapped_bytes();
    engine *e = make_engine(c, SIMD_SCALAR, neurons, RATE);
    if (!e)
        return 0.0;
    if (plastic) {
        engine_set_param(e, P_PLASTICITY, 1.0f);
        engine_process(e, &io, BLOCK);
        cli_synapses_update("bench", e, true);
    }
    engine_process(e, &io, BLOCK);
    double after = heap_bytes() + (double)zeroed_mapped_bytes();
    const struct synapse_table *t = engine_synapses(e);
    if (synapses)
        *synapses = t ? (double)t->count : 0.0;
    cli_synapses_release(e);
    engine_destroy(e);
    return after - before;
}

bench_synapse_memory
bench_synapse_bytes(uint32_t neurons, float connectivity)
{
    bench_case alone = {"", 0, model_info_of(0)->bench_drive, 0.0f, 0.0f, 0.5f, 0, 0};
    bench_case coupled = alone;
    coupled.connectivity = connectivity;
    bench_synapse_memory m = {.neurons = neurons,
                              .synapses = (double)neurons * (neurons - 1u) * connectivity};
    const double base = bench_bank_bytes(&alone, neurons, 0, NULL);
    m.table_bytes = bench_bank_bytes(&coupled, neurons, 0, NULL) - base;
    if (m.table_bytes < 0.0)
        m.table_bytes = 0.0; /* allocator noise: nothing is stored */
    m.bytes_per_synapse = m.synapses > 0.0 ? m.table_bytes / m.synapses : 0.0;
    m.stored_bytes = bench_bank_bytes(&coupled, neurons, 1, &m.stored_synapses) - base;
    m.stored_bytes_per_synapse =
        m.stored_synapses > 0.0 ? m.stored_bytes / m.stored_synapses : 0.0;
    return m;
}

double
bench_capacity(const bench_case *c, const bench_result *r, double fs, double fraction)
{
    /* substeps at fs: the engine's rule, asked of the engine itself */
    engine *e = make_engine(c, SIMD_SCALAR, 1, fs);
    uint32_t sub = r->substeps;
    if (e) {
        static float l[16], rr[16];
        engine_io io = {.out_left = l, .out_right = rr};
        engine_process(e, &io, 16);
        engine_stats st;
        engine_get_stats(e, &st);
        sub = st.substeps;
        destroy_engine(e);
    }
    double budget_ns_per_frame = fraction * 1e9 / fs;
    double n = (budget_ns_per_frame - r->ns_per_frame_fixed) / (r->ns_per_neuron_step * sub);
    return n > 0.0 ? n : 0.0;
}
