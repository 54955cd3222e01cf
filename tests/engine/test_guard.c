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
