/* align.h — the outputs beside the audio, delayed to line up with it.
 *
 * The audio leaves the engine engine_latency() frames after the model
 * produced it (the membrane voice's anti-aliasing filter, the limiter's
 * look-ahead). A host that plays the spikes' MIDI notes, the CV outputs or
 * a spike display together with the audio wants them as late, so that a
 * spike's note, its gate and its sound start on the same frame. This is a
 * fixed delay for each of them: per-frame values through rings, spikes
 * through a first-in first-out queue (they arrive in time order and all
 * wait the same delay); the engine makes the MIDI notes from the spikes as
 * they come out. Everything is allocated by align_create(); a full queue
 * drops what does not fit and says so.
 */
#ifndef HILLOCK_ALIGN_H
#define HILLOCK_ALIGN_H

#include "state_io.h"
#include <stdint.h>

/* the per-frame values delayed */
enum {
    ALIGN_FOCUS_V,
    ALIGN_DEND_V,
    ALIGN_GATE,
    ALIGN_RATE,
    ALIGN_TRACE_V,
    ALIGN_TRACE_SLOW,
    ALIGN_VALUES
};

#define ALIGN_SPIKES 65536u /* spikes in flight at most (over the delay) */

typedef struct align align;

/* touch: every page written now (a real-time engine's, zeroed.h) */
align *align_create(uint32_t delay_frames, int touch);
void align_destroy(align *a);

/* Forget the values and spikes in flight (a reset bank starts afresh, like
 * its audio). */
void align_restart(align *a);

/* The values of frame `now` in, those of frame now - delay out (the first
 * values pushed stand for the frames before them). Call once per frame,
 * frames consecutive. */
void align_values(align *a, uint64_t now, const float in[ALIGN_VALUES], float out[ALIGN_VALUES]);

/* A spike at frame + frac (frac in [0, 1)); 0 if the queue is full. */
int align_push_spike(align *a, uint64_t frame, float frac, uint32_t neuron);
/* The next spike due at frame `now` (pushed at now - delay); 0 if none. */
int align_pop_spike(align *a, uint64_t now, float *frac, uint32_t *neuron);

/* Where the spike queue ends, to take back what a frame cut short pushed. */
uint32_t align_spike_mark(const align *a);
void align_spike_rewind(align *a, uint32_t mark);

/* Its state for a saved engine (state_io.h): the values' rings and the
 * spikes waiting (neurons at most max_neuron). */
void align_state(state_io *s, align *a, uint32_t max_neuron);

#endif
