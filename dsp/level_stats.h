/* level_stats.h — the loudness leveller's statistics of the membrane
 * voltages. */
#ifndef HILLOCK_LEVEL_STATS_H
#define HILLOCK_LEVEL_STATS_H

#include "simd.h"

#include <stdint.h>

/* Each neuron's running mean and mean square of d = (v - c) k (coefficient
 * a per call), and the sums of wl^2 var and wr^2 var over neurons [0, n),
 * in a fixed order (the same bits on every path and for any block split),
 * vectorised. */
void level_stats_update(simd_isa isa, const float *v, float *mean, float *msq, const float *wl,
                        const float *wr, float c, float k, float a, uint32_t n, float *sum_l,
                        float *sum_r);

#endif
