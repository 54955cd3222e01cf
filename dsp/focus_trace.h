/* focus_trace.h — the focus neuron's state sampled in model time, for the
 * displays.
 *
 * Every `step` engine steps (the whole number of steps nearest
 * FOCUS_TRACE_MS of model time, at least one) the engine keeps one sample:
 * the bucket's extreme somatic voltage (trace_decimator.h, so a spike's
 * peak survives) with the dendritic voltage and the slow variable of that
 * very step. The pairs (soma, slow) are states the neuron passed through,
 * and they are spaced evenly in model time whatever the speed and the
 * sample rate, so a phase plane drawn from them is the same trajectory at
 * speed 1 and at speed 200 (one sample per frame at high speed was a few
 * states per cycle, locked to the frame rate).
 *
 * A block keeps its newest FOCUS_TRACE_MAX samples in a fixed ring; older
 * ones are counted as skipped. No allocation, a few compares per step:
 * real-time safe.
 */
#ifndef HILLOCK_FOCUS_TRACE_H
#define HILLOCK_FOCUS_TRACE_H

#include "state_io.h"
#include "trace_decimator.h"

#include <stdint.h>

#define FOCUS_TRACE_MS 0.1f   /* model ms between samples (at least one step) */
#define FOCUS_TRACE_MAX 1280u /* samples one block keeps: 115+ model ms, a scope's window */

typedef struct {
    float soma[FOCUS_TRACE_MAX]; /* somatic voltage, mV */
    float dend[FOCUS_TRACE_MAX]; /* dendritic voltage, mV (= soma for one compartment) */
    float slow[FOCUS_TRACE_MAX]; /* the slow variable, model units (n, Ca, u, z) */
    uint32_t taken;    /* samples taken in this block; the newest FOCUS_TRACE_MAX are kept */
    uint32_t step;     /* engine steps per sample */
    float step_ms;     /* model ms between two samples */
    float step_frames; /* host frames between two samples */
    trace_decimator bucket;
} focus_trace;

/* Empty, with no bucket under way (create, reset). */
void focus_trace_restart(focus_trace *t);

/* The engine's step: dt_ms of model time, steps_per_frame of them a frame. */
void focus_trace_configure(focus_trace *t, float dt_ms, uint32_t steps_per_frame);

/* A block starts: its samples start at index 0 (the bucket carries over). */
void focus_trace_begin_block(focus_trace *t);

/* The state after one engine step. */
static inline void
focus_trace_step(focus_trace *t, float soma_mV, float dend_mV, float slow)
{
    trace_point p;
    if (trace_decimator_push(&t->bucket, t->step, soma_mV, dend_mV, slow, &p)) {
        uint32_t i = t->taken++ % FOCUS_TRACE_MAX;
        t->soma[i] = p.soma;
        t->dend[i] = p.dend;
        t->slow[i] = p.slow;
    }
}

/* Samples kept from this block, and samples taken but not kept (the oldest). */
uint32_t focus_trace_count(const focus_trace *t);
uint32_t focus_trace_skipped(const focus_trace *t);

/* Ring index of the i-th kept sample, oldest first (i < focus_trace_count). */
uint32_t focus_trace_index(const focus_trace *t, uint32_t i);

/* The samples and the bucket being built, for a saved engine (state_io.h). */
void focus_trace_state(state_io *s, focus_trace *t);

#endif
