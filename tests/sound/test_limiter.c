/* The limiter (dsp/limiter.h): transparent below its ceiling, no true peak
 * above it, and a gain that does not modulate a steady tone. */
#include "limiter.h"
#include "sonify.h"
#include "sound_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SR 48000.0
#define PI 3.14159265358979323846

/* Below the ceiling the limiter is a pure delay of limiter_latency() frames:
 * the same bits, later. */
Test(limiter, is_a_pure_delay_below_the_ceiling)
{
    static const double rates[] = {44100.0, 48000.0, 96000.0};
    for (int k = 0; k < 3; ++k) {
        limiter *lim = limiter_create(rates[k], SONIFY_LIMIT);
        cr_assert_not_null(lim);
        const uint32_t lat = limiter_latency(lim);
        /* 1.5 ms of look-ahead and the interpolator's 8 frames */
        cr_expect(fabs(lat - (1.5e-3 * rates[k] + 8.0)) <= 1.0, "%g Hz: latency %u", rates[k], lat);
        const size_t n = 4096;
        float *in = calloc(n, sizeof(float)), *out_l = calloc(n, sizeof(float)),
              *out_r = calloc(n, sizeof(float));
        for (size_t i = 0; i < n; ++i)
            in[i] = 0.8f * (float)sin(2 * PI * 997.0 * (double)i / rates[k]) *
                    (i % 700 < 3 ? 1.0f : 0.5f);
        for (size_t i = 0; i < n; ++i)
            limiter_frame(lim, in[i], -in[i], &out_l[i], &out_r[i]);
        for (size_t i = 0; i < lat; ++i)
            cr_assert(out_l[i] == 0.0f, "%g Hz: frame %zu before the latency: %g", rates[k], i,
                      out_l[i]);
        for (size_t i = lat; i < n; ++i)
            cr_assert(out_l[i] == in[i - lat] && out_r[i] == -in[i - lat],
                      "%g Hz: frame %zu: %g, want %g", rates[k], i, out_l[i], in[i - lat]);
        free(in);
        free(out_l);
        free(out_r);
        limiter_destroy(lim);
    }
}

/* Inter-sample peaks: a tone at 0.23 of the sample rate with its crests
 * between samples reads up to 2.3 dB lower in samples than it is. Driven 20
 * dB over the ceiling, in bursts (so the attack and release both act), the
 * true peak of the output (8x oversampled, sound_util.c) stays at the
 * ceiling. A sample-peak limiter lets the crests through. */
Test(limiter, holds_the_true_peak_at_the_ceiling)
{
    limiter *lim = limiter_create(SR, SONIFY_LIMIT);
    const size_t n = 48000;
    float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
    float *sample_peak_l = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; ++i) {
        double env = (i / 4800) % 2 ? 10.0 : 0.3; /* 100 ms loud, 100 ms quiet */
        float x = (float)(env * sin(2 * PI * 0.23 * (double)i + 0.6));
        float y = (float)(env * 0.5 * sin(2 * PI * 0.11 * (double)i));
        limiter_frame(lim, x, y, &l[i], &r[i]);
        /* what the old detector would do: gain from the sample alone */
        sample_peak_l[i] = fabsf(x) > SONIFY_LIMIT ? x * SONIFY_LIMIT / fabsf(x) : x;
    }
    double tp = fmax(true_peak(l, n), true_peak(r, n));
    double tp_naive = true_peak(sample_peak_l, n);
    printf("limiter: true peak %.2f dBTP (ceiling %.2f); sample-peak limiting %.2f dBTP\n",
           db(tp), db(SONIFY_LIMIT), db(tp_naive));
    /* 4x oversampling reads a crest at 0.23 fs at most 1 - cos(pi 0.23 / 4)
     * = 0.14 dB low */
    cr_expect(db(tp) <= db(SONIFY_LIMIT) + 0.15, "true peak %.2f dBTP", db(tp));
    cr_expect(db(tp_naive) > db(SONIFY_LIMIT) + 1.0,
              "the tone should have inter-sample peaks a sample limiter misses: %.2f dBTP",
              db(tp_naive));
    free(l);
    free(r);
    free(sample_peak_l);
    limiter_destroy(lim);
}

/* A tonic HH neuron at speed 20 (about 1.4 kHz) as the only voice at full
 * membrane level, through the engine: the limiter must take it down by
 * several dB without side-bands. Its firing rate beats with the sample rate
 * (48000 / 1.4 kHz is not whole), so a gain that follows sample peaks
 * modulates every harmonic at that beat. Inharmonic energy (outside 8 bins
 * of the rate's multiples, sound_util.c) at most -60 dB. */
static void
driven_tonic_neuron(const char *set, double want_over)
{
    char quiet[256];
    snprintf(quiet, sizeof quiet, "%s,master_level=-24", set);
    const size_t settle = 24000, n = 65536;
    engine *e = engine_with(SR, set), *q = engine_with(SR, quiet);
    render_out o = {0}, oq = {0};
    render(e, &o, settle + n, 512, NULL);
    render(q, &oq, settle + n, 512, NULL);
    /* f0 from the spikes */
    double first = -1, last = -1;
    size_t count = 0;
    for (size_t i = 0; i < o.n_spikes; ++i)
        if (o.spike_t[i] >= settle) {
            first = first < 0 ? o.spike_t[i] : first;
            last = o.spike_t[i];
            count++;
        }
    cr_assert(count > 100);
    double f0 = (double)(count - 1) / (last - first) * SR;
    /* how far over the ceiling: the quiet render is unlimited, 24 dB down */
    double master = engine_get_param(e, P_MASTER_LEVEL);
    double over = db(true_peak(oq.l + settle, n)) + 24.0 + master - db(SONIFY_LIMIT);
    double inh = inharmonic_db(o.l + settle, n, SR, f0, 8);
    double tp = true_peak(o.l + settle, n);
    printf("limiter: tonic HH at speed 20, f0 %.1f Hz, %.1f dB into the limiter: inharmonic "
           "%.1f dB, true peak %.2f dBTP\n",
           f0, over, inh, db(tp));
    cr_expect(over > want_over, "the neuron should drive the limiter: %.1f dB over", over);
    cr_expect(inh <= -60.0, "inharmonic %.1f dB, want <= -60", inh);
    cr_expect(db(tp) <= 0.0, "true peak %.2f dBTP", db(tp));
    render_free(&o);
    render_free(&oq);
    engine_destroy(e);
    engine_destroy(q);
}

Test(limiter, a_driven_tonic_neuron_keeps_its_harmonics, .timeout = 120)
{
    /* the membrane voice alone at full level: about 3 dB over */
    driven_tonic_neuron("neurons=1,speed=20,membrane_level=0,spike_level=-60,listen=focus", 2.0);
    /* and 12 dB over */
    driven_tonic_neuron(
        "neurons=1,speed=20,membrane_level=0,spike_level=-60,listen=focus,master_level=9", 11.0);
}
