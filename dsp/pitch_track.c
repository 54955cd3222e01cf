/* pitch_track.c — notes to voices, voices to the neurons' time scales
 * (pitch_track.h). */
#include "pitch_track.h"

#include "zeroed.h"

#include <math.h>
#include <string.h>

int
pitch_track_init(pitch_track *pt, uint32_t capacity)
{
    memset(pt, 0, sizeof *pt);
    pt->capacity = capacity;
    /* touched: the reset below writes every entry anyway, and a touched
     * block shares 2 MiB pages with the engine's others (zeroed.h), where
     * calloc's mappings took a page fault per 4 KiB on that first write */
    pt->t = zeroed_alloc(capacity * sizeof(double), 1);
    pt->last_spike = zeroed_alloc(capacity * sizeof(double), 1);
    pt->last_onset = zeroed_alloc(capacity * sizeof(double), 1);
    pt->max_isi = zeroed_alloc(capacity * sizeof(float), 1);
    pt->ratio = zeroed_alloc(capacity * sizeof(float), 1);
    pt->cycles = zeroed_alloc(capacity, 1);
    if (!pt->t || !pt->last_spike || !pt->last_onset || !pt->max_isi || !pt->ratio || !pt->cycles) {
        pitch_track_free(pt);
        return 0;
    }
    pitch_track_reset(pt);
    return 1;
}

void
pitch_track_free(pitch_track *pt)
{
    zeroed_free(pt->t);
    zeroed_free(pt->last_spike);
    zeroed_free(pt->last_onset);
    zeroed_free(pt->max_isi);
    zeroed_free(pt->ratio);
    zeroed_free(pt->cycles);
    pt->cycles = NULL;
    pt->t = pt->last_spike = pt->last_onset = NULL;
    pt->max_isi = pt->ratio = NULL;
}

/* Neuron i has no spike since its note began. */
static void
forget_spikes(pitch_track *pt, uint32_t i)
{
    pt->last_spike[i] = -1.0;
    pt->last_onset[i] = -1.0;
    pt->cycles[i] = 0;
}

static void
forget_measurements(pitch_track *pt)
{
    for (uint32_t i = 0; i < pt->capacity; ++i) {
        pt->t[i] = 0.0;
        forget_spikes(pt, i);
        pt->max_isi[i] = 0.0f;
    }
    pitch_track_forget_ratios(pt);
}

void
pitch_track_forget_ratios(pitch_track *pt)
{
    for (uint32_t i = 0; i < pt->capacity; ++i) {
        pt->ratio[i] = 0.0f;
        pt->cycles[i] = 0;
    }
    pt->ratio_guess = 0.0f;
}

void
pitch_track_restart(pitch_track *pt, bank *b)
{
    forget_measurements(pt);
    for (uint32_t i = 0; i < b->capacity; ++i)
        b->time_scale[i] = 1.0f;
}

void
pitch_track_reset(pitch_track *pt)
{
    forget_measurements(pt);
    for (uint32_t v = 0; v < PITCH_VOICES; ++v)
        pt->voice[v] = (pitch_voice){.note = -1, .current = NAN, .curve_period = 1.0f};
    pt->clock = 0;
    pt->changed = 1;
    pt->clamped_notes = 0;
    pt->last_clamped = -1;
    if (!pt->n_voices)
        pt->n_voices = 1;
}

void
pitch_track_set_neurons(pitch_track *pt, uint32_t n)
{
    uint32_t voices = n < PITCH_VOICES ? n : PITCH_VOICES;
    if (voices < 1)
        voices = 1;
    if (voices != pt->n_voices) {
        /* the neurons change voices: every note ends */
        pitch_track_all_off(pt);
        pt->n_voices = voices;
    }
    pt->changed = 1;
}

/* The voice a note on takes: its own note's, else a free one (released
 * longest ago), else the one whose note began longest ago. */
static uint32_t
pick_voice(const pitch_track *pt, int note)
{
    for (uint32_t v = 0; v < pt->n_voices; ++v)
        if (pt->voice[v].held && pt->voice[v].note == note)
            return v;
    uint32_t best = 0;
    int best_free = 0;
    uint64_t best_since = UINT64_MAX;
    for (uint32_t v = 0; v < pt->n_voices; ++v) {
        const pitch_voice *pv = &pt->voice[v];
        int is_free = !pv->held;
        if (is_free > best_free || (is_free == best_free && pv->since < best_since)) {
            best = v;
            best_free = is_free;
            best_since = pv->since;
        }
    }
    return best;
}

void
pitch_track_note_on(pitch_track *pt, int note, float hz, uint32_t glide_frames)
{
    if (!(hz > 0.0f))
        return;
    uint32_t v = pick_voice(pt, note);
    pitch_voice *pv = &pt->voice[v];
    const float to = log2f(hz);
    if (!pv->held) /* from rest: its neurons' spikes so far say nothing */
        for (uint32_t i = v; i < pt->capacity; i += pt->n_voices) {
            forget_spikes(pt, i);
            if (pt->isi_seed > 0.0f)
                pt->max_isi[i] = pt->isi_seed;
        }
    if (glide_frames > 0 && pv->note >= 0) {
        pv->log2_to = to;
        pv->glide_step = (to - pv->log2_hz) / (float)glide_frames;
        pv->glide_left = glide_frames;
    } else {
        pv->log2_hz = pv->log2_to = to;
        pv->glide_left = 0;
    }
    pv->note = note;
    pv->held = 1;
    pv->clamped = 0;
    pv->since = ++pt->clock;
    pt->changed = 1;
}

void
pitch_track_note_off(pitch_track *pt, int note)
{
    for (uint32_t v = 0; v < pt->n_voices; ++v) {
        pitch_voice *pv = &pt->voice[v];
        if (pv->held && pv->note == note) {
            pv->held = 0;
            pv->since = ++pt->clock;
            pt->changed = 1;
        }
    }
}

void
pitch_track_all_off(pitch_track *pt)
{
    for (uint32_t v = 0; v < PITCH_VOICES; ++v)
        if (pt->voice[v].held) {
            pt->voice[v].held = 0;
            pt->voice[v].since = ++pt->clock;
        }
    pt->changed = 1;
}

int
pitch_track_voice_of(const pitch_track *pt, uint32_t i)
{
    uint32_t v = i % pt->n_voices;
    return pt->voice[v].held ? (int)v : -1;
}

void
pitch_track_glide(pitch_track *pt)
{
    for (uint32_t v = 0; v < pt->n_voices; ++v) {
        pitch_voice *pv = &pt->voice[v];
        if (!pv->glide_left)
            continue;
        if (--pv->glide_left == 0)
            pv->log2_hz = pv->log2_to;
        else
            pv->log2_hz += pv->glide_step;
    }
}

void
pitch_track_frame(pitch_track *pt, bank *b, float bend_ratio, double model_ms_per_s)
{
    const uint32_t n = b->n, nv = pt->n_voices;
    for (uint32_t v = 0; v < nv; ++v) {
        pitch_voice *pv = &pt->voice[v];
        if (pv->note < 0)
            continue;
        /* hz / R times the curve's period, so s = this * ratio */
        const double per_period =
            (double)exp2f(pv->log2_hz) * bend_ratio * pv->curve_period / model_ms_per_s;
        const float fallback = pt->ratio_guess > 0.0f ? pt->ratio_guess
                               : pv->has_curve        ? 1.0f
                                                      : 0.0f;
        int clamped = 0;
        for (uint32_t i = v; i < n; i += nv) {
            float r = pt->ratio[i] > 0.0f ? pt->ratio[i] : fallback;
            if (!(r > 0.0f))
                continue; /* nothing measured yet: s stays */
            float s = (float)(per_period * r);
            if (s < PITCH_SCALE_MIN || s > PITCH_SCALE_MAX) {
                s = s < PITCH_SCALE_MIN ? PITCH_SCALE_MIN : PITCH_SCALE_MAX;
                /* out of reach by what this neuron measured on the curve,
                 * past the transient of a note's start or a new curve's
                 * current, past a glide */
                clamped |= pv->held && pv->has_curve && pt->cycles[i] >= PITCH_SETTLED_CYCLES && !pv->glide_left;
            }
            b->time_scale[i] = s;
        }
        if (clamped && !pv->clamped) {
            pt->clamped_notes++;
            pt->last_clamped = pv->note;
            pv->clamped = 1;
        }
    }
    b->time_scaled = 1;
}

void
pitch_track_step(pitch_track *pt, const bank *b, float dt_ms, uint32_t count)
{
    const uint32_t n = b->n;
    const float *ts = b->time_scale;
    for (uint32_t k = 0; k < count; ++k) {
        uint32_t i = b->spiked[k];
        if (i >= n)
            continue;
        double at = pt->t[i] + (double)b->spiked_frac[k] * (double)(dt_ms * ts[i]);
        if (pt->last_spike[i] >= 0.0) {
            float isi = (float)(at - pt->last_spike[i]);
            float forgot = pt->max_isi[i] * PITCH_GAP_FORGET;
            pt->max_isi[i] = isi > forgot ? isi : forgot;
            if (isi >= PITCH_CYCLE_GAP * pt->max_isi[i]) { /* a cycle starts */
                if (pt->last_onset[i] >= 0.0) {
                    const pitch_voice *pv = &pt->voice[i % pt->n_voices];
                    pt->ratio[i] = (float)(at - pt->last_onset[i]) / pv->curve_period;
                    pt->ratio_guess = pt->ratio[i];
                    pt->cycles[i] += pt->cycles[i] < PITCH_SETTLED_CYCLES;
                }
                pt->last_onset[i] = at;
            }
        } else {
            pt->last_onset[i] = at; /* the first spike of a note starts a cycle */
        }
        pt->last_spike[i] = at;
    }
    for (uint32_t i = 0; i < n; ++i)
        pt->t[i] += (double)(dt_ms * ts[i]);
}

void
pitch_track_state(state_io *s, pitch_track *pt, uint32_t neurons)
{
    const uint32_t n = neurons < pt->capacity ? neurons : pt->capacity;
    state_f64(s, "pitch neuron time", pt->t, n);
    state_f64(s, "pitch neuron spikes", pt->last_spike, n);
    state_f64(s, "pitch neuron onsets", pt->last_onset, n);
    state_f32(s, "pitch neuron intervals", pt->max_isi, n);
    state_f32(s, "pitch neuron ratios", pt->ratio, n);
    state_u8(s, "pitch neuron cycles", pt->cycles, n);
    state_f32(s, "pitch ratio guess", &pt->ratio_guess, 1);
    state_f32(s, "pitch interval seed", &pt->isi_seed, 1);
    for (uint32_t k = 0; k < PITCH_VOICES; ++k) {
        pitch_voice *v = &pt->voice[k];
        state_int(s, "pitch voice note", &v->note, 1, -1, 127);
        state_int(s, "pitch voice held", &v->held, 1, 0, 1);
        state_u64(s, "pitch voice clock", &v->since, 1);
        float *f[] = {&v->log2_hz, &v->log2_to, &v->glide_step, &v->current, &v->curve_period};
        for (int j = 0; j < 5; ++j)
            state_f32(s, "pitch voice", f[j], 1);
        state_u32(s, "pitch voice glide", &v->glide_left, 1);
        state_int(s, "pitch voice curve", &v->has_curve, 1, 0, 1);
        state_int(s, "pitch voice clamped", &v->clamped, 1, 0, 1);
    }
    state_u32_max(s, "pitch voices", &pt->n_voices, 1, PITCH_VOICES);
    state_u64(s, "pitch clock", &pt->clock, 1);
    state_int(s, "pitch changed", &pt->changed, 1, 0, 1);
    state_u64(s, "pitch clamped notes", &pt->clamped_notes, 1);
    state_int(s, "pitch last clamped", &pt->last_clamped, 1, -1, 127);
}
