/* stereo_mix.c — the bank's membrane voltages mixed to stereo, screened on
 * the way. */
#include "stereo_mix.h"

#include "screen_lanes.h"

#include <math.h>

/* Two weighted sums of the somatic voltages (the bank's stereo mix):
 * sum w[i] (v[i] - c), as 32 partial sums in a fixed order, so any path and
 * any block split give the same bits, and no add waits for the one before.
 * The lanes also keep what the non-finite screen keeps (bank_screen.c): the
 * same loads, a few more operations, so with the mix on the voltages are
 * read once a step, not twice. */
#define MIX_LANES 32u

SIMD_INLINE void
mix_lanes(float x, float w_l, float w_r, float a, float *l, float *r, float *nan_acc,
          float *v_max)
{
    *l += w_l * x;
    *r += w_r * x;
    screen_lane(a, nan_acc, v_max);
}

SIMD_INLINE void
pan_mix_kernel(const float *wl, const float *wr, const float *v, float c, uint32_t n,
               float to_mV_a, float to_mV_b, float *l, float *r, int *bad)
{
    float al[MIX_LANES] = {0}, ar[MIX_LANES] = {0};
    float nan_acc[MIX_LANES] = {0}, v_max[MIX_LANES] = {0};
    uint32_t i = 0;
    for (; i + MIX_LANES <= n; i += MIX_LANES) {
        const float *restrict vp = v + i, *restrict lp = wl + i, *restrict rp = wr + i;
        for (uint32_t k = 0; k < MIX_LANES; ++k)
            mix_lanes(vp[k] - c, lp[k], rp[k], fabsf(to_mV_a * vp[k] + to_mV_b), &al[k],
                      &ar[k], &nan_acc[k], &v_max[k]);
    }
    for (uint32_t k = 0; i < n; ++i, ++k)
        mix_lanes(v[i] - c, wl[i], wr[i], fabsf(to_mV_a * v[i] + to_mV_b), &al[k], &ar[k],
                  &nan_acc[k], &v_max[k]);
    for (uint32_t w = MIX_LANES / 2; w > 0; w /= 2)
        for (uint32_t k = 0; k < w; ++k) {
            al[k] += al[k + w];
            ar[k] += ar[k + w];
        }
    *l = al[0];
    *r = ar[0];
    *bad = screen_verdict(nan_acc, v_max, MIX_LANES);
}

SIMD_MULTIVERSION(pan_mix, pan_mix_kernel,
                  (const float *wl, const float *wr, const float *v, float c, uint32_t n,
                   float to_mV_a, float to_mV_b, float *l, float *r, int *bad),
                  (wl, wr, v, c, n, to_mV_a, to_mV_b, l, r, bad))

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
