/* pitch_track.h — pitch tracking (pitch_mode track): a MIDI note makes its
 * neurons fire at the note's frequency.
 *
 * Notes go to voices, at most PITCH_VOICES at once; voice v plays the
 * neurons i with i % voices == v (voices = min(neurons, PITCH_VOICES)). A
 * note on takes a free voice (the one released longest ago), else steals
 * the voice whose note began longest ago; the same note again takes its own
 * voice back. A neuron whose voice is not held gets no bias (drive and
 * spread taken off: it rests).
 *
 * Pitch: each voice's neurons fire at one current (the voice's `current`:
 * for a tonic model, the f-I curve's current for the note at speed 1,
 * fi_curve.h, clamped to the curve; else their drive), and each neuron's
 * whole dynamics runs on its own time scale s (bank.time_scale), so that
 * its cycle — the spike of a tonic neuron, the burst of a bursting one —
 * repeats at the note's frequency. Time scaling stretches a trajectory
 * without changing it, so a neuron's cycle measured in its own model time
 * does not depend on s: each cycle's model-time period P (from its spike
 * times) gives
 *     s = f_note * P / R,    R = model ms per real second at s = 1,
 * exact from the next cycle on (a feedback on the period, not on the
 * phase). P is kept as its ratio to the curve's period at the voice's
 * current (curve_period; 1 ms without a curve), so that when the current
 * moves (glide, bend) the curve predicts the new period and the ratio
 * corrects it. Before a neuron has measured a cycle, the last ratio any
 * neuron measured is used; failing that, 1 with a curve (its prediction);
 * without one s stays.
 *
 * A burst is told from a spike by its gap: a spike starts a cycle if the
 * interval before it is at least PITCH_CYCLE_GAP of the longest recent
 * interval (which forgets by PITCH_GAP_FORGET per spike): every spike of a
 * tonic neuron, the first spike of each burst.
 *
 * s is kept to [PITCH_SCALE_MIN, PITCH_SCALE_MAX]; a note that needs more is
 * clamped (plays at the nearest reachable pitch) and counted
 * (pitch_track.clamped_notes, engine_stats.pitch_clamped).
 *
 * Bend moves every voice's pitch by bend * MIDI_BEND_SEMITONES; glide moves
 * a voice from its previous note to the new one in equal steps of log
 * frequency over `glide` ms of real time.
 *
 * Nothing here allocates after create; every call is bounded. */
#ifndef HILLOCK_PITCH_TRACK_H
#define HILLOCK_PITCH_TRACK_H

#include "state_io.h"
#include "bank.h"

#include <stdint.h>

#define PITCH_VOICES 16u
#define PITCH_SCALE_MIN 0.0625f
#define PITCH_SCALE_MAX 16.0f
#define PITCH_CYCLE_GAP 0.7f
#define PITCH_GAP_FORGET 0.9f
#define PITCH_SETTLED_CYCLES 4u /* a clamp counts from a neuron's 4th cycle on */

typedef struct {
    int note;            /* MIDI note, -1 = never played */
    int held;
    uint64_t since;      /* pitch_track.clock at its note on / off */
    float log2_hz;       /* pitch now, without bend */
    float log2_to;       /* where a glide goes */
    float glide_step;    /* per frame */
    uint32_t glide_left; /* frames */
    float current;       /* its neurons' current, model unit; NAN: their drive */
    float curve_period;  /* the f-I curve's period there, model ms; 1 without one */
    int has_curve;
    int clamped;         /* its pitch is out of reach (counted once a note) */
} pitch_voice;

typedef struct {
    uint32_t capacity;
    double *t;           /* per neuron: model ms it has lived, on its time scale */
    double *last_spike;  /* model time of its last spike, < 0: none since its note */
    double *last_onset;  /* ... of its last cycle's start */
    float *max_isi;      /* longest recent interval, model ms */
    float *ratio;        /* its last cycle's period over its voice's curve_period; 0: none */
    uint8_t *cycles;     /* ratios measured since its note or the curve began,
                          * up to PITCH_SETTLED_CYCLES */
    float ratio_guess;   /* the last ratio any neuron measured; 0: none */
    float isi_seed;      /* a note's neurons start with this longest recent
                          * interval (the bursting probe's, fi_curve.h), so that
                          * the spikes of their first burst are not cycles */
    pitch_voice voice[PITCH_VOICES];
    uint32_t n_voices;
    uint64_t clock;      /* counts note ons and offs */
    int changed;         /* which neurons play changed: the bias must be rewritten */
    uint64_t clamped_notes; /* notes that were out of reach, since reset */
    int last_clamped;    /* the last of them, -1: none */
} pitch_track;

int pitch_track_init(pitch_track *pt, uint32_t capacity);
void pitch_track_free(pitch_track *pt);
/* Every voice off, every measurement forgotten. */
void pitch_track_reset(pitch_track *pt);
/* The neurons start afresh (a new model): what was measured is forgotten,
 * every time scale back to 1; the notes stay held. */
void pitch_track_restart(pitch_track *pt, bank *b);
/* The bank now runs n neurons. */
void pitch_track_set_neurons(pitch_track *pt, uint32_t n);

/* A note on at hz (its tuning's frequency) with glide_frames of glide. */
void pitch_track_note_on(pitch_track *pt, int note, float hz, uint32_t glide_frames);
void pitch_track_note_off(pitch_track *pt, int note);
void pitch_track_all_off(pitch_track *pt);

/* Voice of neuron i, or -1 if it plays no held note. */
int pitch_track_voice_of(const pitch_track *pt, uint32_t i);

/* Once per frame, first: the glides. */
void pitch_track_glide(pitch_track *pt);
/* Then, with each voice's current and curve_period set: every running
 * neuron's time scale for its voice's pitch times bend_ratio;
 * model_ms_per_s is R above. */
void pitch_track_frame(pitch_track *pt, bank *b, float bend_ratio, double model_ms_per_s);
/* The measured ratios no longer hold (the curve changed). */
void pitch_track_forget_ratios(pitch_track *pt);

/* After each bank step of dt_ms: the spikes' times, the neurons' clocks. */
void pitch_track_step(pitch_track *pt, const bank *b, float dt_ms, uint32_t count);

/* The voices and neurons [0, neurons)' measures, for a saved engine
 * (state_io.h). */
void pitch_track_state(state_io *s, pitch_track *pt, uint32_t neurons);

#endif
