/* spike_midi.h — every spike of a render as a note in a Standard MIDI File
 * (render --midi-out), at its exact time.
 *
 * Format 1: track 0 holds the tempo map, track 1 the excitatory neurons'
 * notes (channel 1), track 2 the inhibitory neurons' (channel 2): the
 * channels, notes (the scale note of each neuron), velocity and 50 ms note
 * length of the engine's live MIDI output (dsp/midi.h), retriggers
 * included (a spike on a sounding note ends it and starts it again at
 * once). Times become ticks through the tempo map at SPIKE_MIDI_PPQ ticks
 * per quarter note, so a note lies within half a tick of its spike.
 */
#ifndef HILLOCK_SPIKE_MIDI_H
#define HILLOCK_SPIKE_MIDI_H

#include "engine.h"
#include "midifile.h"

#include <stdbool.h>
#include <stdio.h>

/* 9600 ticks per quarter note: a tick is 52 us at 120 BPM, 0.1 ms at 60 BPM */
#define SPIKE_MIDI_PPQ 9600u

typedef struct {
    double off_s;
    uint8_t channel, note;
} spike_midi_off;

typedef struct {
    midifile_writer w;
    midifile_tempo *tempos; /* the map in SPIKE_MIDI_PPQ */
    size_t n_tempos;
    double pending_off[2][128]; /* time of the pending note off, < 0 when none */
    spike_midi_off *offs;       /* note offs in time order (note length is constant) */
    size_t off_head, off_count, off_cap;
    struct spike_time *sorted;  /* one block's spikes in time order */
    size_t sorted_cap;
    uint64_t notes;
} spike_midi;

/* Tempo from the map of `tempo_source` (a MIDI file in ticks per quarter)
 * when given, else a constant `bpm`. */
bool spike_midi_open(spike_midi *s, const midifile *tempo_source, double bpm, char *err,
                     size_t err_len);
/* The spikes of one processed block that started at frame0, those before
 * frame `end` (the render's end, before the latency the audio plays out). */
bool spike_midi_block(spike_midi *s, const engine *e, const engine_io *io, uint64_t frame0,
                      uint64_t end, double rate, char *err, size_t err_len);
/* End every note and write the file to out. */
bool spike_midi_finish(spike_midi *s, FILE *out, char *err, size_t err_len);
void spike_midi_close(spike_midi *s);

#endif
