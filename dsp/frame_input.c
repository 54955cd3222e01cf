/* frame_input.c — stimulus -> currents: the stimulus audio, CV, cochlea
 * bands and held MIDI notes as current into the bank. */
#include "engine_state.h"

#include <math.h>
#include <string.h>

/* Per neuron, what MIDI adds: pitch_mode off, midi_drive for each held
 * note of its scale note; track, nothing to a neuron playing a note and
 * minus its bias to one that does not (it rests). */
static float
midi_current(const engine *e, uint32_t i, float md)
{
    if (!engine_pitch_tracking(e))
        return md * e->midi_amount[i];
    const float bias = e->cfg.drive * e->bank->drive_scale[i];
    const int v = pitch_track_voice_of(&e->pt, i);
    if (v < 0)
        return -bias;
    const float current = e->pt.voice[v].current;
    return isnan(current) ? 0.0f : current - bias;
}

/* Per-neuron stimulus current: cochlea bands and held MIDI notes. */
static void
write_ext(engine *e, int cochlea)
{
    bank *b = e->bank;
    const uint32_t n = b->n;
    const float md = e->cur[P_MIDI_DRIVE] * e->current_unit;
    if (cochlea) {
        float band_i[STIMULUS_MAX_BANDS];
        for (uint32_t k = 0; k < e->stim.n_bands; ++k)
            band_i[k] = (e->cur[P_INPUT_GAIN] * e->stim.band_out[k] + e->cur[P_INPUT_OFFSET]) *
                        e->current_unit;
        for (uint32_t i = 0; i < n; ++i)
            b->ext[i] = band_i[e->band_of[i]] + midi_current(e, i, md);
        e->ext_nonzero = 1;
        e->ext_dirty = 1; /* rewrite once more when the cochlea stops */
        bank_ext_changed(b);
        return;
    }
    if (e->midi_active || engine_pitch_tracking(e)) {
        for (uint32_t i = 0; i < n; ++i)
            b->ext[i] = midi_current(e, i, md);
        e->ext_nonzero = 1;
    } else if (e->ext_nonzero) {
        memset(b->ext, 0, b->capacity * sizeof(float));
        e->ext_nonzero = 0;
    }
    e->ext_dirty = 0;
    bank_ext_changed(b);
}

/* This frame's current into every neuron (returned) and per neuron
 * (bank.ext, through write_ext). */
float
engine_currents(engine *e, const engine_io *io, const engine_frame *fr)
{
    const uint32_t f = fr->f;
    float ext = 0.0f;
    int cochlea = 0;
    if (io->stimulus) {
        float x = isfinite(io->stimulus[f]) ? io->stimulus[f] : 0.0f;
        int mode = (int)e->cur[P_INPUT_MODE];
        if ((int)e->cur[P_INPUT_ROUTING] == ROUTING_COCHLEA) {
            stimulus_cochlea(&e->stim, x, mode);
            cochlea = 1;
        } else {
            ext += (e->cur[P_INPUT_GAIN] * stimulus_shape_all(&e->stim, x, mode) +
                    e->cur[P_INPUT_OFFSET]) *
                   e->current_unit;
        }
    }
    engine_pitch_frame(e);
    if (io->cv_in && isfinite(io->cv_in[f]))
        ext += 10.0f * io->cv_in[f] * e->current_unit;
    if (cochlea || e->ext_dirty)
        write_ext(e, cochlea);
    return ext;
}
