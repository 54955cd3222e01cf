/* timeline.h — the render's timed inputs: the events of a MIDI file (and
 * automation curves, automation.h) applied at their exact frames.
 *
 * The engine places an event sample-accurately when it is processed up to
 * the event's frame, given the event, then processed on (engine.h); the
 * timeline cuts each block at those frames. A live host does the same with
 * the events of its block, through the same engine_midi() and
 * engine_set_param(), so a file drives the bank exactly as live MIDI and
 * host automation would. A block with nothing due is one engine call, as
 * without a timeline.
 *
 * The musical time is a timed input too: the engine's beat grid
 * (engine_set_transport, for tempo_sync) starts at quarter 0 at the
 * render's start and follows the MIDI file's tempo map, each change at its
 * frame, or else one constant tempo.
 */
#ifndef HILLOCK_TIMELINE_H
#define HILLOCK_TIMELINE_H

#include "automation.h"
#include "engine.h"
#include "midifile.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const midifile *midi; /* NULL for none */
    uint64_t *midi_frame; /* frame of each event: its time at the sample rate, rounded */
    size_t next_midi;
    automation *automation; /* NULL for none */
    double rate;
    double bpm;             /* the tempo without a MIDI file's map */
    size_t next_tempo;      /* the tempo map's next change (midi->tempos) */
    bool tempo_map;         /* the MIDI file's map sets the grid */
} timeline;

/* midi and automation may be NULL; both are borrowed. bpm: the tempo when
 * there is no MIDI file (or it counts in SMPTE frames). False when out of
 * memory. */
bool timeline_init(timeline *t, const midifile *midi, automation *automation, double rate,
                   double bpm);
void timeline_free(timeline *t);

/* engine_process(e, io, n) for the n frames from frame0, with every event
 * and automation value due in them applied at its frame. io's spike list
 * gathers the spikes of every piece, timed in the whole block; io->n_done
 * counts the frames processed, fewer than n only when the engine's stop
 * query ended a piece early. */
void timeline_process(timeline *t, engine *e, engine_io *io, uint32_t n, uint64_t frame0);

/* A render continued at `frame` (render --load-state): the events before it
 * were played by the render that saved the engine's state, whose beat grid
 * the engine holds; those at it and after are due. */
void timeline_seek(timeline *t, uint64_t frame);

#endif
