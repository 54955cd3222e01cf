/* The real-time guard (dsp/guard.h): a budget in work units bounds every
 * block, the bank is thinned without a click and comes back when the load
 * drops, and a budget that never binds changes no bit. Work units are
 * counted, not timed, so nothing here depends on the machine's speed. */
#include "bandlimit.h"
#include "engine.h"
#include "guard.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0
#define FRAMES 19200u /* 0.4 s */

typedef struct {
    float left[FRAMES], right[FRAMES];
    engine_stats stats;
    unsigned over_budget, thinned_blocks;
    uint32_t latency; /* frames the outputs lag the bank's state by */
} guard_run;

static void
bank_of(float *v, float neurons)
{
    param_defaults_absolute(v);
    v[P_MODEL] = MODEL_HH;
    v[P_NEURONS] = neurons;
    v[P_DRIVE] = 10; /* uA/cm2 */
    v[P_SPREAD] = 0.5f;
    v[P_LISTEN] = LISTEN_BANK;
    v[P_START] = START_REST; /* stepping from the first frame */
}

/* Render FRAMES in blocks of `block`; budget (units per second) from frame
 * `from` on, none before (budget 0: never). */
static guard_run *
render(const float *v, unsigned block, double budget, unsigned from)
{
    guard_run *o = calloc(1, sizeof *o);
    engine *e = engine_create(RATE);
    engine_set_all_params(e, v);
    for (unsigned done = 0; done < FRAMES;) {
        unsigned n = block < FRAMES - done ? block : FRAMES - done;
        if (done == from)
            engine_set_budget(e, budget);
        engine_io io = {.out_left = o->left + done, .out_right = o->right + done};
        engine_process(e, &io, n);
        engine_stats s;
        engine_get_stats(e, &s);
        if (s.guard_budget > 0 && s.guard_work > s.guard_budget && s.guard_neurons > GUARD_MIN_NEURONS)
            o->over_budget++;
        cr_assert_eq(io.guard_active, s.guard_neurons < (uint32_t)v[P_NEURONS]);
        o->thinned_blocks += io.guard_active;
        o->latency = io.latency_frames + BANDLIMIT_DELAY;
        done += n;
    }
    engine_get_stats(e, &o->stats);
    engine_destroy(e);
    return o;
}

/* Work units per second the bank of v spends unguarded. */
static double
units_per_second(const float *v)
{
    engine *e = engine_create(RATE);
    engine_set_all_params(e, v);
    static float l[2400], r[2400];
    engine_io io = {.out_left = l, .out_right = r};
    double units = 0.0;
    for (int k = 0; k < 2; ++k) {
        engine_process(e, &io, 2400);
        engine_stats s;
        engine_get_stats(e, &s);
        units += s.guard_work;
    }
    engine_destroy(e);
    return units / (2 * 2400 / RATE);
}

/* Largest |x[i] - x[i-1]| over [from, to). */
static float
largest_step(const float *x, unsigned from, unsigned to)
{
    float m = 0.0f;
    for (unsigned i = from > 0 ? from : 1; i < to; ++i)
        m = fmaxf(m, fabsf(x[i] - x[i - 1]));
    return m;
}

Test(guard, a_budget_that_never_binds_changes_no_bit)
{
    float v[PARAM_COUNT];
    bank_of(v, 512);
    v[P_NOISE] = 2;
    v[P_CONNECTIVITY] = 0.2f;
    v[P_W_EXC] = 0.05f;
    v[P_W_INH] = 0.3f;
    guard_run *off = render(v, 64, 0.0, 0), *huge = render(v, 64, 1e15, 0);
    cr_assert(!memcmp(off->left, huge->left, sizeof off->left));
    cr_assert(!memcmp(off->right, huge->right, sizeof off->right));
    cr_assert_eq(huge->thinned_blocks, 0);
    cr_assert_eq(off->stats.guard_budget, 0.0);
    cr_assert_gt(huge->stats.guard_budget, 0.0);
    free(off);
    free(huge);
}

Test(guard, every_block_stays_within_its_budget_whatever_the_block_sizes)
{
    float v[PARAM_COUNT];
    bank_of(v, 2048);
    v[P_DRIVE] = param_table[P_DRIVE].max;
    v[P_CONNECTIVITY] = 0.1f;
    v[P_W_EXC] = param_table[P_W_EXC].max;
    v[P_INHIBITORY_FRACTION] = 0.0f;
    v[P_SPEED] = 2;
    double full = units_per_second(v);
    static const unsigned blocks[] = {1, 17, 64, 333, 1024};
    for (unsigned k = 0; k < 5; ++k) {
        guard_run *o = render(v, blocks[k], 0.3 * full, 0);
        cr_assert_eq(o->over_budget, 0, "block %u: %u blocks over budget", blocks[k],
                     o->over_budget);
        cr_assert_gt(o->thinned_blocks, 0);
        cr_assert_eq(o->stats.nonfinite_resets, 0);
        for (unsigned i = 0; i < FRAMES; ++i)
            cr_assert(isfinite(o->left[i]) && fabsf(o->left[i]) <= 1.0f);
        free(o);
    }
}

/* Largest |d[i] - d[i-1]| of d = a - b over [from, to). */
static float
largest_step_between(const float *a, const float *b, unsigned from, unsigned to)
{
    float m = 0.0f;
    for (unsigned i = from; i < to; ++i)
        m = fmaxf(m, fabsf((a[i] - b[i]) - (a[i - 1] - b[i - 1])));
    return m;
}

/* The guard's fades. An uncoupled bank thinned to under half: the neurons
 * kept run exactly as unthinned, so the difference from the unguarded
 * output is what thinning does. Stopping three quarters of a bank firing
 * in step at once would step the output by their whole part of the mix; the fade
 * must keep every step of it below the largest step the output takes by
 * itself (a parameter step changes slopes, never values: engine.c), over
 * the fade and after it. */
Test(guard, thinning_steps_the_output_no_more_than_it_steps_itself)
{
    float v[PARAM_COUNT];
    bank_of(v, 2048);
    v[P_SPREAD] = 0.0f; /* in step: the dropped part is most of the mix */
    v[P_SPIKE_LEVEL] = param_table[P_SPIKE_LEVEL].min; /* the membrane voice alone */
    v[P_MEMBRANE_LEVEL] = 0.0f;
    v[P_LEVELLING] = 1.0f; /* a steady gain: the leveller's, not the rate's */
    const unsigned fade = (unsigned)(GUARD_FADE_MS * 1e-3 * RATE);
    guard_run *plain = render(v, 16, 0.0, 0);
    /* thin where the voltages are furthest from the mix's centre: the top
     * of a spike (in the 20 ms from 0.1 s on), which the output shows
     * `latency` frames later */
    unsigned peak = 4800;
    for (unsigned i = 4800; i < 4800 + 960; ++i)
        if (fabsf(plain->left[i]) > fabsf(plain->left[peak]))
            peak = i;
    const unsigned at = (peak - plain->latency) & ~15u;
    guard_run *thinned = render(v, 16, 0.35 * units_per_second(v), at);
    cr_assert_gt(thinned->thinned_blocks, 0);
    cr_assert_lt(thinned->stats.guard_neurons, 1024);
    cr_assert_eq(thinned->stats.guard_drops, 1);
    const float *pl[2] = {plain->left, plain->right}, *th[2] = {thinned->left, thinned->right};
    for (int c = 0; c < 2; ++c) {
        float own = largest_step(pl[c], at - 2400, at); /* the 50 ms before */
        float step = largest_step_between(th[c], pl[c], at, at + plain->latency + 2 * fade);
        cr_assert_leq(step, own, "channel %d: thinning steps %g, the output itself %g", c,
                      step, own);
        float moved = 0.0f;
        for (unsigned i = at; i < at + plain->latency + 2 * fade; ++i)
            moved = fmaxf(moved, fabsf(th[c][i] - pl[c][i]));
        cr_assert_gt(moved, 2.0f * own, "channel %d: thinning moved the output by %g only", c,
                     moved);
    }
    free(plain);
    free(thinned);
}

Test(guard, the_bank_comes_back_when_the_load_drops_without_fluttering)
{
    float v[PARAM_COUNT];
    bank_of(v, 512);
    v[P_SPEED] = 8;
    engine *e = engine_create(RATE);
    engine_set_all_params(e, v);
    float slow[PARAM_COUNT];
    memcpy(slow, v, sizeof slow);
    slow[P_SPEED] = 1;
    /* a budget the bank at speed 8 exceeds by 2.5x, and fits at speed 1 */
    engine_set_budget(e, units_per_second(v) / 2.5);
    static float l[256], r[256];
    engine_io io = {.out_left = l, .out_right = r};
    for (int k = 0; k < 375; ++k) /* 2 s */
        engine_process(e, &io, 256);
    engine_stats s;
    engine_get_stats(e, &s);
    cr_assert_eq(io.guard_active, 1);
    cr_assert_lt(s.guard_neurons, 512);
    /* the constant load settles: few changes, however long it runs */
    cr_assert_leq(s.guard_drops + s.guard_grows, 8, "%llu changes in 2 s",
                  (unsigned long long)(s.guard_drops + s.guard_grows));
    uint64_t grows = s.guard_grows;
    engine_set_param(e, P_SPEED, 1);
    int back_at = -1;
    for (int k = 0; k < 375 && back_at < 0; ++k) {
        engine_process(e, &io, 256);
        if (!io.guard_active)
            back_at = k;
    }
    engine_get_stats(e, &s);
    cr_assert_geq(back_at, 0, "still thinned 2 s after the load dropped");
    cr_assert_eq(s.guard_neurons, 512);
    cr_assert_geq(s.guard_grows - grows, 2, "the bank came back at once, not in steps");
    cr_assert_lt(io.guard_load, GUARD_GROW_AT * 1.01);
    engine_destroy(e);
}

Test(guard, guarded_output_is_a_function_of_settings_and_blocks)
{
    float v[PARAM_COUNT];
    bank_of(v, 2048);
    v[P_CONNECTIVITY] = 0.3f;
    v[P_W_EXC] = 0.2f;
    double budget = 0.4 * units_per_second(v);
    guard_run *a = render(v, 100, budget, 0), *b = render(v, 100, budget, 0);
    cr_assert_gt(a->thinned_blocks, 0);
    cr_assert(!memcmp(a->left, b->left, sizeof a->left));
    free(a);
    free(b);
}

/* The last resort: at speed 200 Pinsky-Rinzel takes 167 steps a frame
 * (4.17 ms of model time a frame at 48 kHz in steps of at most its dt_max,
 * 0.025 ms), and
 * a budget below what a single neuron costs at that many steps leaves the
 * guard nothing to thin. It slows model time instead: every block within
 * its budget, model time run = steps x dt, less than the speed set
 * (docs/manual.md: speed is model ms per real ms), and back to the speed
 * set, exactly, once the load drops (speed 2). */
Test(guard, at_its_floor_the_guard_slows_model_time_and_gives_it_back)
{
    float v[PARAM_COUNT];
    bank_of(v, 64);
    v[P_MODEL] = MODEL_PINSKY_RINZEL;
    v[P_DRIVE] = 2;
    v[P_SPEED] = 200;
    float one[PARAM_COUNT];
    memcpy(one, v, sizeof one);
    one[P_NEURONS] = GUARD_MIN_NEURONS;
    const double floor_units = units_per_second(one);
    engine *e = engine_create(RATE);
    engine_set_all_params(e, v);
    engine_set_budget(e, 0.5 * floor_units);
    static float l[64], r[64];
    engine_io io = {.out_left = l, .out_right = r};
    engine_stats s;
    double ms_before = 0.0;
    const double set_ms = 200.0 * 64 / RATE * 1e3; /* model ms a block at speed 200 */
    for (int k = 0; k < 150; ++k) { /* 0.2 s */
        engine_process(e, &io, 64);
        engine_get_stats(e, &s);
        cr_assert_leq(s.guard_work, s.guard_budget, "block %d: %g units of %g", k, s.guard_work,
                      s.guard_budget);
        cr_assert_lt(s.model_time_ms - ms_before, set_ms);
        ms_before = s.model_time_ms;
        for (int i = 0; i < 64; ++i)
            cr_assert(isfinite(l[i]) && fabsf(l[i]) <= 1.0f);
    }
    cr_assert_eq(s.substeps, 167);
    cr_assert_eq(s.guard_neurons, GUARD_MIN_NEURONS);
    cr_assert_eq(io.guard_active, 1);
    cr_assert_lt(io.guard_time_scale, 0.6f);
    cr_assert_gt(io.guard_time_scale, 0.05f);
    cr_assert_gt(s.guard_slowed_blocks, 100);
    cr_assert_eq(s.nonfinite_resets, 0);
    /* the load drops: time first, then the neurons, come back */
    engine_set_param(e, P_SPEED, 2);
    int back_at = -1;
    for (int k = 0; k < 1500 && back_at < 0; ++k) { /* 2 s */
        engine_process(e, &io, 64);
        if (!io.guard_active)
            back_at = k;
    }
    cr_assert_geq(back_at, 0, "still slowed or thinned 2 s after the load dropped");
    cr_assert_eq(io.guard_time_scale, 1.0f);
    engine_get_stats(e, &s);
    ms_before = s.model_time_ms;
    engine_process(e, &io, 64);
    engine_get_stats(e, &s);
    cr_assert_float_eq(s.model_time_ms - ms_before, 2.0 * 64 / RATE * 1e3, 1e-6);
    engine_destroy(e);
}

/* The guard alone, one bank of one Pinsky-Rinzel neuron at 167 steps a frame
 * (speed 200 at 48 kHz), in blocks of `frames`; the steps of every frame in
 * steps[] (blocks x frames of them). */
static void
guard_alone(int locked, double budget, int blocks, int frames, uint32_t *steps)
{
    network_params np = {0};
    guard g;
    guard_init(&g, RATE);
    guard_set_budget(&g, budget);
    guard_structure(&g, 1);
    guard_set_time_lock(&g, locked);
    static const float zero[1];
    guard_mix_src mix = {zero, zero, zero, 0.0f};
    for (int b = 0; b < blocks; ++b) {
        int returning;
        guard_set_costs(&g, MODEL_PINSKY_RINZEL, 0.0f, &np, 0, 167, 0);
        guard_block_begin(&g, (uint32_t)frames, &mix, &returning);
        for (int f = 0; f < frames; ++f) {
            guard_set_costs(&g, MODEL_PINSKY_RINZEL, 0.0f, &np, 0, 167, 0);
            uint32_t n = guard_frame_begin(&g);
            *steps++ = n;
            for (uint32_t k = 0; k < n; ++k) {
                uint64_t allow;
                guard_before_step(&g, 1, &mix, &allow);
                guard_after_step(&g, 1, 0, 0, &mix);
            }
        }
        float load, scale;
        uint32_t active;
        guard_block_end(&g, &load, &active, &scale);
        cr_assert(locked || load <= 1.0f, "block %d: load %g", b, load);
    }
}

/* Slowing model time glides, halving at most every GUARD_TIME_HALVE_MS, no
 * faster than a speed step would move it (at once), when the blocks leave
 * room for the glide (100 ms here): frame to frame, the steps fall by at
 * most the glide's factor (and a step of rounding). A budget of about half
 * the steps set: the glide must end near half. */
Test(guard, model_time_slows_by_a_glide_not_a_jump)
{
    enum { BLOCKS = 4, BLOCK = 4800 };
    static uint32_t steps[BLOCKS * BLOCK];
    guard_alone(0, 1.1e9, BLOCKS, BLOCK, steps);
    const double per_frame = exp2(-1.0 / (GUARD_TIME_HALVE_MS * 1e-3 * RATE));
    cr_assert_geq(steps[0], floor(167 * per_frame) - 1.0);
    for (int k = 1; k < BLOCKS * BLOCK; ++k)
        cr_assert_geq(steps[k], floor(steps[k - 1] * per_frame) - 1.0, "frame %d: %u after %u",
                      k, steps[k], steps[k - 1]);
    cr_assert_lt(steps[BLOCKS * BLOCK - 1], 0.6 * 167);
    cr_assert_gt(steps[BLOCKS * BLOCK - 1], 0.3 * 167);
}

/* Pitch tracking or tempo lock ties model time to the host: locked, the
 * guard never runs fewer steps than set, even at its floor over budget;
 * unlocked, with the same costs, it does. */
Test(guard, a_locked_time_is_never_slowed)
{
    enum { BLOCKS = 50, BLOCK = 64 };
    static uint32_t steps[BLOCKS * BLOCK];
    for (int locked = 0; locked < 2; ++locked) {
        guard_alone(locked, 1e8, BLOCKS, BLOCK, steps);
        uint32_t fewest = 167;
        for (int k = 0; k < BLOCKS * BLOCK; ++k)
            fewest = steps[k] < fewest ? steps[k] : fewest;
        if (locked)
            cr_assert_eq(fewest, 167);
        else
            cr_assert_lt(fewest, 167);
    }
}

/* The engine's lock (engine_time_scale_locked): with pitch_mode track or
 * tempo_sync on, the bank of the slowing test keeps its full model time
 * (speed x the block, docs/manual.md) at the guard's floor, over budget. */
Test(guard, pitch_tracking_and_tempo_lock_keep_model_time)
{
    float one[PARAM_COUNT];
    bank_of(one, GUARD_MIN_NEURONS);
    one[P_MODEL] = MODEL_PINSKY_RINZEL;
    one[P_DRIVE] = 2;
    one[P_SPEED] = 200;
    const double floor_units = units_per_second(one);
    for (int lock = 0; lock < 2; ++lock) {
        float v[PARAM_COUNT];
        memcpy(v, one, sizeof v);
        v[P_NEURONS] = 64;
        if (lock == 0)
            v[P_PITCH_MODE] = PITCH_TRACK;
        else
            v[P_TEMPO_SYNC] = TEMPO_SYNC_ON;
        engine *e = engine_create(RATE);
        engine_set_all_params(e, v);
        engine_set_budget(e, 0.5 * floor_units);
        static float l[64], r[64];
        engine_io io = {.out_left = l, .out_right = r};
        engine_stats s;
        double before = 0.0;
        for (int k = 0; k < 40; ++k) {
            engine_process(e, &io, 64);
            engine_get_stats(e, &s);
            cr_assert_eq(io.guard_time_scale, 1.0f);
            /* dt is a float: the steps add up to the block's time within its rounding */
            const double want = 200.0 * 64 / RATE * 1e3;
            cr_assert_float_eq(s.model_time_ms - before, want, 1e-6 * want, "lock %d, block %d: %.9g ms",
                               lock, k, s.model_time_ms - before);
            before = s.model_time_ms;
        }
        cr_assert_eq(s.guard_neurons, GUARD_MIN_NEURONS);
        cr_assert_eq(s.guard_slowed_blocks, 0);
        engine_destroy(e);
    }
}

/* Slowed, the output is still a function of the settings, the input and
 * the block sizes (work units, never a clock): two runs of a bank the
 * guard slows give the same bits. */
Test(guard, slowed_output_is_a_function_of_settings_and_blocks)
{
    float v[PARAM_COUNT];
    bank_of(v, 1);
    v[P_MODEL] = MODEL_PINSKY_RINZEL;
    v[P_DRIVE] = 2;
    v[P_SPEED] = 200;
    const double budget = 0.5 * units_per_second(v);
    static float out[2][2][64 * 60];
    for (int run = 0; run < 2; ++run) {
        engine *e = engine_create(RATE);
        engine_set_all_params(e, v);
        engine_set_budget(e, budget);
        for (int k = 0; k < 60; ++k) {
            engine_io io = {.out_left = out[run][0] + 64 * k, .out_right = out[run][1] + 64 * k};
            engine_process(e, &io, 64);
        }
        engine_stats s;
        engine_get_stats(e, &s);
        cr_assert_lt(s.guard_time_scale, 1.0);
        engine_destroy(e);
    }
    cr_assert(!memcmp(out[0], out[1], sizeof out[0]));
}

/* A settled start's silent pre-roll (dsp/settle.h) runs while the bank
 * waits, and takes what the budget leaves: a bank whose steady work fits
 * (here at 62 % of the budget) is not thinned because its pre-roll, at its
 * full rate, would not fit. Thinned, it would play with fewer neurons long
 * after the pre-roll, as the guard grows back an eighth at a time. */
Test(guard, a_settled_start_never_thins_a_bank_that_fits)
{
    float v[PARAM_COUNT];
    bank_of(v, 8);
    v[P_SPREAD] = 0.0f;
    const double steady = units_per_second(v); /* from rest: stepping from frame 0 */
    v[P_START] = START_SETTLED;
    guard_run *r = render(v, 256, steady / 0.62, 0);
    cr_expect_eq(r->thinned_blocks, 0, "thinned in %u blocks", r->thinned_blocks);
    cr_expect_eq(r->over_budget, 0);
    /* the pre-roll ended: the bank fires in the last 0.1 s */
    cr_expect_gt(largest_step(r->left, FRAMES - 4800, FRAMES), 1e-3f);
    free(r);
}
