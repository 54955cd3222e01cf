/* Stimulus audio as current: shaping modes, and the neural cochlea that
 * gives each neuron its own band. */
#include "sound_util.h"
#include "stimulus.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SR 48000.0

static float *
tone(size_t n, double hz, float amp)
{
    float *x = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; ++i)
        x[i] = amp * (float)sin(2.0 * 3.14159265358979 * hz * (double)i / SR);
    return x;
}

static void
count_per_neuron(const render_out *o, size_t *count, uint32_t n)
{
    for (uint32_t i = 0; i < n; ++i)
        count[i] = 0;
    for (size_t k = 0; k < o->n_spikes; ++k)
        if (o->spike_neuron[k] < n)
            count[o->spike_neuron[k]]++;
}

/* The cochlea: a tone drives the neuron of its band hardest. 16 quiet HH neurons,
 * 16 bands; a tone at band b's centre must make neuron b fire the most. */
Test(stimulus, cochlea_tone_drives_the_neuron_of_its_band)
{
    const uint32_t n = 16;
    static const uint32_t bands[] = {1, 5, 9, 14};
    for (int k = 0; k < 4; ++k) {
        uint32_t b = bands[k];
        double hz = stimulus_band_hz(b, stimulus_bands_for(n), SR);
        engine *e = engine_with(SR, "neurons=16,drive=0,input_routing=cochlea,"
                                    "input_mode=envelope,input_gain=25,spike_level=-60");
        const size_t frames = 24000;
        float *x = tone(frames, hz, 0.8f);
        render_out o = {0};
        render(e, &o, frames, 256, x);
        size_t count[16];
        count_per_neuron(&o, count, n);
        uint32_t best = 0;
        for (uint32_t i = 1; i < n; ++i)
            best = count[i] > count[best] ? i : best;
        printf("cochlea: %.0f Hz (band %u): spikes per neuron", hz, b);
        for (uint32_t i = 0; i < n; ++i)
            printf(" %zu", count[i]);
        printf("\n");
        cr_expect_eq(best, b, "%.0f Hz: neuron %u fired most, want %u", hz, best, b);
        cr_expect(count[b] > 5);
        free(x);
        render_free(&o);
        engine_destroy(e);
    }
}

Test(stimulus, cochlea_bands_cover_the_range_log_spaced)
{
    cr_expect_eq(stimulus_bands_for(1), 1);
    cr_expect_eq(stimulus_bands_for(16), 16);
    cr_expect_eq(stimulus_bands_for(1000), STIMULUS_MAX_BANDS);
    cr_expect_float_eq(stimulus_band_hz(0, 64, SR), STIMULUS_LOW_HZ, 1e-6);
    cr_expect_float_eq(stimulus_band_hz(63, 64, SR), STIMULUS_HIGH_HZ, 1e-6);
    /* at 16 kHz the top band stays under Nyquist (0.45 fs) */
    cr_expect_float_eq(stimulus_band_hz(63, 64, 16000.0), 7200.0, 1e-6);
    /* equal ratios between neighbours */
    double r1 = stimulus_band_hz(1, 64, SR) / stimulus_band_hz(0, 64, SR);
    double r2 = stimulus_band_hz(40, 64, SR) / stimulus_band_hz(39, 64, SR);
    cr_expect_float_eq(r1, r2, 1e-9);
    /* 1000 neurons over 64 bands: neighbours share, low neurons hear low */
    cr_expect_eq(stimulus_band_of(0, 1000, 64), 0);
    cr_expect_eq(stimulus_band_of(999, 1000, 64), 63);
    cr_expect_eq(stimulus_band_of(500, 1000, 64), 32);
}

/* Modes: a 50 Hz tone of zero mean. Direct: its positive half-waves drive,
 * the negative ones hold back; rectified and envelope drive on average, so
 * a neuron that rests under the tone in direct mode fires under them. */
static size_t
spikes_with(const char *settings, const float *x, size_t n)
{
    engine *e = engine_with(SR, settings);
    render_out o = {0};
    render(e, &o, n, 256, x);
    size_t c = o.n_spikes;
    render_free(&o);
    engine_destroy(e);
    return c;
}

Test(stimulus, modes_shape_the_current)
{
    const size_t n = 48000;
    float *x = tone(n, 300.0, 0.5f);
    size_t direct = spikes_with("neurons=1,drive=0,input_gain=20,input_mode=direct", x, n);
    size_t rect = spikes_with("neurons=1,drive=0,input_gain=20,input_mode=rectified", x, n);
    size_t env = spikes_with("neurons=1,drive=0,input_gain=20,input_mode=envelope", x, n);
    printf("stimulus: 300 Hz at 10 uA/cm2 peak: direct %zu, rectified %zu, envelope %zu spikes\n",
           direct, rect, env);
    /* rectified: mean 10 * 2/pi = 6.4 uA/cm2, just above HH's rheobase;
     * envelope: about 10 uA/cm2, the 68 Hz of docs/science.md */
    cr_expect_leq(direct, 1, "a 300 Hz sine averages out (but its onset)");
    cr_expect(rect > 20, "%zu", rect);
    cr_expect(env > rect && env > 55 && env < 80, "%zu", env);
    free(x);
}

Test(stimulus, offset_applies_while_stimulus_is_present)
{
    const size_t n = 24000;
    float *zero = calloc(n, sizeof(float));
    size_t with = spikes_with("neurons=1,drive=0,input_offset=10", zero, n);
    size_t without = spikes_with("neurons=1,drive=0,input_offset=10", NULL, n);
    cr_expect(with > 20, "offset 10 with a (silent) stimulus: %zu spikes", with);
    cr_expect_eq(without, 0, "no stimulus connected: no offset");
    free(zero);
}

Test(stimulus, non_finite_stimulus_is_silence)
{
    const size_t n = 4800;
    float *x = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; ++i)
        x[i] = (i % 3 == 0) ? NAN : (i % 3 == 1) ? INFINITY : -INFINITY;
    static const char *const set[] = {"input_routing=cochlea,input_gain=200",
                                      "input_mode=envelope,input_gain=200"};
    for (int k = 0; k < 2; ++k) {
        engine *e = engine_with(SR, set[k]);
        render_out o = {0};
        render(e, &o, n, 64, x);
        for (size_t i = 0; i < o.n; ++i)
            cr_assert(isfinite(o.l[i]) && fabsf(o.l[i]) <= 1.0f);
        render_free(&o);
        engine_destroy(e);
    }
    free(x);
}
