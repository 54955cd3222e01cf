/* The presets (every .ttl in presets/): at least 24, each an LV2 pset:Preset for
 * both plugins named for its file, and each sounds good out of the box:
 * finite, bounded, audible, not a clipped wall. The demos do what they
 * claim: the dCaAP branch computes XOR, MIDI keys wake the NMDA bank, the
 * cochlea hears a tone in its band. */
#include "sound_util.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <sord/sord.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SR 48000.0
#define MAX_PRESETS 64

static int
has_triple(SordModel *m, SordWorld *w, const char *s, const char *p, const char *o)
{
    SordNode *sn = sord_new_uri(w, (const uint8_t *)s), *pn = sord_new_uri(w, (const uint8_t *)p);
    SordNode *on = o ? sord_new_uri(w, (const uint8_t *)o) : NULL;
    int found = sord_ask(m, sn, pn, on, NULL);
    if (!o) {
        SordNode *any = sord_get(m, sn, pn, NULL, NULL);
        found = any != NULL;
        if (any)
            sord_node_free(w, any);
    }
    sord_node_free(w, sn);
    sord_node_free(w, pn);
    if (on)
        sord_node_free(w, on);
    return found;
}

Test(presets, at_least_twelve_well_formed_presets)
{
    char names[MAX_PRESETS][64];
    int n = preset_names(names, MAX_PRESETS);
    printf("presets: %d in %s\n", n, PRESET_DIR);
    cr_expect_geq(n, 24); /* a library a sound designer keeps, each its own character */
    for (int k = 0; k < n; ++k) {
        char path[512], uri[256];
        snprintf(path, sizeof path, "%s/%s.ttl", PRESET_DIR, names[k]);
        snprintf(uri, sizeof uri, "urn:hillock:preset:%s", names[k]);
        SordWorld *w = sord_world_new();
        SordModel *m = sord_new(w, SORD_SPO | SORD_OPS, false);
        SerdEnv *env = serd_env_new(NULL);
        SerdReader *r = sord_new_reader(m, env, SERD_TURTLE, NULL);
        cr_assert_eq(serd_reader_read_file(r, (const uint8_t *)path), SERD_SUCCESS, "%s", path);
        cr_expect(has_triple(m, w, uri, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                             "http://lv2plug.in/ns/ext/presets#Preset"),
                  "%s: <%s> a pset:Preset", names[k], uri);
        cr_expect(has_triple(m, w, uri, "http://lv2plug.in/ns/lv2core#appliesTo",
                             "urn:hillock:bank"), "%s: applies to urn:hillock:bank", names[k]);
        cr_expect(has_triple(m, w, uri, "http://lv2plug.in/ns/lv2core#appliesTo",
                             "urn:hillock:bank-cv"), "%s: applies to urn:hillock:bank-cv",
                  names[k]);
        cr_expect(has_triple(m, w, uri, "http://www.w3.org/2000/01/rdf-schema#label", NULL),
                  "%s: a label", names[k]);
        cr_expect(has_triple(m, w, uri, "http://www.w3.org/2000/01/rdf-schema#comment", NULL),
                  "%s: a comment", names[k]);
        /* ... that says what to listen for */
        SordNode *sn = sord_new_uri(w, (const uint8_t *)uri);
        SordNode *pn = sord_new_uri(w, (const uint8_t *)"http://www.w3.org/2000/01/rdf-schema#comment");
        SordNode *comment = sord_get(m, sn, pn, NULL, NULL);
        const char *text = comment ? (const char *)sord_node_get_string(comment) : "";
        cr_expect(strstr(text, "Listen") || strstr(text, "listen"),
                  "%s: the comment says nothing to listen for", names[k]);
        if (comment)
            sord_node_free(w, comment);
        sord_node_free(w, sn);
        sord_node_free(w, pn);
        serd_reader_free(r);
        serd_env_free(env);
        sord_free(m);
        sord_world_free(w);
        float v[PARAM_COUNT];
        preset_load(names[k], v);
    }
}

Test(presets, every_preset_sounds_out_of_the_box, .timeout = 240)
{
    char names[MAX_PRESETS][64];
    int n = preset_names(names, MAX_PRESETS);
    const size_t frames = 96000;
    float *stim = vowel(frames, SR);
    for (int k = 0; k < n; ++k) {
        float v[PARAM_COUNT];
        preset_load(names[k], v);
        engine *e = engine_create(SR);
        engine_set_all_params(e, v);
        int hears = v[P_INPUT_ROUTING] == ROUTING_COCHLEA;
        render_out o = {0};
        render(e, &o, frames, 256, hears ? stim : NULL);
        size_t hot = 0, loud = 0, run = 0, longest = 0;
        for (size_t i = 0; i < o.n; ++i) {
            cr_assert(isfinite(o.l[i]) && isfinite(o.r[i]), "%s: not finite", names[k]);
            cr_assert(fabsf(o.l[i]) <= 1.0f && fabsf(o.r[i]) <= 1.0f, "%s: beyond 1", names[k]);
            float a = fmaxf(fabsf(o.l[i]), fabsf(o.r[i]));
            hot += a > 0.98f;
            loud += a > 0.8f;
            run = a > 0.98f ? run + 1 : 0;
            longest = run > longest ? run : longest;
        }
        double lv = db(sqrt(0.5 * (pow(rms(o.l + 48000, 48000), 2) + pow(rms(o.r + 48000, 48000), 2))));
        printf("preset %-24s %6.1f dBFS, peak %.2f, %.3f %% above 0.8, %zu spikes/s%s\n",
               names[k], lv, (double)fmaxf(max_abs(o.l, o.n), max_abs(o.r, o.n)),
               100.0 * loud / o.n, o.n_spikes / 2, hears ? " (with a vowel stimulus)" : "");
        cr_expect(lv > -30.0 && lv < -8.0, "%s: level %.1f dBFS", names[k], lv);
        cr_expect(o.n_spikes > 0, "%s: no spikes", names[k]);
        cr_expect(hot == 0 && longest == 0, "%s: %zu samples at full scale", names[k], hot);
        cr_expect(loud < o.n / 100, "%s: %zu samples above 0.8: leaning on the limiter", names[k],
                  loud);
        render_free(&o);
        engine_destroy(e);
    }
    free(stim);
}

static size_t
spikes_with_branches(float a, float b)
{
    float v[PARAM_COUNT];
    preset_load("dcaap-xor", v);
    v[P_BRANCH_A] = a;
    v[P_BRANCH_B] = b;
    v[P_NOISE] = 0.0f;
    engine *e = engine_create(SR);
    engine_set_all_params(e, v);
    render_out o = {0};
    render(e, &o, 48000, 512, NULL);
    size_t c = o.n_spikes;
    render_free(&o);
    engine_destroy(e);
    return c;
}

Test(presets, dcaap_xor_demo_computes_xor)
{
    float v[PARAM_COUNT];
    preset_load("dcaap-xor", v);
    float on = v[P_BRANCH_A];
    size_t none = spikes_with_branches(0, 0), a = spikes_with_branches(on, 0);
    size_t b = spikes_with_branches(0, on), both = spikes_with_branches(on, on);
    printf("dcaap-xor: spikes/s: none %zu, A %zu, B %zu, A+B %zu\n", none, a, b, both);
    cr_expect_eq(none, 0);
    cr_expect(a > 20 && b > 20);
    cr_expect(both < a / 10, "both inputs together silence it: %zu", both);
}

Test(presets, nmda_demo_fires_when_midi_keys_are_held)
{
    float v[PARAM_COUNT];
    preset_load("nmda-coincidence-midi", v);
    size_t count[2];
    for (int k = 0; k < 2; ++k) {
        engine *e = engine_create(SR);
        engine_set_all_params(e, v);
        if (k) /* the notes of neurons 1 and 5 */
            for (uint32_t i = 1; i < 8; i += 4) {
                const uint8_t on[3] = {0x90, engine_neuron_note(e, i), 100};
                engine_midi(e, on, 3);
            }
        render_out o = {0};
        render(e, &o, 48000, 256, NULL);
        count[k] = 0;
        for (size_t s = 0; s < o.n_spikes; ++s)
            count[k] += o.spike_neuron[s] == 1 || o.spike_neuron[s] == 5;
        render_free(&o);
        engine_destroy(e);
    }
    printf("nmda: neurons 1 and 5: %zu spikes/s alone, %zu with their keys held\n", count[0],
           count[1]);
    cr_expect(count[1] > 3 * count[0] + 20, "%zu vs %zu", count[1], count[0]);

    /* and it is the NMDA block that makes it a coincidence: without magnesium
     * the branch input alone drives them as hard */
    v[P_NMDA_MG] = 0.0f;
    engine *e = engine_create(SR);
    engine_set_all_params(e, v);
    render_out o = {0};
    render(e, &o, 48000, 256, NULL);
    size_t unblocked = 0;
    for (size_t s = 0; s < o.n_spikes; ++s)
        unblocked += o.spike_neuron[s] == 1 || o.spike_neuron[s] == 5;
    printf("nmda: without Mg block, no keys: %zu spikes/s\n", unblocked);
    cr_expect(unblocked > 3 * count[0] + 20);
    render_free(&o);
    engine_destroy(e);
}

/* Peak of the population rhythm: the spike count in 1 ms bins from 0.5 s
 * on, its power at 10..200 Hz (plain DFT); returns the peak frequency and
 * writes the peak's power over the median. Also the median neuron's rate. */
static double
population_rhythm(const float v[PARAM_COUNT], double *peak_over_median, double *median_rate)
{
    engine *e = engine_create(SR);
    engine_set_all_params(e, v);
    render_out o = {0};
    render(e, &o, 96000, 512, NULL);
    enum { BINS = 1500 };
    static double bins[BINS];
    memset(bins, 0, sizeof bins);
    uint32_t n = (uint32_t)v[P_NEURONS];
    size_t *per = calloc(n, sizeof(size_t));
    for (size_t s = 0; s < o.n_spikes; ++s) {
        per[o.spike_neuron[s]]++;
        long k = (long)((o.spike_t[s] - 24000.0) / 48.0);
        if (k >= 0 && k < BINS)
            bins[k] += 1.0;
    }
    double mean = 0.0;
    for (int k = 0; k < BINS; ++k)
        mean += bins[k] / BINS;
    double power[191], best = 0.0;
    int best_f = 0;
    for (int f = 10; f <= 200; ++f) {
        double re = 0.0, im = 0.0;
        for (int k = 0; k < BINS; ++k) {
            re += (bins[k] - mean) * cos(2.0 * 3.14159265358979 * f * k / 1000.0);
            im += (bins[k] - mean) * sin(2.0 * 3.14159265358979 * f * k / 1000.0);
        }
        power[f - 10] = re * re + im * im;
        if (power[f - 10] > best) {
            best = power[f - 10];
            best_f = f;
        }
    }
    /* median by partial selection sort */
    for (int i = 0; i <= 95; ++i)
        for (int j = i + 1; j < 191; ++j)
            if (power[j] < power[i]) {
                double t = power[i];
                power[i] = power[j];
                power[j] = t;
            }
    *peak_over_median = best / power[95];
    for (uint32_t i = 0; i < n; ++i)
        for (uint32_t j = i + 1; j < n; ++j)
            if (per[j] < per[i]) {
                size_t t = per[i];
                per[i] = per[j];
                per[j] = t;
            }
    *median_rate = per[n / 2] / 2.0;
    free(per);
    render_free(&o);
    engine_destroy(e);
    return best_f;
}

/* The E/I preset: the population beats in the gamma band (30-90 Hz) faster
 * than its median neuron fires (Whittington et al. 2000: interneuron
 * network gamma), and the rhythm comes from the synapses. */
Test(presets, ei_network_has_a_gamma_rhythm, .timeout = 120)
{
    float v[PARAM_COUNT];
    preset_load("ei-gamma", v);
    double ratio, rate;
    double f = population_rhythm(v, &ratio, &rate);
    printf("ei-gamma: population rhythm %.0f Hz, %.0fx the median power; median neuron %.1f Hz\n",
           f, ratio, rate);
    cr_expect(f >= 30 && f <= 90, "rhythm at %.0f Hz", f);
    cr_expect(ratio > 50, "a clear peak: %.0fx", ratio);
    cr_expect(rate < 0.6 * f, "cells skip cycles: %.1f Hz", rate);
    v[P_CONNECTIVITY] = 0.0f;
    double f0 = population_rhythm(v, &ratio, &rate);
    printf("ei-gamma: unconnected: peak %.0f Hz, %.0fx the median power\n", f0, ratio);
    cr_expect(ratio < 50, "no rhythm without synapses: %.0fx", ratio);
}

/* The GABA-B preset: with GABA-A blocked (bicuculline 1) the network fires
 * in whole-bank bursts paced by GABA-B alone, at 2-5 Hz with silence
 * between, as bicuculline turns thalamic spindles into slow GABA-B-paced
 * discharges near 3 Hz (von Krosigk, Bal & McCormick 1993, Science
 * 261:361). The criterion: from 0.5 s on, at least 80 % of the spikes fall
 * in 10 ms bins holding more than a quarter of the bank, and such bursts
 * start 2 to 5 times a second; with GABA-A back (bicuculline 0) fewer
 * than 20 % do (continuous firing), and without GABA-B either (w_inh 0)
 * the bank runs away in one unbroken discharge: fewer than 2 bursts start
 * a second. Measured: 3.2 Hz, 95 %; 0 %; 0.4 bursts/s (every bin full). */
static void
burstiness(const float v[PARAM_COUNT], double *in_bursts, double *burst_hz)
{
    engine *e = engine_create(SR);
    engine_set_all_params(e, v);
    render_out o = {0};
    const double from = 0.5 * SR, seconds = 2.5;
    render(e, &o, (size_t)(3.0 * SR), 512, NULL);
    enum { BINS = 250 };
    unsigned bins[BINS] = {0};
    size_t total = 0;
    for (size_t s = 0; s < o.n_spikes; ++s) {
        long k = (long)((o.spike_t[s] - from) / (0.01 * SR));
        if (k >= 0 && k < BINS) {
            bins[k]++;
            total++;
        }
    }
    const unsigned full = (unsigned)v[P_NEURONS] / 4u;
    size_t inside = 0, starts = 0;
    for (int k = 0; k < BINS; ++k)
        if (bins[k] > full) {
            inside += bins[k];
            starts += k == 0 || bins[k - 1] <= full;
        }
    *in_bursts = total ? (double)inside / (double)total : 0.0;
    *burst_hz = (double)starts / seconds;
    render_free(&o);
    engine_destroy(e);
}

Test(presets, gaba_b_preset_bursts_slowly_without_gaba_a, .timeout = 120)
{
    float v[PARAM_COUNT];
    preset_load("gaba-b-slow-bursts", v);
    double share, hz;
    burstiness(v, &share, &hz);
    printf("gaba-b-slow-bursts: %.0f %% of the spikes in whole-bank bursts, %.1f bursts/s\n",
           100.0 * share, hz);
    cr_expect_geq(share, 0.8, "bursts hold %.2f of the spikes", share);
    cr_expect(hz >= 2.0 && hz <= 5.0, "%.1f bursts/s", hz);
    v[P_BICUCULLINE] = 0.0f;
    burstiness(v, &share, &hz);
    printf("gaba-b-slow-bursts, bicuculline 0: %.0f %% in bursts, %.1f bursts/s\n", 100.0 * share,
           hz);
    cr_expect_lt(share, 0.2, "with GABA-A: still %.2f in bursts", share);
    v[P_BICUCULLINE] = 1.0f;
    v[P_W_INH] = 0.0f;
    burstiness(v, &share, &hz);
    printf("gaba-b-slow-bursts, w_inh 0: %.0f %% in bursts, %.1f bursts/s\n", 100.0 * share, hz);
    cr_expect_lt(hz, 2.0, "without GABA-B: still %.1f bursts/s", hz);
}
