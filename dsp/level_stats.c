/* level_stats.c — the loudness leveller's statistics of the membrane
 * voltages. */
#include "level_stats.h"

#include "simd.h"

/* level_stats_update in blocks of VAR_LANES neurons, each lane its own
 * partial sum; the tail runs through the same block on padded copies. */
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
halve(float *restrict pl, float *restrict pr, uint32_t w)
{
    for (uint32_t j = 0; j < w; ++j) {
        pl[j] += pl[j + w];
        pr[j] += pr[j + w];
    }
}

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
    /* the pairwise sum one constant width at a time: each round a vector
     * operation (a loop over the widths went through the stack) */
    halve(pl, pr, 8);
    halve(pl, pr, 4);
    halve(pl, pr, 2);
    halve(pl, pr, 1);
    *sum_l = pl[0];
    *sum_r = pr[0];
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
