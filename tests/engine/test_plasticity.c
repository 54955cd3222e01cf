/* The stored synapses: the table is the on-the-fly network, STDP's rules
 * against Brian2 (scripts/stdp_reference.py, run with Brian2 2.5.1: the
 * numbers below are its output), delays arrive at their exact sub-step
 * time. */
#include "synapses.h"
#include "weight_census.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static synapse_table *
table(uint32_t n, float p, uint64_t seed)
{
    network_params np = {.seed = seed, .p = p, .w_exc = 1.0f, .w_inh = 1.0f};
    char err[256];
    synapse_table *t = synapses_build(&np, n, err, sizeof err);
    cr_assert(t, "%s", err);
    return t;
}

static uint32_t
synapse_of(const synapse_table *t, uint32_t pre, uint32_t post)
{
    for (uint32_t s = t->row[pre]; s < t->row[pre + 1]; ++s)
        if (t->post[s] == post)
            return s;
    cr_assert_fail("no synapse %u -> %u", pre, post);
    return 0;
}

Test(plasticity, table_holds_the_network_the_seed_draws)
{
    /* sparse and dense (complement) draws: a spike through the table adds
     * to exactly the conductances network_deliver adds to */
    const float ps[] = {0.1f, 0.5f, 0.8f, 1.0f};
    const uint32_t n = 300;
    for (int k = 0; k < 4; ++k) {
        network_params np = {.seed = 11, .p = ps[k], .w_exc = 0.25f, .w_inh = 0.5f};
        synapse_table *t = table(n, ps[k], 11);
        float a[300] = {0}, b[3][300] = {{0}};
        float *g[3] = {b[0], b[1], b[2]};
        synapse_params sp = {.w_max = 2.0f, .dt_ms = 0.02f, .tau_exc_ms = 2, .tau_inh_ms = 8};
        uint8_t inh[300] = {0}, branch[300] = {0};
        for (uint32_t pre = 0; pre < n; pre += 37) {
            memset(a, 0, sizeof a);
            memset(b, 0, sizeof b);
            network_deliver(&np, pre, n, 0, a, NULL);
            uint32_t spiked = pre;
            float frac = 0.5f;
            synapses_step(t, &sp, &np, &spiked, &frac, 1, inh, branch, g);
            cr_assert_eq(memcmp(a, b[0], sizeof a), 0, "p %g, neuron %u", ps[k], pre);
        }
        cr_expect_float_eq((double)t->count / ((double)n * (n - 1)), ps[k], 0.02,
                           "density %g", ps[k]);
        synapses_free(t);
    }
}

Test(plasticity, beyond_the_memory_cap_is_refused_with_a_reason)
{
    network_params np = {.seed = 1, .p = 1.0f, .w_exc = 1, .w_inh = 1};
    char err[512];
    /* 16384^2 synapses at the bytes of each */
    synapse_table *t = synapses_build(&np, 16384, err, sizeof err);
    cr_assert_null(t);
    cr_expect(strstr(err, "beyond the cap") != NULL, "%s", err);
}

/* The pair rule's window, one fresh synapse per pair: Brian2, Song, Miller
 * & Abbott 2000 (tau 20 ms, A+ 0.005 w_max, A- 1.05 A+), dw / w_max. */
static const double window_brian2[][2] = {
    {-80.0, -9.61571042e-05}, {-40.0, -0.000710510237}, {-20.0, -0.00193136707},
    {-10.0, -0.00318428596},  {-5.0, -0.00408870411},   {-1.0, -0.00499395448},
    {1.0, 0.00475614712},     {5.0, 0.00389400392},     {10.0, 0.0030326533},
    {20.0, 0.00183939721},    {40.0, 0.000676676416},   {80.0, 9.15781944e-05},
};

/* One pair, pre at t_pre and post dt_ms later, from weight w0. */
static double
pair_change_at(synapse_table *t, const synapse_params *sp, double t_pre, double dt_ms,
               float w0)
{
    synapses_clear_activity(t);
    const uint32_t s = synapse_of(t, 0, 1);
    t->weight[s].w = w0;
    const double t_post = t_pre + dt_ms;
    if (t_pre <= t_post) {
        synapses_stdp_pre(t, sp, 0, t_pre);
        synapses_stdp_post(t, sp, NULL, 1, t_post);
    } else {
        synapses_stdp_post(t, sp, NULL, 1, t_post);
        synapses_stdp_pre(t, sp, 0, t_pre);
    }
    return (double)t->weight[s].w - w0;
}

static double
pair_change(synapse_table *t, const synapse_params *sp, double dt_ms, float w0)
{
    return pair_change_at(t, sp, 100.0, dt_ms, w0);
}

Test(plasticity, pair_window_matches_brian2)
{
    synapse_table *t = table(2, 1.0f, 1);
    synapse_params sp = {.rate = 1.0f, .rule = STDP_PAIR_ADDITIVE, .w_max = 1.0f};
    for (size_t k = 0; k < sizeof window_brian2 / sizeof window_brian2[0]; ++k) {
        double dw = pair_change(t, &sp, window_brian2[k][0], 0.5f);
        cr_expect(fabs(dw - window_brian2[k][1]) < 2e-7 + 1e-4 * fabs(window_brian2[k][1]),
                  "dt %g ms: dw %.9g, Brian2 %.9g", window_brian2[k][0], dw,
                  window_brian2[k][1]);
    }
    /* the learning rate scales it; w_max is the unit */
    sp.rate = 2.0f;
    sp.w_max = 2.0f;
    double dw = pair_change(t, &sp, 10.0, 1.0f);
    cr_expect(fabs(dw - 4.0 * 0.0030326533) < 1e-6, "rate 2, w_max 2: %g", dw);
    synapses_free(t);
}

/* The same window for pairs seconds into a run, whatever the time the
 * table's clock reads (stdp.c's reference frame for the traces starts at a
 * spike: the values must not depend on where). */
Test(plasticity, pair_window_holds_across_the_traces_reference_frames)
{
    static const double starts[] = {1000.0, 1023.5, 1024.0, 2047.99, 5119.0, 60000.25};
    synapse_table *t = table(2, 1.0f, 1);
    synapse_params sp = {.rate = 1.0f, .rule = STDP_PAIR_ADDITIVE, .w_max = 1.0f};
    for (size_t a = 0; a < sizeof starts / sizeof starts[0]; ++a)
        for (size_t k = 0; k < sizeof window_brian2 / sizeof window_brian2[0]; ++k) {
            const double dt = window_brian2[k][0];
            /* the earlier spike at the start */
            double dw = pair_change_at(t, &sp, dt > 0 ? starts[a] : starts[a] - dt, dt, 0.5f);
            cr_expect(fabs(dw - window_brian2[k][1]) < 2e-7 + 1e-4 * fabs(window_brian2[k][1]),
                      "from %g ms, dt %g ms: dw %.9g, Brian2 %.9g", starts[a], dt, dw,
                      window_brian2[k][1]);
        }
    synapses_free(t);
}

Test(plasticity, hard_bounds_hold)
{
    synapse_table *t = table(2, 1.0f, 1);
    synapse_params sp = {.rate = 100.0f, .rule = STDP_PAIR_ADDITIVE, .w_max = 1.5f};
    const uint32_t s = synapse_of(t, 0, 1);
    pair_change(t, &sp, 1.0, 1.4f);
    cr_expect_eq(t->weight[s].w, 1.5f);
    pair_change(t, &sp, -1.0, 0.1f);
    cr_expect_eq(t->weight[s].w, 0.0f);
    synapses_free(t);
}

/* van Rossum, Bi & Turrigiano 2000: depression proportional to the weight.
 * Brian2: post 10 ms before pre, from w0 (w_max 1). */
Test(plasticity, multiplicative_depression_scales_with_the_weight_as_brian2)
{
    static const double brian2[][2] = {{0.2, -0.000636857193}, {0.8, -0.00254742877}};
    synapse_table *t = table(2, 1.0f, 1);
    synapse_params sp = {.rate = 1.0f, .rule = STDP_PAIR_MULTIPLICATIVE, .w_max = 1.0f};
    for (int k = 0; k < 2; ++k) {
        double dw = pair_change(t, &sp, -10.0, (float)brian2[k][0]);
        cr_expect(fabs(dw - brian2[k][1]) < 1e-4 * fabs(brian2[k][1]) + 1e-8,
                  "w0 %g: dw %.9g, Brian2 %.9g", brian2[k][0], dw, brian2[k][1]);
    }
    /* potentiation does not depend on w */
    cr_expect(fabs(pair_change(t, &sp, 10.0, 0.2f) - pair_change(t, &sp, 10.0, 0.7f)) < 1e-7);
    synapses_free(t);
}

/* Axonal delays: a spike at fraction f of its step, on an axon of length L
 * at velocity v, arrives at t_spike + L / v (the definition of the
 * conduction delay, delivered at its exact time as in event-driven
 * simulators with precise spike times, Morrison et al. 2007). The
 * conductance the bank reads at the end of the arrival step is w
 * exp(-(t_end - t_arrival) / tau); the arrival time recovered from it must
 * be the exact one, far inside a step. */
Test(plasticity, delays_arrive_at_their_exact_sub_step_time)
{
    const uint32_t n = 8;
    synapse_table *t = table(n, 1.0f, 3);
    network_params np = {.seed = 3, .p = 1.0f, .w_exc = 0.5f, .w_inh = 1.0f};
    const float dts[] = {0.02f, 0.0521f};
    for (int k = 0; k < 2; ++k) {
        const float dt = dts[k], tau = 2.0f, v = 0.7f, f = 0.3f;
        synapse_params sp = {.w_max = 2, .velocity = v, .dt_ms = dt, .tau_exc_ms = tau,
                             .tau_inh_ms = 8};
        synapses_clear_activity(t);
        uint8_t inh[8] = {0}, branch[8] = {0};
        float g0[8] = {0}, g1[8] = {0}, g2[8] = {0};
        float *g[3] = {g0, g1, g2};
        uint32_t pre = 0;
        int64_t arrived_at[8];
        for (uint32_t i = 0; i < n; ++i)
            arrived_at[i] = -1;
        double seen_g[8] = {0};
        for (int64_t step = 0; step < 1000; ++step) {
            synapses_step(t, &sp, &np, &pre, &f, step == 0, inh, branch, g);
            for (uint32_t i = 1; i < n; ++i)
                if (arrived_at[i] < 0 && g0[i] > 0.0f) {
                    arrived_at[i] = step;
                    seen_g[i] = g0[i];
                }
        }
        for (uint32_t i = 1; i < n; ++i) {
            double length = SYNAPSES_RING_MM * (double)(i < n - i ? i : n - i) / n;
            double expected = (double)f * dt + length / v; /* ms after step 0 began */
            cr_assert(arrived_at[i] >= 0, "neuron %u: nothing arrived", i);
            cr_expect_eq(arrived_at[i], (int64_t)floor(expected / dt), "neuron %u: step", i);
            double end = (double)(arrived_at[i] + 1) * dt;
            double recovered = end + tau * log(seen_g[i] / np.w_exc);
            cr_expect(fabs(recovered - expected) < 2e-4 * dt,
                      "dt %g, neuron %u: arrived %.7f ms, expected %.7f", dt, i, recovered,
                      expected);
        }
        cr_expect_eq(t->in_flight, 0u);
    }
    synapses_free(t);
}

/* A delay beyond the ring (SYNAPSES_SLOTS steps, synapses.h) arrives in the
 * ring's last step, whole (at that step's end, no decay), and is counted. */
Test(plasticity, delays_beyond_the_ring_arrive_at_its_last_step_and_are_counted)
{
    const uint32_t n = 8;
    synapse_table *t = table(n, 1.0f, 3);
    network_params np = {.seed = 3, .p = 1.0f, .w_exc = 0.5f, .w_inh = 1.0f};
    /* 0.5 mm at 1e-4 mm/ms: 5 s, 250000 steps of 0.02 ms */
    synapse_params sp = {.w_max = 2, .velocity = 1e-4f, .dt_ms = 0.02f, .tau_exc_ms = 2,
                         .tau_inh_ms = 8};
    uint8_t inh[8] = {0}, branch[8] = {0};
    float g0[8] = {0}, g1[8] = {0}, g2[8] = {0};
    float *g[3] = {g0, g1, g2};
    const uint32_t pre = 0;
    const float f = 0.3f;
    for (uint32_t step = 0; step < SYNAPSES_SLOTS - 1u; ++step)
        synapses_step(t, &sp, &np, &pre, &f, step == 0, inh, branch, g);
    for (uint32_t i = 1; i < n; ++i)
        cr_expect_eq(g0[i], 0.0f, "neuron %u: arrived before the ring's last step", i);
    synapses_step(t, &sp, &np, &pre, &f, 0, inh, branch, g);
    for (uint32_t i = 1; i < n; ++i)
        cr_expect_eq(g0[i], np.w_exc, "neuron %u: %g arrived", i, (double)g0[i]);
    cr_expect_eq(t->delays_clamped, (uint64_t)(n - 1));
    cr_expect_eq(t->in_flight, 0u);
    synapses_free(t);
}

/* The weights file (.npy, synapse_file.h): what is saved loads back bit for
 * bit; a damaged or foreign file is refused with its reason and leaves the
 * network as it was. The format is NumPy's .npy 1.0 (numpy.lib.format). */
#include "synapse_file.h"

static synapse_table *
learned_table(void)
{
    synapse_table *t = table(40, 0.3f, 9);
    for (uint32_t s = 0; s < t->count; ++s)
        t->weight[s].w = (float)(s % 17) / 8.0f;
    return t;
}

Test(plasticity, weights_file_round_trip_is_exact)
{
    synapse_table *a = learned_table(), *b = table(40, 0.3f, 9);
    uint8_t *data;
    size_t size;
    cr_assert(synapse_file_format(a, 0.5f, &data, &size));
    cr_expect_eq(memcmp(data, "\x93NUMPY\x01\x00", 8), 0);
    cr_expect_eq((10 + (data[8] | data[9] << 8)) % 64, 0, "records start on 64 bytes");
    cr_expect_eq(size, 10u + (data[8] | data[9] << 8) + 16u * a->count);
    for (uint32_t s = 0; s < b->count; ++s)
        b->dist_mm[s] = 0.0f;
    char err[512];
    cr_assert(synapse_file_parse(b, data, size, 10.0f, err, sizeof err), "%s", err);
    for (uint32_t s = 0; s < a->count; ++s)
        cr_expect_eq(a->weight[s].w, b->weight[s].w);
    for (uint32_t s = 0; s < a->count; ++s)
        cr_expect(fabsf(a->dist_mm[s] - b->dist_mm[s]) <= 1e-6f * a->dist_mm[s]);
    free(data);
    synapses_free(a);
    synapses_free(b);
}

static void
expect_refused(uint8_t *data, size_t size, const char *reason)
{
    synapse_table *t = table(40, 0.3f, 9);
    char err[512] = "";
    cr_expect_not(synapse_file_parse(t, data, size, 10.0f, err, sizeof err), "%s accepted",
                  reason);
    cr_expect(strstr(err, reason) != NULL, "expected '%s', got '%s'", reason, err);
    for (uint32_t s = 0; s < t->count; ++s)
        cr_assert_eq(t->weight[s].w, 1.0f, "the network changed");
    synapses_free(t);
}

Test(plasticity, bad_weights_files_are_refused_and_change_nothing)
{
    synapse_table *a = learned_table();
    uint8_t *data;
    size_t size;
    cr_assert(synapse_file_format(a, 0.0f, &data, &size));
    const size_t header = 10u + (data[8] | data[9] << 8);
    expect_refused(data, size - 5, "truncated");
    expect_refused(data, 20, "truncated");
    expect_refused(data, 4, "not a NumPy");

    uint8_t *bad = malloc(size);
    memcpy(bad, data, size);
    float nan = NAN;
    memcpy(bad + header + 16 * 3 + 8, &nan, 4);
    expect_refused(bad, size, "not a number");

    memcpy(bad, data, size);
    char *v = strstr((char *)bad + 10, "hillock-weights 1");
    v[16] = '7';
    expect_refused(bad, size, "version 7");

    memcpy(bad, data, size);
    char *f = strstr((char *)bad + 10, "'weight', '<f4'");
    f[12] = '8'; /* <f8 */
    expect_refused(bad, size, "unexpected fields");
    free(bad);
    free(data);
    synapses_free(a);

    /* another wiring: same neurons and connectivity, another seed */
    synapse_table *other = table(40, 0.3f, 10);
    cr_assert(synapse_file_format(other, 0.0f, &data, &size));
    expect_refused(data, size, "another wiring");
    free(data);
    synapses_free(other);
}

/* The triplet rule (Pfister & Gerstner 2006, visual cortex, all-to-all):
 * 60 pairings at 1, 20 and 50 Hz, post 10 ms after (+) or before (-) pre,
 * from w = 0.5 in [0, 1]. Brian2 (scripts/stdp_reference.py triplet): the
 * frequency dependence that the pair rule lacks (at 50 Hz both orders
 * potentiate). */
Test(plasticity, triplet_pairings_match_brian2)
{
    static const double brian2[][3] = {
        {1, 10, 6.77062242e-05}, {1, -10, -0.31216142}, {20, 10, 0.246961969},
        {20, -10, -0.3516221},   {50, 10, 0.5},         {50, -10, 0.486632313},
    };
    synapse_table *t = table(2, 1.0f, 1);
    synapse_params sp = {.rate = 1.0f, .rule = STDP_TRIPLET, .w_max = 1.0f};
    const uint32_t s = synapse_of(t, 0, 1);
    for (int k = 0; k < 6; ++k) {
        synapses_clear_activity(t);
        t->weight[s].w = 0.5f;
        const double period = 1000.0 / brian2[k][0], d = brian2[k][1];
        for (int q = 0; q < 60; ++q) {
            double t_pre = 50.0 + q * period, t_post = t_pre + d;
            if (d > 0) {
                synapses_stdp_pre(t, &sp, 0, t_pre);
                synapses_stdp_post(t, &sp, NULL, 1, t_post);
            } else {
                synapses_stdp_post(t, &sp, NULL, 1, t_post);
                synapses_stdp_pre(t, &sp, 0, t_pre);
            }
        }
        double dw = (double)t->weight[s].w - 0.5;
        cr_expect(fabs(dw - brian2[k][2]) < 1e-4 * fabs(brian2[k][2]) + 2e-6,
                  "%g Hz, dt %g ms: dw %.9g, Brian2 %.9g", brian2[k][0], d, dw, brian2[k][2]);
    }
    synapses_free(t);
}

/* A stored table with frozen weights and no delays is the on-the-fly
 * network itself: a sparse graph (each spike to its targets in the same
 * order, weight 1 x w_exc) plays bit-identically. */
#include "engine.h"
#include "params.h"

static uint64_t
render_hash(int stored)
{
    float v[PARAM_COUNT];
    param_defaults_absolute(v);
    v[P_NEURONS] = 40;
    v[P_CONNECTIVITY] = 0.3f;
    v[P_W_EXC] = 0.05f;
    v[P_W_INH] = 0.2f;
    v[P_SPREAD] = 0.4f;
    v[P_START] = START_REST;
    engine *e = engine_create(48000);
    engine_set_all_params(e, v);
    synapse_table *t = NULL;
    if (stored) {
        network_params np = {0};
        uint32_t n;
        char err[256];
        engine_synapse_wiring(e, &np.seed, &n, &np.p);
        t = synapses_build(&np, n, err, sizeof err);
        cr_assert_not_null(t, "%s", err);
        engine_set_synapses(e, t);
        cr_assert_eq(engine_synapses_status(e), ENGINE_SYNAPSES_ACTIVE);
    }
    static float l[256], r[256];
    static engine_spike sp[4096];
    uint64_t h = 1469598103934665603ull, spikes = 0;
    for (int b = 0; b < 94; ++b) {
        engine_io io = {.out_left = l, .out_right = r, .spikes = sp, .spike_capacity = 4096};
        engine_process(e, &io, 256);
        for (uint32_t k = 0; k < io.n_spikes; ++k) {
            h = (h ^ (sp[k].neuron * 1000003u + sp[k].offset)) * 1099511628211ull;
            spikes++;
        }
        uint32_t bits;
        memcpy(&bits, &l[255], 4);
        h = (h ^ bits) * 1099511628211ull;
    }
    cr_expect(spikes > 100, "%llu spikes", (unsigned long long)spikes);
    engine_destroy(e);
    synapses_free(t);
    return h;
}

Test(plasticity, frozen_table_without_delays_plays_as_the_network_does)
{
    cr_expect_eq(render_hash(1), render_hash(0));
}

/* The table's whole state (synapse_state.h): saved after a stretch of
 * learning with spikes in flight and loaded into a freshly built table, it
 * steps on bit for bit as the table that never stopped (the same
 * conductances every step, the same weights and eligibility at the end).
 * The spikes are a fixed pseudo-random train, so nothing but the table's
 * state decides the outcome. */
#include "synapse_state.h"

enum { STATE_N = 60 };

static uint32_t
train_spikes(uint64_t step, uint32_t *spiked, float *frac)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < STATE_N; ++i) {
        uint64_t h = (step * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)i * 0xBF58476D1CE4E5B9ull);
        h ^= h >> 31;
        h *= 0x94D049BB133111EBull;
        h ^= h >> 29;
        if (h % 400u == 0u) { /* about 50 spikes/s per neuron at 0.05 ms */
            spiked[count] = i;
            frac[count++] = (float)((h >> 20) & 0xffff) / 65536.0f;
        }
    }
    return count;
}

/* steps [from, to) of the train; a checksum of every step's conductances */
static uint64_t
run_train(synapse_table *t, uint64_t from, uint64_t to)
{
    network_params np = {.seed = 5, .p = 0.3f, .w_exc = 0.4f, .w_inh = 0.8f};
    synapse_params sp = {.rate = 20.0f, .rule = STDP_TRIPLET, .w_max = 2.0f,
                         .dopamine = 0.3f, .velocity = 0.3f, .dt_ms = 0.05f,
                         .tau_exc_ms = 2.0f, .tau_inh_ms = 8.0f};
    uint8_t inh[STATE_N], branch[STATE_N];
    for (uint32_t i = 0; i < STATE_N; ++i) {
        inh[i] = i % 5 == 4;
        branch[i] = i & 1;
    }
    float g0[STATE_N], g1[STATE_N], g2[STATE_N];
    float *g[3] = {g0, g1, g2};
    uint64_t sum = 1469598103934665603ull;
    for (uint64_t step = from; step < to; ++step) {
        memset(g0, 0, sizeof g0);
        memset(g1, 0, sizeof g1);
        memset(g2, 0, sizeof g2);
        uint32_t spiked[STATE_N];
        float frac[STATE_N];
        uint32_t count = train_spikes(step, spiked, frac);
        synapses_step(t, &sp, &np, spiked, frac, count, inh, branch, g);
        for (int a = 0; a < 3; ++a) {
            const uint8_t *bytes = (const uint8_t *)g[a];
            for (size_t k = 0; k < sizeof g0; ++k)
                sum = (sum ^ bytes[k]) * 1099511628211ull;
        }
    }
    return sum;
}

Test(plasticity, saved_state_continues_bit_for_bit)
{
    const uint64_t first = 20000, second = 20000; /* 1 s + 1 s at 0.05 ms */
    synapse_table *whole = table(STATE_N, 0.3f, 5);
    (void)run_train(whole, 0, first);
    const uint64_t expected = run_train(whole, first, first + second);

    synapse_table *before = table(STATE_N, 0.3f, 5);
    (void)run_train(before, 0, first);
    cr_assert_gt(before->in_flight, 0u, "the save must catch spikes in flight");
    uint8_t *data;
    size_t size;
    cr_assert(synapse_state_format(before, &data, &size));
    synapses_free(before);
    synapse_table *after = table(STATE_N, 0.3f, 5);
    char err[512];
    cr_assert(synapse_state_parse(after, data, size, 10.0f, err, sizeof err), "%s", err);
    free(data);
    cr_expect_eq(run_train(after, first, first + second), expected,
                 "the conductances differ after the load");
    /* weights and eligibilities */
    cr_expect_eq(memcmp(after->weight, whole->weight, whole->count * sizeof(synapse_weight)), 0);
    int learned = 0;
    for (uint32_t s = 0; s < whole->count; ++s)
        learned |= whole->weight[s].w != 1.0f;
    cr_expect(learned, "the weights must have learned for the test to mean anything");
    synapses_free(whole);
    synapses_free(after);
}

/* States of earlier versions (synapse_state.c): version 1, the same layout
 * without the tail of the frames, each synapse's eligibility the trace
 * itself; version 2, the eligibility's frame and its age but not the STDP
 * traces' frame. Each loads and goes on as the table that saved it, to the
 * rounding of the frames' factors. */
static void
expect_earlier_version_continues(int version)
{
    const uint64_t first = 20000, second = 20000; /* 1 s + 1 s at 0.05 ms */
    synapse_table *whole = table(STATE_N, 0.3f, 5);
    (void)run_train(whole, 0, first);
    cr_assert_gt(whole->elig_age, 0u, "the frame must have aged for the test to mean anything");
    uint8_t *data;
    size_t size;
    cr_assert(synapse_state_format(whole, &data, &size));
    /* version 3's tail: the eligibility's age, then the traces' frame */
    size -= version == 1 ? 24u : 20u;
    data[sizeof "hillock-synapse-state"] = (uint8_t)('0' + version);
    const size_t elig = 128u + 48u + 8u * whole->count;
    for (uint32_t s = 0; version == 1 && s < whole->count; ++s) {
        const float trace = whole->weight[s].elig * whole->elig_scale;
        memcpy(data + elig + 4u * s, &trace, 4); /* little-endian machine, as the file */
    }
    synapse_table *after = table(STATE_N, 0.3f, 5);
    char err[512];
    cr_assert(synapse_state_parse(after, data, size, 10.0f, err, sizeof err), "%s", err);
    free(data);
    cr_expect_eq(after->elig_age, version == 1 ? 0u : whole->elig_age);
    (void)run_train(whole, first, first + second);
    (void)run_train(after, first, first + second);
    double worst = 0.0, moved = 0.0;
    for (uint32_t s = 0; s < whole->count; ++s) {
        worst = fmax(worst, fabs((double)after->weight[s].w - whole->weight[s].w));
        moved = fmax(moved, fabs((double)whole->weight[s].w - 1.0));
    }
    cr_expect_lt(worst, 1e-5, "version %d: weights apart by %g after 1 s", version, worst);
    cr_expect_gt(moved, 1e-3, "the weights must have learned for the test to mean anything");
    synapses_free(whole);
    synapses_free(after);
}

Test(plasticity, states_of_earlier_versions_load_and_continue)
{
    expect_earlier_version_continues(1);
    expect_earlier_version_continues(2);
}

static void
expect_state_refused(const uint8_t *data, size_t size, const char *reason)
{
    synapse_table *t = table(STATE_N, 0.3f, 5);
    (void)run_train(t, 0, 4000);
    uint8_t *was;
    size_t was_size;
    cr_assert(synapse_state_format(t, &was, &was_size));
    char err[512] = "";
    cr_expect_not(synapse_state_parse(t, data, size, 10.0f, err, sizeof err), "%s accepted",
                  reason);
    cr_expect(strstr(err, reason) != NULL, "expected '%s', got '%s'", reason, err);
    uint8_t *now;
    size_t now_size;
    cr_assert(synapse_state_format(t, &now, &now_size));
    cr_expect(now_size == was_size && memcmp(now, was, was_size) == 0, "the network changed");
    free(was);
    free(now);
    synapses_free(t);
}

Test(plasticity, bad_state_files_are_refused_and_change_nothing)
{
    synapse_table *a = table(STATE_N, 0.3f, 5);
    (void)run_train(a, 0, 10000);
    uint8_t *data;
    size_t size;
    cr_assert(synapse_state_format(a, &data, &size));
    expect_state_refused(data, size - 3, "truncated");
    expect_state_refused(data, 100, "not a Hillock state file");
    uint8_t *bad = malloc(size + 4);
    memcpy(bad, data, size);
    memset(bad + size, 0, 4);
    expect_state_refused(bad, size + 4, "trailing data");

    const size_t weights = 128 + 48;
    float nan = NAN;
    memcpy(bad, data, size);
    memcpy(bad + weights + 4 * 7, &nan, 4);
    expect_state_refused(bad, size, "not a number");

    memcpy(bad, data, size);
    bad[sizeof "hillock-synapse-state"] = '4';
    expect_state_refused(bad, size, "version 4");

    /* the eligibility's frame beyond its span */
    memcpy(bad, data, size);
    const uint32_t too_old = SYNAPSES_ELIG_FRAME_STEPS;
    memcpy(bad + size - 24u, &too_old, 4);
    expect_state_refused(bad, size, "eligibility's frame");
    /* the traces' frame: a time constant that is not one */
    memcpy(bad, data, size);
    const float not_a_tau = -1.0f;
    memcpy(bad + size - 8u, &not_a_tau, 4);
    expect_state_refused(bad, size, "traces' frame");

    /* a cycle in the ring: the last slot's list pointed at itself */
    memcpy(bad, data, size);
    const size_t heads = weights + 12u * a->count + 32u * STATE_N;
    const size_t next = heads + 4u * SYNAPSES_SLOTS;
    uint32_t e = UINT32_MAX;
    for (uint64_t s = a->step; e == UINT32_MAX && s < a->step + 1000; ++s)
        memcpy(&e, bad + heads + 4u * (s & (SYNAPSES_SLOTS - 1)), 4);
    cr_assert_neq(e, UINT32_MAX, "spikes are in flight");
    memcpy(bad + next + 4u * e, &e, 4); /* little-endian machine, as the file */
    expect_state_refused(bad, size, "ring");
    free(bad);
    free(data);
    synapses_free(a);

    synapse_table *other = table(STATE_N, 0.3f, 6);
    cr_assert(synapse_state_format(other, &data, &size));
    expect_state_refused(data, size, "another wiring");
    free(data);
    synapses_free(other);
}

/* A state loaded into the engine's table before its first block is
 * continued, not cleared by the bank's fresh start (synapses_fresh_start):
 * the table's clock, traces and spikes in flight go on from the file, as
 * `render --load-state` needs; the next fresh start after that clears as
 * before. */
static engine *
learning_engine(synapse_table **t)
{
    float v[PARAM_COUNT];
    param_defaults_absolute(v);
    v[P_NEURONS] = 40;
    v[P_CONNECTIVITY] = 0.3f;
    v[P_W_EXC] = 0.05f;
    v[P_W_INH] = 0.2f;
    v[P_SPREAD] = 0.4f;
    v[P_PLASTICITY] = 1.0f;
    v[P_AXON_VELOCITY] = 0.5f;
    v[P_START] = START_REST;
    engine *e = engine_create(48000);
    engine_set_all_params(e, v);
    network_params np = {0};
    uint32_t n;
    char err[256];
    engine_synapse_wiring(e, &np.seed, &n, &np.p);
    *t = synapses_build(&np, n, err, sizeof err);
    cr_assert_not_null(*t, "%s", err);
    engine_set_synapses(e, *t);
    return e;
}

static void
play(engine *e, int blocks)
{
    static float l[256], r[256];
    for (int b = 0; b < blocks; ++b) {
        engine_io io = {.out_left = l, .out_right = r};
        engine_process(e, &io, 256);
    }
}

Test(plasticity, a_loaded_state_survives_the_first_fresh_start)
{
    synapse_table *ta, *tb;
    engine *a = learning_engine(&ta), *b = learning_engine(&tb);
    play(a, 100);
    /* save at a block with spikes in flight (whether one has any depends on
     * the network's exact trajectory) */
    for (int extra = 0; extra < 400 && !ta->in_flight; ++extra)
        play(a, 1);
    cr_assert_gt(ta->in_flight, 0u, "spikes must be in flight at the save");
    uint8_t *data;
    size_t size;
    cr_assert(synapse_state_format(ta, &data, &size));
    const uint64_t saved_step = ta->step;
    char err[512];
    cr_assert(synapse_state_parse(tb, data, size, 10.0f, err, sizeof err), "%s", err);
    free(data);
    play(b, 1);
    cr_expect_gt(tb->step, saved_step, "the table's clock started again (%llu <= %llu)",
                 (unsigned long long)tb->step, (unsigned long long)saved_step);
    cr_expect_eq(tb->resume, 0, "kept once");
    engine_reset(b); /* a fresh start now clears the activity, keeps the weights */
    play(b, 1);
    cr_expect_lt(tb->step, saved_step);
    engine_destroy(a);
    engine_destroy(b);
    synapses_free(ta);
    synapses_free(tb);
}

/* The weights' census (weight_census.h): a table larger than its sample is
 * read as every k-th synapse. Reference: the full histogram counted here
 * synapse by synapse. Weights follow a known pattern (a ramp over [0, 2)
 * along each row, plus the bound itself for every 7th synapse), so an even
 * sample must give each bin the full table's share within sampling error,
 * and only excitatory presynaptic neurons count. */
Test(plasticity, weight_census_samples_a_large_table_evenly)
{
    const uint32_t n = 1024;
    synapse_table *t = table(n, 0.2f, 5); /* ~209 000 synapses: every 4th read */
    cr_assert_gt(t->count, 2 * WEIGHT_CENSUS_SAMPLE);
    const float w_max = 2.0f;
    uint8_t *inhibitory = calloc(n, 1);
    for (uint32_t i = 0; i < n; i += 5)
        inhibitory[i] = 1; /* 20 % */
    double full[WEIGHT_CENSUS_BINS] = {0}, full_count = 0;
    for (uint32_t pre = 0; pre < n; ++pre)
        for (uint32_t s = t->row[pre]; s < t->row[pre + 1]; ++s) {
            t->weight[s].w = s % 7 == 0 ? w_max : w_max * (float)(s - t->row[pre]) /
                                               (float)(t->row[pre + 1] - t->row[pre]);
            if (inhibitory[pre])
                continue;
            int k = (int)(t->weight[s].w * WEIGHT_CENSUS_BINS / w_max);
            full[k < WEIGHT_CENSUS_BINS ? k : WEIGHT_CENSUS_BINS - 1]++;
            full_count++;
        }
    weight_census c;
    weight_census_reset(&c);
    /* a pass in pieces, as blocks read it */
    for (int call = 0; call < 100 && c.passes == 0; ++call)
        weight_census_scan(&c, t, inhibitory, n, w_max, 1000);
    cr_assert_eq(c.passes, 1u);
    cr_expect_eq(c.stride, (t->count + WEIGHT_CENSUS_SAMPLE - 1) / WEIGHT_CENSUS_SAMPLE);
    cr_expect_float_eq(c.w_max, w_max, 0.0f);
    /* the sample holds about 1/stride of the excitatory synapses */
    double expected = full_count / c.stride;
    cr_expect_float_eq(c.counted, expected, 0.02 * expected, "%u counted, %.0f expected",
                       c.counted, expected);
    uint32_t sum = 0;
    for (int k = 0; k < WEIGHT_CENSUS_BINS; ++k) {
        sum += c.bins[k];
        double share = c.bins[k] / (double)c.counted, want = full[k] / full_count;
        /* binomial standard error of the share, 4 of them */
        double se = sqrt(want * (1 - want) / c.counted);
        cr_expect_leq(fabs(share - want), 4 * se + 1e-9, "bin %d: %.4f of the sample, %.4f of the table",
                      k, share, want);
    }
    cr_expect_eq(sum, c.counted);
    /* another w_max starts afresh: nothing published until its pass ends */
    weight_census_scan(&c, t, inhibitory, n, 4.0f, 10);
    cr_expect_eq(c.passes, 0u);
    free(inhibitory);
    synapses_free(t);
}
