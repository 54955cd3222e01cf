/* stdp_depress.h — the depression of a presynaptic neuron's row of the
 * synapse table at its spike (stdp.c), as a vectorised loop. */
#ifndef HILLOCK_STDP_DEPRESS_H
#define HILLOCK_STDP_DEPRESS_H

#include "simd.h"
#include "synapses.h"

#include <stdint.h>

typedef struct {
    const uint32_t *post;   /* the row's targets: count */
    synapse_weight *weight; /* the row's weights and eligibilities: count */
    uint32_t count;
    const float *o1_frame; /* per neuron, in the trace frame */
    float to_now;          /* the frame's factor to the spike's time */
    float amp, w_max, unscale;
    int multiplicative;    /* depression w amp o1, else w_max amp o1 */
} stdp_row;

/* For every synapse of the row whose postsynaptic trace o1 (o1_frame x
 * to_now) is not 0: w -= (w or w_max) amp o1, bounded to [0, w_max], and
 * the change x unscale added to its eligibility. */
void stdp_depress_row(simd_isa isa, const stdp_row *r);

#endif
