/* test_extremes.c — the engine at the ends of everything it accepts.
 *
 * The promise under test is engine.h's contract: "Every output sample is
 * finite; audio outputs are within [-1, 1]" and (params.h) "Clamp to
 * [min, max], round integers, and map a non-finite value to the default".
 * Each test drives the engine somewhere extreme and checks every sample of
 * every output (bounded.c), so a test fails on the first sample that breaks
 * the contract and names it.
 */
#include "bounded.h"
#include "engine.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static bounded_run *run;

static void
setup(void)
{
    run = calloc(1, sizeof *run);
}

static void
teardown(void)
{
    free(run);
}

TestSuite(extremes, .init = setup, .fini = teardown, .timeout = 240);

static void
expect_bounded(int ok, const char *what)
{
    cr_assert(ok, "%s: %s", what, run->failure);
}

static float
end_of(param_id p, int top)
{
    return top ? param_table[p].max : param_table[p].min;
}

Test(extremes, each_parameter_alone_at_its_minimum_and_its_maximum)
{
    for (int p = 0; p < PARAM_COUNT; ++p)
        for (int top = 0; top < 2; ++top) {
            engine *e = engine_create(48000);
            cr_assert_not_null(e);
            engine_set_param(e, (param_id)p, end_of((param_id)p, top));
            char what[96];
            snprintf(what, sizeof what, "%s at its %s", param_table[p].symbol,
                     top ? "maximum" : "minimum");
            /* 50 ms with a full-scale stimulus */
            expect_bounded(bounded_frames(e, run, 2400, 256, 1.0f), what);
            engine_destroy(e);
        }
}

Test(extremes, every_parameter_at_its_minimum_at_once)
{
    engine *e = engine_create(48000);
    for (int p = 0; p < PARAM_COUNT; ++p)
        engine_set_param(e, (param_id)p, param_table[p].min);
    expect_bounded(bounded_frames(e, run, 9600, 512, 1.0f), "all parameters at minimum");
    engine_destroy(e);
}

/* 16384 neurons at speed 200 with every mechanism on is the costliest
 * frame the engine has (256 substeps of the whole bank, dendritic
 * subunits, receptors; about half a second a frame on the 2-vCPU CI
 * machine): 1 ms at 8 kHz is enough. */
Test(extremes, every_parameter_at_its_maximum_at_once)
{
    engine *e = engine_create(8000);
    for (int p = 0; p < PARAM_COUNT; ++p)
        engine_set_param(e, (param_id)p, param_table[p].max);
    expect_bounded(bounded_frames(e, run, 8, 4, 1.0f), "all parameters at maximum");
    engine_stats st;
    engine_get_stats(e, &st);
    cr_expect_eq(engine_active_neurons(e), ENGINE_MAX_NEURONS);
    cr_expect_eq(st.substeps, 256u, "speed 200 at 8 kHz needs the substep cap");
    engine_destroy(e);
}

Test(extremes, each_parameter_jumps_between_its_ends_every_block)
{
    for (int p = 0; p < PARAM_COUNT; ++p) {
        engine *e = engine_create(48000);
        char what[96];
        snprintf(what, sizeof what, "%s jumping min<->max", param_table[p].symbol);
        for (int b = 0; b < 60; ++b) {
            engine_set_param(e, (param_id)p, end_of((param_id)p, b & 1));
            bounded_signal(run->stim, 64, (uint64_t)b * 64u, 1.0f);
            expect_bounded(bounded_block(e, run, 64, run->stim, NULL), what);
        }
        /* back at the default, the bank is the default bank again */
        engine_set_param(e, (param_id)p, param_table[p].def);
        expect_bounded(bounded_frames(e, run, 4800, 480, 0.0f), what);
        engine_destroy(e);
    }
}

Test(extremes, every_parameter_jumps_between_its_ends_at_once)
{
    engine *e = engine_create(8000);
    for (int b = 0; b < 8; ++b) { /* four round trips between the ends */
        for (int p = 0; p < PARAM_COUNT; ++p)
            engine_set_param(e, (param_id)p, end_of((param_id)p, b & 1));
        bounded_signal(run->stim, 2, (uint64_t)b * 2u, 1.0f);
        expect_bounded(bounded_block(e, run, 2, run->stim, run->stim), "all jumping");
    }
    engine_destroy(e);
}

Test(extremes, non_finite_values_fall_back_to_the_default_and_others_clamp)
{
    engine *e = engine_create(48000);
    const float hostile[] = {NAN, INFINITY, -INFINITY};
    for (int p = 0; p < PARAM_COUNT; ++p) {
        const param_info *pi = &param_table[p];
        for (int k = 0; k < 3; ++k) {
            engine_set_param(e, (param_id)p, hostile[k]);
            cr_expect_eq(engine_get_param(e, (param_id)p), pi->def, "%s = %g", pi->symbol,
                         (double)hostile[k]);
        }
        engine_set_param(e, (param_id)p, pi->max * 2.0f + 1e6f);
        cr_expect_eq(engine_get_param(e, (param_id)p), pi->max, "%s above max", pi->symbol);
        engine_set_param(e, (param_id)p, pi->min * 2.0f - 1e6f);
        cr_expect_eq(engine_get_param(e, (param_id)p), pi->min, "%s below min", pi->symbol);
        engine_set_param(e, (param_id)p, 1e-40f); /* a denormal */
        float v = engine_get_param(e, (param_id)p);
        cr_expect(v >= pi->min && v <= pi->max, "%s denormal -> %g", pi->symbol, (double)v);
    }
    expect_bounded(bounded_frames(e, run, 4800, 512, 1.0f), "after hostile values");
    engine_destroy(e);
}

Test(extremes, non_finite_stimulus_never_reaches_the_outputs)
{
    engine *e = engine_create(48000);
    engine_set_param(e, P_INPUT_GAIN, param_table[P_INPUT_GAIN].max);
    const float hostile[] = {NAN, INFINITY, -INFINITY, 3.4e38f, 1e-40f};
    for (int k = 0; k < 5; ++k) {
        for (uint32_t i = 0; i < 512; ++i)
            run->stim[i] = run->cv[i] = i % 3 ? hostile[k] : 0.0f;
        for (int b = 0; b < 10; ++b)
            expect_bounded(bounded_block(e, run, 512, run->stim, run->cv), "hostile stimulus");
    }
    /* and it fires again once the input is sane (defaults: 8 HH at 10 uA/cm2,
     * ~70 Hz, so 400 ms hold dozens of spikes) */
    engine_set_param(e, P_INPUT_GAIN, param_table[P_INPUT_GAIN].def);
    engine_set_param(e, P_DRIVE_MODE, DRIVE_ABSOLUTE);
    engine_set_param(e, P_DRIVE, 20.0f); /* uA/cm2: see tests/fuzz/fuzz_engine.c RECOVERY_DRIVE */
    uint64_t before = run->spikes_seen;
    expect_bounded(bounded_frames(e, run, 19200, 512, 0.0f), "after hostile stimulus");
    cr_expect_gt(run->spikes_seen - before, 8u, "the bank fires again");
    engine_destroy(e);
}

/* Spike counts of the default bank (8 identical HH neurons, no noise) over
 * 500 ms. The output is bit-identical whatever the block size -> equal
 * counts for every block size at a rate; spike times do not depend on the
 * sample rate -> within one spike per neuron across rates (a spike may fall either side of the window's end). */
Test(extremes, sample_rates_8k_to_384k_with_block_sizes_1_to_8192)
{
    const double rates[] = {8000, 11025, 22050, 44100, 48000, 96000, 192000, 384000};
    const uint32_t blocks[] = {1, 3, 64, 1000, 8192};
    uint64_t reference = 0;
    for (size_t ri = 0; ri < sizeof rates / sizeof rates[0]; ++ri) {
        uint64_t at_rate = 0;
        for (size_t bi = 0; bi < sizeof blocks / sizeof blocks[0]; ++bi) {
            engine *e = engine_create(rates[ri]);
            cr_assert_not_null(e, "engine at %.0f Hz", rates[ri]);
            run->spikes_seen = 0;
            char what[64];
            snprintf(what, sizeof what, "%.0f Hz, blocks of %u", rates[ri], blocks[bi]);
            expect_bounded(bounded_frames(e, run, (uint64_t)(0.5 * rates[ri]), blocks[bi], 0.0f),
                           what);
            if (bi == 0)
                at_rate = run->spikes_seen;
            cr_expect_eq(run->spikes_seen, at_rate, "%s: %llu spikes, %llu with 1-frame blocks",
                         what, (unsigned long long)run->spikes_seen,
                         (unsigned long long)at_rate);
            engine_destroy(e);
        }
        if (rates[ri] == 48000)
            reference = at_rate;
    }
    cr_assert_gt(reference, 8u * 20u, "the default bank fires ~70 Hz per neuron");
    /* second pass: every rate against 48 kHz */
    for (size_t ri = 0; ri < sizeof rates / sizeof rates[0]; ++ri) {
        engine *e = engine_create(rates[ri]);
        run->spikes_seen = 0;
        expect_bounded(bounded_frames(e, run, (uint64_t)(0.5 * rates[ri]), 512, 0.0f), "rate");
        double diff = fabs((double)run->spikes_seen - (double)reference);
        cr_expect_leq(diff, 8.0, "%.0f Hz: %llu spikes vs %llu at 48 kHz", rates[ri],
                      (unsigned long long)run->spikes_seen, (unsigned long long)reference);
        engine_destroy(e);
    }
}

/* The largest bank with everything on: 4096 neurons, the densest network
 * with gap junctions, NMDA dendrites, noise, full-scale stimulus and CV,
 * every MIDI note held with bend and mod wheel up, listening to the bank. */
Test(extremes, the_largest_bank_with_everything_on)
{
    const double rates[] = {48000, 96000};
    for (int ri = 0; ri < 2; ++ri) {
        engine *e = engine_create(rates[ri]);
        float v[PARAM_COUNT];
        param_defaults(v);
        v[P_NEURONS] = ENGINE_MAX_NEURONS;
        v[P_CONNECTIVITY] = param_table[P_CONNECTIVITY].max;
        v[P_GAP] = param_table[P_GAP].max;
        v[P_W_EXC] = param_table[P_W_EXC].max;
        v[P_DENDRITE_MODE] = 1; /* NMDA */
        v[P_BRANCH_A] = param_table[P_BRANCH_A].max;
        v[P_NOISE] = param_table[P_NOISE].max;
        v[P_INPUT_GAIN] = param_table[P_INPUT_GAIN].max;
        v[P_INPUT_ROUTING] = 1; /* cochlea */
        v[P_LISTEN] = 1;        /* bank */
        v[P_MEMBRANE_LEVEL] = param_table[P_MEMBRANE_LEVEL].max;
        v[P_SPIKE_LEVEL] = param_table[P_SPIKE_LEVEL].max;
        v[P_MASTER_LEVEL] = param_table[P_MASTER_LEVEL].max;
        v[P_MIDI_DRIVE] = param_table[P_MIDI_DRIVE].max;
        v[P_FOCUS] = ENGINE_MAX_NEURONS - 1;
        engine_set_all_params(e, v);
        for (uint8_t note = 0; note < 128; ++note) {
            const uint8_t on[3] = {0x90, note, 127};
            engine_midi(e, on, 3);
        }
        const uint8_t bend[3] = {0xE0, 0x7F, 0x7F}, mod[3] = {0xB0, 1, 127};
        engine_midi(e, bend, 3);
        engine_midi(e, mod, 3);
        uint32_t n = (uint32_t)(rates[ri] / 20); /* 50 ms */
        for (uint32_t done = 0; done < n; done += 512) {
            bounded_signal(run->stim, 512, done, 1.0f);
            expect_bounded(bounded_block(e, run, 512, run->stim, run->stim), "largest bank");
        }
        cr_expect_eq(engine_active_neurons(e), ENGINE_MAX_NEURONS);
        cr_expect_gt(run->spikes_seen, 0u, "4096 driven neurons spike");
        engine_destroy(e);
    }
}
