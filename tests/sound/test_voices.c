/* The voices: the membrane voice is alias-free at every speed, the spike
 * voice rings at the scale's pitches and tells excitatory from inhibitory,
 * and voice stealing bounds the cost. */
#include "sound_util.h"

#include "scale.h"
#include "voices.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SR 48000.0

/* f0 from the spike times of neuron 0 after frame `from`. */
static double
firing_hz(const render_out *o, double from)
{
    double first = -1, last = -1;
    size_t count = 0;
    for (size_t i = 0; i < o->n_spikes; ++i)
        if (o->spike_neuron[i] == 0 && o->spike_t[i] >= from) {
            if (first < 0)
                first = o->spike_t[i];
            last = o->spike_t[i];
            count++;
        }
    cr_assert(count > 10, "too few spikes: %zu", count);
    return (double)(count - 1) / (last - first) * SR;
}

/* The membrane voice is alias-free: at speed 20 a tonic HH neuron fires near 1.4 kHz with spikes a few
 * samples wide; everything not at multiples of the firing rate must stay at
 * least 60 dB below the total. */
static double
alias_at_speed(double speed, double *f0_out)
{
    char set[256];
    snprintf(set, sizeof set,
             "neurons=1,drive=10,speed=%g,listen=focus,spike_level=-60,membrane_level=-6",
             speed);
    engine *e = engine_with(SR, set);
    render_out o = {0};
    const size_t settle = 24000, n = 65536;
    render(e, &o, settle + n, 512, NULL);
    double f0 = firing_hz(&o, (double)settle);
    double inh = inharmonic_db(o.l + settle, n, SR, f0, 8);
    *f0_out = f0;
    render_free(&o);
    engine_destroy(e);
    return inh;
}

Test(voices, membrane_voice_is_alias_free_at_speed_20)
{
    double f0;
    double inh = alias_at_speed(20.0, &f0);
    printf("alias: speed 20, f0 %.1f Hz, inharmonic energy %.1f dB below total\n", f0, -inh);
    cr_expect(f0 > 1200 && f0 < 1600, "tonic HH at speed 20 fires near 1.4 kHz: %.1f", f0);
    cr_expect(inh <= -60.0, "inharmonic %.1f dB, want <= -60 dB", inh);
}

Test(voices, membrane_voice_is_alias_free_at_other_speeds)
{
    /* 5 and 8 fill one impulse per substep; 50 and 150 average substeps in
     * eighths of a frame first (bandlimit.h) */
    static const double speeds[] = {1.0, 5.0, 8.0, 50.0, 150.0};
    for (int k = 0; k < 5; ++k) {
        double f0;
        double inh = alias_at_speed(speeds[k], &f0);
        printf("alias: speed %g, f0 %.1f Hz, inharmonic %.1f dB\n", speeds[k], f0, inh);
        cr_expect(inh <= -60.0, "speed %g: inharmonic %.1f dB", speeds[k], inh);
    }
}

/* The same measurement on the raw voltage, one value per frame (what the
 * engine played before the band-limiting): it must fail the bound, or the
 * measurement above could not tell aliasing when it sees it. */
Test(voices, one_value_per_frame_would_alias_at_speed_20)
{
    engine *e = engine_with(SR, "neurons=1,drive=10,speed=20,listen=focus,spike_level=-60");
    const size_t settle = 24000, n = 65536;
    /* + 512: the last block of 512 runs past settle + n */
    float *trace = malloc((settle + n + 512) * sizeof(float)), l[512], r[512];
    engine_spike spikes[256];
    double first = -1, last = -1;
    size_t count = 0;
    for (size_t done = 0; done < settle + n; done += 512) {
        engine_io io = {.out_left = l, .out_right = r, .trace_soma = trace + done,
                        .spikes = spikes, .spike_capacity = 256};
        engine_process(e, &io, 512);
        for (uint32_t k = 0; k < io.n_spikes; ++k)
            if (done >= settle) {
                double t = (double)done + spikes[k].offset + spikes[k].frac;
                first = first < 0 ? t : first;
                last = t;
                count++;
            }
    }
    double f0 = (double)(count - 1) / (last - first) * SR;
    double inh = inharmonic_db(trace + settle, n, SR, f0, 8);
    printf("alias: raw per-frame voltage at speed 20: inharmonic %.1f dB\n", inh);
    cr_expect(inh > -60.0, "the raw voltage should alias: %.1f dB", inh);
    free(trace);
    engine_destroy(e);
}

/* One spike: HH at rest kicked by a 1 ms current pulse through the stimulus
 * input. Returns the frequency of the spectral peak of the spike voice. */
static double
single_spike_peak_hz(const char *settings, double *decay_energy_ratio)
{
    engine *e = engine_with(SR, settings);
    const size_t n = 32768;
    float *stim = calloc(n, sizeof(float));
    for (size_t i = 4800; i < 4848; ++i)
        stim[i] = 1.0f;
    render_out o = {0};
    render(e, &o, n, 256, stim);
    cr_assert_eq(o.n_spikes, 1, "one spike expected, got %zu", o.n_spikes);
    double *p = calloc(n / 2 + 1, sizeof(double));
    power_spectrum(o.l, n, p);
    size_t best = 1;
    for (size_t k = 2; k < n / 2; ++k)
        if (p[k] > p[best])
            best = k;
    if (decay_energy_ratio) {
        /* energy 100..200 ms after the spike relative to 0..100 ms */
        size_t s0 = (size_t)o.spike_t[0];
        *decay_energy_ratio = rms(o.l + s0 + 4800, 4800) / rms(o.l + s0, 4800);
    }
    free(p);
    free(stim);
    render_free(&o);
    engine_destroy(e);
    return (double)best * SR / (double)n;
}

#define ONE_SPIKE "neurons=1,drive=0,input_gain=100,membrane_level=-60,spike_level=0,"

Test(voices, pluck_rings_at_the_neurons_scale_note)
{
    /* neuron 0 plays the root: A3 = MIDI 57 = 220 Hz */
    double decay_e;
    double hz = single_spike_peak_hz(ONE_SPIKE "root=57,inhibitory_fraction=0", &decay_e);
    printf("pluck: excitatory neuron 0, root 57: peak %.1f Hz (220 expected)\n", hz);
    cr_expect(fabs(hz - 220.0) < 3.0, "peak %.1f Hz", hz);

    /* inhibitory: an octave lower and shorter */
    double decay_i;
    double hz_i = single_spike_peak_hz(ONE_SPIKE "root=57,inhibitory_fraction=1", &decay_i);
    printf("pluck: inhibitory: peak %.1f Hz (110 expected); decay ratio E %.3f I %.3f\n", hz_i,
           decay_e, decay_i);
    cr_expect(fabs(hz_i - 110.0) < 3.0, "peak %.1f Hz", hz_i);
    /* decay time constants from the energy ratio of successive 100 ms */
    double tau_e = -0.1 / log(decay_e), tau_i = -0.1 / log(decay_i);
    printf("pluck: decay time constant E %.3f s, I %.3f s\n", tau_e, tau_i);
    cr_expect(tau_i < 0.6 * tau_e, "inhibitory rings shorter: %.3f vs %.3f s", tau_i, tau_e);
}

Test(voices, click_is_band_limited)
{
    /* a spike at many sub-sample phases: energy above 21.6 kHz (0.45 fs),
     * where a naive one-sample click would put as much as anywhere, stays
     * 55 dB below the total */
    for (int k = 0; k < 4; ++k) {
        char set[256];
        snprintf(set, sizeof set, ONE_SPIKE "spike_sound=click,input_gain=%d", 60 + 17 * k);
        engine *e = engine_with(SR, set);
        const size_t n = 8192;
        float *stim = calloc(n, sizeof(float));
        for (size_t i = 2400; i < 2448; ++i)
            stim[i] = 1.0f;
        render_out o = {0};
        render(e, &o, n, 128, stim);
        cr_assert_eq(o.n_spikes, 1);
        double *p = calloc(n / 2 + 1, sizeof(double)), hi = 0, total = 0;
        power_spectrum(o.l, n, p);
        for (size_t b = 1; b <= n / 2; ++b) {
            total += p[b];
            if ((double)b * SR / n > 0.45 * SR)
                hi += p[b];
        }
        printf("click: spike at frame %.3f: energy above 0.45 fs %.1f dB\n", o.spike_t[0],
               10 * log10(hi / total));
        cr_expect(10 * log10(hi / total) < -55.0);
        free(p);
        free(stim);
        render_free(&o);
        engine_destroy(e);
    }
}

Test(voices, stealing_bounds_the_voices_and_never_clicks)
{
    voices *v = voices_create(SR, 4096, 1);
    cr_assert(v);
    /* one voice rings for a while */
    voice_sound s = {.freq_hz = 440, .decay_s = 0.5f, .amp = 1.0f, .pan = 0.5f};
    voices_trigger(v, 0, 20.0, &s);
    float l[4000] = {0}, r[4000] = {0};
    for (uint64_t f = 0; f < 2000; ++f)
        voices_render(v, f, &l[f], &r[f]);
    /* then 5000 neurons fire within one frame: the budget takes VOICES_MAX */
    int voiced = 0;
    for (uint32_t i = 1; i <= 5000; ++i) {
        voice_sound t = {.freq_hz = 200.0f + (float)i, .decay_s = 0.3f, .amp = 0.01f,
                         .pan = 0.3f};
        voiced += voices_trigger(v, i, 2010.0 + i * 1e-4, &t);
    }
    cr_expect_eq(voiced, (int)VOICES_MAX, "%d voiced", voiced);
    cr_expect_leq(voices_active(v), VOICES_MAX);
    for (uint64_t f = 2000; f < 4000; ++f)
        voices_render(v, f, &l[f], &r[f]);
    /* the stolen 440 Hz voice was retuned, not cut: no step larger than the
     * ringing itself had before */
    float before = max_step(l, 1000, 2000), after = max_step(l, 2000, 2012);
    printf("stealing: largest step before %.4f, at the steal %.4f\n", before, after);
    cr_expect_leq(after, 1.2f * before);
    voices_destroy(v);
}

/* The spike voice sounds at the spike's sub-sample time: for spikes at
 * different fractions of a frame, the energy centroid of the click sits at
 * the same distance after the spike, to a twentieth of a sample. */
Test(voices, spike_voice_follows_sub_sample_time)
{
    double lag[6];
    for (int k = 0; k < 6; ++k) {
        char set[256];
        snprintf(set, sizeof set, ONE_SPIKE "spike_sound=click,input_gain=%d", 60 + 13 * k);
        engine *e = engine_with(SR, set);
        const size_t n = 8192;
        float *stim = calloc(n, sizeof(float));
        for (size_t i = 2400; i < 2448; ++i)
            stim[i] = 1.0f;
        render_out o = {0};
        render(e, &o, n, 128, stim);
        cr_assert_eq(o.n_spikes, 1);
        double num = 0.0, den = 0.0;
        for (size_t i = 0; i < n; ++i) {
            double y2 = (double)o.l[i] * o.l[i];
            num += y2 * (double)i;
            den += y2;
        }
        lag[k] = num / den - o.spike_t[0];
        printf("spike voice: spike at %.3f, click centroid %.3f frames later\n", o.spike_t[0],
               lag[k]);
        free(stim);
        render_free(&o);
        engine_destroy(e);
    }
    for (int k = 1; k < 6; ++k)
        cr_expect(fabs(lag[k] - lag[0]) < 0.05, "lag %.3f vs %.3f", lag[k], lag[0]);
}
