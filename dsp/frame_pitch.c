/* frame_pitch.c — a note's frequency (the tuning's, else equal
 * temperament), and pitch_mode track in the frame loop (pitch_track.h):
 * MIDI notes to the voices, each frame the neurons' time scales for their
 * voices' pitch, after each model step the spikes' times. */
#include "engine_state.h"

#include "bank_tables.h"
#include "models/rheobase.h"
#include "scale.h"

#include <math.h>
#include <string.h>

/* Frequency of MIDI note `note`, `down` octaves lower: the loaded
 * tuning's, else 12-tone equal temperament with A4 = 440 Hz. */
float
engine_note_pitch(const engine *e, float note, int down)
{
    if (!e->tuned)
        return scale_note_hz(note - 12.0f * (float)down);
    return ldexpf(e->tuned_hz[(uint8_t)note], -down);
}

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

static int
tonic_model(const engine *e)
{
    const int model = (int)e->cur[P_MODEL];
    return model == MODEL_HH || model == MODEL_IZHIKEVICH;
}

/* The tonic models choose their notes' currents on their f-I curve
 * (fi_curve.h); the bursting ones play at their drive, so that their cycle
 * stays a burst, and a probe there measures their burst. Returns 1 when
 * the curve is ready: measured a few steps per frame until then. */
static int
curve_ready(engine *e)
{
    const int model = (int)e->cur[P_MODEL];
    if (tonic_model(e)) {
        model_current_scale cs =
            model_current_scale_of(model, e->cur[P_TEMPERATURE], e->cur[P_IZH_B]);
        fi_curve_configure_tonic(&e->fc, e->cfg.model, &e->cfg.mp, cs.rheobase, cs.unit);
    } else {
        fi_curve_configure_at(&e->fc, e->cfg.model, &e->cfg.mp, e->cfg.drive);
    }
    if (!e->fc.ready) {
        model_params mp = e->cfg.mp;
        mp.table = bank_model_tables(e->bank, &e->cfg);
        fi_curve_advance(&e->fc, &mp);
    }
    if (e->fc.builds != e->fc_builds_seen) { /* periods measured on another curve */
        pitch_track_forget_ratios(&e->pt);
        e->fc_builds_seen = e->fc.builds;
    }
    return e->fc.ready;
}

void
engine_pitch_frame(engine *e)
{
    if (!engine_pitch_tracking(e))
        return;
    pitch_track_glide(&e->pt);
    const double model_ms_per_s = (double)e->cfg.mp.dt_ms * e->n_sub * e->sample_rate;
    const float bend = exp2f(e->cur[G_BEND] * MIDI_BEND_SEMITONES / 12.0f);
    const int curve = curve_ready(e), tonic = tonic_model(e);
    const fi_curve *fc = &e->fc;
    e->pt.isi_seed = curve && !tonic ? fc->longest[0] : 0.0f;
    for (uint32_t v = 0; v < e->pt.n_voices; ++v) {
        pitch_voice *pv = &e->pt.voice[v];
        if (pv->note < 0)
            continue;
        /* tonic: the current for the note's rate at s = 1 (cycles per
         * model second); bursting: the drive's burst */
        float current = NAN, rate = 0.0f;
        float want = (float)(exp2f(pv->log2_hz) * bend * 1000.0 / model_ms_per_s);
        int on_curve = 0;
        if (curve && tonic)
            on_curve = fi_curve_current_for(fc, want, &current, &rate);
        else if (curve && fc->rate[0] > 0.0f)
            on_curve = 1, rate = fc->rate[0];
        if (memcmp(&current, &pv->current, sizeof current) != 0) {
            e->ext_dirty = 1; /* the bias follows (frame_input.c) */
            pv->current = current;
        }
        pv->has_curve = on_curve;
        pv->curve_period = on_curve ? 1000.0f / rate : 1.0f;
    }
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

/* The curve's ends at the time scales' bounds, in Hz at the running speed;
 * 0 while not tracking or not measured. */
void
engine_pitch_range(const engine *e, float *lo_hz, float *hi_hz)
{
    *lo_hz = *hi_hz = 0.0f;
    const fi_curve *fc = &e->fc;
    if (!engine_pitch_tracking(e) || !fc->ready || fc->lo >= fc->n)
        return;
    const double per_model_hz = (double)e->cfg.mp.dt_ms * e->n_sub * e->sample_rate / 1000.0;
    *lo_hz = (float)(fc->rate[fc->lo] * per_model_hz * PITCH_SCALE_MIN);
    *hi_hz = (float)(fc->rate[fc->hi] * per_model_hz * PITCH_SCALE_MAX);
}
