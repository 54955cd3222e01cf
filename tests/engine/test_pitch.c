/* Pitch tracking (pitch_mode track, dsp/pitch_track.h): a held MIDI note
 * makes its neurons fire at the note's frequency. The reference is the
 * MIDI Tuning Standard's 12-tone equal temperament, f = 440 * 2^((n - 69)/12)
 * Hz (MIDI 1.0 Detailed Specification, MIDI Tuning; A4 = 440 Hz, ISO 16),
 * bent by bend * 2 semitones (the General MIDI default bend range).
 * Pitch is measured from spike times at steady state, in cents
 * (1200 log2(f_measured / f_reference)), against the brief's 3 cents. */
#include "engine.h"
#include "tuning.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 256u
#define MAX_CENTS 3.0

static double
note_hz(int note)
{
    return 440.0 * pow(2.0, (note - 69) / 12.0);
}

/* Spike times of each neuron, seconds of audio time. */
typedef struct {
    double *t[16];
    size_t n[16], cap[16];
} spikes;

static void
spikes_free(spikes *s)
{
    for (int i = 0; i < 16; ++i)
        free(s->t[i]);
    memset(s, 0, sizeof *s);
}

static engine *
pitch_engine(double sr, const char *model, int neurons)
{
    float v[PARAM_COUNT];
    param_defaults(v);
    char err[128];
    cr_assert(param_parse(P_MODEL, model, &v[P_MODEL], err, sizeof err), "%s", err);
    v[P_NEURONS] = (float)neurons;
    v[P_START] = START_REST;
    v[P_PITCH_MODE] = PITCH_TRACK;
    engine *e = engine_create(sr);
    cr_assert(e);
    engine_set_all_params(e, v);
    return e;
}

/* Process until audio time t_end (s), recording spikes after t_from. */
static void
run_until(engine *e, double sr, uint64_t *frame, double t_end, spikes *s)
{
    static float l[BLOCK], r[BLOCK];
    static engine_spike sp[4096];
    const uint64_t end = (uint64_t)llround(t_end * sr);
    while (*frame < end) {
        uint32_t n = end - *frame < BLOCK ? (uint32_t)(end - *frame) : BLOCK;
        engine_io io = {.out_left = l, .out_right = r, .spikes = sp, .spike_capacity = 4096};
        engine_process(e, &io, n);
        for (uint32_t k = 0; k < io.n_spikes && s; ++k) {
            uint32_t i = sp[k].neuron;
            if (i >= 16)
                continue;
            if (s->n[i] == s->cap[i]) {
                s->cap[i] = s->cap[i] ? 2 * s->cap[i] : 256;
                s->t[i] = realloc(s->t[i], s->cap[i] * sizeof(double));
            }
            s->t[i][s->n[i]++] = ((double)*frame + sp[k].offset + sp[k].frac) / sr;
        }
        *frame += n;
    }
}

static void
note_on(engine *e, int note)
{
    uint8_t m[3] = {0x90, (uint8_t)note, 100};
    engine_midi(e, m, 3);
}

static void
note_off(engine *e, int note)
{
    uint8_t m[3] = {0x80, (uint8_t)note, 0};
    engine_midi(e, m, 3);
}

/* The worst deviation in cents of any interval in [t0, t1) from f
 * (for a tonic neuron every interval is a cycle), and their number. */
static double
worst_cents(const spikes *s, int neuron, double t0, double t1, double f, size_t *count)
{
    double worst = 0.0, prev = -1.0;
    *count = 0;
    for (size_t k = 0; k < s->n[neuron]; ++k) {
        double t = s->t[neuron][k];
        if (t < t0 || t >= t1)
            continue;
        if (prev >= 0.0) {
            double c = fabs(1200.0 * log2(1.0 / (t - prev) / f));
            worst = c > worst ? c : worst;
            ++*count;
        }
        prev = t;
    }
    return *count ? worst : INFINITY;
}

/* One note from 0.3 s (the f-I curve is measured in the silence before,
 * as at a session's start) to 0.9 s, steady state from 0.6 s. */
static double
cents_of(double sr, const char *model, const char *extra[], int note, size_t *count)
{
    engine *e = pitch_engine(sr, model, 1);
    for (int k = 0; extra && extra[k]; k += 2)
        engine_set_param(e, (param_id)param_find(extra[k]), (float)atof(extra[k + 1]));
    uint64_t frame = 0;
    spikes s = {0};
    run_until(e, sr, &frame, 0.3, NULL);
    note_on(e, note);
    run_until(e, sr, &frame, 0.9, &s);
    double c = worst_cents(&s, 0, 0.6, 0.9, note_hz(note), count);
    spikes_free(&s);
    engine_destroy(e);
    return c;
}

/* A tonic model over MIDI notes 24-96 (every other octave), at two sample
 * rates. */
static void
tonic_tracks(const char *name, const char *model, const char *extra[])
{
    const double rates[] = {44100.0, 96000.0};
    for (size_t r = 0; r < 2; ++r)
        for (int note = 24; note <= 96; note += 24) {
            size_t count;
            double cents = cents_of(rates[r], model, extra, note, &count);
            printf("pitch: %-14s %6.0f Hz note %3d: worst %.3f cents over %zu cycles\n", name,
                   rates[r], note, cents, count);
            cr_expect(count >= 8, "%s note %d: %zu cycles", name, note, count);
            cr_expect(cents < MAX_CENTS, "%s at %.0f Hz, note %d: %.3f cents", name, rates[r],
                      note, cents);
        }
}

Test(pitch, hh_tracks_within_3_cents, .timeout = 60)
{
    tonic_tracks("hh", "hh", NULL);
}

Test(pitch, izhikevich_regular_spiking_tracks_within_3_cents, .timeout = 60)
{
    tonic_tracks("izhikevich rs", "izhikevich", NULL);
}

/* fast spiking: Izhikevich 2003, Fig. 2 (a = 0.1, d = 2) */
Test(pitch, izhikevich_fast_spiking_tracks_within_3_cents, .timeout = 60)
{
    static const char *fs[] = {"izh_a", "0.1", "izh_d", "2", NULL};
    tonic_tracks("izhikevich fs", "izhikevich", fs);
}

/* Bursting models: the burst rate is the pitch. A burst starts with a
 * spike after an interval over three times the shortest one (its spikes'
 * own intervals); notes within their reach at the default drive
 * (docs/manual.md, Pitch tracking). */
Test(pitch, bursting_models_track_with_their_burst_rate, .timeout = 60)
{
    static const struct {
        const char *model;
        int note;
    } cases[] = {{"pinsky_rinzel", 12}, {"pinsky_rinzel", 20}, {"hindmarsh_rose", 24},
                 {"hindmarsh_rose", 40}};
    const double sr = 48000.0;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        engine *e = pitch_engine(sr, cases[c].model, 1);
        uint64_t frame = 0;
        spikes s = {0};
        note_on(e, cases[c].note);
        run_until(e, sr, &frame, 1.5, &s);
        double shortest = INFINITY;
        for (size_t k = 1; k < s.n[0]; ++k)
            shortest = fmin(shortest, s.t[0][k] - s.t[0][k - 1]);
        spikes onsets = {0};
        onsets.cap[0] = s.n[0] + 1;
        onsets.t[0] = malloc(onsets.cap[0] * sizeof(double));
        for (size_t k = 1; k < s.n[0]; ++k)
            if (s.t[0][k] - s.t[0][k - 1] > 3.0 * shortest)
                onsets.t[0][onsets.n[0]++] = s.t[0][k];
        size_t count;
        double cents = worst_cents(&onsets, 0, 0.75, 1.5, note_hz(cases[c].note), &count);
        printf("pitch: %-14s note %3d: worst %.3f cents over %zu bursts of %.1f spikes\n",
               cases[c].model, cases[c].note, cents, count,
               onsets.n[0] ? (double)s.n[0] / (double)onsets.n[0] : 0.0);
        cr_expect(count >= 4, "%s note %d: %zu bursts", cases[c].model, cases[c].note, count);
        cr_expect(cents < MAX_CENTS, "%s note %d: %.3f cents", cases[c].model, cases[c].note,
                  cents);
        spikes_free(&onsets);
        spikes_free(&s);
        engine_destroy(e);
    }
}

/* Four neurons, four voices: each held note on its own neuron; a fifth
 * note steals the voice of the note that began first; a released neuron
 * rests; a note out of reach is clamped and reported. */
Test(pitch, polyphony_and_stealing, .timeout = 60)
{
    const double sr = 48000.0;
    engine *e = pitch_engine(sr, "hh", 4);
    const int notes[5] = {48, 52, 55, 59, 64};
    uint64_t frame = 0;
    for (int k = 0; k < 4; ++k)
        note_on(e, notes[k]);
    spikes s = {0};
    run_until(e, sr, &frame, 0.6, &s);
    for (int i = 0; i < 4; ++i) {
        size_t count;
        double c = worst_cents(&s, i, 0.3, 0.6, note_hz(notes[i]), &count);
        printf("pitch: chord, neuron %d note %d: %.3f cents over %zu\n", i, notes[i], c, count);
        cr_expect(c < MAX_CENTS, "neuron %d: %.3f cents", i, c);
    }
    spikes_free(&s);
    note_on(e, notes[4]); /* steals neuron 0, the oldest note's */
    run_until(e, sr, &frame, 1.2, &s);
    size_t count;
    double c = worst_cents(&s, 0, 0.9, 1.2, note_hz(notes[4]), &count);
    printf("pitch: stolen neuron 0 plays note %d: %.3f cents over %zu\n", notes[4], c, count);
    cr_expect(c < MAX_CENTS, "stolen voice: %.3f cents", c);
    for (int i = 1; i < 4; ++i) {
        c = worst_cents(&s, i, 0.9, 1.2, note_hz(notes[i]), &count);
        cr_expect(c < MAX_CENTS, "neuron %d after the steal: %.3f cents", i, c);
    }
    spikes_free(&s);
    /* released, a neuron rests: no spike after its note off has settled */
    note_off(e, notes[1]);
    run_until(e, sr, &frame, 1.5, &s);
    c = worst_cents(&s, 1, 1.3, 1.5, 1.0, &count);
    cr_expect(count == 0, "neuron 1 still fires %zu times after its note off", count);
    spikes_free(&s);

    /* a note beyond the reach (8.4 kHz) is clamped and reported, once */
    engine_stats st;
    engine_get_stats(e, &st);
    cr_expect(st.pitch_clamped == 0u, "%llu clamped", (unsigned long long)st.pitch_clamped);
    note_on(e, 120);
    run_until(e, sr, &frame, 1.8, NULL);
    engine_get_stats(e, &st);
    printf("pitch: note 120 on hh: %llu clamped (the last %d), reach %.2f - %.1f Hz\n",
           (unsigned long long)st.pitch_clamped, st.pitch_last_clamped,
           (double)st.pitch_lo_hz, (double)st.pitch_hi_hz);
    cr_expect(st.pitch_clamped == 1u, "%llu notes clamped", (unsigned long long)st.pitch_clamped);
    cr_expect(st.pitch_last_clamped == 120, "the last clamped: %d", st.pitch_last_clamped);
    engine_destroy(e);
}

/* Pitch bend: full up is +2 semitones, full down -2; glide reaches the new
 * note after its time and passes between. */
Test(pitch, bend_and_glide, .timeout = 60)
{
    const double sr = 48000.0;
    engine *e = pitch_engine(sr, "hh", 1);
    uint64_t frame = 0;
    spikes s = {0};
    note_on(e, 57);
    uint8_t up[3] = {0xE0, 0x7F, 0x7F}, down[3] = {0xE0, 0x00, 0x00};
    engine_midi(e, up, 3);
    run_until(e, sr, &frame, 0.5, &s);
    size_t count;
    double c = worst_cents(&s, 0, 0.25, 0.5, note_hz(59), &count);
    printf("pitch: note 57 bent up: %.3f cents from note 59 over %zu\n", c, count);
    cr_expect(c < MAX_CENTS, "bent up: %.3f cents", c);
    spikes_free(&s);
    engine_midi(e, down, 3);
    run_until(e, sr, &frame, 1.0, &s);
    c = worst_cents(&s, 0, 0.75, 1.0, note_hz(55), &count);
    printf("pitch: note 57 bent down: %.3f cents from note 55 over %zu\n", c, count);
    cr_expect(c < MAX_CENTS, "bent down: %.3f cents", c);
    spikes_free(&s);

    /* bend centred, glide 200 ms from 57 to 69 (legato) */
    uint8_t centre[3] = {0xE0, 0x00, 0x40};
    engine_midi(e, centre, 3);
    engine_set_param(e, P_GLIDE, 200.0f);
    run_until(e, sr, &frame, 1.2, NULL);
    note_on(e, 69);
    note_off(e, 57);
    run_until(e, sr, &frame, 1.8, &s);
    /* halfway (1.3 s, one cycle late at most) the pitch is between */
    double mid = 0.0;
    for (size_t k = 1; k < s.n[0]; ++k)
        if (s.t[0][k] >= 1.3) {
            mid = 1.0 / (s.t[0][k] - s.t[0][k - 1]);
            break;
        }
    printf("pitch: glide 57 -> 69, halfway %.1f Hz\n", mid);
    cr_expect(mid > note_hz(57) * 1.2 && mid < note_hz(69) / 1.2, "halfway %.1f Hz", mid);
    c = worst_cents(&s, 0, 1.5, 1.8, note_hz(69), &count);
    printf("pitch: after the glide: %.3f cents from note 69 over %zu\n", c, count);
    cr_expect(c < MAX_CENTS, "after the glide: %.3f cents", c);
    spikes_free(&s);
    engine_destroy(e);
}

/* A Scala tuning retunes the notes: the Bohlen-Pierce scale from the
 * format's examples (13 equal steps of 3/1, a non-octave scale), with the
 * default keymap (note 60 = degree 0 at 261.6256 Hz, Scala's convention):
 * note 60 + k sounds 261.6256 * 3^(k/13) Hz. */
Test(pitch, a_scala_tuning_retunes_the_notes, .timeout = 60)
{
    char err[256];
    tuning_scale scl;
    cr_assert(tuning_load_scl(SCALA_DIR "/bohlen-p_et.scl", &scl, err, sizeof err), "%s", err);
    double hz[TUNING_KEYS];
    tuning_build(&scl, NULL, hz);
    const double sr = 48000.0, c4 = 440.0 * pow(2.0, -9.0 / 12.0);
    const int notes[2] = {61, 73};
    engine *e = pitch_engine(sr, "hh", 2);
    engine_set_tuning(e, hz);
    uint64_t frame = 0;
    run_until(e, sr, &frame, 0.3, NULL);
    note_on(e, notes[0]);
    note_on(e, notes[1]);
    spikes s = {0};
    run_until(e, sr, &frame, 0.9, &s);
    for (int i = 0; i < 2; ++i) {
        double want = c4 * pow(3.0, (notes[i] - 60) / 13.0);
        size_t count;
        double c = worst_cents(&s, i, 0.6, 0.9, want, &count);
        printf("pitch: bohlen-pierce note %d (%.3f Hz): %.3f cents over %zu\n", notes[i], want,
               c, count);
        cr_expect(count >= 8 && c < MAX_CENTS, "note %d: %.3f cents over %zu", notes[i], c,
                  count);
    }
    spikes_free(&s);
    engine_destroy(e);
}
