/* frame_pitch.c — pitch_mode track in the frame loop (pitch_track.h): MIDI
 * notes to the voices, each frame the neurons' time scales for their
 * voices' pitch, after each model step the spikes' times. */
#include "engine_state.h"

#include <math.h>

int
engine_pitch_tracking(const engine *e)
{
    return (int)e->cur[P_PITCH_MODE] == PITCH_TRACK;
}

/* Every message goes to the voices, whatever the mode, so switching to
 * track while notes are held plays them. */
void
engine_pitch_midi(engine *e, const uint8_t *msg, uint32_t size)
{
    if (!msg || size < 1)
        return;
    const uint8_t status = msg[0], type = status & 0xF0;
    if (status == 0xFF) { /* System Reset */
        pitch_track_all_off(&e->pt);
        return;
    }
    if (status >= 0xF0 || size < 3)
        return;
    const int note = msg[1] & 0x7F, value = msg[2] & 0x7F;
    if (type == 0x90 && value > 0) {
        float hz = engine_note_pitch(e, (float)note, 0); /* 0: the tuning leaves it out */
        uint32_t glide = (uint32_t)lround((double)e->params[P_GLIDE] * 1e-3 * e->sample_rate);
        pitch_track_note_on(&e->pt, note, hz, glide);
    } else if (type == 0x80 || type == 0x90) {
        pitch_track_note_off(&e->pt, note);
    } else if (type == 0xB0 && (note == 120 || note >= 123)) {
        pitch_track_all_off(&e->pt);
    }
}

void
engine_pitch_frame(engine *e)
{
    if (!engine_pitch_tracking(e))
        return;
    const double model_ms_per_s = (double)e->cfg.mp.dt_ms * e->n_sub * e->sample_rate;
    const float bend = exp2f(e->cur[G_BEND] * MIDI_BEND_SEMITONES / 12.0f);
    pitch_track_frame(&e->pt, e->bank, bend, model_ms_per_s);
    if (e->pt.changed) {
        e->ext_dirty = 1; /* which neurons rest changed */
        e->pt.changed = 0;
    }
}

void
engine_pitch_step(engine *e, uint32_t count)
{
    if (engine_pitch_tracking(e))
        pitch_track_step(&e->pt, e->bank, e->cfg.mp.dt_ms, count);
}
