/* stereo_mix.c — the bank's membrane voltages mixed to stereo, screened on
 * the way. */
#include "stereo_mix.h"

#include "level_stats.h"
#include "level_stats_lanes.h"
#include "screen_lanes.h"

#include <math.h>

/* Two weighted sums of the somatic voltages (the bank's stereo mix):
 * sum w[i] (v[i] - c), as 32 partial sums in a fixed order, so any path and
 * any block split give the same bits, and no add waits for the one before.
 * The lanes also screen the voltages (bank_screen.c's verdict, below): the
 * same loads, two more operations, so with the mix on the voltages are read
 * once a step, not twice. */
#define MIX_LANES 32u

SIMD_INLINE void
mix_lanes(float x, float w_l, float w_r, float a, float *l, float *r, float *nan_acc,
          float *v_max)
{
    *l += w_l * x;
    *r += w_r * x;
    screen_lane(a, nan_acc, v_max);
}

/* The screen rides along the mix more cheaply than bank_screen's lanes: a
 * voltage that is not finite makes the sums not finite (w x is inf or NaN,
 * also for w = 0, and no finite term brings an inf or NaN sum back), and the
 * largest |to_mV_a v + to_mV_b| over the bank is that of the smallest or the
 * largest v (the rounded affine map is monotonic), so the lanes keep only
 * the least and the greatest v: two operations a neuron instead of five.
 * The verdict is bank_screen's, bit for bit. */
SIMD_INLINE void
halve(float *restrict al, float *restrict ar, float *restrict lo, float *restrict hi, uint32_t w)
{
    for (uint32_t k = 0; k < w; ++k) {
        al[k] += al[k + w];
        ar[k] += ar[k + w];
        lo[k] = lo[k + w] < lo[k] ? lo[k + w] : lo[k];
        hi[k] = hi[k + w] > hi[k] ? hi[k + w] : hi[k];
    }
}

/* 32 neurons from vp, lane k taking neuron k */
SIMD_INLINE void
mix_block(const float *restrict vp, const float *restrict lp, const float *restrict rp, float c,
          float *restrict al, float *restrict ar, float *restrict lo, float *restrict hi)
{
    for (uint32_t k = 0; k < MIX_LANES; ++k) {
        const float x = vp[k] - c;
        al[k] += lp[k] * x;
        ar[k] += rp[k] * x;
        lo[k] = vp[k] < lo[k] ? vp[k] : lo[k];
        hi[k] = vp[k] > hi[k] ? vp[k] : hi[k];
    }
}

SIMD_INLINE void
mix_lanes_start(float *restrict al, float *restrict ar, float *restrict lo, float *restrict hi)
{
    for (uint32_t k = 0; k < MIX_LANES; ++k) {
        al[k] = ar[k] = 0.0f;
        lo[k] = INFINITY;
        hi[k] = -INFINITY;
    }
}

/* the pairwise sum, one constant width at a time (so that each round is a
 * vector operation), and the screen's verdict */
SIMD_INLINE void
mix_lanes_sum(float *restrict al, float *restrict ar, float *restrict lo, float *restrict hi,
              float to_mV_a, float to_mV_b, float *l, float *r, int *bad)
{
    halve(al, ar, lo, hi, 16);
    halve(al, ar, lo, hi, 8);
    halve(al, ar, lo, hi, 4);
    halve(al, ar, lo, hi, 2);
    halve(al, ar, lo, hi, 1);
    *l = al[0];
    *r = ar[0];
    const float end_lo = fabsf(to_mV_a * lo[0] + to_mV_b), end_hi = fabsf(to_mV_a * hi[0] + to_mV_b);
    *bad = !isfinite(al[0]) | !isfinite(ar[0]) | !(end_lo < REPAIR_LIMIT_MV) |
           !(end_hi < REPAIR_LIMIT_MV);
}

SIMD_INLINE void
pan_mix_kernel(const float *wl, const float *wr, const float *v, float c, uint32_t n,
               float to_mV_a, float to_mV_b, float *l, float *r, int *bad)
{
    float al[MIX_LANES], ar[MIX_LANES], lo[MIX_LANES], hi[MIX_LANES];
    mix_lanes_start(al, ar, lo, hi);
    uint32_t i = 0;
    for (; i + MIX_LANES <= n; i += MIX_LANES)
        mix_block(v + i, wl + i, wr + i, c, al, ar, lo, hi);
    for (uint32_t k = 0; i < n; ++i, ++k) {
        const float x = v[i] - c;
        al[k] += wl[i] * x;
        ar[k] += wr[i] * x;
        lo[k] = v[i] < lo[k] ? v[i] : lo[k];
        hi[k] = v[i] > hi[k] ? v[i] : hi[k];
    }
    mix_lanes_sum(al, ar, lo, hi, to_mV_a, to_mV_b, l, r, bad);
}

SIMD_MULTIVERSION(pan_mix, pan_mix_kernel,
                  (const float *wl, const float *wr, const float *v, float c, uint32_t n,
                   float to_mV_a, float to_mV_b, float *l, float *r, int *bad),
                  (wl, wr, v, c, n, to_mV_a, to_mV_b, l, r, bad))

/* The mix and the leveller's statistics (level_stats_lanes.h) in one pass,
 * for a step that needs both (every eighth frame's last): they read the
 * same voltages and pan weights, and share v - c. n a multiple of
 * MIX_LANES: each sum's lanes take the same neurons in the same order as
 * pan_mix_kernel's and level_stats_update's, so the bits are theirs. */
SIMD_INLINE void
mix_stats_kernel(const float *wl, const float *wr, const float *v, float c, uint32_t n,
                 float to_mV_a, float to_mV_b, float *l, float *r, int *bad, float *mean,
                 float *msq, float k, float a, float *sum_l, float *sum_r)
{
    float al[MIX_LANES], ar[MIX_LANES], lo[MIX_LANES], hi[MIX_LANES];
    float pl[VAR_LANES] = {0}, pr[VAR_LANES] = {0};
    mix_lanes_start(al, ar, lo, hi);
    for (uint32_t i = 0; i + MIX_LANES <= n; i += MIX_LANES) {
        mix_block(v + i, wl + i, wr + i, c, al, ar, lo, hi);
        for (uint32_t j = 0; j < MIX_LANES; j += VAR_LANES)
            variance_block(v + i + j, mean + i + j, msq + i + j, wl + i + j, wr + i + j, c, k,
                           a, pl, pr);
    }
    mix_lanes_sum(al, ar, lo, hi, to_mV_a, to_mV_b, l, r, bad);
    variance_lanes_sum(pl, pr, sum_l, sum_r);
}

SIMD_MULTIVERSION(mix_stats, mix_stats_kernel,
                  (const float *wl, const float *wr, const float *v, float c, uint32_t n,
                   float to_mV_a, float to_mV_b, float *l, float *r, int *bad, float *mean,
                   float *msq, float k, float a, float *sum_l, float *sum_r),
                  (wl, wr, v, c, n, to_mV_a, to_mV_b, l, r, bad, mean, msq, k, a, sum_l,
                   sum_r))

/* The same sums for a bank smaller than the lanes (a small bank at a high
 * speed, or one the real-time guard thinned, pays this every step): lane k
 * holds neuron k alone, and the lanes from n on stay 0, so each round of
 * the pairwise sum adds only lanes below n (adding 0 changes no bit) and the
 * screen's verdict reads only them. Bit for bit the sums of pan_mix_kernel,
 * without zeroing, summing and screening the empty lanes. */
static int
pan_mix_small(const float *wl, const float *wr, const float *v, float c, uint32_t n,
              float to_mV_a, float to_mV_b, float *l, float *r)
{
    float al[MIX_LANES], ar[MIX_LANES], nan_acc[MIX_LANES], v_max[MIX_LANES];
    for (uint32_t k = 0; k < n; ++k) {
        al[k] = ar[k] = nan_acc[k] = v_max[k] = 0.0f;
        mix_lanes(v[k] - c, wl[k], wr[k], fabsf(to_mV_a * v[k] + to_mV_b), &al[k], &ar[k],
                  &nan_acc[k], &v_max[k]);
    }
    uint32_t live = n; /* lanes that may be non-zero */
    for (uint32_t w = MIX_LANES / 2; w > 0; w /= 2) {
        for (uint32_t k = 0; k + w < live; ++k) {
            al[k] += al[k + w];
            ar[k] += ar[k + w];
        }
        live = live < w ? live : w;
    }
    *l = n ? al[0] : 0.0f;
    *r = n ? ar[0] : 0.0f;
    return n ? screen_verdict(nan_acc, v_max, n) : 0;
}

int
stereo_mix_screened(simd_isa isa, const float *v, const float *wl, const float *wr, float center,
                    uint32_t n, float to_mV_a, float to_mV_b, float *l, float *r)
{
    if (n < MIX_LANES)
        return pan_mix_small(wl, wr, v, center, n, to_mV_a, to_mV_b, l, r);
    int bad;
    pan_mix(isa, wl, wr, v, center, n, to_mV_a, to_mV_b, l, r, &bad);
    return bad;
}

int
stereo_mix_screened_stats(simd_isa isa, const float *v, const float *wl, const float *wr,
                          float center, uint32_t n, float to_mV_a, float to_mV_b, float *l,
                          float *r, float *mean, float *msq, float k, float a, float *sum_l,
                          float *sum_r)
{
    if (n < MIX_LANES || n % MIX_LANES) {
        level_stats_update(isa, v, mean, msq, wl, wr, center, k, a, n, sum_l, sum_r);
        return stereo_mix_screened(isa, v, wl, wr, center, n, to_mV_a, to_mV_b, l, r);
    }
    int bad;
    mix_stats(isa, wl, wr, v, center, n, to_mV_a, to_mV_b, l, r, &bad, mean, msq, k, a, sum_l,
              sum_r);
    return bad;
}
