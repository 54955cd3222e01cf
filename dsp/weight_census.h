/* weight_census.h — the histogram of the learned weights, for displays.
 *
 * Plasticity changes the excitatory synapses' weights (synapses.h); a
 * display shows their distribution. Counting millions of synapses at once
 * would cost a block its deadline, so the census reads a bounded number of
 * synapses per call and publishes a histogram when a pass over the table
 * ends. A pass reads every synapse of a table of up to WEIGHT_CENSUS_SAMPLE
 * synapses, an even sample (every k-th) of a larger one. Only synapses
 * from excitatory neurons learn, so only those are counted. Never
 * allocates: safe on the audio thread.
 */
#ifndef HILLOCK_WEIGHT_CENSUS_H
#define HILLOCK_WEIGHT_CENSUS_H

#include "synapses.h"

#include <stdint.h>

#define WEIGHT_CENSUS_BINS 32       /* bins over [0, w_max] */
#define WEIGHT_CENSUS_SAMPLE 65536u /* most synapses a pass reads */

typedef struct {
    /* the last finished pass (passes > 0) */
    uint32_t bins[WEIGHT_CENSUS_BINS]; /* bin k: w in [k, k+1) x w_max / BINS; w_max in the last */
    uint32_t counted; /* synapses in the bins */
    uint32_t stride;  /* every stride-th synapse was read (1: all) */
    float w_max;      /* the bins' range */
    uint32_t passes;  /* passes finished since the table or w_max changed */

    /* the pass in progress */
    uint32_t work[WEIGHT_CENSUS_BINS];
    uint32_t work_counted;
    uint32_t next; /* the next synapse to read */
    uint32_t pre;  /* its presynaptic neuron */
    const synapse_table *table;
    float work_w_max;
} weight_census;

void weight_census_reset(weight_census *c);

/* Read up to `budget` synapses of t (NULL: nothing to count, reset),
 * counting those whose presynaptic neuron is excitatory (inhibitory[pre]
 * 0; neurons from n_flags on are not counted). Another table or w_max than
 * the last call's starts afresh. */
void weight_census_scan(weight_census *c, const synapse_table *t, const uint8_t *inhibitory,
                        uint32_t n_flags, float w_max, uint32_t budget);

#endif
