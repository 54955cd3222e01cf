/* trace_decimator.h — turns a focus-neuron trace into fewer points, each
 * point the extreme of its bucket, so spikes survive. The engine samples
 * its focus neuron with it (engine steps -> one sample per FOCUS_TRACE_MS
 * of model time, focus_trace.h) and the view decimates for its scope
 * (samples -> one per HV_TRACE_MODEL_MS of model time) with this one rule.
 *
 * Plain data, no allocation: safe on a real-time thread. */
#ifndef HILLOCK_TRACE_DECIMATOR_H
#define HILLOCK_TRACE_DECIMATOR_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    float soma, dend; /* the bucket's kept extremes */
    float slow;       /* the slow variable where the kept soma was */
} trace_point;

typedef struct {
    uint32_t fill; /* values in the bucket being built */
    float min_s, max_s, min_d, max_d;
    float slow_at_min, slow_at_max; /* slow variable where the soma min / max were */
    float prev_s, prev_d;           /* the last point kept; NAN before the first */
} trace_decimator;

/* An empty bucket and no previous point. */
void trace_decimator_restart(trace_decimator *t);

/* Adds one value (dend and slow may be NAN when unknown). When `step`
 * values have filled the bucket, writes its point to *out and returns true.
 * Each point is the bucket's max or min, whichever is farther from the
 * previous point (the max for the first point: spikes point up), so both a
 * spike's peak and the trough after it survive. */
bool trace_decimator_push(trace_decimator *t, uint32_t step, float soma, float dend,
                          float slow, trace_point *out);

#endif
