/* midi.h — MIDI in (notes drive neurons, controllers move parameters) and
 * MIDI out (spikes become notes).
 *
 * MIDI in, omni (every channel):
 *  - Note on (velocity v > 0) adds midi_drive * v / 127 to the somatic
 *    current of every neuron whose scale note (scale_note(), the same mapping
 *    the spike voice and MIDI out use) equals the note; if no neuron plays
 *    that note, the neurons with the nearest note (the lower one on a tie)
 *    take it. The drive lasts until the matching note off (or note on with
 *    velocity 0). Several notes on one neuron add up.
 *  - Pitch bend scales speed by 2^(bend * 2/12): +-2 semitones, so the whole
 *    dynamics (and the membrane voice's pitch) bends like an instrument.
 *    (With pitch_mode track the notes and the bend set pitches instead:
 *    pitch_track.h.)
 *  - Mod wheel (CC 1) adds up to MIDI_MOD_BRANCH mS/cm2 to the tonic input of
 *    both dendritic branches: more excitation in linear mode, the coincident
 *    input an NMDA branch waits for, a sweep through the dCaAP's
 *    non-monotonic response.
 *  - CC 120 (all sound off), CC 123 (all notes off) and the channel-mode
 *    messages 124-127 release every note; CC 121 (reset controllers) centres
 *    bend and mod; System Reset (0xFF) does both.
 *
 * MIDI out: each spike sends a note on (channel 1 for excitatory, 2 for
 * inhibitory neurons; note from scale_note(); velocity from the `velocity`
 * parameter) and its note off MIDI_NOTE_MS of real time later. A spike on a
 * note that is still sounding on its channel sends note off then note on at
 * once (a retrigger) and the note lasts MIDI_NOTE_MS from the new spike.
 * Events never exceed the caller's capacity: note offs come first, a note on
 * is sent only with room for its retrigger, and what does not fit is
 * counted in engine_stats.midi_out_dropped (a note off that does not fit is
 * kept and sent in the next frame, so no note hangs).
 */
#ifndef HILLOCK_MIDI_H
#define HILLOCK_MIDI_H

#include "state_io.h"
#include "midi_event.h"

#include <stdint.h>

#define MIDI_NOTE_MS 50.0
#define MIDI_MOD_BRANCH 0.25f
#define MIDI_BEND_SEMITONES 2.0f

typedef struct {
    uint8_t held[16][128]; /* velocity of held notes per channel, 0 = off */
    float bend;            /* -1 .. +1 */
    float mod;             /* 0 .. 1 */
    int changed;           /* notes changed since the drive was last mapped */
} midi_in;

void midi_in_reset(midi_in *m);
/* Parse one message. Returns 1 if it changed notes, bend or mod. */
int midi_in_message(midi_in *m, const uint8_t *msg, uint32_t size);

/* Per-neuron drive in units of midi_drive (sum of held velocity/127) for
 * neurons whose notes are notes[0..n). */
void midi_in_map(const midi_in *m, const uint8_t *notes, uint32_t n, float *amount);

typedef struct {
    uint64_t off_frame[2][128]; /* absolute frame of the pending note off, 0 = none */
    uint32_t sounding;
    uint64_t next_off;          /* earliest pending off, UINT64_MAX if none */
    uint64_t dropped;
} midi_out;

void midi_out_reset(midi_out *m);

/* Note offs due at frame (absolute), written with frame offset `offset`. */
void midi_out_release_due(midi_out *m, uint64_t frame, uint32_t offset, engine_midi_event *events,
                          uint32_t capacity, uint32_t *n);
/* A spike: note on now, note off at off_frame. */
void midi_out_spike(midi_out *m, int inhibitory, uint8_t note, uint8_t velocity,
                    uint64_t off_frame, uint32_t offset, engine_midi_event *events, uint32_t capacity,
                    uint32_t *n);
/* Note off for every sounding note (reset, all notes off), as room allows. */
void midi_out_release_all(midi_out *m, uint32_t offset, engine_midi_event *events, uint32_t capacity,
                          uint32_t *n);

/* Held notes, bend, mod; pending note offs: for a saved engine (state_io.h). */
void midi_in_state(state_io *s, midi_in *m);
void midi_out_state(state_io *s, midi_out *m);

#endif
