/* The settled start (start=settled, dsp/settle.h): a bank begins on its
 * attractor, so its first 250 ms sound like what follows, its identical
 * neurons start at different phases, and the silent pre-roll is short;
 * start=rest begins every neuron at rest, as the reference simulations do. */
#include "sound_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#define SR 48000.0

static double
level_of(const render_out *o, size_t from, size_t n)
{
    double l = rms(o->l + from, n), r = rms(o->r + from, n);
    return db(sqrt(0.5 * (l * l + r * r)));
}

/* One bank per model, each firing in its own regime. */
static const char *const banks[] = {
    "model=hh,neurons=16,drive=10",
    "model=pinsky_rinzel,neurons=6,drive=0.75",
    "model=izhikevich,neurons=8,drive=10",
    "model=hindmarsh_rose,neurons=8,drive=3",
};
#define N_BANKS (sizeof banks / sizeof banks[0])

/* The onset window of the sound report: the first 250 ms within 3 dB of the
 * 0.25 .. 2 s that follow. */
Test(start, the_first_250_ms_sound_like_what_follows, .timeout = 120)
{
    const size_t total = (size_t)(2.0 * SR), head = (size_t)(0.25 * SR);
    for (size_t k = 0; k < N_BANKS; ++k) {
        double diff[2];
        for (int rest = 0; rest < 2; ++rest) {
            char set[256];
            snprintf(set, sizeof set, "%s,start=%s", banks[k], rest ? "rest" : "settled");
            engine *e = engine_with(SR, set);
            render_out o = {0};
            render(e, &o, total, 512, NULL);
            diff[rest] = level_of(&o, 0, head) - level_of(&o, head, total - head);
            render_free(&o);
            engine_destroy(e);
        }
        printf("start: %-42s first 250 ms vs rest: settled %+5.1f dB, from rest %+5.1f dB\n",
               banks[k], diff[0], diff[1]);
        cr_expect(fabs(diff[0]) < 3.0, "%s: settled start %+.1f dB", banks[k], diff[0]);
    }
}

/* Identical neurons from identical states follow identical trajectories:
 * from rest their first spikes coincide. Settled, each starts at its own
 * phase of the cycle, so the first spikes spread over the period (HH at
 * drive 10: about 14 ms). */
Test(start, settled_identical_neurons_start_apart)
{
    for (int rest = 0; rest < 2; ++rest) {
        char set[128];
        snprintf(set, sizeof set, "model=hh,neurons=16,drive=10,start=%s",
                 rest ? "rest" : "settled");
        engine *e = engine_with(SR, set);
        render_out o = {0};
        render(e, &o, (size_t)(0.2 * SR), 256, NULL);
        double first[16];
        for (int i = 0; i < 16; ++i)
            first[i] = INFINITY;
        for (size_t s = 0; s < o.n_spikes; ++s)
            if (o.spike_neuron[s] < 16 && o.spike_t[s] < first[o.spike_neuron[s]])
                first[o.spike_neuron[s]] = o.spike_t[s];
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < 16; ++i) {
            cr_assert(isfinite(first[i]), "neuron %d never fired", i);
            lo = fmin(lo, first[i]);
            hi = fmax(hi, first[i]);
        }
        double spread_ms = (hi - lo) * 1000.0 / SR;
        printf("start: %s, first spikes spread over %.2f ms\n", rest ? "rest" : "settled",
               spread_ms);
        if (rest)
            cr_expect(spread_ms < 0.1, "from rest: %.2f ms apart", spread_ms);
        else
            cr_expect(spread_ms > 5.0, "settled: only %.2f ms apart", spread_ms);
        render_free(&o);
        engine_destroy(e);
    }
}

/* The pre-roll is spread over frames of silence, SETTLE_WORK_48K neuron-steps
 * each: a few tens of ms at most (Hindmarsh-Rose, the longest: 2.4 s of
 * model time at dt 0.05 ms over 16 lanes is 3000 frames, 62.5 ms). */
Test(start, the_silent_pre_roll_is_short)
{
    for (size_t k = 0; k < N_BANKS; ++k) {
        engine *e = engine_with(SR, banks[k]);
        render_out o = {0};
        render(e, &o, (size_t)(0.3 * SR), 0, NULL);
        size_t first = o.n;
        for (size_t i = 0; i < o.n && first == o.n; ++i)
            if (fabsf(o.l[i]) > 1e-6f || fabsf(o.r[i]) > 1e-6f)
                first = i;
        double ms = first * 1000.0 / SR;
        printf("start: %-42s sounds after %.1f ms\n", banks[k], ms);
        cr_expect(ms < 80.0, "%s: silent for %.1f ms", banks[k], ms);
        render_free(&o);
        engine_destroy(e);
    }
}
