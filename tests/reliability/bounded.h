/* bounded.h — run the engine with every output connected and check the
 * promises of engine.h on each block: every sample finite, audio within
 * [-1, 1], spike and MIDI lists within their capacity and their block. */
#ifndef HILLOCK_RELIABILITY_BOUNDED_H
#define HILLOCK_RELIABILITY_BOUNDED_H

#include "engine.h"

#include <stddef.h>
#include <stdint.h>

#define BOUNDED_MAX_BLOCK 8192u

typedef struct {
    float stim[BOUNDED_MAX_BLOCK], cv[BOUNDED_MAX_BLOCK];
    float l[BOUNDED_MAX_BLOCK], r[BOUNDED_MAX_BLOCK], focus[BOUNDED_MAX_BLOCK],
        dend[BOUNDED_MAX_BLOCK], gate[BOUNDED_MAX_BLOCK], rate[BOUNDED_MAX_BLOCK],
        trace[BOUNDED_MAX_BLOCK];
    engine_spike spikes[4096];
    engine_midi_event midi[1024];
    uint64_t spikes_seen;  /* spikes listed or lost, all blocks */
    double peak;           /* largest |audio| */
    uint64_t blocks;
    float guard_load;      /* the last block's guard outputs */
    uint32_t guard_active;
    char failure[256];     /* the first broken promise, "" if none */
} bounded_run;

/* Fills stim with a deterministic test signal (noise plus a 220 Hz tone at
 * amplitude amp) continuing from frame `at`. */
void bounded_signal(float *buf, uint32_t n, uint64_t at, float amp);

/* Processes n frames (<= BOUNDED_MAX_BLOCK) with stimulus/CV when given and
 * checks the outputs; returns 0 and describes the failure in r->failure if
 * a promise broke (only the first one is kept). */
int bounded_block(engine *e, bounded_run *r, uint32_t n, const float *stim, const float *cv);

/* Processes `frames` in blocks of `block` with the test signal as stimulus
 * (amplitude amp, 0 for silence). Returns 0 on the first failure. */
int bounded_frames(engine *e, bounded_run *r, uint64_t frames, uint32_t block, float amp);

/* The corners of the parameter space (test_grid.c, test_guard_grid.c):
 * each model x connectivity 0, 0.1, 1 x temperature 0, 50 degC x rates 8,
 * 48 and 384 kHz. Corner k's engine has the top speed, drive and synaptic
 * weights, every neuron excitatory (the strongest push), a start from
 * rest and the bank mix heard (every voltage); `what` names the corner. NULL if the engine
 * cannot be created. */
#define GRID_CORNERS (MODEL_COUNT * 3 * 2 * 3)
engine *grid_corner(unsigned k, float neurons, char *what, size_t what_size);
/* Its sample rate. */
double grid_corner_rate(unsigned k);

#endif
