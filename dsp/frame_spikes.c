/* frame_spikes.c — where the spikes of a model step go: the block's spike
 * list, the CV gate, the spike voices and MIDI notes. */
#include "engine_state.h"

#include "rng.h"
#include "scale.h"

#include <math.h>

/* Frequency of MIDI note `note`, `down` octaves lower: the loaded
 * tuning's, else 12-tone equal temperament with A4 = 440 Hz. */
float
engine_note_pitch(const engine *e, float note, int down)
{
    if (!e->tuned)
        return scale_note_hz(note - 12.0f * (float)down);
    return ldexpf(e->tuned_hz[(uint8_t)note], -down);
}

/* The spike voice's sound of a neuron (or recorded unit) with scale note
 * `note`, at `pan`. Excitatory neurons pluck their scale note with a bright
 * ring; inhibitory ones a muted note an octave lower, shorter and of
 * opposite polarity. Clicks: excitatory a short high tick three octaves
 * above the note, inhibitory a dull low knock. */
voice_sound
engine_spike_sound(const engine *e, int inh, uint8_t note_index, float pan)
{
    float note = (float)note_index;
    voice_sound s = {.pan = pan, .in_step = (int)e->cur[P_RETRIGGER] == RETRIGGER_IN_STEP};
    if (e->tuned && e->tuned_hz[note_index] == 0.0f) {
        s.amp = 0.0f; /* unmapped by the tuning: no strike */
        return s;
    }
    if ((int)e->cur[P_SPIKE_SOUND] == SPIKE_SOUND_PLUCK) {
        float f = inh ? engine_note_pitch(e, note, 1) : engine_note_pitch(e, note, 0);
        float decay = 0.35f * sqrtf(220.0f / f);
        decay = decay < 0.06f ? 0.06f : decay > 0.8f ? 0.8f : decay;
        s.freq_hz = f;
        s.decay_s = inh ? 0.35f * decay : decay;
        s.amp = inh ? -0.8f : 1.0f;
    } else {
        float f = engine_note_pitch(e, note, 0);
        if (inh) {
            s.freq_hz = fminf(fmaxf(2.0f * f, 300.0f), 2000.0f);
            s.decay_s = 0.002f;
            s.amp = -1.0f;
        } else {
            s.freq_hz = fminf(fmaxf(8.0f * f, 1500.0f), 9000.0f);
            s.decay_s = 0.0007f;
            s.amp = 1.0f;
        }
    }
    return s;
}

/* rng streams of the voices' priming (settle.c uses 4-5) */
enum { STREAM_RING_AGE = 6, STREAM_RING_PHASE = 7 };

/* A settled start's spike voices. A pluck struck at each spike of a neuron
 * firing at r Hz rings up to a level its strikes and its decay balance:
 * between strikes it falls by d = exp(-1 / (r decay)); struck in step
 * (voices.c), a ring of magnitude m grows by a (1 - m / 4a), so just after
 * a strike it holds a / (1 - 3d/4); struck afresh at random phases the
 * powers add, a / sqrt(1 - d^2). Started silent, a slow low pluck would take
 * seconds to get there (cochlea: 5 Hz, decay 0.64 s, +7 dB): a fade-in.
 * Each neuron's voice starts at that level, a random part of the way
 * through its interval (d^u) at a random phase. Only while every neuron
 * has a voice of its own: a larger bank shares the pool, which fills with
 * its first VOICES_MAX spikes. */
void
engine_prime_voices(engine *e)
{
    const uint32_t n = e->bank->n;
    if (n > VOICES_MAX)
        return;
    const uint64_t seed = (uint64_t)e->cur[P_SEED];
    /* model time per second of audio, seconds */
    const double speed = e->cfg.mp.dt_ms * e->n_sub * e->sample_rate / 1000.0;
    for (uint32_t i = 0; i < n; ++i) {
        const double rate = settle_rate(e->settle, i) * speed;
        voice_sound vs = engine_spike_sound(e, e->bank->inhibitory[i], e->notes[i], e->pan_pos[i]);
        if (!(rate > 0.0) || vs.amp == 0.0f)
            continue;
        const double d = exp(-1.0 / (rate * vs.decay_s));
        const double a = fabs(vs.amp);
        const double peak = vs.in_step ? a / (1.0 - 0.75 * d) : a / sqrt(1.0 - d * d);
        const double u = rng_uniform_open(rng_hash(seed, STREAM_RING_AGE, i));
        const double phase =
            6.283185307179586 * rng_uniform_open(rng_hash(seed, STREAM_RING_PHASE, i));
        voices_prime(e->vo, i, &vs, (float)(peak * pow(d, u)), (float)phase);
    }
}

/* MIDI out at the model's time: the note offs due at this frame, first, so
 * a retrigger at this frame follows them (aligned: frame_align.c). */
void
engine_release_notes(engine *e, engine_io *io, const engine_frame *fr)
{
    if (!io->aligned)
        engine_release_due(e, io, fr->f, fr->now);
}

/* The count spikes of model step s of the frame (bank.spiked). */
void
engine_route_spikes(engine *e, engine_io *io, const engine_frame *fr, uint32_t s,
                    uint32_t count)
{
    engine_route_spike_list(e, io, fr, s, e->bank->spiked, e->bank->spiked_frac, count);
}

void
engine_route_spike_list(engine *e, engine_io *io, const engine_frame *fr, uint32_t s,
                        const uint32_t *spiked, const float *spiked_frac, uint32_t count)
{
    const uint32_t n_sub = fr->n_sub;
    const uint64_t now = fr->now;
    /* more spikes than voices: voice an even sample across the bank */
    const uint32_t stride = (count + VOICES_MAX - 1u) / VOICES_MAX;
    const uint32_t pick = stride > 1 ? (uint32_t)((now * n_sub + s) % stride) : 0;
    if (!e->defer_voices) /* else the queue prefetches them when it runs */
        for (uint32_t k = pick; k < count; k += stride > 1 ? stride : 1)
            voices_prefetch(e->vo, spiked[k]);
    for (uint32_t k = 0; k < count; ++k) {
        uint32_t who = spiked[k];
        /* the same fraction the engine tests expect, never reaching 1 */
        float at = fminf(((float)s + spiked_frac[k]) / (float)n_sub, 0.99999994f);
        if (who == fr->focus)
            e->gate_left = e->gate_frames;
        engine_list_spike(e, io, fr, who, at); /* and its MIDI note */
        engine_tempo_spike(e, fr, who, at);
        /* the voice sounds where the band-limited membrane shows the spike */
        if (stride <= 1 || k % stride == pick)
            engine_voice_strike_neuron(e, who, (double)now + at + (BANDLIMIT_DELAY - 1u));
    }
}
