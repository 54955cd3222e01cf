/* level_stats_lanes.h — the loudness leveller's statistics of VAR_LANES
 * neurons at a time (level_stats.c, and the stereo mix's pass over V when
 * both run on the same step, stereo_mix.c). */
#ifndef HILLOCK_LEVEL_STATS_LANES_H
#define HILLOCK_LEVEL_STATS_LANES_H

#include "simd.h"

#include <stdint.h>

/* Each lane its own partial sum: lane j takes neurons j, j + VAR_LANES, ...
 * in that order, so any pass that calls variance_block on the same blocks
 * in the same order gives the same bits. */
#define VAR_LANES 16u

SIMD_INLINE void
variance_block(const float *restrict v, float *restrict mean_of, float *restrict msq_of,
               const float *restrict wl, const float *restrict wr, float c, float k, float a,
               float *restrict pl, float *restrict pr)
{
    for (uint32_t j = 0; j < VAR_LANES; ++j) {
        float d = (v[j] - c) * k;
        float mean = mean_of[j] + a * (d - mean_of[j]);
        float msq = msq_of[j] + a * (d * d - msq_of[j]);
        mean_of[j] = mean;
        msq_of[j] = msq;
        float var = msq - mean * mean;
        var = var > 0.0f ? var : 0.0f;
        pl[j] += wl[j] * wl[j] * var;
        pr[j] += wr[j] * wr[j] * var;
    }
}

SIMD_INLINE void
variance_halve(float *restrict pl, float *restrict pr, uint32_t w)
{
    for (uint32_t j = 0; j < w; ++j) {
        pl[j] += pl[j + w];
        pr[j] += pr[j + w];
    }
}

/* The lanes' pairwise sum, one constant width at a time: each round a
 * vector operation (a loop over the widths went through the stack). */
SIMD_INLINE void
variance_lanes_sum(float *restrict pl, float *restrict pr, float *sum_l, float *sum_r)
{
    variance_halve(pl, pr, 8);
    variance_halve(pl, pr, 4);
    variance_halve(pl, pr, 2);
    variance_halve(pl, pr, 1);
    *sum_l = pl[0];
    *sum_r = pr[0];
}

#endif
