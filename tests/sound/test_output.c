/* The output stage: bounded, never a clipped wall, loudness independent of
 * the bank size, DC-free, the same bits for any block split; and the
 * control outputs. */
#include "sonify.h"
#include "sound_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SR 48000.0

/* No sample beyond +-1 whatever the settings, and no clipped wall:
 * even with every level at +12 dB and 500 neurons firing in step, fewer
 * than 0.1 % of samples come within 2 % of full scale and none stays there
 * for more than a few samples. Nor a true peak (8x oversampled, sound_util.c)
 * above 0 dBTP. */
Test(output, limiter_bounds_every_sample_without_a_wall)
{
    static const char *const loud[] = {
        "neurons=500,drive=20,master_level=12,membrane_level=12,spike_level=12",
        "neurons=500,drive=20,spread=0.5,master_level=12,membrane_level=12,spike_level=12,"
        "spike_sound=click",
        "neurons=64,model=izhikevich,izh_c=-50,izh_d=2,drive=15,master_level=12,"
        "membrane_level=12,spike_level=12,speed=8",
        "neurons=16,model=hindmarsh_rose,drive=3,speed=30,master_level=12,membrane_level=12,"
        "spike_level=12,listen=focus",
        /* seizure-and-recovery at speed 20, 12 dB up: surges of 40 ms, a
         * signal mostly below 30 Hz that the blocker after the limiter moves */
        "neurons=64,model=izhikevich,drive=2,spread=0.3,noise=2,izh_a=0.003,izh_c=-50,izh_d=6,"
        "connectivity=0.3,inhibitory_fraction=0.1,w_exc=0.8,w_inh=0.1,tau_exc=5,tau_inh=8,"
        "membrane_level=-3,spike_level=-3,levelling=0,retrigger=1,speed=20,master_level=12",
    };
    for (int k = 0; k < 5; ++k) {
        engine *e = engine_with(SR, loud[k]);
        render_out o = {0};
        render(e, &o, 48000, 0, NULL);
        size_t hot = 0, run = 0, longest = 0;
        for (size_t i = 0; i < o.n; ++i) {
            cr_assert(isfinite(o.l[i]) && isfinite(o.r[i]));
            cr_assert(fabsf(o.l[i]) <= 1.0f && fabsf(o.r[i]) <= 1.0f, "sample %g", o.l[i]);
            int h = fabsf(o.l[i]) > 0.98f;
            hot += (size_t)h;
            run = h ? run + 1 : 0;
            longest = run > longest ? run : longest;
        }
        double tp = fmax(true_peak(o.l, o.n), true_peak(o.r, o.n));
        printf("limiter: case %d: peak %.3f, true peak %.2f dBTP, %.4f %% above 0.98, longest "
               "run %zu\n",
               k, (double)fmaxf(max_abs(o.l, o.n), max_abs(o.r, o.n)), db(tp), 100.0 * hot / o.n,
               longest);
        /* the limiter holds SONIFY_LIMIT (-1 dBTP, test_limiter.c); the DC
         * blocker after it may lift a peak by the slow part it removes */
        cr_expect(db(tp) <= 0.0, "case %d: true peak %.2f dBTP", k, db(tp));
        cr_expect(hot < o.n / 1000, "case %d: %zu samples near full scale", k, hot);
        cr_expect(longest <= 4, "case %d: a wall of %zu samples", k, longest);
        render_free(&o);
        engine_destroy(e);
    }
}

Test(output, soft_limit_never_leaves_unity)
{
    static const float x[] = {0.0f, 0.5f, 0.9f, 0.95f, 1.0f, 2.0f, 1e6f, -1e30f, INFINITY,
                              -INFINITY, NAN};
    for (size_t k = 0; k < sizeof x / sizeof x[0]; ++k) {
        float y = sonify_soft_limit(x[k]);
        cr_expect(isfinite(y) && fabsf(y) <= 1.0f, "%g -> %g", x[k], y);
    }
    cr_expect_eq(sonify_soft_limit(0.5f), 0.5f, "identity below the knee");
    cr_expect(sonify_soft_limit(2.0f) > sonify_soft_limit(1.0f), "monotonic above it");
}

/* Level of the last `measure` frames after `total`, in dBFS (both channels). */
static double
level_db(const char *settings, size_t total, size_t measure)
{
    engine *e = engine_with(SR, settings);
    render_out o = {0};
    render(e, &o, total, 1024, NULL);
    double l = rms(o.l + total - measure, measure), r = rms(o.r + total - measure, measure);
    render_free(&o);
    engine_destroy(e);
    return db(sqrt(0.5 * (l * l + r * r)));
}

/* Loudness follows the bank, not its size: going from 1 to 1000 neurons moves the level by less than 10 dB,
 * for neurons in step (identical), drifting apart (spread) and noisy. */
Test(output, loudness_holds_from_1_to_1000_neurons, .timeout = 240)
{
    static const char *const kinds[] = {
        "drive=12,spread=0.4",          /* a ramp of rates: phases spread evenly */
        "drive=12,start=rest",          /* identical neurons from rest: all in step */
        "drive=12,spread=0.2,noise=3",  /* independent */
    };
    static const char *const voices[] = {"spike_level=-60", "membrane_level=-60", ""};
    static const char *const voice_names[] = {"membrane", "spike", "both"};
    static const unsigned sizes[] = {1, 30, 1000};
    for (int v = 0; v < 3; ++v)
        for (int k = 0; k < (v == 0 ? 3 : 1); ++k) {
            double lo = 1e9, hi = -1e9, lv[3];
            for (int s = 0; s < 3; ++s) {
                char set[256];
                snprintf(set, sizeof set, "neurons=%u,%s%s%s", sizes[s], kinds[k],
                         voices[v][0] ? "," : "", voices[v]);
                lv[s] = level_db(set, 72000, 24000); /* 1..1.5 s */
                lo = fmin(lo, lv[s]);
                hi = fmax(hi, lv[s]);
            }
            printf("loudness: %-8s %-28s 1: %6.1f  30: %6.1f  1000: %6.1f dBFS  range %.1f dB\n",
                   voice_names[v], kinds[k], lv[0], lv[1], lv[2], hi - lo);
            cr_expect(hi - lo < 10.0, "%s, %s: %.1f dB apart", voice_names[v], kinds[k], hi - lo);
            cr_expect(lo > -40.0, "%s, %s: audible: %.1f dBFS", voice_names[v], kinds[k], lo);
        }
}

Test(output, membrane_voice_has_no_dc)
{
    engine *e = engine_with(SR, "neurons=8,drive=12,spread=0.4,spike_level=-60");
    render_out o = {0};
    render(e, &o, 96000, 512, NULL);
    double mean = 0.0;
    for (size_t i = 48000; i < 96000; ++i)
        mean += o.l[i];
    mean /= 48000.0;
    double level = rms(o.l + 48000, 48000);
    printf("dc: mean %.2e, rms %.3f\n", mean, level);
    cr_expect(fabs(mean) < 0.01 * level, "mean %g vs rms %g", mean, level);
    render_free(&o);
    engine_destroy(e);
}

/* Everything on at once: network, stimulus through the cochlea, MIDI in and
 * out, plucks, a change of level and of model mid-way. */
static void
render_busy(unsigned block, render_out *o)
{
    engine *e = engine_with(SR, "neurons=40,drive=6,spread=0.5,noise=2,connectivity=0.1,"
                                "w_exc=0.3,w_inh=1,input_routing=cochlea,input_gain=40,"
                                "input_mode=envelope,midi_drive=20");
    const size_t n = 24000;
    float *stim = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; ++i)
        stim[i] = 0.5f * sinf(2.0f * 3.14159265f * (300.0f + 0.1f * (float)i) * (float)i / 48000.0f);
    const uint8_t on[3] = {0x90, 52, 100}, off[3] = {0x80, 52, 0};
    render(e, o, 6000, block, stim);
    engine_midi(e, on, 3);
    engine_set_param(e, P_MEMBRANE_LEVEL, 0.0f);
    render(e, o, 6000, block, stim + 6000);
    engine_midi(e, off, 3);
    engine_set_param(e, P_MODEL, MODEL_IZHIKEVICH);
    engine_set_param(e, P_DRIVE, 8.0f);
    render(e, o, 12000, block, stim + 12000);
    free(stim);
    engine_destroy(e);
}

Test(output, voices_are_bit_identical_whatever_the_block_sizes)
{
    render_out a = {0}, b = {0}, c = {0};
    render_busy(4096, &a);
    render_busy(1, &b);
    render_busy(0, &c); /* 1, 7, 64, 3, 256, ... */
    cr_assert_eq(a.n, b.n);
    cr_expect(rms(a.l, a.n) > 1e-3, "the busy render is not silent");
    cr_expect(a.n_spikes > 100, "%zu spikes", a.n_spikes);
    cr_expect(a.n_midi > 0);
    cr_expect(memcmp(a.l, b.l, a.n * sizeof(float)) == 0, "left differs, block 1");
    cr_expect(memcmp(a.r, c.r, a.n * sizeof(float)) == 0, "right differs, mixed blocks");
    cr_expect(memcmp(a.l, c.l, a.n * sizeof(float)) == 0, "left differs, mixed blocks");
    cr_expect_eq(a.n_midi, c.n_midi);
    for (size_t i = 0; i < a.n_midi && i < c.n_midi; ++i) {
        cr_expect_eq(a.midi_at[i], c.midi_at[i]);
        cr_expect(memcmp(a.midi[i].data, c.midi[i].data, 3) == 0);
    }
    render_free(&a);
    render_free(&b);
    render_free(&c);
}

/* Control outputs (docs/manual.md): soma voltage mV/100, dendrite, a 1 ms gate per
 * focus spike, the population rate in Hz/1000. */
Test(output, control_outputs_follow_the_focus_neuron)
{
    engine *e = engine_with(SR, "neurons=4,drive=10");
    const uint32_t n = 48000;
    float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
    float *cv = malloc(n * sizeof(float)), *dend = malloc(n * sizeof(float));
    float *gate = malloc(n * sizeof(float)), *rate = malloc(n * sizeof(float));
    float *trace = malloc(n * sizeof(float));
    engine_spike spikes[4096];
    engine_io io = {.out_left = l, .out_right = r, .cv_focus_v = cv, .cv_dend_v = dend,
                    .cv_gate = gate, .cv_rate = rate, .trace_soma = trace,
                    .spikes = spikes, .spike_capacity = 4096};
    engine_process(e, &io, n);
    size_t focus_spikes = 0, gate_high = 0;
    for (uint32_t k = 0; k < io.n_spikes; ++k)
        focus_spikes += spikes[k].neuron == 0;
    for (uint32_t i = 0; i < n; ++i) {
        cr_assert_float_eq(cv[i], trace[i] * 0.01f, 1e-6f);
        cr_assert_float_eq(dend[i], cv[i], 1e-6f, "one compartment: dendrite = soma");
        gate_high += gate[i] > 0.5f;
    }
    /* 48 frames per spike (1 ms at 48 kHz) */
    printf("cv: %zu focus spikes, gate high %zu frames, rate %.4f\n", focus_spikes, gate_high,
           (double)rate[n - 1]);
    cr_expect_eq(gate_high, focus_spikes * 48);
    /* HH at 10 uA/cm2 fires 68.4 Hz (docs/science.md, HH table, 6.3 degC) */
    cr_expect(fabsf(rate[n - 1] - 0.0684f) < 0.006f, "rate %g", (double)rate[n - 1]);
    free(l);
    free(r);
    free(cv);
    free(dend);
    free(gate);
    free(rate);
    free(trace);
    engine_destroy(e);
}
