/* The settled start (start=settled, dsp/settle.h): a bank begins on its
 * attractor, so its first 250 ms sound like what follows, its identical
 * neurons start at different phases, and the silent pre-roll is short;
 * start=rest begins every neuron at rest, as the reference simulations do. */
#include "sound_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* The preset file's text holds `what` (its comment: the only free text). */
static int
comment_says(const char *name, const char *what)
{
    char path[4608], text[8192];
    snprintf(path, sizeof path, "%s/%s.ttl", PRESET_DIR, name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    return strstr(text, what) != NULL;
}

/* The first 250 ms of a preset's render against the 0.25 .. 2 s that follow,
 * in dB, with its seed replaced by `seed` (< 0: the preset's own). */
static double
start_vs_rest(const float *preset, double seed)
{
    const size_t total = (size_t)(2.0 * SR), head = (size_t)(0.25 * SR);
    float v[PARAM_COUNT];
    memcpy(v, preset, sizeof v);
    if (seed >= 0.0)
        v[P_SEED] = (float)seed;
    engine *e = engine_create(SR);
    engine_set_settle_mode(e, ENGINE_SETTLE_AT_ONCE);
    engine_set_all_params(e, v);
    render_out o = {0};
    render(e, &o, total, 512, NULL);
    const double diff = level_of(&o, 0, head) - level_of(&o, head, total - head);
    render_free(&o);
    engine_destroy(e);
    return diff;
}

/* Every preset, as `hillock render` plays it (a coupled network's pre-roll
 * at once, ENGINE_SETTLE_AT_ONCE): its first 250 ms within 3 dB of the
 * 0.25 .. 2 s that follow (the onset window the sound report measures), but
 * for a preset about an onset, which starts from rest and says so. A preset
 * with noise is judged by the mean over its own seed and the next two: a
 * few noise-driven spikes make one realization's 250 ms a lottery (the
 * murmur of nmda-coincidence-midi's 8 neurons: +2.8, -2.5 and -6.7 dB for
 * its seed and the next two), and the claim is about the preset, not one
 * draw of its noise. */
Test(start, every_preset_starts_as_it_goes_on, .timeout = 240)
{
    char names[64][64];
    const int n = preset_names(names, 64);
    for (int k = 0; k < n; ++k) {
        float v[PARAM_COUNT];
        preset_load(names[k], v);
        double diff = start_vs_rest(v, -1.0);
        const int rest = (int)v[P_START] == START_REST;
        printf("start: preset %-30s first 250 ms vs rest %+5.1f dB", names[k], diff);
        if (v[P_NOISE] > 0.0f && !rest) {
            const double others[2] = {start_vs_rest(v, v[P_SEED] + 1.0),
                                      start_vs_rest(v, v[P_SEED] + 2.0)};
            printf(", next seeds %+5.1f %+5.1f dB", others[0], others[1]);
            diff = (diff + others[0] + others[1]) / 3.0;
            printf(", mean %+5.1f dB", diff);
        }
        printf("%s\n", rest ? " (start = rest: about its onset)" : "");
        if (rest)
            cr_expect(comment_says(names[k], "start = rest"), "%s starts from rest and does not "
                      "say so", names[k]);
        else
            cr_expect(fabs(diff) < 3.0, "%s: first 250 ms %+.1f dB", names[k], diff);
    }
}

/* Where a host has a thread to spare (the plugin's LV2 worker), a coupled
 * network's pre-roll runs there (ENGINE_SETTLE_BY_HOST): the engine asks
 * once, the host runs it, and the bank is placed 10 ms in, exactly as
 * `hillock render` (ENGINE_SETTLE_AT_ONCE) places it, sample for sample. */
static void *
run_settle(void *e)
{
    return (void *)(intptr_t)engine_settle_run(e);
}

static void
render_network(engine_settle_mode mode, int run_it, render_out *o)
{
    float v[PARAM_COUNT];
    preset_load("ei-gamma", v);
    engine *e = engine_create(SR);
    engine_set_settle_mode(e, mode);
    engine_set_all_params(e, v);
    render(e, o, 256, 256, NULL);
    const int wanted = engine_settle_wanted(e);
    cr_expect_eq(wanted, mode == ENGINE_SETTLE_BY_HOST, "asked for the host's thread: %d", wanted);
    cr_expect_eq(engine_settle_wanted(e), 0, "asked twice");
    if (wanted && run_it) {
        pthread_t t;
        void *ran = NULL;
        cr_assert_eq(pthread_create(&t, NULL, run_settle, e), 0);
        pthread_join(t, &ran);
        cr_expect_eq((intptr_t)ran, 1);
    }
    render(e, o, (size_t)(2.0 * SR) - 256, 256, NULL);
    if (wanted && !run_it)
        cr_expect_eq(engine_settle_run(e), 0, "a pre-roll left untaken is withdrawn");
    engine_destroy(e);
}

Test(start, a_coupled_network_pre_rolls_in_the_hosts_thread, .timeout = 120)
{
    render_out at_once = {0}, by_host = {0}, untaken = {0};
    render_network(ENGINE_SETTLE_AT_ONCE, 0, &at_once);
    render_network(ENGINE_SETTLE_BY_HOST, 1, &by_host);
    size_t differ = 0;
    for (size_t i = 0; i < at_once.n; ++i)
        differ += at_once.l[i] != by_host.l[i] || at_once.r[i] != by_host.r[i];
    cr_expect_eq(differ, 0, "%zu samples differ from the pre-roll run at once", differ);
    const size_t head = (size_t)(0.25 * SR);
    const double diff = level_of(&by_host, 0, head) - level_of(&by_host, head, by_host.n - head);
    printf("start: ei-gamma, pre-roll in the host's thread: first 250 ms vs rest %+.1f dB\n", diff);
    cr_expect(fabs(diff) < 3.0, "first 250 ms %+.1f dB", diff);

    /* nobody runs it: silent for 100 ms, then the bank starts from rest */
    render_network(ENGINE_SETTLE_BY_HOST, 0, &untaken);
    size_t first = untaken.n;
    for (size_t i = 0; i < untaken.n && first == untaken.n; ++i)
        if (fabsf(untaken.l[i]) > 1e-6f || fabsf(untaken.r[i]) > 1e-6f)
            first = i;
    const double ms = first * 1000.0 / SR;
    printf("start: ei-gamma, pre-roll left untaken: sounds from rest after %.1f ms\n", ms);
    cr_expect(ms >= 100.0 && ms < 130.0, "sounds after %.1f ms", ms);
    render_free(&at_once);
    render_free(&by_host);
    render_free(&untaken);
}
