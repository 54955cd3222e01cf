/* level_stats.c — the loudness leveller's statistics of the membrane
 * voltages. */
#include "level_stats.h"

#include "level_stats_lanes.h"
#include "simd.h"

/* level_stats_update in blocks of VAR_LANES neurons (level_stats_lanes.h);
 * the tail runs through the same block on padded copies. */
SIMD_INLINE void
variance_kernel(const float *v, float *mean, float *msq, const float *wl, const float *wr,
                float c, float k, float a, uint32_t n, float *sum_l, float *sum_r)
{
    float pl[VAR_LANES] = {0}, pr[VAR_LANES] = {0};
    uint32_t i = 0;
    for (; i + VAR_LANES <= n; i += VAR_LANES)
        variance_block(v + i, mean + i, msq + i, wl + i, wr + i, c, k, a, pl, pr);
    if (i < n) {
        const uint32_t len = n - i;
        float tv[VAR_LANES], tm[VAR_LANES], ts[VAR_LANES], tl[VAR_LANES], tr[VAR_LANES];
        for (uint32_t j = 0; j < VAR_LANES; ++j) {
            tv[j] = j < len ? v[i + j] : c;
            tm[j] = j < len ? mean[i + j] : 0.0f;
            ts[j] = j < len ? msq[i + j] : 0.0f;
            tl[j] = j < len ? wl[i + j] : 0.0f;
            tr[j] = j < len ? wr[i + j] : 0.0f;
        }
        variance_block(tv, tm, ts, tl, tr, c, k, a, pl, pr);
        for (uint32_t j = 0; j < len; ++j) {
            mean[i + j] = tm[j];
            msq[i + j] = ts[j];
        }
    }
    variance_lanes_sum(pl, pr, sum_l, sum_r);
}

SIMD_MULTIVERSION(voltage_variance, variance_kernel,
                  (const float *v, float *mean, float *msq, const float *wl, const float *wr,
                   float c, float k, float a, uint32_t n, float *sum_l, float *sum_r),
                  (v, mean, msq, wl, wr, c, k, a, n, sum_l, sum_r))

void
level_stats_update(simd_isa isa, const float *v, float *mean, float *msq, const float *wl,
                      const float *wr, float c, float k, float a, uint32_t n, float *sum_l,
                      float *sum_r)
{
    voltage_variance(isa, v, mean, msq, wl, wr, c, k, a, n, sum_l, sum_r);
}
